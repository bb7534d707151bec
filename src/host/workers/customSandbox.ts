// The sandbox a custom node's code runs in, in the session worker (docs/architecture.md,
// "Custom nodes"). The code is transpiled by esbuild, then evaluated in a fresh V8 context of
// its own (node:vm) that holds the JavaScript built-ins and the ops, nothing else: no require,
// process, module loader, fetch or timers. Only strings and numbers cross between that context
// and this one: the ops in the context are the context's own functions, which pass their
// arguments as JSON to one bridge function of this thread (kept in a closure the code cannot
// reach) and wrap what it answers in the context's own objects, so no object of this thread — a
// constructor whose constructor is this thread's Function — is ever in the code's hands.
// Strings cannot be compiled there (eval and new Function throw), the context's global object
// and built-ins are frozen, and every run has a time limit that also covers its promise callbacks.
import { SourceMap } from 'node:module';
import vm from 'node:vm';
import { esbuildSync } from '../export/esbuildApi';
import type { CustomTrace, CustomTraceArg } from '../../engine/graph/customApi';
import { CUSTOM_MAX_PARAM_SIZE, CUSTOM_OP_NAMES } from '../../engine/graph/customApi';
import { CustomCodeError } from '../../engine/runtime/customCode';
import type { CustomCodeHost, CustomProgram } from '../../engine/runtime/customCode';
import { CUSTOM_OP_IMPLS } from '../../engine/runtime/customOps';
import { Tensor } from '../../engine/tensor/tensor';

export interface SandboxOptions {
  /** The longest one run of the code may take (its top level, or one forward pass). */
  readonly timeoutMs: number;
  /** TypeScript → CommonJS JavaScript with an external source map (esbuild's transformSync). */
  readonly transpile: (code: string) => { code: string; map: string };
}

/** The default time limit of one run: generous for a forward pass over a batch, short for a hang. */
export const CUSTOM_TIMEOUT_MS = 5000;

const SOURCE = 'custom.ts';
const CODE_FILE = 'custom.js';

