import { compileProject, ProjectCompileError } from '../engine/runtime/compile';
import type { GraphModel } from '../engine/runtime/compile';
import type { DType } from '../engine/tensor/dtype';
import type { Project, WeightTensor } from '../engine/graph/schema';
import { weightTensorSchema } from '../engine/graph/schema';
import { CliError } from './errors';

/**
 * The engine's compileProject for a command: its first error becomes one line naming the file
 * and the node, with a pointer to `validate` when there are more (a network too large for
 * `batchSize` too).
 */
export function projectModel(
  path: string,
  project: Project,
  seed: number,
  weights?: Record<string, WeightTensor>,
  dtype: DType = 'float32',
  batchSize = 1,
): GraphModel {
  try {
    return compileProject(project, { seed, dtype, batchSize, ...(weights ? { weights } : {}) });
  } catch (e) {
    if (!(e instanceof ProjectCompileError)) throw e;
    const more =
      e.issues.length > 1
        ? ` (and ${e.issues.length - 1} more problem${e.issues.length > 2 ? 's' : ''}; see \`backprop-studio validate ${path}\`)`
        : '';
    throw new CliError(`${path}: ${e.message}${more}`);
  }
}

/** Reads a weights file: `{ "format": "backprop-studio-weights", "weights": {…} }` or a bare map name → {shape, data}. */
export function parseWeights(path: string, value: unknown): Record<string, WeightTensor> {
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObj(value)) throw new CliError(`${path}: the weights must be a JSON object`);
  const map = value.format === 'backprop-studio-weights' ? value.weights : value;
  if (!isObj(map)) throw new CliError(`${path}: "weights" must be an object of name → {shape, data}`);
  const out: Record<string, WeightTensor> = {};
  for (const [name, t] of Object.entries(map)) {
    const r = weightTensorSchema.safeParse(t);
    if (!r.success)
      throw new CliError(
        `${path}: the weights "${name}" are not {"shape": [...], "data": [...]} (${r.error.issues[0]?.message ?? 'invalid'})`,
      );
    out[name] = r.data;
  }
  return out;
}
