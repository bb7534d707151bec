import type { Tensor } from '../tensor/tensor';
import { shapeToString } from '../tensor/shape';
import type { Pair } from '../kernels/convInfo';
import { pair } from '../kernels/convInfo';
import { avgPool2d, maxPool2d } from '../ops/pool';
import { Module } from './module';

export interface Pool2dModuleOptions {
  /** Default: the kernel size (torch's stride=None). */
  stride?: Pair | null;
  padding?: Pair;
}

function check4d(what: string, x: Tensor): void {
  if (x.rank !== 4)
    throw new Error(`${what}: expected an input [batch, channels, height, width], got ${shapeToString(x.shape)}.`);
}

/**
 * torch.nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1), ceil_mode=False.
 *
 * @example
 * new MaxPool2d(2).forward(x).shape;   // [32, 8, 26, 26] → [32, 8, 13, 13]
 */
export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];

  constructor(kernelSize: Pair, opts: Pool2dModuleOptions & { dilation?: Pair } = {}) {
    super();
    this.kernelSize = pair(kernelSize, 'MaxPool2d kernel_size');
    this.stride = pair(opts.stride ?? kernelSize, 'MaxPool2d stride');
    this.padding = pair(opts.padding ?? 0, 'MaxPool2d padding');
    this.dilation = pair(opts.dilation ?? 1, 'MaxPool2d dilation');
  }

  forward(x: Tensor): Tensor {
    check4d('MaxPool2d', x);
    return maxPool2d(x, this.kernelSize, { stride: this.stride, padding: this.padding, dilation: this.dilation });
  }
}

/**
 * torch.nn.AvgPool2d(kernel_size, stride=None, padding=0, count_include_pad=True), ceil_mode=False.
 *
 * @example
 * new AvgPool2d(2).forward(x).shape;   // [N, C, 8, 8] → [N, C, 4, 4]
 */
export class AvgPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly countIncludePad: boolean;

  constructor(kernelSize: Pair, opts: Pool2dModuleOptions & { countIncludePad?: boolean } = {}) {
    super();
    this.kernelSize = pair(kernelSize, 'AvgPool2d kernel_size');
    this.stride = pair(opts.stride ?? kernelSize, 'AvgPool2d stride');
    this.padding = pair(opts.padding ?? 0, 'AvgPool2d padding');
    this.countIncludePad = opts.countIncludePad ?? true;
  }

  forward(x: Tensor): Tensor {
    check4d('AvgPool2d', x);
    return avgPool2d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      countIncludePad: this.countIncludePad,
    });
  }
}