// Runs first in the context (strict): builds the ops over the bridge, `node`, and `__call`, then
// freezes the global object and every built-in. Returns nothing the code can reach the bridge by.
const BOOTSTRAP = `(function (bridge, names) {
  'use strict';
  const opNames = JSON.parse(names);
  const ids = new WeakMap();
  const parse = JSON.parse, stringify = JSON.stringify, freeze = Object.freeze;
  const BridgeError = Error;
  class Tensor {
    constructor(id, shape) { ids.set(this, id); this.shape = freeze(shape); freeze(this); }
    toString() { return 'Tensor(' + this.shape.join('×') + ')'; }
  }
  const wrap = (r) => {
    const a = parse(r);
    if (a.error !== undefined) throw new BridgeError(a.error);
    return new Tensor(a.id, a.shape);
  };
  const encode = (v) => {
    if (v instanceof Tensor) return { t: ids.get(v) };
    if (v === undefined) return null;
    if (typeof v === 'number' || typeof v === 'boolean') return v;
    if (Array.isArray(v)) return v.map((d) => (typeof d === 'number' ? d : NaN));
    throw new TypeError('an op takes tensors, numbers, booleans and lists of numbers, not ' + (v === null ? 'null' : typeof v));
  };
  const ops = {};
  for (const name of opNames) {
    const f = { [name]: (...args) => wrap(bridge('op', name, stringify(args.map(encode)))) }[name];
    ops[name] = f;
  }
  freeze(ops);
  let spec;
  const node = (s) => {
    if (spec !== undefined) throw new TypeError('node(...) may be called once');
    if (s === null || typeof s !== 'object') throw new TypeError('node(...) takes { inputs, params, forward }');
    const inputs = s.inputs;
    if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every((p) => typeof p === 'string'))
      throw new TypeError("inputs must be a list of port names, e.g. ['x']");
    const params = s.params === undefined ? {} : s.params;
    if (params === null || typeof params !== 'object' || Array.isArray(params))
      throw new TypeError('params must be an object of shapes, e.g. { w: [4, 4] }');
    const shapes = {};
    for (const k of Object.keys(params)) {
      const sh = params[k];
      if (!Array.isArray(sh) || sh.length > 8 || !sh.every((d) => Number.isInteger(d) && d >= 1))
        throw new TypeError('the shape of parameter "' + k + '" must be a list of positive whole numbers, e.g. [4, 4]');
      shapes[k] = sh.slice();
    }
    if (typeof s.forward !== 'function') throw new TypeError('forward must be a function ({ x }, params) => tensor');
    spec = freeze({ inputs: freeze(inputs.slice()), params: shapes, forward: s.forward });
    return spec;
  };
  const describe = (e) => {
    let message, stack;
    try { message = e instanceof Error ? String(e.message) : 'the code threw ' + String(e); } catch (_) { message = 'the code threw a value that cannot be shown'; }
    try { stack = e instanceof Error ? String(e.stack) : ''; } catch (_) { stack = ''; }
    return stringify({ error: message, stack: stack });
  };
  const known = new Set();
  const getNames = Object.getOwnPropertyNames;
  const strayGlobal = () => {
    for (const k of getNames(globalThis)) if (!known.has(k)) return k;
    return undefined;
  };
  const call = (request) => {
    try {
      const r = parse(request);
      const stray = strayGlobal();
      if (stray !== undefined)
        return stringify({ error: 'the code sets globalThis.' + stray + '; a custom node keeps nothing outside its forward function', stack: '' });
      if (r.kind === 'declared') {
        if (spec === undefined) return stringify({ error: 'the code must declare its node: export default node({ inputs, params, forward })' });
        return stringify({ inputs: spec.inputs, params: spec.params });
      }
      const mk = (o) => { const out = {}; for (const k of Object.keys(o)) out[k] = new Tensor(o[k].id, o[k].shape); return freeze(out); };
      const y = spec.forward(mk(r.inputs), mk(r.params), ops);
      if (!(y instanceof Tensor)) return stringify({ error: 'forward must return a tensor (the result of an op), not ' + (y === null ? 'null' : typeof y), stack: '' });
      const later = strayGlobal();
      if (later !== undefined)
        return stringify({ error: 'the code sets globalThis.' + later + '; a custom node keeps nothing outside its forward function', stack: '' });
      return stringify({ id: ids.get(y) });
    } catch (e) {
      return describe(e);
    }
  };
  const g = globalThis;
  for (const name of opNames) Object.defineProperty(g, name, { value: ops[name], enumerable: false });
  Object.defineProperty(g, 'ops', { value: ops });
  Object.defineProperty(g, 'node', { value: node });
  Object.defineProperty(g, '__call', { value: call });
  for (const k of Object.getOwnPropertyNames(g)) {
    const v = g[k];
    if ((typeof v === 'function' || (typeof v === 'object' && v !== null)) && k !== 'globalThis') {
      freeze(v);
      if (typeof v === 'function' && v.prototype) freeze(v.prototype);
    }
  }
  freeze(Object.getPrototypeOf(function* () {}));
  freeze(Object.getPrototypeOf(async function () {}));
  // A contextified global object cannot be frozen: its own bindings are made read-only and it
  // takes no new ones, so state cannot be smuggled between runs through globals.
  const globals = Object.getOwnPropertyNames(g), getDesc = Object.getOwnPropertyDescriptor, defProp = Object.defineProperty;
  for (const k of globals) {
    const d = getDesc(g, k);
    if (d && d.configurable && 'value' in d) defProp(g, k, { value: d.value, writable: false, configurable: false });
    known.add(k);
  }
})`;

interface Compiled {
  readonly js: string;
  readonly map: SourceMap;
}

/**
 * A sandbox for custom nodes' code (the session worker installs one with `setCustomCodeHost`).
 *
 * @example
 * const sb = createCustomSandbox({ timeoutMs: 5000, transpile });
 * const p = sb.compile("export default node({ inputs: ['x'], forward: ({ x }) => tanh(x) })");
 * p.forward({ x }, {}); // tanh(x), on the tape
 */
