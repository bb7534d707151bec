import type { Tensor } from '../tensor/tensor';
import { shapeToString } from '../tensor/shape';
import { zeros } from '../tensor/create';
import { add, mul, sub } from '../ops/arithmetic';
import { relu, sigmoid, tanh } from '../ops/activation';
import { matmul } from '../ops/matmul';
import { concat, expandDims, permute, reshape, squeeze, stack } from '../ops/shape';
import { unstack } from '../ops/unstack';

/** The four recurrent cells of torch.nn (`mode` as in torch's RNNBase). */
export type RnnMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

export interface RnnConfig {
  mode: RnnMode;
  inputSize: number;
  hiddenSize: number;
  numLayers: number;
  bias: boolean;
  batchFirst: boolean;
  bidirectional: boolean;
}

/** Gate blocks stacked in weight_ih / weight_hh: LSTM (i, f, g, o), GRU (r, z, n), RNN (1). */
export function gateCount(mode: RnnMode): number {
  return mode === 'LSTM' ? 4 : mode === 'GRU' ? 3 : 1;
}

/** PyTorch's parameter names for layer `layer`, direction `dir` (0 forward, 1 reverse). */
export function rnnParamNames(layer: number, dir: number): { wIh: string; wHh: string; bIh: string; bHh: string } {
  const sfx = `_l${layer}${dir === 1 ? '_reverse' : ''}`;
  return { wIh: `weight_ih${sfx}`, wHh: `weight_hh${sfx}`, bIh: `bias_ih${sfx}`, bHh: `bias_hh${sfx}` };
}

export interface RnnResult {
  /** Every step of the last layer, [T, N, D·H] ([N, T, D·H] when batchFirst; [T, D·H] unbatched). */
  output: Tensor;
  /** Final hidden state of every layer and direction, [L·D, N, H] ([L·D, H] unbatched). */
  hN: Tensor;
  /** LSTM only: final cell state, same shape as hN. */
  cN?: Tensor;
}

/**
 * Every step's states of one layer and direction, in time order (h[t] is the state after
 * x_t; for a reverse direction, after it read x_{T-1} … x_t). The very tensors the next step
 * and the output read, so their gradients on the tape are backpropagation through time's.
 */
export interface RnnStepStates {
  readonly layer: number;
  /** 0 forward, 1 reverse. */
  readonly direction: number;
  /** [N, H] per time step. */
  readonly h: readonly Tensor[];
  /** LSTM only: the cell state per time step. */
  readonly c: readonly Tensor[] | null;
}

interface CellWeights {
  wIh: Tensor;
  wHh: Tensor;
  bIh: Tensor | null;
  bHh: Tensor | null;
}

/**
 * One step of a cell. `xp` is the input projection W_ih·x + b_ih of this step, [N, G·H]
 * (plus b_hh for RNN and LSTM).
 * Gate formulas and order follow torch exactly:
 *   RNN:  h' = φ(xp + W_hh·h + b_hh)
 *   LSTM: i, f, g, o = chunks of xp + W_hh·h + b_hh; c' = σ(f)·c + σ(i)·tanh(g); h' = σ(o)·tanh(c')
 *   GRU:  r = σ(xr + W_hr·h + b_hr), z = σ(xz + W_hz·h + b_hz),
 *         n = tanh(xn + r·(W_hn·h + b_hn)), h' = (1 − z)·n + z·h
 */
function cellStep(
  mode: RnnMode,
  xp: Tensor,
  h: Tensor,
  c: Tensor | null,
  w: CellWeights,
  hidden: number,
): [Tensor, Tensor | null] {
  let hp = matmul(h, w.wHh, false, true);
  // RNN and LSTM have b_hh folded into xp already (see rnnForward); GRU needs b_hn beside W_hn·h.
  if (w.bHh && mode === 'GRU') hp = add(hp, w.bHh);
  if (mode === 'RNN_TANH') return [tanh(add(xp, hp)), null];
  if (mode === 'RNN_RELU') return [relu(add(xp, hp)), null];
  const n = h.shape[0];
  if (mode === 'LSTM') {
    const [i, f, g, o] = unstack(reshape(add(xp, hp), [n, 4, hidden]), 1);
    const c2 = add(mul(sigmoid(f), c as Tensor), mul(sigmoid(i), tanh(g)));
    return [mul(sigmoid(o), tanh(c2)), c2];
  }
  // NOTE: GRU keeps W_hn·h + b_hn apart from the input part, because r multiplies it alone.
  const [xr, xz, xn] = unstack(reshape(xp, [n, 3, hidden]), 1);
  const [hr, hz, hn] = unstack(reshape(hp, [n, 3, hidden]), 1);
  const r = sigmoid(add(xr, hr));
  const z = sigmoid(add(xz, hz));
  const nn = tanh(add(xn, mul(r, hn)));
  // (1 − z)·n + z·h = n + z·(h − n)
  return [add(nn, mul(z, sub(h, nn))), null];
}

