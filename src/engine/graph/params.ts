import { z } from 'zod';
import type { ParamField, ParamFieldMeta, ParamSpec } from './nodeType';

/**
 * A small builder so that each parameter is declared once and yields both its zod schema
 * (with the default) and the metadata the inspector draws its form from.
 */
interface Common<T> {
  label: string;
  help: string;
  default: T;
}

/**
 * A whole number within [min, max]. The range is checked before wholeness, with the field's own
 * bounds in the message: for 2^53, zod's int check alone would cite Number.MAX_SAFE_INTEGER.
 */
function boundedInt(o: { min?: number; max?: number }, what = 'must'): z.ZodNumber {
  return bounded(o, what).int({ error: `${what} be a whole number` });
}

const num = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 20 });

/**
 * A number within [min, max], refused in the field's own words ("must be at most 0.99") rather
 * than zod's ("Too big: expected number to be <=0.99"), which read like a programmer's error.
 */
function bounded(o: { min?: number; max?: number }, what = 'must'): z.ZodNumber {
  let s = z.number({ error: `${what} be a number` });
  if (o.min !== undefined) s = s.min(o.min, { error: `${what} be at least ${num(o.min)}` });
  if (o.max !== undefined) s = s.max(o.max, { error: `${what} be at most ${num(o.max)}` });
  return s;
}

export function intParam(o: Common<number> & { min?: number; max?: number }): ParamField<number> {
  const s = boundedInt(o);
  return { schema: s, meta: { ...o, control: 'int', step: 1 } };
}

/** An integer that may be `null`, meaning "inferred from the input shape". */
export function autoIntParam(o: Common<number | null> & { min?: number; max?: number }): ParamField<number | null> {
  const s = boundedInt(o);
  return { schema: s.nullable(), meta: { ...o, control: 'int', step: 1, auto: true } };
}

export function floatParam(o: Common<number> & { min?: number; max?: number; step?: number }): ParamField<number> {
  return { schema: bounded(o), meta: { ...o, control: 'float' } };
}

export function boolParam(o: Common<boolean>): ParamField<boolean> {
  return { schema: z.boolean({ error: 'must be true or false' }), meta: { ...o, control: 'bool' } };
}

export function enumParam<const T extends readonly [string, ...string[]]>(
  o: Common<T[number]> & { options: { readonly [K in T[number]]: string }; values: T },
): ParamField<T[number]> {
  const options = o.values.map((v) => ({ value: v, label: o.options[v as T[number]] }));
  return {
    schema: z.enum(o.values, {
      error: `must be one of ${o.values.map((v) => JSON.stringify(v)).join(', ')}`,
    }) as unknown as z.ZodType<T[number]>,
    meta: { label: o.label, help: o.help, default: o.default, control: 'enum', options },
  };
}

/** A shape without the batch dimension: a list of positive sizes (with at most one -1 where `allowInfer`). */
export function shapeParam(
  o: Common<number[]> & { minRank?: number; maxRank?: number; allowInfer?: boolean },
): ParamField<number[]> {
  const dim = o.allowInfer
    ? boundedInt({ max: 1 << 24 }, 'each size must').refine(
        (d) => d === -1 || d >= 1,
        'sizes must be positive (or -1 once)',
      )
    : boundedInt({ min: 1, max: 1 << 24 }, 'each size must');
  const maxRank = o.maxRank ?? 8;
  let s = z.array(dim, { error: 'must be a list of sizes' }).max(maxRank, { error: `at most ${maxRank} sizes` });
  if (o.minRank !== undefined) s = s.min(o.minRank, { error: `at least ${o.minRank} size(s)` });
  const checked = o.allowInfer
    ? s.refine((a) => a.filter((d) => d === -1).length <= 1, 'at most one size may be -1')
    : s;
  return { schema: checked, meta: { label: o.label, help: o.help, default: o.default, control: 'shape' } };
}

