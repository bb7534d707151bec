// The engine side of the core benchmarks: sgemm and two training steps. The same shapes are
// run in TensorFlow.js by engineTfjs.ts.
import { gemm, gemmParallel } from '../src/engine/kernels/gemm/gemm';
import { Rng } from '../src/engine/tensor/rng';
import { randn } from '../src/engine/tensor/create';
import { tidy } from '../src/engine/tensor/scope';
import { Linear } from '../src/engine/nn/linear';
import { Sequential } from '../src/engine/nn/sequential';
import { ReLU, Tanh } from '../src/engine/nn/activations';
import { crossEntropyLoss } from '../src/engine/nn/losses';
import { backward } from '../src/engine/autograd/backward';
import { SGD } from '../src/engine/optim/sgd';

/** An MLP training step: sizes [in, hidden..., out], activation, batch. */
export interface MlpWorkload {
  name: string;
  sizes: number[];
  activation: 'relu' | 'tanh';
  batch: number;
  lr: number;
}

export const MLP_MNIST: MlpWorkload = {
  name: 'mlp784-128-10-relu',
  sizes: [784, 128, 10],
  activation: 'relu',
  batch: 64,
  lr: 0.01,
};
export const MLP_SPIRAL: MlpWorkload = {
  name: 'mlp2-16-16-3-tanh',
  sizes: [2, 16, 16, 3],
  activation: 'tanh',
  batch: 32,
  lr: 0.1,
};

/** C = A·B for n×n float32 matrices through the engine's packed, register-tiled kernel. */
export function engineSgemm(n: number): () => void {
  const rng = new Rng(n);
  const a = Float32Array.from({ length: n * n }, () => rng.uniform(-1, 1));
  const b = Float32Array.from({ length: n * n }, () => rng.uniform(-1, 1));
  const c = new Float32Array(n * n);
  const A = { data: a, off: 0, rs: n, cs: 1 };
  const B = { data: b, off: 0, rs: n, cs: 1 };
  return () => gemm(n, n, n, A, B, c, 0, false);
}

/**
 * The same product on operands in SharedArrayBuffers (what the session worker's allocator hands
 * out), through the engine's gemmParallel: the rows go to the kernel pool when one is installed.
 */
export function engineSgemmShared(n: number): { run: () => void; dispose: () => void } {
  const rng = new Rng(n);
  const shared = (): Float32Array => new Float32Array(new SharedArrayBuffer(n * n * 4));
  const a = shared();
  const b = shared();
  const c = shared();
  for (let i = 0; i < n * n; i++) {
    a[i] = rng.uniform(-1, 1);
    b[i] = rng.uniform(-1, 1);
  }
  const A = { data: a, off: 0, rs: n, cs: 1 };
  const B = { data: b, off: 0, rs: n, cs: 1 };
  return { run: () => gemmParallel(n, n, n, A, B, c, 0, false), dispose: () => undefined };
}

/** One forward + backward + SGD step of the MLP with softmax cross-entropy. */
export function engineMlpStep(w: MlpWorkload): { run: () => void; dispose: () => void } {
  const rng = new Rng(42);
  const layers = [];
  for (let i = 0; i + 1 < w.sizes.length; i++) {
    layers.push(new Linear(w.sizes[i], w.sizes[i + 1], rng));
    if (i + 2 < w.sizes.length) layers.push(w.activation === 'relu' ? new ReLU() : new Tanh());
  }
  const model = new Sequential(...layers);
  const x = randn([w.batch, w.sizes[0]], rng).keep();
  const classes = w.sizes[w.sizes.length - 1];
  const y = Array.from({ length: w.batch }, (_, i) => i % classes);
  const opt = new SGD(model.parameters(), { lr: w.lr });
  return {
    run: () =>
      tidy(() => {
        opt.zeroGrad();
        const loss = crossEntropyLoss(model.forward(x), y);
        backward(loss);
        opt.step();
        loss.item();
      }),
    dispose: () => {
      x.dispose();
      for (const p of model.parameters()) p.dispose();
    },
  };
}
