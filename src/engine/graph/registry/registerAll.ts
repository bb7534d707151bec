import { activationNodeTypes } from './activations';
import { attentionNodeTypes } from './attention';
import { convNodeTypes } from './conv';
import { customNodeTypes } from './custom';
import { dataNodeTypes } from './data';
import { denseNodeTypes } from './dense';
import { lossNodeTypes } from './losses';
import { p4NodeTypes } from './p4';
import { multiheadAttentionNodeTypes } from './multiheadAttention';
import { predictionNodeTypes } from './prediction';
import { recurrentNodeTypes } from './recurrent';
import { scalarNodeTypes } from './scalars';
import { structuralNodeTypes } from './structural';
import { tensorOpNodeTypes } from './tensorOps';
import { NodeTypeRegistry } from './registry';

/**
 * Every node family, in palette order within a family. A family file holds each type's
 * definition with its Python and TypeScript emitters; the runtime's builder file of the same
 * name builds it (engine/runtime/builders).
 */
export const NODE_TYPE_GROUPS = [
  dataNodeTypes,
  scalarNodeTypes,
  denseNodeTypes,
  structuralNodeTypes,
  tensorOpNodeTypes,
  convNodeTypes,
  p4NodeTypes,
  recurrentNodeTypes,
  attentionNodeTypes,
  multiheadAttentionNodeTypes,
  customNodeTypes,
  activationNodeTypes,
  lossNodeTypes,
  predictionNodeTypes,
] as const;

/** Builds a registry holding every node type of the studio; this is the one list of them. */
export function createNodeTypeRegistry(): NodeTypeRegistry {
  const registry = new NodeTypeRegistry();
  for (const group of NODE_TYPE_GROUPS) for (const def of group) registry.register(def);
  return registry;
}

/** The studio's registry, shared by the editor, the validator, the runtime and code generation. */
export const nodeTypes: NodeTypeRegistry = createNodeTypeRegistry();
