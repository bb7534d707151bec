import type { GradConfig } from '../../autograd/gradRegistry';
import type { Tensor } from '../../tensor/tensor';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from '../conv';
import type { Conv2dOptions } from '../conv';
import { sum } from '../reduce';

function opts(attrs: Readonly<Record<string, unknown>>): Conv2dOptions {
  return {
    stride: attrs.stride as [number, number],
    padding: attrs.padding as [number, number],
    dilation: attrs.dilation as [number, number],
  };
}

/** y = conv2d(x, w) + b: dx = conv2dBackpropInput(dy, w), dw = conv2dBackpropFilter(x, dy), db = Σ_{n,h,w} dy. */
export const conv2dGradConfig: GradConfig = {
  kernelName: 'Conv2d',
  inputsToSave: [0, 1],
  gradFunc: ([dy], saved) => {
    const x = saved.inputs[0] as Tensor;
    const w = saved.inputs[1] as Tensor;
    const o = opts(saved.attrs);
    const need = saved.needsInputGrad;
    // The first layer's input (the data) needs no gradient: skip the transposed convolution.
    return [
      need[0] ? conv2dBackpropInput(dy, w, x.shape, o) : null,
      need[1] ? conv2dBackpropFilter(x, dy, w.shape, o) : null,
      need[2] ? sum(dy, [0, 2, 3]) : null,
    ];
  },
};

/** dx = B(dy, w) is bilinear: d/d(dy) = conv2d(g, w), d/dw = conv2dBackpropFilter(g, dy). */
export const conv2dBackpropInputGradConfig: GradConfig = {
  kernelName: 'Conv2dBackpropInput',
  inputsToSave: [0, 1],
  gradFunc: ([g], saved) => {
    const dy = saved.inputs[0] as Tensor;
    const w = saved.inputs[1] as Tensor;
    const o = opts(saved.attrs);
    return [conv2d(g, w, null, o), conv2dBackpropFilter(g, dy, w.shape, o)];
  },
};

/** dw = F(x, dy) is bilinear: d/dx = conv2dBackpropInput(dy, g), d/d(dy) = conv2d(x, g). */
export const conv2dBackpropFilterGradConfig: GradConfig = {
  kernelName: 'Conv2dBackpropFilter',
  inputsToSave: [0, 1],
  gradFunc: ([g], saved) => {
    const x = saved.inputs[0] as Tensor;
    const dy = saved.inputs[1] as Tensor;
    const o = opts(saved.attrs);
    return [conv2dBackpropInput(dy, g, x.shape, o), conv2d(x, g, null, o)];
  },
};
