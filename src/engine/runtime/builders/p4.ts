import { P4GroupConv2d, P4LiftingConv2d, P4OrientationPool } from '../../nn/p4';
import { p4NodeTypes } from '../../graph/registry/p4';
import { defineBuilders } from '../builderTypes';

export const p4Builders = defineBuilders(p4NodeTypes, {
  P4LiftingConv2d: ({ params: p, inputs, rng, dtype }) => {
    const m = new P4LiftingConv2d(p.in_channels ?? inputs.input!.shape[1], p.out_channels, p.kernel_size, rng, {
      stride: p.stride,
      padding: p.padding,
      bias: p.bias,
      dtype,
    });
    return { module: m, forward: ({ input }) => ({ out: m.forward(input) }) };
  },
  P4GroupConv2d: ({ params: p, inputs, rng, dtype }) => {
    const m = new P4GroupConv2d(p.in_channels ?? inputs.input!.shape[1], p.out_channels, p.kernel_size, rng, {
      stride: p.stride,
      padding: p.padding,
      bias: p.bias,
      dtype,
    });
    return { module: m, forward: ({ input }) => ({ out: m.forward(input) }) };
  },
  P4OrientationPool: ({ params: p }) => {
    const m = new P4OrientationPool(p.mode);
    return { module: m, forward: ({ input }) => ({ out: m.forward(input) }) };
  },
});
