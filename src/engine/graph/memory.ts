// How much memory a network needs, known from shape inference before anything is allocated, and
// the limit validation holds it to: a declared 2^31-parameter Linear is refused with a sentence
// instead of being allocated until the process is killed.
import type { AnyNodeTypeDef, TensorType } from './nodeType';
import type { InputTypes } from './nodeType';
import { sampleSize } from './shape';

/** The most memory a network may need (documented in docs/file-format.md). */
export const MEMORY_LIMIT_BYTES = 2 * 1024 ** 3;

/** What a network holds, counted by shape inference. */
export interface NetworkSize {
  /** Trainable numbers (every node's `parameters`). */
  readonly parameters: number;
  /** Numbers of every node output for one sample. */
  readonly activationsPerSample: number;
  /** The largest single node output for one sample. */
  readonly largestActivationPerSample: number;
}

/** Counts the parameters and activations of the nodes whose inference succeeded. */
export function networkSize(
  nodes: Iterable<{
    def: AnyNodeTypeDef;
    params: Record<string, unknown>;
    inputs: InputTypes;
    outputs: Readonly<Record<string, TensorType>>;
  }>,
): NetworkSize {
  let parameters = 0;
  let activationsPerSample = 0;
  let largestActivationPerSample = 0;
  for (const n of nodes) {
    parameters += n.def.parameters?.(n.params, n.inputs) ?? 0;
    for (const t of Object.values(n.outputs)) {
      const size = sampleSize(t.shape);
      activationsPerSample += size;
      largestActivationPerSample = Math.max(largestActivationPerSample, size);
    }
  }
  return { parameters, activationsPerSample, largestActivationPerSample };
}

/**
 * Bytes to train `size` on batches of `batch` samples in float32: each parameter's value,
 * gradient and two optimizer moments (Adam's), each activation's value and gradient.
 */
export function memoryBytes(size: NetworkSize, batch: number): number {
  return 4 * (4 * size.parameters + 2 * batch * size.activationsPerSample);
}

const gb = (bytes: number): string => {
  const v = bytes / 1024 ** 3;
  return `${v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 0.1 ? v.toFixed(1) : v.toFixed(3)} GB`;
};

/** "This network needs 32.0 GB; the limit is 2.0 GB (…)" for a network over the limit, else null. */
export function memoryProblem(size: NetworkSize, batch: number, limit = MEMORY_LIMIT_BYTES): string | null {
  const need = memoryBytes(size, batch);
  if (need <= limit) return null;
  return (
    `This network needs ${gb(need)}; the limit is ${gb(limit)} (${size.parameters.toLocaleString('en-US')} ` +
    `parameters and ${size.activationsPerSample.toLocaleString('en-US')} activation values per sample, ` +
    `batch ${batch.toLocaleString('en-US')}). Use smaller layers${batch > 1 ? ' or a smaller batch' : ''}.`
  );
}
