import type { DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { tensor } from '../tensor/create';

/**
 * Reading the PyTorch parity references in `nn/__parity__/*.json` (written by
 * scripts/parity/generate.py): one case per configuration with the torch layer's parameters
 * (by PyTorch name), inputs, outputs, probe tensors and the gradients of
 * loss = Σ_k Σ outputs[k] · probes[k] with respect to every input and parameter.
 * Used by the parity tests only; kept free of Node APIs (the tests read the files).
 */
export interface ParityTensor {
  shape: number[];
  data: (number | boolean)[];
}

export interface ParityCase {
  name: string;
  layer: string;
  config: Record<string, unknown>;
  params: Record<string, ParityTensor>;
  buffers: Record<string, ParityTensor>;
  inputs: Record<string, ParityTensor>;
  outputs: Record<string, ParityTensor>;
  buffersAfter: Record<string, ParityTensor>;
  probes: Record<string, ParityTensor>;
  loss: number;
  grads: Record<string, ParityTensor>;
}

export interface ParityFile {
  generator: string;
  torch: string;
  cases: ParityCase[];
}

/** Parses and minimally validates a parity file's JSON text. */
export function parseParityFile(text: string, what: string): ParityFile {
  const v = JSON.parse(text) as ParityFile;
  if (!v || !Array.isArray(v.cases) || v.cases.length === 0) throw new Error(`${what}: no parity cases found.`);
  return v;
}

/** A stored tensor as an engine tensor (booleans become 1/0). */
export function toTensor(p: ParityTensor, dtype: DType, requiresGrad = false): Tensor {
  const values = p.data.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
  return tensor(values, p.shape, { dtype, requiresGrad });
}

/** Integer data of a stored tensor (indices). */
export function toInts(p: ParityTensor): number[] {
  return p.data.map((v) => Number(v));
}

/**
 * Max |actual − expected| divided by the scale max(1, max |expected|): the error measure of the
 * parity suite ("max abs error ≤ tol relative to scale"). Shape mismatches are an infinite error.
 */
export function scaledError(actual: Tensor | null | undefined, expected: ParityTensor): number {
  if (!actual) return Infinity;
  if (actual.shape.length !== expected.shape.length || actual.shape.some((d, i) => d !== expected.shape[i]))
    return Infinity;
  const a = actual.data;
  let scale = 1;
  for (const e of expected.data) scale = Math.max(scale, Math.abs(Number(e)));
  let err = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const d = Math.abs(a[i] - Number(expected.data[i]));
    err = Number.isNaN(d) ? Infinity : Math.max(err, d);
  }
  return err / scale;
}

/** What a layer under test exposes to the parity harness. */
export interface ParityRun {
  /** Outputs by the names the generator used (output, h_n, c_n, weights, …). */
  outputs: Record<string, Tensor>;
  /** Every tensor whose gradient the generator stored, by its name there (inputs and parameters). */
  gradOf: Record<string, Tensor>;
  /** Buffers (running statistics) by PyTorch name, compared after the step when stored. */
  buffers?: Record<string, Tensor>;
}

export interface ParityReport {
  /** Worst scaled error per compared quantity, e.g. "outputs.h_n" → 3e-8. */
  errors: Record<string, number>;
}

/**
 * Runs one parity case: `build` creates the layer with the case's parameters and returns its
 * outputs on the case's inputs; the harness forms loss = Σ Σ outputs[k]·probes[k], runs
 * backward, and measures every output, gradient and buffer against PyTorch.
 */
export function runParityCase(
  c: ParityCase,
  dtype: DType,
  build: (c: ParityCase, dtype: DType) => ParityRun,
  ops: {
    backward: (t: Tensor) => void;
    lossOf: (outputs: Record<string, Tensor>, probes: Record<string, Tensor>) => Tensor;
  },
): ParityReport {
  const run = build(c, dtype);
  const probes: Record<string, Tensor> = {};
  for (const [k, p] of Object.entries(c.probes)) probes[k] = toTensor(p, dtype);
  const errors: Record<string, number> = {};
  for (const k of Object.keys(c.outputs)) errors[`outputs.${k}`] = scaledError(run.outputs[k], c.outputs[k]);
  const loss = ops.lossOf(run.outputs, probes);
  ops.backward(loss);
  for (const k of Object.keys(c.grads)) errors[`grads.${k}`] = scaledError(run.gradOf[k]?.grad, c.grads[k]);
  for (const k of Object.keys(c.buffersAfter))
    errors[`buffers.${k}`] = scaledError(run.buffers?.[k], c.buffersAfter[k]);
  return { errors };
}
