import { z } from 'zod';
import { customSignatureSchema } from '../../../shared/api/customNode';
import type { EmitContext, EmitResult } from '../emit';
import type { CustomSignature, CustomTraceArg } from '../customApi';
import { CUSTOM_INPUT_PORTS, CUSTOM_OPS, DEFAULT_CUSTOM_CODE } from '../customApi';
import { defineNodeType } from '../nodeType';
import type { InputTypes } from '../nodeType';
import { codeParam, defineParams, derivedParam } from '../params';
import { formatShape } from '../shape';
import { customScratchOrRefusal } from './customScratch';
import { fail, inPort, ok, outPort, pyBool, tsImport, tsLit } from './common';

/*
 * The custom node: a forward pass the student writes in TypeScript against the engine's ops
 * (graph/customApi.ts), run only in the session worker's sandbox (host/workers/customSandbox.ts);
 * autograd gives its backward. Running code is never part of validation: the worker runs it on a
 * dummy batch and the app keeps what it found with the node (`signature`: the input shapes it
 * ran with, the output and parameter shapes, and the ops it called), so the editor, the
 * validator and the exports read shapes and ops without running anything.
 */

const opNames = new Set(CUSTOM_OPS.map((o) => o.name));
/** The shared signature schema, its ops limited to the API's. */
export const signatureSchema = customSignatureSchema.refine(
  (s) => s.trace.steps.every((st) => opNames.has(st.op)),
  'the signature names an op the custom node API does not have',
) as unknown as z.ZodType<CustomSignature>;

