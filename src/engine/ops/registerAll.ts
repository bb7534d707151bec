import type { KernelConfig } from '../kernels/registry';
import { registerKernel } from '../kernels/registry';
import type { GradConfig } from '../autograd/gradRegistry';
import { registerGradient } from '../autograd/gradRegistry';
import { absConfig } from '../kernels/Abs';
import { addConfig } from '../kernels/Add';
import { broadcastToConfig } from '../kernels/BroadcastTo';
import { castConfig } from '../kernels/Cast';
import { concatConfig } from '../kernels/Concat';
import { divConfig } from '../kernels/Div';
import { equalConfig } from '../kernels/Equal';
import { expConfig } from '../kernels/Exp';
import { gatherConfig } from '../kernels/Gather';
import { greaterConfig } from '../kernels/Greater';
import { greaterEqualConfig } from '../kernels/GreaterEqual';
import { identityConfig } from '../kernels/Identity';
import { leakyReluConfig } from '../kernels/LeakyRelu';
import { logConfig } from '../kernels/Log';
import { logSoftmaxConfig } from '../kernels/LogSoftmax';
import { logSumExpConfig } from '../kernels/LogSumExp';
import { matMulConfig } from '../kernels/MatMul';
import { maxConfig } from '../kernels/Max';
import { maximumConfig } from '../kernels/Maximum';
import { minimumConfig } from '../kernels/Minimum';
import { mulConfig } from '../kernels/Mul';
import { negConfig } from '../kernels/Neg';
import { padAxisConfig } from '../kernels/PadAxis';
import { powConfig } from '../kernels/Pow';
import { reluConfig } from '../kernels/Relu';
import { reshapeConfig } from '../kernels/Reshape';
import { scatterAddConfig } from '../kernels/ScatterAdd';
import { scatterAlongAxisConfig, takeAlongAxisConfig } from '../kernels/TakeAlongAxis';
import { sigmoidConfig } from '../kernels/Sigmoid';
import { signConfig } from '../kernels/Sign';
import { sliceConfig } from '../kernels/Slice';
import { softmaxConfig } from '../kernels/Softmax';
import { sqrtConfig } from '../kernels/Sqrt';
import { sumConfig } from '../kernels/Sum';
import { tanhConfig } from '../kernels/Tanh';
import { transposeConfig } from '../kernels/Transpose';
import { whereConfig } from '../kernels/Where';
import { absGradConfig } from './gradients/Abs.grad';
import { addGradConfig } from './gradients/Add.grad';
import { broadcastToGradConfig } from './gradients/BroadcastTo.grad';
import { castGradConfig } from './gradients/Cast.grad';
import { concatGradConfig } from './gradients/Concat.grad';
import { divGradConfig } from './gradients/Div.grad';
import { equalGradConfig } from './gradients/Equal.grad';
import { expGradConfig } from './gradients/Exp.grad';
import { gatherGradConfig } from './gradients/Gather.grad';
import { greaterGradConfig } from './gradients/Greater.grad';
import { greaterEqualGradConfig } from './gradients/GreaterEqual.grad';
import { identityGradConfig } from './gradients/Identity.grad';
import { leakyReluGradConfig } from './gradients/LeakyRelu.grad';
import { logGradConfig } from './gradients/Log.grad';
import { logSoftmaxGradConfig } from './gradients/LogSoftmax.grad';
import { logSumExpGradConfig } from './gradients/LogSumExp.grad';
import { matMulGradConfig } from './gradients/MatMul.grad';
import { maxGradConfig } from './gradients/Max.grad';
import { maximumGradConfig } from './gradients/Maximum.grad';
import { minimumGradConfig } from './gradients/Minimum.grad';
import { mulGradConfig } from './gradients/Mul.grad';
import { negGradConfig } from './gradients/Neg.grad';
import { padAxisGradConfig } from './gradients/PadAxis.grad';
import { powGradConfig } from './gradients/Pow.grad';
import { reluGradConfig } from './gradients/Relu.grad';
import { reshapeGradConfig } from './gradients/Reshape.grad';
import { scatterAddGradConfig } from './gradients/ScatterAdd.grad';
import { scatterAlongAxisGradConfig } from './gradients/ScatterAlongAxis.grad';
import { sigmoidGradConfig } from './gradients/Sigmoid.grad';
import { softplusConfig } from '../kernels/Softplus';
import { tanhGradKernelConfig } from '../kernels/TanhGrad';
import { logSoftmaxGradKernelConfig } from '../kernels/LogSoftmaxGrad';
import { nllLossConfig, nllLossGradKernelConfig } from '../kernels/NllLoss';
import { nllLossGradConfig } from './gradients/NllLoss.grad';
import { linearConfig } from '../kernels/Linear';
import { linearGradKernelConfig } from '../kernels/LinearGrad';
import { linearGradConfig } from './gradients/Linear.grad';
import { sigmoidGradKernelConfig } from '../kernels/SigmoidGrad';
import { reluGradKernelConfig } from '../kernels/ReluGrad';
import { softplusGradConfig } from './gradients/Softplus.grad';
import { signGradConfig } from './gradients/Sign.grad';
import { sliceGradConfig } from './gradients/Slice.grad';
import { softmaxGradConfig } from './gradients/Softmax.grad';
import { sqrtGradConfig } from './gradients/Sqrt.grad';
import { sumGradConfig } from './gradients/Sum.grad';
import { takeAlongAxisGradConfig } from './gradients/TakeAlongAxis.grad';
import { tanhGradConfig } from './gradients/Tanh.grad';
import { transposeGradConfig } from './gradients/Transpose.grad';
import { whereGradConfig } from './gradients/Where.grad';

