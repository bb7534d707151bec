// The conv-net and RNN workloads of bench/layers.ts written in TensorFlow.js, run on the cpu
// and wasm backends in the same process. Same shapes, same maths, each backend in its native
// layout (tfjs convolutions are NHWC).
import * as tf from '@tensorflow/tfjs-core';
import './engineTfjs';
import { CONV_NET, RNN_TASK } from './layersWorkloads';

// Backend selection (and tfjs's gradient registration) is shared with the core benchmarks: engineTfjs.ts.

function uniform(shape: number[], bound: number, seed: number): tf.Variable {
  return tf.variable(tf.randomUniform(shape, -bound, bound, 'float32', seed));
}

/** One forward + backward step of the conv net; returns a function that runs it once. */
export function tfjsConvNetStep(): { run: () => void; forwardOnly: () => void; dispose: () => void } {
  const { batch, size, c1, c2, k, classes } = CONV_NET;
  const x = tf.randomNormal([batch, size, size, 1], 0, 1, 'float32', 1);
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batch }, (_, i) => i % classes),
      'int32',
    ),
    classes,
  );
  const flat = CONV_NET.flatFeatures;
  const vars = [
    uniform([k, k, 1, c1], 1 / Math.sqrt(k * k), 2),
    uniform([c1], 1 / Math.sqrt(k * k), 3),
    uniform([k, k, c1, c2], 1 / Math.sqrt(c1 * k * k), 4),
    uniform([c2], 1 / Math.sqrt(c1 * k * k), 5),
    uniform([flat, classes], 1 / Math.sqrt(flat), 6),
    uniform([classes], 1 / Math.sqrt(flat), 7),
  ];
  const [w1, b1, w2, b2, w3, b3] = vars;
  const loss = (): tf.Scalar => {
    let h = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 1, 'valid'), b1));
    h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
    h = tf.relu(tf.add(tf.conv2d(h as tf.Tensor4D, w2 as tf.Tensor4D, 1, 'valid'), b2));
    h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
    const logits = tf.add(tf.matMul(tf.reshape(h, [batch, flat]), w3), b3);
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  };
  return {
    run: () => {
      const { value, grads } = tf.variableGrads(loss);
      value.dataSync();
      for (const g of Object.values(grads)) g.dataSync();
      tf.dispose([value, grads]);
    },
    forwardOnly: () => {
      tf.tidy(() => loss()).dataSync();
    },
    dispose: () => tf.dispose([x, labels, ...vars]),
  };
}

/** One forward + BPTT step of the Elman RNN (tanh) with a linear read-out of the last state. */
export function tfjsRnnStep(): { run: () => void; forwardOnly: () => void; dispose: () => void } {
  const { batch, input, hidden, steps, classes } = RNN_TASK;
  const xs = tf.randomNormal([steps, batch, input], 0, 1, 'float32', 11);
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batch }, (_, i) => i % classes),
      'int32',
    ),
    classes,
  );
  const bound = 1 / Math.sqrt(hidden);
  const vars = [
    uniform([input, hidden], bound, 12),
    uniform([hidden, hidden], bound, 13),
    uniform([hidden], bound, 14),
    uniform([hidden], bound, 15),
    uniform([hidden, classes], bound, 16),
    uniform([classes], bound, 17),
  ];
  const [wih, whh, bih, bhh, wo, bo] = vars;
  const loss = (): tf.Scalar => {
    const steps3 = tf.unstack(xs);
    let h: tf.Tensor = tf.zeros([batch, hidden]);
    for (const x of steps3) {
      h = tf.tanh(tf.add(tf.add(tf.matMul(x, wih), bih), tf.add(tf.matMul(h, whh), bhh)));
    }
    const logits = tf.add(tf.matMul(h, wo), bo);
    return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
  };
  return {
    run: () => {
      const { value, grads } = tf.variableGrads(loss);
      value.dataSync();
      for (const g of Object.values(grads)) g.dataSync();
      tf.dispose([value, grads]);
    },
    forwardOnly: () => {
      tf.tidy(() => loss()).dataSync();
    },
    dispose: () => tf.dispose([xs, labels, ...vars]),
  };
}
