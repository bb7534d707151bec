import type { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/dtype';
import type { Rng } from '../tensor/rng';
import { randUniform } from '../tensor/create';
import { shapeToString } from '../tensor/shape';
import type { Pair } from '../kernels/convInfo';
import { pair } from '../kernels/convInfo';
import { conv2d } from '../ops/conv';
import { Module } from './module';
import { linearInitBound } from './linear';

export interface Conv2dModuleOptions {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  bias?: boolean;
  dtype?: DType;
}

/**
 * torch.nn.Conv2d (groups = 1, zero padding), NCHW: weight [out, in, kH, kW], bias [out].
 * Default initialisation as torch: kaiming_uniform(a = √5) on the weight, i.e.
 * U(−1/√fan_in, 1/√fan_in) with fan_in = in·kH·kW, and the same bound for the bias
 * (weight drawn first, row-major, then bias).
 *
 * @example
 * const conv = new Conv2d(1, 8, 3, new Rng(0), { padding: 1 });
 * conv.forward(x).shape;   // x [32, 1, 28, 28] → [32, 8, 28, 28]
 */
export class Conv2d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    rng: Rng,
    opts: Conv2dModuleOptions = {},
  ) {
    super();
    for (const [name, v] of [
      ['in_channels', inChannels],
      ['out_channels', outChannels],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`Conv2d: ${name} must be a positive integer, got ${v}.`);
    }
    this.kernelSize = pair(kernelSize, 'Conv2d kernel_size');
    this.stride = pair(opts.stride ?? 1, 'Conv2d stride');
    this.padding = pair(opts.padding ?? 0, 'Conv2d padding');
    this.dilation = pair(opts.dilation ?? 1, 'Conv2d dilation');
    if (this.kernelSize.some((k) => k < 1))
      throw new Error(`Conv2d: kernel_size must be at least 1, got ${String(kernelSize)}.`);
    const dtype = opts.dtype ?? 'float32';
    const b = linearInitBound(inChannels * this.kernelSize[0] * this.kernelSize[1]);
    this.weight = this.registerParameter(
      'weight',
      randUniform([outChannels, inChannels, ...this.kernelSize], -b, b, rng, { dtype }),
    );
    this.bias =
      opts.bias === false ? null : this.registerParameter('bias', randUniform([outChannels], -b, b, rng, { dtype }));
    if (this.bias === null) this.registerParameter('bias', null);
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 4 || x.shape[1] !== this.inChannels) {
      throw new Error(
        `Conv2d(${this.inChannels}, ${this.outChannels}): expected an input [batch, ${this.inChannels}, height, width], got ${shapeToString(x.shape)}.`,
      );
    }
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation });
  }
}