// Layer kernels and gradients (issue 4: conv, pooling, sequence steps).
import { avgPool2dBackwardConfig, avgPool2dConfig } from '../kernels/AvgPool2d';
import { conv2dConfig } from '../kernels/Conv2d';
import { conv2dBackpropFilterConfig } from '../kernels/Conv2dBackpropFilter';
import { conv2dBackpropInputConfig } from '../kernels/Conv2dBackpropInput';
import { maxPool2dBackwardConfig, maxPool2dConfig, maxPool2dSelectConfig } from '../kernels/MaxPool2d';
import { unstackConfig } from '../kernels/Unstack';
import { avgPool2dBackwardGradConfig, avgPool2dGradConfig } from './gradients/AvgPool2d.grad';
import {
  conv2dBackpropFilterGradConfig,
  conv2dBackpropInputGradConfig,
  conv2dGradConfig,
} from './gradients/Conv2d.grad';
import {
  maxPool2dBackwardGradConfig,
  maxPool2dGradConfig,
  maxPool2dSelectGradConfig,
} from './gradients/MaxPool2d.grad';
import { unstackGradConfig } from './gradients/Unstack.grad';

/**
 * THE list of every kernel and gradient registration (tfjs register_all_kernels.ts), registered
 * once by `registerEngine()` (engine/register.ts) at each entry of the app. To add an op: add its kernel config to
 * KERNELS and its gradient config to GRADIENTS, and add its gradient-check cases (see
 * docs/engine.md, "Adding an op"); the coverage test fails until you do.
 */
export const KERNELS: readonly KernelConfig[] = [
  absConfig,
  addConfig,
  broadcastToConfig,
  castConfig,
  concatConfig,
  divConfig,
  equalConfig,
  expConfig,
  gatherConfig,
  greaterConfig,
  greaterEqualConfig,
  identityConfig,
  leakyReluConfig,
  linearConfig,
  linearGradKernelConfig,
  logConfig,
  logSoftmaxConfig,
  logSumExpConfig,
  matMulConfig,
  maxConfig,
  maximumConfig,
  minimumConfig,
  mulConfig,
  negConfig,
  nllLossConfig,
  padAxisConfig,
  powConfig,
  reluConfig,
  reshapeConfig,
  scatterAddConfig,
  scatterAlongAxisConfig,
  sigmoidConfig,
  signConfig,
  sliceConfig,
  softmaxConfig,
  softplusConfig,
  // Backward-only fused kernels (listed in KERNELS_WITHOUT_GRADIENT).
  tanhGradKernelConfig,
  sigmoidGradKernelConfig,
  reluGradKernelConfig,
  logSoftmaxGradKernelConfig,
  nllLossGradKernelConfig,
  sqrtConfig,
  sumConfig,
  takeAlongAxisConfig,
  tanhConfig,
  transposeConfig,
  whereConfig,
  // Layer kernels (conv, pooling, recurrent, attention, …) are added below this line.
  avgPool2dConfig,
  avgPool2dBackwardConfig,
  conv2dConfig,
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  maxPool2dConfig,
  maxPool2dBackwardConfig,
  maxPool2dSelectConfig,
  unstackConfig,
];

export const GRADIENTS: readonly GradConfig[] = [
  absGradConfig,
  addGradConfig,
  broadcastToGradConfig,
  castGradConfig,
  concatGradConfig,
  divGradConfig,
  equalGradConfig,
  expGradConfig,
  gatherGradConfig,
  greaterGradConfig,
  greaterEqualGradConfig,
  identityGradConfig,
  leakyReluGradConfig,
  linearGradConfig,
  logGradConfig,
  logSoftmaxGradConfig,
  logSumExpGradConfig,
  matMulGradConfig,
  maxGradConfig,
  maximumGradConfig,
  minimumGradConfig,
  mulGradConfig,
  negGradConfig,
  nllLossGradConfig,
  padAxisGradConfig,
  powGradConfig,
  reluGradConfig,
  reshapeGradConfig,
  scatterAddGradConfig,
  scatterAlongAxisGradConfig,
  sigmoidGradConfig,
  signGradConfig,
  sliceGradConfig,
  softmaxGradConfig,
  softplusGradConfig,
  sqrtGradConfig,
  sumGradConfig,
  takeAlongAxisGradConfig,
  tanhGradConfig,
  transposeGradConfig,
  whereGradConfig,
  // Layer gradients are added below this line.
  avgPool2dGradConfig,
  avgPool2dBackwardGradConfig,
  conv2dGradConfig,
  conv2dBackpropFilterGradConfig,
  conv2dBackpropInputGradConfig,
  maxPool2dGradConfig,
  maxPool2dBackwardGradConfig,
  maxPool2dSelectGradConfig,
  unstackGradConfig,
];

let registered = false;

/** Registers every kernel and gradient; later calls do nothing. */
export function registerAll(): void {
  if (registered) return;
  registered = true;
  for (const k of KERNELS) registerKernel(k);
  for (const g of GRADIENTS) registerGradient(g);
}
