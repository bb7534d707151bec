// The engine as an exported program sees it: everything generated model.ts, train.ts and data.ts
// import from './engine.js'. The export bundles this file and what it imports into that one
// module, so the exported folder needs no package from a registry. A node type whose emitter
// imports a new engine module adds that module here (the export test type-checks every example
// against this file, and a missing name fails it).
export * from '../autograd/backward';
export * from '../autograd/gradMode';
export * from '../nn/attention';
export * from '../nn/batchnorm';
export * from '../nn/conv';
export * from '../nn/customParameters';
export * from '../nn/dropout';
export * from '../nn/embedding';
export * from '../nn/linear';
export * from '../nn/losses';
export * from '../nn/module';
export * from '../nn/multiheadAttention';
export * from '../nn/p4';
export * from '../nn/pooling';
export * from '../nn/predict';
export * from '../nn/rnn';
export * from '../nn/scalar';
export * from '../ops/activation';
export * from '../ops/arithmetic';
export * from '../ops/matmul';
export * from '../ops/reduce';
export * from '../ops/select';
export * from '../ops/shape';
export * from '../ops/unary';
export * from '../tensor/create';
export type { DType } from '../tensor/dtype';
export { Rng } from '../tensor/rng';
export { keep, tidy } from '../tensor/scope';
export type { Tensor } from '../tensor/tensor';
export * from '../runtime/layerHelpers';
export { resolveDataset } from '../train/datasets';
export type { DatasetFiles } from '../train/datasetCatalog';
export { batchTensors, splitData } from '../train/trainingData';
export type { BatchSlot } from '../train/trainingData';
export { createOptimizer } from '../train/train';
export { parseDigitsBytes } from '../train/digits';
export type { TrainingSettings } from '../graph/schema';

// The exported program is an entry of the engine: its kernels and gradients register here, once.
import { registerEngine } from '../register';
registerEngine();