/** A list of dimension indices, e.g. a permutation `[0, 2, 1]` (each may be negative, from the end). */
export function dimsParam(o: Common<number[]> & { maxRank?: number }): ParamField<number[]> {
  const maxRank = o.maxRank ?? 8;
  const s = z
    .array(boundedInt({ min: -8, max: 8 }, 'each dimension must'), { error: 'must be a list of dimensions' })
    .min(1, { error: 'at least one dimension' })
    .max(maxRank, { error: `at most ${maxRank} dimensions` });
  return { schema: s, meta: { label: o.label, help: o.help, default: o.default, control: 'dims' } };
}

type FieldsOf<P> = { [K in keyof P]: ParamField<P[K]> };

/** Turns a record of fields into the node type's parameter spec. */
export function defineParams<P extends object>(fields: FieldsOf<P>): ParamSpec<P> {
  const list: (ParamFieldMeta & { schema: z.ZodType<unknown> })[] = [];
  const defaults: Record<string, unknown> = {};
  const shape: Record<string, z.ZodType<unknown>> = {};
  for (const name of Object.keys(fields) as (keyof P & string)[]) {
    const f = fields[name];
    list.push({ ...f.meta, name, schema: f.schema as z.ZodType<unknown> });
    defaults[name] = f.meta.default;
    shape[name] = (f.schema as z.ZodType<unknown>).default(f.meta.default as never) as unknown as z.ZodType<unknown>;
  }
  return { fields: list, defaults: defaults as P, schema: z.strictObject(shape) as unknown as z.ZodType<P> };
}

export interface ParamIssue {
  readonly field: string;
  readonly message: string;
  readonly unknown?: boolean;
}

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Reads a node's raw parameters against its spec: missing ones take their default, unknown
 * ones and invalid values are reported by name. Never throws.
 */
export function parseParams<P>(spec: ParamSpec<P>, raw: unknown): { params: P | undefined; issues: ParamIssue[] } {
  const issues: ParamIssue[] = [];
  const input: Record<string, unknown> =
    raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  if (raw !== undefined && input !== raw) issues.push({ field: '', message: 'the parameters must be an object' });
  const known = new Set(spec.fields.map((f) => f.name));
  for (const k of Object.keys(input)) {
    if (!known.has(k)) issues.push({ field: k, message: `unknown parameter "${k}"`, unknown: true });
  }
  const out: Record<string, unknown> = {};
  for (const f of spec.fields) {
    const value = own(input, f.name) ? input[f.name] : f.default;
    const r = f.schema.safeParse(value);
    if (r.success) out[f.name] = r.data;
    else {
      const why = r.error.issues[0]?.message ?? 'invalid value';
      issues.push({
        field: f.name,
        message: `parameter "${f.name}" (${f.label}) is invalid: ${why}; got ${describeValue(value)}`,
      });
    }
  }
  const bad = issues.some((i) => !i.unknown);
  return { params: bad ? undefined : (out as P), issues };
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (Array.isArray(v)) {
    // A short list is shown as it is ([-2], [2147483648]); a long one by its length.
    const text = JSON.stringify(v);
    return text.length <= 40 ? text : `a list of ${v.length}`;
  }
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** Source code (a custom node's forward), drawn as an editor of its own, not as a field. */
export function codeParam(o: Common<string> & { maxLength: number }): ParamField<string> {
  const s = z
    .string({ error: 'must be text' })
    .max(o.maxLength, { error: `must be at most ${o.maxLength.toLocaleString('en-US')} characters` });
  return { schema: s, meta: { label: o.label, help: o.help, default: o.default, control: 'code' } };
}

/** A value the app computes and keeps with the node (never typed by the student). */
export function derivedParam<T>(o: Common<T> & { schema: z.ZodType<T> }): ParamField<T> {
  return { schema: o.schema, meta: { label: o.label, help: o.help, default: o.default, control: 'derived' } };
}
