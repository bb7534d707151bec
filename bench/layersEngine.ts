// The conv-net and RNN workloads of bench/layers.ts on this engine (float32, single thread).
import { Rng } from '../src/engine/tensor/rng';
import { randn } from '../src/engine/tensor/create';
import { tidy } from '../src/engine/tensor/scope';
import { backward } from '../src/engine/autograd/backward';
import { relu } from '../src/engine/ops/activation';
import { flatten } from '../src/engine/ops/shape';
import { squeeze } from '../src/engine/ops/shape';
import { crossEntropyLoss } from '../src/engine/nn/losses';
import { Linear } from '../src/engine/nn/linear';
import { Conv2d } from '../src/engine/nn/conv';
import { MaxPool2d } from '../src/engine/nn/pooling';
import { RNN } from '../src/engine/nn/rnn';
import type { Module } from '../src/engine/nn/module';
import { CONV_NET, RNN_TASK } from './layersWorkloads';

export interface Step {
  /** One forward + backward pass (gradients accumulated into the parameters). */
  run: () => void;
  /** Forward pass only, without recording (for comparisons with backends lacking a backward). */
  forwardOnly: () => void;
  dispose: () => void;
}

function labels(n: number, classes: number): number[] {
  return Array.from({ length: n }, (_, i) => i % classes);
}

function zeroGrads(mods: Module[]): void {
  for (const m of mods) m.zeroGrad();
}

export function engineConvNetStep(): Step {
  const { batch, size, c1, c2, k, classes, flatFeatures } = CONV_NET;
  const rng = new Rng(1);
  const conv1 = new Conv2d(1, c1, k, rng);
  const conv2 = new Conv2d(c1, c2, k, rng);
  const pool = new MaxPool2d(2);
  const fc = new Linear(flatFeatures, classes, rng);
  const x = randn([batch, 1, size, size], rng).keep();
  const y = labels(batch, classes);
  const logits = () => {
    let h = pool.forward(relu(conv1.forward(x)));
    h = pool.forward(relu(conv2.forward(h)));
    return fc.forward(flatten(h, 1));
  };
  return {
    run: () => {
      tidy(() => backward(crossEntropyLoss(logits(), y)));
      zeroGrads([conv1, conv2, fc]);
    },
    forwardOnly: () => {
      tidy(() => {
        logits();
      });
    },
    dispose: () => x.dispose(),
  };
}

export function engineRnnStep(): Step {
  const { batch, input, hidden, steps, classes } = RNN_TASK;
  const rng = new Rng(2);
  const rnn = new RNN(input, hidden, rng);
  const fc = new Linear(hidden, classes, rng);
  const x = randn([steps, batch, input], rng).keep();
  const y = labels(batch, classes);
  const logits = () => fc.forward(squeeze(rnn.forward(x).hN, 0));
  return {
    run: () => {
      tidy(() => backward(crossEntropyLoss(logits(), y)));
      zeroGrads([rnn, fc]);
    },
    forwardOnly: () => {
      tidy(() => {
        logits();
      });
    },
    dispose: () => x.dispose(),
  };
}