/**
 * Runs a multi-layer (bi)directional RNN / LSTM / GRU over a sequence, exactly as
 * torch.nn.RNN / LSTM / GRU's forward: `x` is [T, N, I] ([N, T, I] when batchFirst, [T, I]
 * unbatched); `h0` / `c0` are [L·D, N, H] (zeros when omitted). Built from differentiable ops,
 * so backprop through time is the tape's ordinary backward. `onStates` receives every layer's and
 * direction's per-step states as they are computed (the unrolled view reads them).
 *
 * @example
 * const { output, hN } = rnnForward(cfg, (name) => params[name], x);
 */
export function rnnForward(
  cfg: RnnConfig,
  param: (name: string) => Tensor | null,
  x: Tensor,
  h0?: Tensor | null,
  c0?: Tensor | null,
  onStates?: (states: RnnStepStates) => void,
): RnnResult {
  const what = cfg.mode === 'LSTM' ? 'LSTM' : cfg.mode === 'GRU' ? 'GRU' : 'RNN';
  const D = cfg.bidirectional ? 2 : 1;
  const H = cfg.hiddenSize;
  const L = cfg.numLayers;
  if (x.rank !== 2 && x.rank !== 3) {
    throw new Error(
      `${what} expects an input of rank 3 (${cfg.batchFirst ? '[batch, seq, features]' : '[seq, batch, features]'}) or 2 (unbatched), got ${shapeToString(x.shape)}.`,
    );
  }
  const unbatched = x.rank === 2;
  let seq = unbatched ? expandDims(x, 1) : cfg.batchFirst ? permute(x, [1, 0, 2]) : x;
  const [T, N, I] = seq.shape;
  if (I !== cfg.inputSize) {
    throw new Error(
      `${what}: the input has ${I} features per step but input_size is ${cfg.inputSize} (input shape ${shapeToString(x.shape)}).`,
    );
  }
  if (T === 0) throw new Error(`${what}: the input sequence is empty (shape ${shapeToString(x.shape)}).`);
  const initial = (s: Tensor | null | undefined, name: string): Tensor[] => {
    if (!s) return Array.from({ length: L * D }, () => zeros([N, H], { dtype: x.dtype }));
    const want = unbatched ? [L * D, H] : [L * D, N, H];
    if (s.rank !== want.length || s.shape.some((d, i) => d !== want[i])) {
      throw new Error(`${what}: ${name} must have shape ${shapeToString(want)}, got ${shapeToString(s.shape)}.`);
    }
    return unstack(unbatched ? expandDims(s, 1) : s, 0);
  };
  const hInit = initial(h0, 'h0');
  const cInit = cfg.mode === 'LSTM' ? initial(c0, 'c0') : null;
  const hFinal: Tensor[] = [];
  const cFinal: Tensor[] = [];
  for (let layer = 0; layer < L; layer++) {
    const inFeatures = seq.shape[2];
    const dirOutputs: Tensor[] = [];
    for (let dir = 0; dir < D; dir++) {
      const names = rnnParamNames(layer, dir);
      const w: CellWeights = {
        wIh: param(names.wIh) as Tensor,
        wHh: param(names.wHh) as Tensor,
        bIh: cfg.bias ? param(names.bIh) : null,
        bHh: cfg.bias ? param(names.bHh) : null,
      };
      // The input projection of all steps at once: one [T·N, I] × [I, G·H] product.
      let xp = matmul(reshape(seq, [T * N, inFeatures]), w.wIh, false, true);
      if (w.bIh) xp = add(xp, w.bIh);
      // NOTE: outside the GRU, b_hh only ever appears in the sum W_ih·x + b_ih + W_hh·h + b_hh, so it is
      // added once for all steps here (one broadcast add and one bias reduction instead of T of each).
      if (w.bHh && cfg.mode !== 'GRU') xp = add(xp, w.bHh);
      const steps = unstack(reshape(xp, [T, N, xp.shape[1]]), 0);
      let h = hInit[layer * D + dir];
      let c = cInit ? cInit[layer * D + dir] : null;
      const outs: Tensor[] = new Array<Tensor>(T);
      const cells: Tensor[] | null = c ? new Array<Tensor>(T) : null;
      for (let k = 0; k < T; k++) {
        const t = dir === 0 ? k : T - 1 - k;
        [h, c] = cellStep(cfg.mode, steps[t], h, c, w, H);
        outs[t] = h;
        if (cells) cells[t] = c as Tensor;
      }
      onStates?.({ layer, direction: dir, h: outs, c: cells });
      hFinal.push(h);
      if (c) cFinal.push(c);
      dirOutputs.push(stack(outs, 0));
    }
    seq = D === 1 ? dirOutputs[0] : concat(dirOutputs, 2);
  }
  let output = seq;
  let hN = stack(hFinal, 0);
  let cN = cFinal.length > 0 ? stack(cFinal, 0) : undefined;
  if (unbatched) {
    output = squeeze(output, 1);
    hN = squeeze(hN, 1);
    if (cN) cN = squeeze(cN, 1);
  } else if (cfg.batchFirst) {
    output = permute(output, [1, 0, 2]);
  }
  return cN ? { output, hN, cN } : { output, hN };
}
