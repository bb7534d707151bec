// Identifiers of generated code: one per node, valid and unreserved in both TypeScript and
// Python, so a node is called the same in every language (and its parameters, `fc1.weight`,
// carry the same names into PyTorch's state_dict).

import { KERNELS } from '../graph/registry/scratch';

const RESERVED = new Set(
  // TypeScript / JavaScript
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'as implements interface let package private protected public static yield any boolean number string symbol ' +
    'type from of await async declare constructor arguments eval undefined NaN Infinity ' +
    // Python
    'False None True and assert def del elif except global is lambda nonlocal not or pass raise print ' +
    // Names the generated programs use themselves
    'self torch nn F math np rng dtype forward Model Tensor Rng Module ' +
    // … and the from-scratch program (its kernels are functions of the same file)
    'P G N L batch values training Tensors Batch SHAPES PARAMETERS SETTINGS TrainingData loadWeights zeroGradients ' +
    'lossAndGradients makeOptimizer batchOf train Math Float64Array Int32Array Object Array Error Record JSON Number'
  )
    .split(' ')
    // … and every function and type the kernels define
    .concat(
      Object.values(KERNELS).flatMap((src) =>
        [...src.matchAll(/^(?:function|interface|type|const|class)\s+(\w+)/gm)].map((m) => m[1]),
      ),
    ),
);

/** A valid identifier for a node id: other characters become `_`, a leading digit or a reserved word gets a `_` suffix or prefix. */
export function identifierFor(id: string): string {
  let s = id.replace(/[^A-Za-z0-9_]/g, '_');
  if (s === '' || /^[0-9]/.test(s)) s = `n_${s}`;
  if (RESERVED.has(s)) s = `${s}_`;
  return s;
}

/** Unique identifiers for node ids, in the order given; a clash gets `_2`, `_3`, …. */
export function identifiersFor(ids: readonly string[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const id of ids) {
    const base = identifierFor(id);
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}_${k}`;
    used.add(name);
    out.set(id, name);
  }
  return out;
}
