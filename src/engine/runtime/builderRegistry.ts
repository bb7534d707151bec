import type { NodeBuilder } from './builderTypes';
import { activationBuilders } from './builders/activations';
import { attentionBuilders } from './builders/attention';
import { convBuilders } from './builders/conv';
import { customBuilders } from './builders/custom';
import { denseBuilders } from './builders/dense';
import { lossBuilders } from './builders/losses';
import { p4Builders } from './builders/p4';
import { multiheadAttentionBuilders } from './builders/multiheadAttention';
import { predictionBuilders } from './builders/prediction';
import { recurrentBuilders } from './builders/recurrent';
import { scalarBuilders } from './builders/scalars';
import { structuralBuilders } from './builders/structural';
import { tensorOpBuilders } from './builders/tensorOps';

/**
 * How each node type becomes engine code: the builders of every family (builders/<family>.ts,
 * each typed from its definitions in graph/registry/<family>.ts). Input and Target need none
 * (their values are the batch).
 */
export const BUILDERS: Readonly<Record<string, NodeBuilder>> = {
  ...scalarBuilders,
  ...denseBuilders,
  ...structuralBuilders,
  ...tensorOpBuilders,
  ...convBuilders,
  ...p4Builders,
  ...recurrentBuilders,
  ...attentionBuilders,
  ...multiheadAttentionBuilders,
  ...customBuilders,
  ...activationBuilders,
  ...lossBuilders,
  ...predictionBuilders,
};

/** Types whose value comes from the batch rather than from a builder. */
export const DATA_TYPES: ReadonlySet<string> = new Set(['Input', 'Target']);
