import type { TensorType } from '../graph/nodeType';

/** Languages code generation targets. */
export type EmitLang = 'python' | 'ts';

/**
 * What a node type's `emit` hook receives. Names are already valid identifiers in the target
 * language; the code generator chooses them and stitches the lines of every node together in
 * topological order.
 */
export interface EmitContext<P> {
  readonly lang: EmitLang;
  /** The node's identifier in generated code (derived from the node id), e.g. `fc1`. */
  readonly name: string;
  readonly params: P;
  /** Expression for each connected input port, e.g. `{ input: 'h1' }`. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Variable to assign for each output port that is used downstream, e.g. `{ out: 'z2' }`. */
  readonly outputs: Readonly<Record<string, string>>;
  /** For losses: the variable that receives the scalar loss. */
  readonly lossVar?: string;
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
}

/**
 * A node type's code emitter. Returns undefined when the node type cannot be emitted in that
 * language yet; the code generator turns that into an error naming the node.
 *
 * @example
 * const emit: EmitHook<{ p: number }> = (ctx) =>
 *   ctx.lang === 'python'
 *     ? { init: [`self.${ctx.name} = nn.Dropout(${ctx.params.p})`], forward: [`${ctx.outputs.out} = self.${ctx.name}(${ctx.inputs.input})`] }
 *     : undefined;
 */
export type EmitHook<P> = (ctx: EmitContext<P>) => EmitResult | undefined;
