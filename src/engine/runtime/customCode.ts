// The custom node's code, as the engine sees it: a program the host compiled in its sandbox
// (host/workers/customSandbox.ts). The engine never evaluates source itself; a thread that may
// run custom code installs a host once at its entry (the session worker), like the kernels.
import { noGrad } from '../autograd/gradMode';
import type { CustomSignature, CustomTrace, CustomTraceArg } from '../graph/customApi';
import { CUSTOM_INPUT_PORTS } from '../graph/customApi';
import { formatShape } from '../graph/shape';
import { randn } from '../tensor/create';
import { Rng } from '../tensor/rng';
import type { Tensor } from '../tensor/tensor';

/** A compiled custom node: what it declares, and its forward pass over engine tensors. */
export interface CustomProgram {
  readonly inputs: readonly string[];
  readonly params: Readonly<Record<string, readonly number[]>>;
  /** Runs the code once (time-limited); the result is recorded on the tape like any op. */
  forward(inputs: Readonly<Record<string, Tensor>>, params: Readonly<Record<string, Tensor>>): Tensor;
  /** The same, also answering the ops it called, in order. */
  trace(
    inputs: Readonly<Record<string, Tensor>>,
    params: Readonly<Record<string, Tensor>>,
  ): { output: Tensor; trace: CustomTrace };
}

export interface CustomCodeHost {
  /** Compiles source; throws a {@link CustomCodeError} naming the line. */
  compile(code: string): CustomProgram;
}

/** A compile or run error of a custom node's code, with its place in the source (1-based). */
export class CustomCodeError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'CustomCodeError';
  }
}

let host: CustomCodeHost | undefined;

/** Installs the sandbox that compiles custom code in this thread (once, at the thread's entry). */
export function setCustomCodeHost(h: CustomCodeHost | undefined): void {
  host = h;
}

/** The installed sandbox; throws where custom code may not run. */
export function customCodeHost(): CustomCodeHost {
  if (!host) throw new Error('A custom node’s code runs only in a session of the app, not here.');
  return host;
}

/**
 * Shape inference of a custom node: runs the program on dummy batches (normal samples, a batch
 * of 2 and one of 3, so what changes with the batch is told from what does not) for inputs of
 * the given shapes (batch as -1) and answers what validation keeps: its inputs, its output and
 * parameter shapes, and its trace. Throws a sentence (or the code's own error) when they do not fit.
 *
 * @example
 * inferCustomSignature(host.compile(swish), { x: [-1, 4] }).output; // [-1, 4]
 */
export function inferCustomSignature(
  program: CustomProgram,
  inputShapes: Readonly<Record<string, readonly number[]>>,
): CustomSignature {
  for (const port of program.inputs)
    if (!(CUSTOM_INPUT_PORTS as readonly string[]).includes(port))
      throw new CustomCodeError(`inputs may be "x" and "y" (the node's ports), not "${port}"`);
  const given: Record<string, readonly number[]> = {};
  for (const port of program.inputs) {
    const shape = inputShapes[port];
    if (!shape) throw new CustomCodeError(`the code reads input ${port}, which is not connected`);
    given[port] = shape;
  }
  const runs = [2, 3].map((n) =>
    noGrad(() => {
      const rng = new Rng(n);
      const ins: Record<string, Tensor> = {};
      for (const [port, shape] of Object.entries(given))
        ins[port] = randn(
          shape.map((d) => (d === -1 ? n : d)),
          rng,
          { dtype: 'float64' },
        );
      const ps: Record<string, Tensor> = {};
      for (const [name, shape] of Object.entries(program.params))
        ps[name] = randn([...shape], rng, { dtype: 'float64' });
      return program.trace(ins, ps);
    }),
  );
  const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
  const output = batchShape(a.output.shape, b.output.shape);
  if (output === undefined)
    throw new CustomCodeError(
      `the output's shape (${formatShape(a.output.shape)} for a batch of 2, ${formatShape(b.output.shape)} for 3) may change with the batch only in its first dimension`,
    );
  if (a.trace.steps.length !== b.trace.steps.length)
    throw new CustomCodeError('the code calls a different number of ops for different batch sizes');
  const steps = a.trace.steps.map((s, i) => {
    const t = b.trace.steps[i]!;
    if (s.op !== t.op) throw new CustomCodeError('the code calls different ops for different batch sizes');
    return { op: s.op, out: s.out, args: s.args.map((x, j) => batchArg(x, t.args[j] ?? null)) };
  });
  return {
    inputs: given,
    output,
    params: program.params,
    trace: { ...a.trace, steps },
  };
}

/** The output shape with -1 for the batch, or undefined when another size follows the batch. */
function batchShape(s2: readonly number[], s3: readonly number[]): number[] | undefined {
  if (s2.length !== s3.length) return undefined;
  const out: number[] = [];
  for (let i = 0; i < s2.length; i++) {
    if (s2[i] === s3[i]) out.push(s2[i]!);
    else if (i === 0 && s2[i] === 2 && s3[i] === 3) out.push(-1);
    else return undefined;
  }
  return out;
}

/** An argument of the run with a batch of 2 and of 3: 'N' where it is that batch size. */
function batchArg(x: CustomTraceArg, y: CustomTraceArg): CustomTraceArg {
  if (typeof x === 'number' && typeof y === 'number' && x !== y) {
    if (x === 2 && y === 3) return 'N';
    throw new CustomCodeError('the code passes its ops numbers that change with the batch size');
  }
  if (Array.isArray(x) && Array.isArray(y)) return x.map((d, i) => batchArg(d, y[i] ?? null) as number | 'N');
  return x;
}
