import type { NodeBuilder } from './builderTypes';
import { activationBuilders } from './builders/activations';
import { denseBuilders } from './builders/dense';
import { layerBuilders } from './builders/layers';
import { lossBuilders } from './builders/losses';
import { predictionBuilders } from './builders/prediction';

/**
 * How each node type becomes engine code: the one list of builders, by type id. Input and
 * Target need none (their values are the batch). A registered type without a builder compiles
 * to a `not-executable` issue naming the node.
 */
export const BUILDERS: Readonly<Record<string, NodeBuilder>> = {
  ...denseBuilders,
  ...layerBuilders,
  ...activationBuilders,
  ...lossBuilders,
  ...predictionBuilders,
};

/** Types whose value comes from the batch rather than from a builder. */
export const DATA_TYPES: ReadonlySet<string> = new Set(['Input', 'Target']);
