/*
 * The custom node's API: what a student's code may call, in one table. The editor's type
 * declarations (`customDts`), the session worker's sandbox (runtime/customOps.ts implements each
 * name with the engine's op) and the PyTorch export (each op's torch call) are all read from
 * here, so an op exists everywhere or nowhere. Pure data: the renderer imports it.
 */

/** One op a custom node's code may call. */
export interface CustomOpDoc {
  readonly name: string;
  /** The TypeScript signature after the name, e.g. `(a: Operand, b: Operand): Tensor`. */
  readonly signature: string;
  readonly doc: string;
  /** The PyTorch expression, from the arguments as Python expressions (undefined when omitted). */
  readonly torch: (args: readonly (string | undefined)[]) => string;
}

const call =
  (f: string) =>
  (a: readonly (string | undefined)[]): string =>
    `${f}(${a.filter((x) => x !== undefined).join(', ')})`;
const infix =
  (op: string) =>
  (a: readonly (string | undefined)[]): string =>
    `(${a[0]} ${op} ${a[1]})`;
const withDim =
  (f: string, fallback: string) =>
  (a: readonly (string | undefined)[]): string =>
    `${f}(${a[0]}, dim=${a[1] ?? fallback})`;
const reduce =
  (f: string) =>
  (a: readonly (string | undefined)[]): string =>
    a[1] === undefined ? `${f}(${a[0]})` : `${f}(${a[0]}, dim=${a[1]}, keepdim=${a[2] ?? 'False'})`;

export const CUSTOM_OPS: readonly CustomOpDoc[] = [
  { name: 'add', signature: '(a: Operand, b: Operand): Tensor', doc: 'a + b, broadcasting', torch: infix('+') },
  { name: 'sub', signature: '(a: Operand, b: Operand): Tensor', doc: 'a − b, broadcasting', torch: infix('-') },
  {
    name: 'mul',
    signature: '(a: Operand, b: Operand): Tensor',
    doc: 'a · b elementwise, broadcasting',
    torch: infix('*'),
  },
  {
    name: 'div',
    signature: '(a: Operand, b: Operand): Tensor',
    doc: 'a / b elementwise, broadcasting',
    torch: infix('/'),
  },
  { name: 'neg', signature: '(x: Tensor): Tensor', doc: '−x', torch: (a) => `(-${a[0]})` },
  {
    name: 'matmul',
    signature: '(a: Tensor, b: Tensor): Tensor',
    doc: 'The matrix product a @ b (batched over leading dimensions)',
    torch: call('torch.matmul'),
  },
  { name: 'exp', signature: '(x: Tensor): Tensor', doc: 'eˣ elementwise', torch: call('torch.exp') },
  { name: 'log', signature: '(x: Tensor): Tensor', doc: 'The natural logarithm elementwise', torch: call('torch.log') },
  { name: 'sqrt', signature: '(x: Tensor): Tensor', doc: '√x elementwise', torch: call('torch.sqrt') },
  {
    name: 'pow',
    signature: '(x: Tensor, p: number): Tensor',
    doc: 'xᵖ elementwise, p a number',
    torch: call('torch.pow'),
  },
  { name: 'abs', signature: '(x: Tensor): Tensor', doc: '|x| elementwise', torch: call('torch.abs') },
  { name: 'tanh', signature: '(x: Tensor): Tensor', doc: 'tanh(x) elementwise', torch: call('torch.tanh') },
  {
    name: 'sigmoid',
    signature: '(x: Tensor): Tensor',
    doc: 'σ(x) = 1 / (1 + e⁻ˣ) elementwise',
    torch: call('torch.sigmoid'),
  },
  { name: 'relu', signature: '(x: Tensor): Tensor', doc: 'max(0, x) elementwise', torch: call('torch.relu') },
  { name: 'softplus', signature: '(x: Tensor): Tensor', doc: 'log(1 + eˣ) elementwise', torch: call('F.softplus') },
  {
    name: 'softmax',
    signature: '(x: Tensor, dim?: number): Tensor',
    doc: 'Softmax along dim (default −1, the last)',
    torch: withDim('torch.softmax', '-1'),
  },
  {
    name: 'logSoftmax',
    signature: '(x: Tensor, dim?: number): Tensor',
    doc: 'log(softmax(x)) along dim (default −1)',
    torch: withDim('torch.log_softmax', '-1'),
  },
  {
    name: 'sum',
    signature: '(x: Tensor, dim?: number | number[], keepdim?: boolean): Tensor',
    doc: 'The sum over dim (every dimension when omitted)',
    torch: reduce('torch.sum'),
  },
  {
    name: 'mean',
    signature: '(x: Tensor, dim?: number | number[], keepdim?: boolean): Tensor',
    doc: 'The mean over dim (every dimension when omitted)',
    torch: reduce('torch.mean'),
  },
  {
    name: 'transpose',
    signature: '(x: Tensor, dim0?: number, dim1?: number): Tensor',
    doc: 'Swaps two dimensions (default the last two)',
    torch: (a) => `torch.transpose(${a[0]}, ${a[1] ?? '-2'}, ${a[2] ?? '-1'})`,
  },
  {
    name: 'reshape',
    signature: '(x: Tensor, shape: number[]): Tensor',
    doc: 'The same values in another shape (one size may be −1)',
    torch: call('torch.reshape'),
  },
];

