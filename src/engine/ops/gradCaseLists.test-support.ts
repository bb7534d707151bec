import type { GradCaseList } from './gradcheckCases.test-support';
import { CORE_GRAD_CASES } from './gradcheckCases.test-support';
import { LAYER_GRAD_CASES } from './layerGradCases.test-support';

/**
 * Every gradient-check case list. A new family of ops adds its list here; the coverage test
 * (gradCoverage.test.ts) requires a case for every kernel registered in ops/registerAll.
 */
export const ALL_GRAD_CASE_LISTS: readonly GradCaseList[] = [CORE_GRAD_CASES, LAYER_GRAD_CASES];

/**
 * Kernels registered without a gradient on purpose (e.g. a backward-only kernel used inside
 * another kernel's gradient, when double backward is not supported), each with the reason.
 * They need no gradient-check case, and must not have a registered gradient.
 */
export const KERNELS_WITHOUT_GRADIENT: Readonly<Record<string, string>> = {
  TanhGrad: "backward-only (Tanh's gradient); checked through Tanh's gradient cases; no double backward",
  SigmoidGrad: "backward-only (Sigmoid's gradient); checked through Sigmoid's gradient cases; no double backward",
  ReluGrad: "backward-only (Relu's gradient); checked through Relu's gradient cases; no double backward",
  LogSoftmaxGrad:
    "backward-only (LogSoftmax's gradient along the last axis); checked through LogSoftmax's and the class losses' gradient cases; no double backward",
  LinearGrad:
    "backward-only (Linear's gradient: dx, dW and db in one call); checked through Linear's gradient cases; no double backward",
  NllLossGrad:
    "backward-only (NllLoss's gradient); checked through NllLoss's and the class losses' gradient cases; no double backward",
};
