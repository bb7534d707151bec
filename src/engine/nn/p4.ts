import type { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/dtype';
import type { Rng } from '../tensor/rng';
import { randUniform } from '../tensor/create';
import { shapeToString } from '../tensor/shape';
import { conv2d } from '../ops/conv';
import { gather } from '../ops/gather';
import { mean } from '../ops/reduce';
import { maxAlong } from '../ops/select';
import { reshape } from '../ops/shape';
import { Module } from './module';
import { linearInitBound } from './linear';

/*
 * The p4 group convolutions of Cohen & Welling (2016), "Group Equivariant Convolutional
 * Networks". p4 is the group of translations and rotations by multiples of 90°. A p4 feature map
 * is N×C×4×H×W: channel c seen at orientation r (axis 2) and position (i, j).
 *
 * Rotation is torch.rot90(·, 1, dims=(-2, -1)) — a quarter turn counter-clockwise as an image is
 * drawn (row 0 at the top): out[i][j] = in[j][k−1−i].
 *
 * - Lifting (Z² → p4): output orientation r correlates the input with the filter turned r times,
 *   Z[n,o,r] = b[o] + Σ_c rot90ʳ(W[o,c]) ⋆ X[n,c].
 * - Group (p4 → p4): output orientation r turns the filter r times spatially AND shifts its
 *   orientation axis cyclically by r,
 *   Z[n,o,r] = b[o] + Σ_{c,s} rot90ʳ(W[o,c,(s − r) mod 4]) ⋆ X[n,c,s]
 *   (torch.roll(rot90(W, r), r, dims=2)).
 *
 * With these conventions, turning the input a quarter turn (rot90 of every map of an image, or
 * of every orientation map of a p4 map AND rolling its orientation axis by one, s → s + 1)
 * turns every output map a quarter turn and rolls the output's orientation axis by one:
 * Z'[n,o,r] = rot90(Z[n,o,(r − 1) mod 4]). Exact for stride 1 (and any stride when the turned
 * grid lines up).
 *
 * Both are built from the engine's own differentiable ops: one gather turns (and shifts) the
 * filter bank into an ordinary (4·O)×(C·G)×k×k bank, conv2d does the rest; autograd gives the
 * gradients (the gather's gradient scatter-adds the four copies back into W).
 */

/** Where entry (i, j) of a k×k filter turned r quarter turns comes from: index i·k + j → source index. */
export function rot90Source(k: number, r: number): Int32Array {
  let src = Int32Array.from({ length: k * k }, (_, p) => p);
  for (let t = 0; t < ((r % 4) + 4) % 4; t++) {
    // one more quarter turn: out[i][j] = prev[j][k−1−i]
    const prev = src;
    src = Int32Array.from({ length: k * k }, (_, p) => prev[(p % k) * k + (k - 1 - Math.floor(p / k))]);
  }
  return src;
}

/**
 * The gather that turns a filter bank into the ordinary bank of the four orientations: for a
 * lifting filter (G = 1) W is O×C×k×k and the bank is [O, 4, C, k, k]; for a group filter
 * (G = 4) W is O×C×4×k×k and the bank is [O, 4(r), C, 4(s), k, k] with entry
 * rot90ʳ(W[o, c, (s − r) mod 4]). Indices into the flattened W.
 */
export function p4FilterIndex(O: number, C: number, G: 1 | 4, k: number): Int32Array {
  const kk = k * k;
  const idx = new Int32Array(O * 4 * C * G * kk);
  const rots = [0, 1, 2, 3].map((r) => rot90Source(k, r));
  let at = 0;
  for (let o = 0; o < O; o++)
    for (let r = 0; r < 4; r++)
      for (let c = 0; c < C; c++)
        for (let s = 0; s < G; s++) {
          const from = G === 1 ? 0 : (s - r + 4) % 4;
          const base = ((o * C + c) * G + from) * kk;
          for (let p = 0; p < kk; p++) idx[at++] = base + rots[r][p];
        }
  return idx;
}

/** Each output channel's bias repeated over the four orientations: [b0, b0, b0, b0, b1, …]. */
function biasIndex(O: number): Int32Array {
  return Int32Array.from({ length: 4 * O }, (_, i) => Math.floor(i / 4));
}

export interface P4ConvOptions {
  stride?: number;
  padding?: number;
  bias?: boolean;
  dtype?: DType;
}

/** What the two p4 convolutions share: the filter bank, the bias, the gather into an ordinary bank. */
abstract class P4Conv extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly stride: number;
  readonly padding: number;
  private readonly index: Int32Array;

  protected constructor(
    private readonly what: string,
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    private readonly groupIn: 1 | 4,
    rng: Rng,
    opts: P4ConvOptions,
  ) {
    super();
    for (const [name, v] of [
      ['in_channels', inChannels],
      ['out_channels', outChannels],
      ['kernel_size', kernelSize],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`${what}: ${name} must be a positive integer, got ${v}.`);
    }
    this.stride = opts.stride ?? 1;
    this.padding = opts.padding ?? 0;
    const dtype = opts.dtype ?? 'float32';
    // PyTorch's kaiming_uniform(a = √5) on the weight as stored: fan_in = C·G·k·k.
    const b = linearInitBound(inChannels * groupIn * kernelSize * kernelSize);
    const shape =
      groupIn === 1
        ? [outChannels, inChannels, kernelSize, kernelSize]
        : [outChannels, inChannels, 4, kernelSize, kernelSize];
    this.weight = this.registerParameter('weight', randUniform(shape, -b, b, rng, { dtype }));
    this.bias =
      opts.bias === false ? null : this.registerParameter('bias', randUniform([outChannels], -b, b, rng, { dtype }));
    if (this.bias === null) this.registerParameter('bias', null);
    this.index = p4FilterIndex(outChannels, inChannels, groupIn, kernelSize);
  }

  /** The ordinary (4·O)×(C·G)×k×k filter bank: every filter at its four orientations. */
  filterBank(): Tensor {
    const k = this.kernelSize;
    return reshape(gather(reshape(this.weight, [-1]), this.index, 0), [
      4 * this.outChannels,
      this.inChannels * this.groupIn,
      k,
      k,
    ]);
  }

  protected convolve(x: Tensor): Tensor {
    const N = x.shape[0];
    const b = this.bias ? gather(this.bias, biasIndex(this.outChannels), 0) : null;
    const z = conv2d(x, this.filterBank(), b, { stride: this.stride, padding: this.padding });
    return reshape(z, [N, this.outChannels, 4, z.shape[2], z.shape[3]]);
  }

  protected badInput(x: Tensor, expected: string): Error {
    return new Error(
      `${this.what}(${this.inChannels}, ${this.outChannels}): expected an input ${expected}, got ${shapeToString(x.shape)}.`,
    );
  }
}

