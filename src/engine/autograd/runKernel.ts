import type { Attrs } from '../kernels/registry';
import { getKernel } from '../kernels/registry';
import type { Tensor } from '../tensor/tensor';
import { getGradient } from './gradRegistry';
import { isGradEnabled } from './gradMode';
import type { TapeRecord } from './tape';
import { newRecordId } from './tape';

const NO_ATTRS: Attrs = Object.freeze({});

/**
 * Runs a registered kernel and, when gradients are enabled and an input requires them,
 * records it on the tape. Every differentiable op goes through here.
 */
export function runKernel(kernelName: string, inputs: readonly Tensor[], attrs: Attrs = NO_ATTRS): Tensor[] {
  const kernel = getKernel(kernelName);
  const outputs = kernel.kernelFunc(inputs, attrs);
  if (!isGradEnabled()) return outputs;
  const n = inputs.length;
  let needs = false;
  for (let i = 0; i < n; i++) if (inputs[i].requiresGrad) needs = true;
  if (!needs) return outputs;
  const grad = getGradient(kernelName);
  if (grad === undefined) {
    throw new Error(`Kernel "${kernelName}" has no registered gradient, but one of its inputs requires grad.`);
  }
  // NOTE: one pass builds the record's own copy of the inputs and needsInputGrad; the saved lists
  // are sparse by position (undefined where the gradient reads nothing), shared when empty.
  const ins = new Array<Tensor>(n);
  const needsInputGrad = new Array<boolean>(n);
  for (let i = 0; i < n; i++) {
    ins[i] = inputs[i];
    needsInputGrad[i] = inputs[i].requiresGrad;
  }
  const record: TapeRecord = {
    id: newRecordId(),
    kernelName,
    inputs: ins,
    outputs,
    attrs,
    saved: {
      inputs: pick(inputs, grad.inputsToSave),
      outputs: pick(outputs, grad.outputsToSave),
      attrs,
      needsInputGrad,
    },
    mark: 0,
  };
  for (let i = 0; i < outputs.length; i++) {
    outputs[i].requiresGrad = true;
    outputs[i].creator = record;
  }
  return outputs;
}

const NOTHING_SAVED: readonly (Tensor | undefined)[] = [];

/** The tensors at `positions` (undefined elsewhere), or the shared empty list. */
function pick(from: readonly Tensor[], positions: readonly number[] | undefined): readonly (Tensor | undefined)[] {
  if (positions === undefined || positions.length === 0) return NOTHING_SAVED;
  const out: (Tensor | undefined)[] = [];
  for (let k = 0; k < positions.length; k++) out[positions[k]] = from[positions[k]];
  return out;
}

/** Single-output convenience. */
export function runKernel1(kernelName: string, inputs: readonly Tensor[], attrs: Attrs = NO_ATTRS): Tensor {
  return runKernel(kernelName, inputs, attrs)[0];
}
