import type { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/dtype';
import type { Rng } from '../tensor/rng';
import { randUniform } from '../tensor/create';
import { Module } from './module';
import type { RnnMode, RnnResult, RnnStepStates } from './rnnFunctional';
import { gateCount, rnnForward, rnnParamNames } from './rnnFunctional';

export interface RnnOptions {
  numLayers?: number;
  bias?: boolean;
  /** Input and output as [batch, seq, features] instead of [seq, batch, features]. */
  batchFirst?: boolean;
  bidirectional?: boolean;
  dtype?: DType;
}

/**
 * Shared machinery of RNN, LSTM and GRU (torch.nn.RNNBase): parameters weight_ih_l{k},
 * weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k} (and `_reverse`), gates stacked in torch's order,
 * every parameter drawn from U(−1/√hidden, 1/√hidden) in registration order.
 */
export class RNNBase extends Module {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly bidirectional: boolean;

  constructor(
    readonly mode: RnnMode,
    readonly inputSize: number,
    readonly hiddenSize: number,
    rng: Rng,
    opts: RnnOptions = {},
  ) {
    super();
    this.numLayers = opts.numLayers ?? 1;
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? false;
    this.bidirectional = opts.bidirectional ?? false;
    const what = this.kind;
    for (const [name, v] of [
      ['input_size', inputSize],
      ['hidden_size', hiddenSize],
      ['num_layers', this.numLayers],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`${what}: ${name} must be a positive integer, got ${v}.`);
    }
    const dtype = opts.dtype ?? 'float32';
    const G = gateCount(mode) * hiddenSize;
    const bound = 1 / Math.sqrt(hiddenSize);
    const D = this.bidirectional ? 2 : 1;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const inF = layer === 0 ? inputSize : hiddenSize * D;
      for (let dir = 0; dir < D; dir++) {
        const n = rnnParamNames(layer, dir);
        this.registerParameter(n.wIh, randUniform([G, inF], -bound, bound, rng, { dtype }));
        this.registerParameter(n.wHh, randUniform([G, hiddenSize], -bound, bound, rng, { dtype }));
        if (this.bias) {
          this.registerParameter(n.bIh, randUniform([G], -bound, bound, rng, { dtype }));
          this.registerParameter(n.bHh, randUniform([G], -bound, bound, rng, { dtype }));
        }
      }
    }
  }

  get kind(): string {
    return this.mode === 'LSTM' ? 'LSTM' : this.mode === 'GRU' ? 'GRU' : 'RNN';
  }

  /** A parameter by its PyTorch name (e.g. `weight_hh_l0_reverse`). */
  param(name: string): Tensor | null {
    const found = this.namedParameters().find(([n]) => n === name);
    return found ? found[1] : null;
  }

  /**
   * The per-step states of the last forward pass, one entry per layer and direction (layer-major):
   * the tensors on the tape, so the step view reads their values and, after backward, their
   * gradients (the unrolled view). Replaced at every forward.
   */
  lastStates: readonly RnnStepStates[] = [];

  protected run(x: Tensor, h0?: Tensor | null, c0?: Tensor | null): RnnResult {
    const params = new Map(this.namedParameters());
    const states: RnnStepStates[] = [];
    this.lastStates = states;
    return rnnForward(
      {
        mode: this.mode,
        inputSize: this.inputSize,
        hiddenSize: this.hiddenSize,
        numLayers: this.numLayers,
        bias: this.bias,
        batchFirst: this.batchFirst,
        bidirectional: this.bidirectional,
      },
      (name) => params.get(name) ?? null,
      x,
      h0,
      c0,
      (s) => states.push(s),
    );
  }
}

/**
 * torch.nn.RNN (Elman): h_t = φ(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh), φ = tanh or relu.
 * forward(x, h0?) returns { output, hN } like torch's (output, h_n).
 *
 * @example
 * const rnn = new RNN(16, 64, new Rng(0), { batchFirst: true });
 * const { output, hN } = rnn.forward(x);   // x [32, 20, 16] → output [32, 20, 64], hN [1, 32, 64]
 */
export class RNN extends RNNBase {
  constructor(
    inputSize: number,
    hiddenSize: number,
    rng: Rng,
    opts: RnnOptions & { nonlinearity?: 'tanh' | 'relu' } = {},
  ) {
    const nl = opts.nonlinearity ?? 'tanh';
    if (nl !== 'tanh' && nl !== 'relu')
      throw new Error(`RNN: nonlinearity must be 'tanh' or 'relu', got '${String(nl)}'.`);
    super(nl === 'relu' ? 'RNN_RELU' : 'RNN_TANH', inputSize, hiddenSize, rng, opts);
  }

  forward(x: Tensor, h0?: Tensor | null): { output: Tensor; hN: Tensor } {
    const r = this.run(x, h0);
    return { output: r.output, hN: r.hN };
  }
}

/**
 * torch.nn.LSTM, gates (i, f, g, o) stacked in that order in weight_ih / weight_hh.
 * forward(x, h0?, c0?) returns { output, hN, cN } like torch's (output, (h_n, c_n)).
 *
 * @example
 * const { output, hN, cN } = new LSTM(3, 4, new Rng(0), { bidirectional: true }).forward(x);
 */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, rng: Rng, opts: RnnOptions = {}) {
    super('LSTM', inputSize, hiddenSize, rng, opts);
  }

  forward(x: Tensor, h0?: Tensor | null, c0?: Tensor | null): { output: Tensor; hN: Tensor; cN: Tensor } {
    if ((h0 == null) !== (c0 == null)) throw new Error('LSTM: give both h0 and c0, or neither.');
    const r = this.run(x, h0, c0);
    return { output: r.output, hN: r.hN, cN: r.cN as Tensor };
  }
}

/**
 * torch.nn.GRU, gates (r, z, n): n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),
 * h' = (1 − z) ⊙ n + z ⊙ h. forward(x, h0?) returns { output, hN }.
 *
 * @example
 * const { output, hN } = new GRU(3, 4, new Rng(0), { numLayers: 2 }).forward(x);
 */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, rng: Rng, opts: RnnOptions = {}) {
    super('GRU', inputSize, hiddenSize, rng, opts);
  }

  forward(x: Tensor, h0?: Tensor | null): { output: Tensor; hN: Tensor } {
    const r = this.run(x, h0);
    return { output: r.output, hN: r.hN };
  }
}
