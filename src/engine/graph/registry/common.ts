import type { EmitContext, EmitResult, EngineImport } from '../emit';
import type { InferResult, InputPortDef, OutputPortDef, PortKind, TensorType } from '../nodeType';
import { formatShape, latexShape } from '../shape';
import type { Shape } from '../shape';

export const FLOAT_KINDS: readonly PortKind[] = ['tensor', 'sequence'];

export function ok(outputs: Record<string, TensorType>): InferResult {
  return { ok: true, outputs };
}

export function fail(message: string, port?: string): InferResult {
  return port === undefined ? { ok: false, message } : { ok: false, message, port };
}

export const inPort = (
  name: string,
  label = name,
  accepts: readonly PortKind[] = FLOAT_KINDS,
  required = true,
  role: InputPortDef['role'] = 'input',
): InputPortDef => ({
  name,
  label,
  role,
  accepts,
  required,
});

export const outPort = (
  name = 'out',
  label = 'output',
  kind: OutputPortDef['kind'] = 'dynamic',
  role: OutputPortDef['role'] = 'output',
): OutputPortDef => ({
  name,
  label,
  role,
  kind,
});

/** The standard single input of a layer. */
export const INPUT = inPort('input', 'input');
export const OUT = outPort();

/** "N×8" in messages. */
export const fmt = (t: TensorType | Shape): string =>
  formatShape(Array.isArray(t) ? (t as Shape) : (t as TensorType).shape);

/** `\mathbb{R}^{8\times 2}` for a parameter or activation shape. */
export const R = (shape: Shape): string => `\\mathbb{R}^{${latexShape(shape)}}`;

/** A sequence kind stays a sequence only while it keeps its time axis. */
export function kindForRank(kind: PortKind, rank: number): PortKind {
  if (kind === 'sequence' && rank !== 3) return 'tensor';
  return kind;
}

/** Python: `x` → `x`, `None` for a missing port. */
export const pyArg = (ctx: EmitContext<unknown>, port: string): string => ctx.inputs[port] ?? 'None';

export const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** A PyTorch module built in `__init__` and applied to one input. */
export function pyModule(ctx: EmitContext<unknown>, ctor: string, call?: string): EmitResult {
  const out = ctx.outputs.out;
  return {
    init: [`self.${ctx.name} = ${ctor}`],
    forward: out ? [`${out} = ${call ?? `self.${ctx.name}(${pyArg(ctx, 'input')})`}`] : [],
  };
}

/** A stateless PyTorch expression of the input. */
export function pyExpr(ctx: EmitContext<unknown>, expr: string, port = 'out'): EmitResult {
  const out = ctx.outputs[port];
  return { init: [], forward: out ? [`${out} = ${expr}`] : [] };
}

/** The last dimension of a known input, or the parameter value when it is set. */
export function lastDim(t: TensorType | undefined): number | undefined {
  return t && t.shape.length > 0 ? t.shape[t.shape.length - 1] : undefined;
}

/** Emits nothing: Input and Target are variables the program is given. */
export const noCode = (): EmitResult => ({ init: [], forward: [] });

/*
 * TypeScript against the engine's public API — the same modules and ops, in the same order, as
 * the runtime's builders (engine/runtime/builders), so generated code computes what the canvas
 * computes.
 */

/** TypeScript: names imported from one engine module. */
export const tsImport = (module: string, ...names: string[]): EngineImport => ({ module, names });

/** TypeScript: `x` → `x`, `null` for a missing port. */
export const tsArg = (ctx: EmitContext<unknown>, port: string): string => ctx.inputs[port] ?? 'null';

/** A TypeScript literal. */
export const tsLit = (v: unknown): string => JSON.stringify(v);

/** TypeScript: a layer module built in the constructor and applied to its input. */
export function tsLayer(ctx: EmitContext<unknown>, type: string, module: string, ctor: string): EmitResult {
  const out = ctx.outputs.out;
  return {
    fields: [{ name: ctx.name, type }],
    init: [`this.${ctx.name} = this.registerModule(${tsLit(ctx.name)}, ${ctor});`],
    forward: out ? [`const ${out} = this.${ctx.name}.forward(${tsArg(ctx, 'input')});`] : [],
    engineImports: [tsImport(module, type)],
  };
}

/** TypeScript: a stateless expression of the inputs. */
export function tsExpr(ctx: EmitContext<unknown>, e: string, ...imports: EngineImport[]): EmitResult {
  const out = ctx.outputs.out;
  return { init: [], forward: out ? [`const ${out} = ${e};`] : [], engineImports: imports };
}
