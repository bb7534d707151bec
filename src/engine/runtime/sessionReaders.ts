import type { Tensor } from '../tensor/tensor';
import type { StepSession } from './stepSession';
import type { FullTensor, TensorSummary } from './tensorSummary';
import { fullTensor, summarize } from './tensorSummary';

/**
 * What the inspector reads from a step session: a summary by default, the full tensor when it
 * asks. Undefined while the value does not exist yet (the node has not run, the gradient is not
 * final, or no gradient flows there).
 */
const summaryOf = (t: Tensor | undefined): TensorSummary | undefined => (t ? summarize(t.data, t.shape) : undefined);
const fullOf = (t: Tensor | undefined): FullTensor | undefined => (t ? fullTensor(t.data, t.shape) : undefined);

const edgeValue = (s: StepSession, edgeId: string, which: 'activation' | 'gradient'): Tensor | undefined =>
  which === 'activation' ? s.activation(edgeId) : s.gradient(edgeId);
const parameterValue = (s: StepSession, name: string, which: 'value' | 'gradient'): Tensor | undefined =>
  which === 'value' ? s.parameter(name) : s.parameterGradient(name);

/**
 * @example
 * edgeSummary(session, 'e2', 'gradient'); // { shape: [4, 8], min, max, …, histogram }
 */
export function edgeSummary(
  s: StepSession,
  edgeId: string,
  which: 'activation' | 'gradient',
): TensorSummary | undefined {
  return summaryOf(edgeValue(s, edgeId, which));
}

export function edgeTensor(s: StepSession, edgeId: string, which: 'activation' | 'gradient'): FullTensor | undefined {
  return fullOf(edgeValue(s, edgeId, which));
}

export function parameterSummary(s: StepSession, name: string, which: 'value' | 'gradient'): TensorSummary | undefined {
  return summaryOf(parameterValue(s, name, which));
}

export function parameterTensor(s: StepSession, name: string, which: 'value' | 'gradient'): FullTensor | undefined {
  return fullOf(parameterValue(s, name, which));
}