/**
 * Lifting convolution Z² → p4: N×C×H×W → N×O×4×H'×W' (H' as Conv2d's). Weight O×C×k×k, bias O.
 *
 * @example
 * const lift = new P4LiftingConv2d(1, 4, 3, new Rng(0), { padding: 1 });
 * lift.forward(x).shape;   // x [8, 1, 28, 28] → [8, 4, 4, 28, 28]
 */
export class P4LiftingConv2d extends P4Conv {
  constructor(inChannels: number, outChannels: number, kernelSize: number, rng: Rng, opts: P4ConvOptions = {}) {
    super('P4LiftingConv2d', inChannels, outChannels, kernelSize, 1, rng, opts);
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 4 || x.shape[1] !== this.inChannels)
      throw this.badInput(x, `[batch, ${this.inChannels}, height, width]`);
    return this.convolve(x);
  }
}

/**
 * Group convolution p4 → p4: N×C×4×H×W → N×O×4×H'×W'. Weight O×C×4×k×k, bias O.
 *
 * @example
 * const g = new P4GroupConv2d(4, 4, 3, new Rng(0), { padding: 1 });
 * g.forward(x).shape;   // x [8, 4, 4, 28, 28] → [8, 4, 4, 28, 28]
 */
export class P4GroupConv2d extends P4Conv {
  constructor(inChannels: number, outChannels: number, kernelSize: number, rng: Rng, opts: P4ConvOptions = {}) {
    super('P4GroupConv2d', inChannels, outChannels, kernelSize, 4, rng, opts);
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 5 || x.shape[1] !== this.inChannels || x.shape[2] !== 4)
      throw this.badInput(x, `[batch, ${this.inChannels}, 4, height, width]`);
    const [N, C, , H, W] = x.shape;
    return this.convolve(reshape(x, [N, C * 4, H, W]));
  }
}

/**
 * Pooling over the four orientations of a p4 map: N×C×4×H×W → N×C×H×W, the max (torch.max
 * along the axis: the gradient goes to the first maximum) or the mean. Rotation-equivariant maps become rotation-equivariant
 * ordinary maps (each map turns with the input, none cycles any more).
 */
export class P4OrientationPool extends Module {
  constructor(readonly mode: 'max' | 'mean' = 'max') {
    super();
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 5 || x.shape[2] !== 4)
      throw new Error(
        `P4OrientationPool: expected an input [batch, channels, 4, height, width], got ${shapeToString(x.shape)}.`,
      );
    return this.mode === 'max' ? maxAlong(x, 2) : mean(x, 2);
  }
}
