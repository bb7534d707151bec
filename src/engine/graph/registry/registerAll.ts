import { activationNodeTypes } from './activations';
import { attentionNodeTypes } from './attention';
import { convNodeTypes } from './conv';
import { dataNodeTypes } from './data';
import { denseNodeTypes } from './dense';
import { lossNodeTypes } from './losses';
import { predictionNodeTypes } from './prediction';
import { recurrentNodeTypes } from './recurrent';
import { structuralNodeTypes } from './structural';
import type { AnyNodeTypeDef } from '../nodeType';
import { TS_EMITTERS } from './emitTs';
import { NodeTypeRegistry } from './registry';

/** A definition whose `emit` also speaks TypeScript (from emitTs), next to its own Python. */
function withTypeScript(def: AnyNodeTypeDef): AnyNodeTypeDef {
  const ts = TS_EMITTERS[def.type];
  if (!ts) return def;
  return { ...def, emit: (ctx) => (ctx.lang === 'ts' ? ts(ctx) : def.emit(ctx)) };
}

/** Builds a registry holding every node type of the studio; this is the one list of them. */
export function createNodeTypeRegistry(): NodeTypeRegistry {
  const registry = new NodeTypeRegistry();
  for (const group of [
    dataNodeTypes,
    denseNodeTypes,
    structuralNodeTypes,
    convNodeTypes,
    recurrentNodeTypes,
    attentionNodeTypes,
    activationNodeTypes,
    lossNodeTypes,
    predictionNodeTypes,
  ]) {
    for (const def of group) registry.register(withTypeScript(def));
  }
  return registry;
}

/** The studio's registry, shared by the editor, the validator, the runtime and code generation. */
export const nodeTypes: NodeTypeRegistry = createNodeTypeRegistry();
