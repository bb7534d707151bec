import { Conv2d } from '../../nn/conv';
import { AvgPool2d, MaxPool2d } from '../../nn/pooling';
import { convNodeTypes } from '../../graph/registry/conv';
import { defineBuilders } from '../builderTypes';

export const convBuilders = defineBuilders(convNodeTypes, {
  Conv2d: ({ params: p, inputs, rng, dtype }) => {
    const m = new Conv2d(p.in_channels ?? inputs.input!.shape[1], p.out_channels, p.kernel_size, rng, {
      stride: p.stride,
      padding: p.padding,
      dilation: p.dilation,
      bias: p.bias,
      dtype,
    });
    return { module: m, forward: ({ input }) => ({ out: m.forward(input) }) };
  },
  MaxPool2d: ({ params: p }) => {
    const m = new MaxPool2d(p.kernel_size, { stride: p.stride, padding: p.padding });
    return { module: m, forward: ({ input }) => ({ out: m.forward(input) }) };
  },
  AvgPool2d: ({ params: p }) => {
    const m = new AvgPool2d(p.kernel_size, { stride: p.stride, padding: p.padding });
    return { module: m, forward: ({ input }) => ({ out: m.forward(input) }) };
  },
});
