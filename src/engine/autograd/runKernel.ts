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
  let needs = false;
  for (const t of inputs) if (t.requiresGrad) needs = true;
  if (!needs) return outputs;
  const grad = getGradient(kernelName);
  if (grad === undefined) {
    throw new Error(`Kernel "${kernelName}" has no registered gradient, but one of its inputs requires grad.`);
  }
  const savedInputs: (Tensor | undefined)[] = [];
  for (const i of grad.inputsToSave ?? []) savedInputs[i] = inputs[i];
  const savedOutputs: (Tensor | undefined)[] = [];
  for (const i of grad.outputsToSave ?? []) savedOutputs[i] = outputs[i];
  const record: TapeRecord = {
    id: newRecordId(),
    kernelName,
    inputs: [...inputs],
    outputs,
    attrs,
    saved: { inputs: savedInputs, outputs: savedOutputs, attrs, needsInputGrad: inputs.map((t) => t.requiresGrad) },
  };
  for (const o of outputs) {
    o.requiresGrad = true;
    o.creator = record;
  }
  return outputs;
}

/** Single-output convenience. */
export function runKernel1(kernelName: string, inputs: readonly Tensor[], attrs: Attrs = NO_ATTRS): Tensor {
  return runKernel(kernelName, inputs, attrs)[0];
}
