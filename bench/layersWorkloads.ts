// Sizes of the layer benchmarks (issue 4): the same numbers drive the engine and tfjs versions.

/** batch 32, 1×28×28 → Conv 8 3×3 → ReLU → MaxPool 2 → Conv 16 3×3 → ReLU → MaxPool 2 → Linear 10, CE. */
export const CONV_NET = {
  batch: 32,
  size: 28,
  c1: 8,
  c2: 16,
  k: 3,
  classes: 10,
  // 28 → 26 → 13 → 11 → 5
  flatFeatures: 16 * 5 * 5,
} as const;

/** Elman RNN (tanh): input 16, hidden 64, 20 steps, batch 32; Linear 10 on the last state, CE. */
export const RNN_TASK = {
  batch: 32,
  input: 16,
  hidden: 64,
  steps: 20,
  classes: 10,
} as const;