/** The names of the ops, in table order. */
export const CUSTOM_OP_NAMES: readonly string[] = CUSTOM_OPS.map((o) => o.name);

/** The input ports a custom node has; its code declares which of them it reads. */
export const CUSTOM_INPUT_PORTS = ['x', 'y'] as const;

/** The largest number of values one declared parameter may hold. */
export const CUSTOM_MAX_PARAM_SIZE = 1 << 22;

/**
 * What running the code on a dummy batch found (the session worker's shape inference), kept
 * with the node so that validation and the editor know its ports and shapes without running
 * code: the input shapes it was run with and the output and parameter shapes it gave (batch as -1).
 */
export interface CustomSignature {
  readonly inputs: Readonly<Record<string, readonly number[]>>;
  readonly output: readonly number[];
  readonly params: Readonly<Record<string, readonly number[]>>;
  /** The ops the code called, in order (what the exports write). */
  readonly trace: CustomTrace;
}

/**
 * An argument of a traced op: a tensor by its value id, a literal, `null` for an argument left
 * out, or `'N'` (alone or in a shape) for the batch size, found by running with two batch sizes.
 */
export type CustomTraceArg = { readonly t: number } | number | boolean | null | 'N' | readonly (number | 'N')[];

export interface CustomTrace {
  /** The value id of each input port and each parameter. */
  readonly inputs: Readonly<Record<string, number>>;
  readonly params: Readonly<Record<string, number>>;
  readonly steps: readonly { readonly op: string; readonly args: readonly CustomTraceArg[]; readonly out: number }[];
  /** The value id the forward pass returned. */
  readonly output: number;
}

/** The code a new custom node starts with: swish, x·σ(x), the example of docs/engine.md. */
export const DEFAULT_CUSTOM_CODE = [
  '// swish: x·σ(x)',
  'export default node({',
  "  inputs: ['x'],",
  '  params: {},',
  '  forward: ({ x }) => mul(x, sigmoid(x)),',
  '});',
  '',
].join('\n');

/** The type declarations the code editor is given: every op, `node`, `Tensor`. */
export function customDts(): string {
  const ops = CUSTOM_OPS.map((o) => `  /** ${o.doc}. */\n  ${o.name}${o.signature};`).join('\n');
  const globals = CUSTOM_OPS.map((o) => `/** ${o.doc}. */\ndeclare function ${o.name}${o.signature};`).join('\n');
  return [
    '/** A tensor of the engine. Its first dimension is the batch. */',
    'interface Tensor {',
    '  /** The sizes of its dimensions, e.g. [N, 4]. */',
    '  readonly shape: readonly number[];',
    '}',
    '/** A tensor or a plain number (broadcast like a scalar). */',
    'type Operand = Tensor | number;',
    "/** The engine's differentiable ops, also callable by name. */",
    'interface Ops {',
    ops,
    '}',
    'declare const ops: Ops;',
    globals,
    '/** What a custom node declares: its inputs, its learnable parameters and its forward pass. */',
    'interface NodeSpec<I extends "x" | "y", P extends string> {',
    '  /** The input ports the code reads: ["x"] or ["x", "y"]. */',
    '  inputs: readonly I[];',
    '  /** Learnable parameters by name, each with its shape, e.g. { w: [4, 4], b: [4] }. */',
    '  params: { [K in P]: number[] };',
    '  /** The forward pass: the inputs and parameters by name, and the ops. Returns the output. */',
    '  forward: (inputs: { [K in I]: Tensor }, params: { [K in P]: Tensor }, ops: Ops) => Tensor;',
    '}',
    '/** Declares the custom node. */',
    'declare function node<I extends "x" | "y", P extends string = never>(spec: NodeSpec<I, P>): NodeSpec<I, P>;',
    '',
  ].join('\n');
}
