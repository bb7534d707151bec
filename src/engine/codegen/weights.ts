// weights.json of an exported folder: the model's parameters and buffers by their names in the
// generated code (`fc1.weight`, PyTorch's names and layouts), each as nested arrays of its shape —
// what torch.tensor and Module.loadStateDict both take.
import type { GraphModel } from '../runtime/compile';
import { identifiersFor } from './names';

/** Row-major values as nested arrays of the given shape. */
function nest(data: readonly number[], shape: readonly number[]): unknown {
  if (shape.length <= 1) return [...data];
  const step = data.length / shape[0];
  return Array.from({ length: shape[0] }, (_, i) => nest(data.slice(i * step, (i + 1) * step), shape.slice(1)));
}

/** Renames the model's `<nodeId>.<torchName>` to the generated code's `<identifier>.<torchName>`. */
export function generatedNamer(model: GraphModel): (name: string) => string {
  const names = identifiersFor(model.nodes.map((n) => n.id));
  return (name) => {
    const dot = name.indexOf('.');
    return `${names.get(name.slice(0, dot))}${name.slice(dot)}`;
  };
}

/** The model's state by generated name (node ids that are not identifiers are renamed as in the code). */
export function exportedState(model: GraphModel): Record<string, unknown> {
  const rename = generatedNamer(model);
  const out: Record<string, unknown> = {};
  for (const [name, t] of [...model.namedParameters(), ...model.namedBuffers()])
    out[rename(name)] = nest(t.toArray(), t.shape);
  return out;
}
