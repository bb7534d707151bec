// The engine side of the core benchmarks: sgemm and two training steps. The same shapes are
// run in TensorFlow.js by engineTfjs.ts.
import { gemm, gemmParallel } from '../src/engine/kernels/gemm/gemm';
import { Rng } from '../src/engine/tensor/rng';
import { tidy } from '../src/engine/tensor/scope';
import type { Graph, GraphEdge, GraphNode } from '../src/engine/graph/schema';
import { compileGraph } from '../src/engine/runtime/compile';
import { batchOf } from '../src/engine/train/trainingData';
import type { Dataset } from '../src/engine/train/dataset';
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

/**
 * The MLP as the app builds it: Input → Linear → activation → … → Linear → CrossEntropyLoss ←
 * Target, a graph compiled by the engine's runtime (the path of the step session and training).
 */
export function mlpGraph(w: MlpWorkload): Graph {
  const node = (id: string, type: string, params: Record<string, unknown> = {}): GraphNode => ({
    id,
    type,
    params,
    position: { x: 0, y: 0 },
  });
  const edge = (source: string, target: string, targetPort = 'input'): GraphEdge => ({
    id: `${source}->${target}.${targetPort}`,
    source,
    sourcePort: 'out',
    target,
    targetPort,
  });
  const nodes = [node('x', 'Input', { shape: [w.sizes[0]] })];
  const edges: GraphEdge[] = [];
  let last = 'x';
  for (let i = 0; i + 1 < w.sizes.length; i++) {
    nodes.push(node(`fc${i + 1}`, 'Linear', { out_features: w.sizes[i + 1] }));
    edges.push(edge(last, `fc${i + 1}`));
    last = `fc${i + 1}`;
    if (i + 2 < w.sizes.length) {
      nodes.push(node(`act${i + 1}`, w.activation === 'relu' ? 'ReLU' : 'Tanh'));
      edges.push(edge(last, `act${i + 1}`));
      last = `act${i + 1}`;
    }
  }
  nodes.push(node('y', 'Target', { kind: 'class-labels', shape: [] }), node('loss', 'CrossEntropyLoss'));
  edges.push(edge(last, 'loss'), edge('y', 'loss', 'target'));
  return { nodes, edges };
}

/** One forward + backward + SGD step of the compiled MLP graph with softmax cross-entropy. */
export function engineMlpStep(w: MlpWorkload): { run: () => void; dispose: () => void } {
  const compiled = compileGraph(mlpGraph(w), { seed: 42 });
  if (!compiled.ok) throw new Error(compiled.issues.map((i) => i.message).join('\n'));
  const model = compiled.model;
  const rng = new Rng(42);
  const classes = w.sizes[w.sizes.length - 1];
  const data: Dataset = {
    name: w.name,
    task: 'classification',
    n: w.batch,
    featureShape: [w.sizes[0]],
    x: Float64Array.from({ length: w.batch * w.sizes[0] }, () => rng.normal()),
    targetShape: [],
    y: Float64Array.from({ length: w.batch }, (_, i) => i % classes),
    numClasses: classes,
  };
  const batch = batchOf(
    model,
    data,
    Array.from({ length: w.batch }, (_, i) => i),
  );
  for (const t of Object.values(batch)) t.keep();
  const opt = new SGD(model.parameters(), { lr: w.lr });
  model.train(true);
  return {
    run: () =>
      tidy(() => {
        opt.zeroGrad();
        const { loss } = model.forward(batch);
        backward(loss!);
        opt.step();
        loss!.item();
      }),
    dispose: () => {
      for (const t of Object.values(batch)) t.dispose();
      for (const p of model.parameters()) p.dispose();
    },
  };
}