/** Why the code did not run, with its line: the worker's answer, kept until the code changes. */
export interface CustomCodeProblem {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

interface CustomParams {
  code: string;
  signature: CustomSignature | null;
  error: CustomCodeProblem | null;
}

const params = defineParams<CustomParams>({
  code: codeParam({
    label: 'Code',
    help: 'The forward pass in TypeScript: node({ inputs, params, forward }).',
    default: DEFAULT_CUSTOM_CODE,
    maxLength: 20_000,
  }),
  signature: derivedParam<CustomSignature | null>({
    label: 'Checked shapes',
    help: 'What running the code on a dummy batch found; the app updates it.',
    default: null,
    schema: signatureSchema.nullable(),
  }),
  error: derivedParam<CustomCodeProblem | null>({
    label: 'Code error',
    help: 'Why the code did not run, with its line; the app updates it.',
    default: null,
    schema: z
      .object({
        message: z.string().max(2000),
        line: z.number().int().min(1).optional(),
        column: z.number().int().min(1).optional(),
      })
      .nullable() as unknown as z.ZodType<CustomCodeProblem | null>,
  }),
});

const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** Why the kept signature does not describe these inputs, or undefined when it does. */
export function staleSignature(sig: CustomSignature | null, inputs: InputTypes): string | undefined {
  if (sig === null) return 'its code has not run yet (it runs in the session as soon as the inputs are known)';
  for (const port of CUSTOM_INPUT_PORTS) {
    const t = inputs[port];
    const want = sig.inputs[port];
    if (want === undefined && t !== undefined) return `its code does not read input ${port}; remove that connection`;
    if (want !== undefined && t === undefined) return `its code reads input ${port}; connect it`;
    if (want !== undefined && t !== undefined && !sameShape(want, t.shape))
      return `its code ran with ${port} of shape ${formatShape(want)}, not ${formatShape(t.shape)}; it runs again`;
  }
  return undefined;
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The trace's values as generated-code names: inputs, parameters, then one per step. */
function traceNames(ctx: EmitContext<CustomParams>, sig: CustomSignature, param: (name: string) => string) {
  const names = new Map<number, string>();
  for (const [port, id] of Object.entries(sig.trace.inputs)) names.set(id, ctx.inputs[port] ?? 'None');
  for (const [p, id] of Object.entries(sig.trace.params)) names.set(id, param(p));
  sig.trace.steps.forEach((s, i) => names.set(s.out, `${ctx.name}_${i + 1}`));
  return names;
}

function firstInput(ctx: EmitContext<CustomParams>): string {
  return ctx.inputs.x ?? ctx.inputs.y ?? '';
}

const isShape = (a: CustomTraceArg): a is readonly (number | 'N')[] => Array.isArray(a);

function pyArgOf(a: CustomTraceArg, names: Map<number, string>, batch: string): string | undefined {
  if (a === null) return undefined;
  if (a === 'N') return batch;
  if (typeof a === 'boolean') return pyBool(a);
  if (typeof a === 'number') return String(a);
  if (isShape(a)) return `(${a.map((d) => (d === 'N' ? batch : String(d))).join(', ')}${a.length === 1 ? ',' : ''})`;
  return names.get(a.t) ?? 'None';
}

function tsArgOf(a: CustomTraceArg, names: Map<number, string>, batch: string): string {
  if (a === null) return 'undefined';
  if (a === 'N') return batch;
  if (typeof a === 'number' || typeof a === 'boolean') return String(a);
  if (isShape(a)) return `[${a.map((d) => (d === 'N' ? batch : String(d))).join(', ')}]`;
  return names.get(a.t) ?? 'undefined';
}

const notRun = 'its code has not run on this graph yet; open it once in the app so the session runs it';

/** Where each op lives in the engine, for the TypeScript export's imports. */
const TS_MODULES: Readonly<Record<string, string>> = {
  add: 'ops/arithmetic',
  sub: 'ops/arithmetic',
  mul: 'ops/arithmetic',
  div: 'ops/arithmetic',
  neg: 'ops/arithmetic',
  matmul: 'ops/matmul',
  exp: 'ops/unary',
  log: 'ops/unary',
  sqrt: 'ops/unary',
  pow: 'ops/unary',
  abs: 'ops/unary',
  tanh: 'ops/activation',
  sigmoid: 'ops/activation',
  relu: 'ops/activation',
  softplus: 'ops/activation',
  softmax: 'ops/activation',
  logSoftmax: 'ops/activation',
  sum: 'ops/reduce',
  mean: 'ops/reduce',
  transpose: 'ops/shape',
  reshape: 'ops/shape',
};

export const customNode = defineNodeType({
  type: 'Custom',
  title: 'Custom (code)',
  family: 'Layers',
  description: 'A node whose forward pass is your own TypeScript over the engine’s ops; autograd gives its gradients.',
  inputs: [inPort('x', 'x'), inPort('y', 'y', undefined, false)],
  outputs: [outPort('out', 'output', 'tensor')],
  params,
  differentiable: true,
  infer: ({ params: p, inputs }) => {
    if (p.error !== null)
      return fail(`${p.error.line !== undefined ? `line ${p.error.line} of its code: ` : ''}${p.error.message}`);
    const why = staleSignature(p.signature, inputs);
    if (why !== undefined) return fail(why);
    return ok({ out: { shape: [...p.signature!.output], kind: 'tensor' } });
  },
  parameters: (p) => Object.values(p.signature?.params ?? {}).reduce((n, s) => n + size(s), 0),
  formula: ({ params: p }) => {
    const ins = Object.keys(p.signature?.inputs ?? { x: [] }).join(', ');
    const ps = Object.keys(p.signature?.params ?? {});
    return `\\text{out} = f_{\\text{code}}(${ins}${ps.length ? `;\\, ${ps.map((n) => `\\text{${n}}`).join(', ')}` : ''})`;
  },
  summary: (p) => {
    const ops = p.signature?.trace.steps.length;
    const ps = Object.keys(p.signature?.params ?? {});
    return `${ops === undefined ? 'code' : `${ops} op${ops === 1 ? '' : 's'}`}${ps.length ? `, learns ${ps.join(', ')}` : ''}`;
  },
  emit: {
    // The ops the code called on the dummy batch, in order, as torch calls: the code's flow
    // cannot depend on values (an op returns a tensor, never a number), so for these shapes the
    // trace is the function.
    python: (ctx): EmitResult => {
      const sig = ctx.params.signature;
      if (sig === null) return { init: [], forward: [], refused: notRun };
      const names = traceNames(ctx, sig, (p) => `self.${ctx.name}[${tsLit(p)}]`);
      const batch = `${firstInput(ctx)}.shape[0]`;
      const entries = Object.entries(sig.params).map(
        ([p, s]) => `${tsLit(p)}: nn.Parameter(torch.zeros(${s.map(String).join(', ')}${s.length === 1 ? ',' : ''}))`,
      );
      const forward = sig.trace.steps.map((s, i) => {
        const op = CUSTOM_OPS.find((o) => o.name === s.op)!;
        return `${ctx.name}_${i + 1} = ${op.torch(s.args.map((a) => pyArgOf(a, names, batch)))}`;
      });
      const out = ctx.outputs.out;
      if (out) forward.push(`${out} = ${names.get(sig.trace.output) ?? 'None'}`);
      return {
        init: [`self.${ctx.name} = nn.ParameterDict({${entries.join(', ')}})  # custom node: its parameters`],
        forward: [`# custom node ${ctx.name}: the ops its code called, in order`, ...forward],
        imports: sig.trace.steps.some((s) => s.op === 'softplus') ? ['import torch.nn.functional as F'] : [],
      };
    },
    ts: (ctx): EmitResult => {
      const sig = ctx.params.signature;
      if (sig === null) return { init: [], forward: [], refused: notRun };
      const names = traceNames(ctx, sig, (p) => `this.${ctx.name}.get(${tsLit(p)})`);
      const batch = `${firstInput(ctx)}.shape[0]`;
      const forward = sig.trace.steps.map(
        (s, i) => `const ${ctx.name}_${i + 1} = ${s.op}(${s.args.map((a) => tsArgOf(a, names, batch)).join(', ')});`,
      );
      const out = ctx.outputs.out;
      if (out) forward.push(`const ${out} = ${names.get(sig.trace.output) ?? 'undefined'};`);
      const used = [...new Set(sig.trace.steps.map((s) => s.op))];
      return {
        fields: [{ name: ctx.name, type: 'CustomParameters' }],
        init: [
          `this.${ctx.name} = this.registerModule(${tsLit(ctx.name)}, new CustomParameters(${JSON.stringify(sig.params)}, rng, { dtype }));`,
        ],
        forward: [`// custom node ${ctx.name}: the ops its code called, in order`, ...forward],
        engineImports: [
          tsImport('nn/customParameters', 'CustomParameters'),
          ...used.map((op) => tsImport(TS_MODULES[op]!, op)),
        ],
      };
    },
    // From scratch: each traced op with the kernels other node types use for the same math,
    // and its backward step by step in reverse (graph/registry/customScratch.ts).
    scratch: (ctx): EmitResult => {
      const sig = ctx.params.signature;
      if (sig === null) return { init: [], forward: [], refused: notRun };
      return customScratchOrRefusal(ctx, sig);
    },
  },
});

export const customNodeTypes = [customNode] as const;