export function createCustomSandbox(opts: SandboxOptions): CustomCodeHost {
  guardRejections();
  const cache = new Map<string, Compiled>();
  const transpile = (code: string): Compiled => {
    const hit = cache.get(code);
    if (hit) return hit;
    let out: { code: string; map: string };
    try {
      out = opts.transpile(code);
    } catch (e) {
      const first = (e as { errors?: { text: string; location?: { line: number; column: number } | null }[] })
        .errors?.[0];
      if (first) throw new CustomCodeError(first.text, first.location?.line, (first.location?.column ?? 0) + 1);
      throw new CustomCodeError((e as Error).message);
    }
    if (/\brequire\(/.test(out.code)) {
      const line = code.split('\n').findIndex((l) => /\bimport\b|\brequire\b/.test(l));
      throw new CustomCodeError(
        'a custom node imports nothing: the ops are already in scope (matmul, sigmoid, …)',
        line >= 0 ? line + 1 : undefined,
      );
    }
    const compiled = { js: out.code, map: new SourceMap(JSON.parse(out.map) as never) };
    if (cache.size > 32) cache.delete(cache.keys().next().value!);
    cache.set(code, compiled);
    return compiled;
  };
  return {
    compile: (code) => {
      const c = transpile(code);
      return new SandboxedProgram(c, opts.timeoutMs);
    },
  };
}

let guarded = false;

/**
 * A promise the code rejects and leaves unhandled (`import('fs')` becomes a rejected `require`)
 * would end this thread, as any unhandled rejection does. A promise of a sandbox's context has
 * that context's Promise.prototype: such a rejection is dropped (the code's run has finished);
 * every other one is thrown again, as Node would.
 */
function guardRejections(): void {
  if (guarded) return;
  guarded = true;
  process.on('unhandledRejection', (reason, promise) => {
    if (Object.getPrototypeOf(promise) !== Promise.prototype) return;
    throw reason;
  });
}

class SandboxedProgram implements CustomProgram {
  readonly inputs: readonly string[];
  readonly params: Readonly<Record<string, readonly number[]>>;
  private readonly context: vm.Context;
  /** The values of the run in progress by id (inputs, parameters, each op's result); empty between runs. */
  private values: Tensor[] = [];
  private steps: { op: string; args: CustomTraceArg[]; out: number }[] | undefined;

  constructor(
    private readonly code: Compiled,
    private readonly timeoutMs: number,
  ) {
    const globals = Object.create(null) as object;
    this.context = vm.createContext(globals, {
      name: 'custom node',
      codeGeneration: { strings: false, wasm: false },
      microtaskMode: 'afterEvaluate',
    });
    const boot = new vm.Script(BOOTSTRAP, { filename: 'custom-ops.js' }).runInContext(this.context) as (
      bridge: (kind: string, op: string, args: string) => string,
      names: string,
    ) => void;
    boot.call(undefined, (kind, op, args) => this.bridge(kind, op, args), JSON.stringify(CUSTOM_OP_NAMES));
    // The context's global object takes no new bindings (it cannot be frozen from inside).
    Object.preventExtensions(globals);
    // One line of wrapper, so the code's line L is line L of this file.
    this.run(
      new vm.Script(`(function (module, exports) { 'use strict'; ${code.js}\n}).call(undefined, {}, {});`, {
        filename: CODE_FILE,
      }),
      'runs its top level',
    );
    const declared = this.call({ kind: 'declared' }) as { inputs: string[]; params: Record<string, number[]> };
    for (const [name, shape] of Object.entries(declared.params))
      if (shape.reduce((a, b) => a * b, 1) > CUSTOM_MAX_PARAM_SIZE)
        throw new CustomCodeError(`parameter "${name}" is too large (at most ${CUSTOM_MAX_PARAM_SIZE} numbers)`);
    this.inputs = declared.inputs;
    this.params = declared.params;
  }

  forward(inputs: Readonly<Record<string, Tensor>>, params: Readonly<Record<string, Tensor>>): Tensor {
    return this.runForward(inputs, params, false).output;
  }

  trace(inputs: Readonly<Record<string, Tensor>>, params: Readonly<Record<string, Tensor>>) {
    const r = this.runForward(inputs, params, true);
    return { output: r.output, trace: r.trace! };
  }

  private runForward(
    inputs: Readonly<Record<string, Tensor>>,
    params: Readonly<Record<string, Tensor>>,
    record: boolean,
  ): { output: Tensor; trace?: CustomTrace } {
    const refs = (o: Readonly<Record<string, Tensor>>, names: readonly string[]) => {
      const ids: Record<string, number> = {};
      const req: Record<string, { id: number; shape: number[] }> = {};
      for (const name of names) {
        const t = o[name];
        if (!t) throw new CustomCodeError(`the code reads ${name}, which the node was not given`);
        ids[name] = this.values.push(t) - 1;
        req[name] = { id: ids[name], shape: [...t.shape] };
      }
      return { ids, req };
    };
    this.values = [];
    this.steps = record ? [] : undefined;
    try {
      const ins = refs(inputs, this.inputs);
      const ps = refs(params, Object.keys(this.params));
      const r = this.call({ kind: 'forward', inputs: ins.req, params: ps.req }) as { id: number };
      const output = this.values[r.id]!;
      const trace = record ? { inputs: ins.ids, params: ps.ids, steps: this.steps!, output: r.id } : undefined;
      return trace ? { output, trace } : { output };
    } finally {
      this.values = [];
      this.steps = undefined;
    }
  }

  /** Calls `__call` in the context with a JSON request; answers the parsed reply or throws the code's error. */
  private call(request: object): unknown {
    const script = new vm.Script(`__call(${JSON.stringify(JSON.stringify(request))})`, { filename: 'call.js' });
    const reply = this.run(script, 'runs its forward pass');
    if (typeof reply !== 'string') throw new CustomCodeError('the code answered something that is not a result');
    const r = JSON.parse(reply) as { error?: string; stack?: string };
    if (r.error !== undefined) throw this.located(r.error, r.stack ?? '');
    return r;
  }

  private run(script: vm.Script, what: string): unknown {
    try {
      return script.runInContext(this.context, { timeout: this.timeoutMs, breakOnSigint: false });
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
        throw new CustomCodeError(
          `the code ${what} for longer than the time limit (${this.timeoutMs / 1000} s) and was stopped; is there a loop that never ends?`,
        );
      if (e instanceof CustomCodeError) throw e;
      // A throw at the top level comes straight from the context: read it there, as text.
      let message = 'the code threw an error';
      let stack = '';
      try {
        message = String((e as Error).message);
        stack = String((e as Error).stack);
      } catch {
        /* a value without a message */
      }
      throw this.located(message, stack);
    }
  }

  /** The error at the first frame of the code itself, mapped back to the TypeScript line. */
  private located(message: string, stack: string): CustomCodeError {
    const m = new RegExp(`${CODE_FILE.replace('.', '\\.')}:(\\d+):(\\d+)`).exec(stack);
    if (!m) return new CustomCodeError(message);
    let line = Number(m[1]);
    let column = Number(m[2]);
    if (line === 1) column -= "(function (module, exports) { 'use strict'; ".length;
    const entry = this.code.map.findEntry(line - 1, Math.max(0, column - 1)) as {
      originalLine?: number;
      originalColumn?: number;
    };
    if (entry.originalLine === undefined) return new CustomCodeError(message);
    line = entry.originalLine + 1;
    column = (entry.originalColumn ?? 0) + 1;
    return new CustomCodeError(message, line, column);
  }

  /** The one function of this thread the context can call: strings in, a string out. */
  private bridge(kind: unknown, op: unknown, args: unknown): string {
    try {
      if (kind !== 'op' || typeof op !== 'string' || typeof args !== 'string' || !Object.hasOwn(CUSTOM_OP_IMPLS, op))
        return JSON.stringify({ error: 'unknown op' });
      const raw = JSON.parse(args) as CustomTraceArg[];
      const decoded = raw.map((a) => {
        if (a !== null && typeof a === 'object' && !Array.isArray(a)) {
          const t = this.values[(a as { t: number }).t];
          if (!t) throw new Error(`${op}: a tensor from another run cannot be used`);
          return t;
        }
        return a === null ? undefined : a;
      });
      const y = CUSTOM_OP_IMPLS[op]!(decoded);
      if (!(y instanceof Tensor)) throw new Error(`${op} gave no tensor`);
      const id = this.values.push(y) - 1;
      this.steps?.push({ op, args: raw, out: id });
      return JSON.stringify({ id, shape: [...y.shape] });
    } catch (e) {
      return JSON.stringify({ error: e instanceof Error ? e.message : String(e) });
    }
  }
}

/** esbuild's TypeScript → CommonJS, with `import()` turned into a `require` the context lacks. */
export function esbuildTranspile(code: string): { code: string; map: string } {
  return esbuildSync().transformSync(code, {
    loader: 'ts',
    format: 'cjs',
    target: 'es2022',
    sourcemap: 'external',
    sourcefile: SOURCE,
    supported: { 'dynamic-import': false },
  });
}
