import type { TensorType } from './nodeType';

/**
 * Languages code generation targets. Each is one field of a definition's `emit`, so adding a
 * language here makes the compiler ask every node type for its emitter.
 */
export const EMIT_LANGS = ['python', 'ts', 'scratch'] as const;
export type EmitLang = (typeof EMIT_LANGS)[number];

/** TypeScript: names imported from an engine module, by its path under src/engine (`nn/linear`). */
export interface EngineImport {
  readonly module: string;
  readonly names: readonly string[];
}

/**
 * What a node type's emitter receives.
 *
 * The program the lines belong to, per language:
 * - `python`: a `torch.nn.Module` — `init` lines run in `__init__` (`self.<name> = …`), `forward`
 *   lines in `forward` (assigning the output variables); float64 or float32 tensors as given.
 * - `ts`: a class extending the engine's `Module` (nn/module) — `init` lines run in a
 *   constructor that has `rng: Rng` and `dtype: DType` in scope, in the graph's evaluation order
 *   (so weights are drawn as the runtime draws them); `fields` declares what they assign;
 *   `forward` lines declare `const <output> = …` in a method with the input variables in scope.
 * - `scratch`: TypeScript with no imports over flat row-major Float64Arrays — `forward` lines
 *   declare `const <output> = …` by calling the node type's kernels (its `helpers`) with explicit
 *   shapes (`N` is the batch size in scope, `training` whether the model trains); `backward`
 *   lines, one per chain-rule step, add into `d_<value>` arrays (graph/registry/scratch.ts).
 *   Parameters and buffers are `P['<name>.<tensor>']`, their gradients `G['<name>.<tensor>']`.
 *   Names are already valid identifiers in the target
 * language; the code generator chooses them and stitches the lines of every node together in
 * topological order.
 */
export interface EmitContext<P> {
  /** The node's identifier in generated code (derived from the node id), e.g. `fc1`. */
  readonly name: string;
  readonly params: P;
  /** Expression for each connected input port, e.g. `{ input: 'h1' }`. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Variable to assign for each output port that is used downstream, e.g. `{ out: 'z2' }`. */
  readonly outputs: Readonly<Record<string, string>>;
  /** For losses: the variable that receives the scalar loss. */
  readonly lossVar?: string;
  /** `scratch`: the gradient array of each input port whose value needs a gradient (none for data, labels, indices). */
  readonly gradInputs?: Readonly<Record<string, string>>;
  readonly inputTypes: Readonly<Record<string, TensorType | undefined>>;
  readonly outputTypes: Readonly<Record<string, TensorType>>;
}

/**
 * The code for one node: `init` lines build its module (PyTorch: inside `__init__`, as
 * `self.<name> = ...`), `forward` lines compute its outputs from its inputs.
 */
export interface EmitResult {
  readonly init: readonly string[];
  readonly forward: readonly string[];
  /** Extra imports the lines need, e.g. `import torch.nn.functional as F`. */
  readonly imports?: readonly string[];
  /** Top-level definitions the lines use (e.g. a helper `class`), emitted once per program. */
  readonly helpers?: readonly string[];
  /** TypeScript: the class fields the `init` lines assign, e.g. `{ name: 'fc1', type: 'Linear' }`. */
  readonly fields?: readonly { readonly name: string; readonly type: string }[];
  /** TypeScript: what the lines import from the engine. */
  readonly engineImports?: readonly EngineImport[];
  /** `scratch`: the backward lines, one per chain-rule step, run in reverse evaluation order. */
  readonly backward?: readonly string[];
  /** `scratch`: the node's parameters and buffers (PyTorch names after the dot, their shapes). */
  readonly tensors?: readonly ScratchTensor[];
  /** `scratch`: the node draws random numbers (Dropout) from its own generator, `rng['<name>']`. */
  readonly random?: boolean;
  /** Why this node cannot be written in this language; the export names the node and says why, and writes nothing. */
  readonly refused?: string;
}

/** A parameter or buffer of a from-scratch program: `fc1.weight`, 8×2. */
export interface ScratchTensor {
  readonly name: string;
  readonly shape: readonly number[];
  /** A buffer (BatchNorm's running statistics): saved and loaded, never trained. */
  readonly buffer?: boolean;
}

/** A node type's code in one language. */
export type Emitter<P> = (ctx: EmitContext<P>) => EmitResult;

/**
 * A node type's code in every language, one typed field per language.
 *
 * @example
 * const emit: NodeEmitters<{ p: number }> = {
 *   python: (ctx) => pyModule(ctx, `nn.Dropout(p=${ctx.params.p})`),
 *   ts: (ctx) => tsLayer(ctx, 'Dropout', 'nn/dropout', `new Dropout(${ctx.params.p}, rng.fork())`),
 * };
 */
export type NodeEmitters<P> = { readonly [L in EmitLang]: Emitter<P> };
