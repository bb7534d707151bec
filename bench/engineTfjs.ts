// The TensorFlow.js side of the core benchmarks (cpu and wasm backends, tfjs 4.22), same shapes
// as engineWorkloads.ts. The wasm binaries are loaded from node_modules, never from the network.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { MlpWorkload } from './engineWorkloads';

// NOTE: tfjs-core's ESM build leaves gradients out of the default bundle; loading this file via
// require registers them in tfjs's global registry (needed by optimizer.minimize).
createRequire(import.meta.url)('@tensorflow/tfjs-core/dist/register_all_gradients');
tf.env().set('PROD', true);

let wasmConfigured = false;

export type TfjsBackend = 'cpu' | 'wasm';

/** Switches tfjs to `backend` (wasm: single thread, SIMD build from the package directory). */
export async function setTfjsBackend(backend: TfjsBackend): Promise<void> {
  if (backend === 'wasm' && !wasmConfigured) {
    const require = createRequire(import.meta.url);
    const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    setWasmPaths(dist + path.sep);
    setThreadsCount(1);
    wasmConfigured = true;
  }
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js could not initialise its ${backend} backend.`);
  await tf.ready();
}

export function tfjsSgemm(n: number): { run: () => void; dispose: () => void } {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  return {
    run: () => {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    },
    dispose: () => tf.dispose([a, b]),
  };
}

export function tfjsMlpStep(w: MlpWorkload): { run: () => void; dispose: () => void } {
  const vars: tf.Variable[] = [];
  for (let i = 0; i + 1 < w.sizes.length; i++) {
    const bound = 1 / Math.sqrt(w.sizes[i]);
    vars.push(tf.variable(tf.randomUniform([w.sizes[i], w.sizes[i + 1]], -bound, bound, 'float32', 10 + i)));
    vars.push(tf.variable(tf.randomUniform([w.sizes[i + 1]], -bound, bound, 'float32', 20 + i)));
  }
  const x = tf.randomNormal([w.batch, w.sizes[0]], 0, 1, 'float32', 3);
  const classes = w.sizes[w.sizes.length - 1];
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: w.batch }, (_, i) => i % classes),
      'int32',
    ),
    classes,
  );
  const opt = tf.train.sgd(w.lr);
  const loss = (): tf.Scalar => {
    let h: tf.Tensor = x;
    for (let i = 0; i < vars.length; i += 2) {
      h = tf.add(tf.matMul(h, vars[i]), vars[i + 1]);
      if (i + 2 < vars.length) h = w.activation === 'relu' ? tf.relu(h) : tf.tanh(h);
    }
    return tf.losses.softmaxCrossEntropy(labels, h) as tf.Scalar;
  };
  return {
    run: () => {
      const cost = opt.minimize(loss, true, vars);
      cost?.dataSync();
      cost?.dispose();
    },
    dispose: () => {
      tf.dispose([x, labels, ...vars]);
      opt.dispose();
    },
  };
}
