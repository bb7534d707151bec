import type { Tensor } from '../tensor/tensor';
import { leakyRelu, logSoftmax, relu, sigmoid, softmax, tanh } from '../ops/activation';
import { Module } from './module';

/**
 * torch.nn.ReLU. NOTE: relu'(0) = 0.
 *
 * @example
 * new ReLU().forward(x);
 */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** torch.nn.LeakyReLU(negative_slope = 0.01). */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
}

/** torch.nn.Sigmoid. */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** torch.nn.Tanh. */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** torch.nn.Softmax(dim), default the last axis. */
export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }

  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
}

/** torch.nn.LogSoftmax(dim), default the last axis. */
export class LogSoftmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }

  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
}
