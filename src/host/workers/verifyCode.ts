// Verify (the Code tab's button): the generated program, run for real in this session worker on
// the session's current batch and weights, against the session's own graph model on the same
// batch and weights. The code is transpiled by esbuild and evaluated here; the TypeScript (engine)
// flavour runs against engine.js, the very bundle an exported folder ships (its own module
// instance, not the session's engine). A language joins by adding a runner to RUNNERS.
import vm from 'node:vm';
import { backward } from '../../engine/autograd/backward';
import type { CodeLang } from '../../engine/codegen/generate';
import { CODE_LANG_TITLES, generateCode } from '../../engine/codegen/generate';
import { ExportError, planProgram } from '../../engine/codegen/program';
import type { GeneratedFile } from '../../engine/codegen/sourceMap';
import { exportedState, generatedNamer } from '../../engine/codegen/weights';
import { compileProject } from '../../engine/runtime/compile';
import type { GraphModel } from '../../engine/runtime/compile';
import type { DType, TypedArray } from '../../engine/tensor/dtype';
import { tidy } from '../../engine/tensor/scope';
import type { Tensor } from '../../engine/tensor/tensor';
import { engineBundle } from '../export/engineBundle';
import { esbuildApi } from '../export/esbuildApi';
import type { StepRuntime } from './stepRuntime';
import { SessionError } from './workerErrors';

/** What a runner is given: the program and the session's batch and state, by the code's own names. */
export interface VerifyCase {
  readonly files: readonly GeneratedFile[];
  /** Parameters and buffers by generated name (`fc1.weight`), nested arrays: weights.json's content. */
  readonly state: Readonly<Record<string, unknown>>;
  /** The forward pass's arguments in the program's order: each data node's batch tensor. */
  readonly batch: readonly { readonly name: string; readonly shape: readonly number[]; readonly data: TypedArray }[];
  readonly dtype: DType;
  readonly seed: number;
  /** Training mode (dropout and batch norm as in a training step), else evaluation mode. */
  readonly training: boolean;
}

/** What the program computed: the loss and every parameter's gradient, by generated name. */
export interface VerifyRun {
  readonly loss: number;
  readonly grads: ReadonlyMap<string, ArrayLike<number>>;
}

export type VerifyRunner = (c: VerifyCase) => Promise<VerifyRun>;

/** The answer of session.verifyCode. */
export interface VerifyResult {
  lang: CodeLang;
  /** Whether loss and every gradient agree within `tolerance`. */
  same: boolean;
  /** Every compared number is identical (only claimed when the program computes in the canvas's precision). */
  bitForBit: boolean;
  /** The largest |code − canvas| / max(1, |canvas|) over the loss and every gradient entry. */
  maxError: number;
  tolerance: number;
  loss: { code: number | null; canvas: number | null };
  /** Parameter tensors whose gradients were compared, and their entries in all. */
  gradients: number;
  entries: number;
  /** Where the largest error is. */
  worst: { name: string; index: number; code: number | null; canvas: number | null } | null;
  batchSize: number;
  /** The canvas's (the session's) precision. */
  dtype: DType;
  /** The precision the program computes in (from scratch: always float64). */
  codeDtype: DType;
  mode: 'train' | 'eval';
  /** Why evaluation mode, when it is used. */
  note: string | null;
}

// ---------------------------------------------------------------------------------------------
// Running generated code

/** Transpiles a generated TypeScript file (types stripped, ES imports as require) and evaluates it. */
export async function evaluateModule(
  file: GeneratedFile,
  modules: Readonly<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  let js: string;
  try {
    js = (
      await (
        await esbuildApi()
      ).transform(file.content, { loader: 'ts', format: 'cjs', target: 'es2022', sourcefile: file.path })
    ).code;
  } catch (e) {
    throw new SessionError('failed', `The generated ${file.path} does not compile: ${(e as Error).message}`);
  }
  const module = { exports: {} as Record<string, unknown> };
  const require = (spec: string): unknown => {
    if (!Object.hasOwn(modules, spec))
      throw new Error(`${file.path} imports "${spec}", which Verify does not provide.`);
    return modules[spec];
  };
  const fn = vm.runInThisContext(`(function (require, module, exports) {${js}\n})`, {
    filename: file.path,
  }) as (r: typeof require, m: typeof module, e: Record<string, unknown>) => void;
  fn(require, module, module.exports);
  return module.exports;
}

let engineModule: Promise<EngineApi> | undefined;

/** engine.js, imported once per worker: its own module instance, as in an exported folder. */
function bundledEngine(): Promise<EngineApi> {
  engineModule ??= engineBundle().then(
    (text) => import(`data:text/javascript;base64,${Buffer.from(text).toString('base64')}`) as Promise<EngineApi>,
  );
  engineModule.catch(() => (engineModule = undefined));
  return engineModule;
}

/** The part of engine.js (codegen/exportApi.ts) the engine runner calls itself. */
interface EngineApi {
  Rng: new (seed: number) => unknown;
  fromTypedArray(data: TypedArray, shape: readonly number[], opts: { dtype: DType }): EngineTensor;
  backward(t: EngineTensor): void;
  tidy<T>(fn: () => T): T;
}
interface EngineTensor {
  readonly data: TypedArray;
  grad: EngineTensor | null;
  item(): number;
  dispose(): void;
}
interface GeneratedModel {
  loadStateDict(state: Readonly<Record<string, unknown>>): void;
  train(mode: boolean): unknown;
  namedParameters(): [string, EngineTensor][];
  namedBuffers(): [string, EngineTensor][];
  forward(...data: EngineTensor[]): { loss: EngineTensor | null };
}

const fileOf = (c: VerifyCase, p: string): GeneratedFile => {
  const f = c.files.find((x) => x.path === p);
  if (!f) throw new SessionError('failed', `The generated program has no ${p}.`);
  return f;
};

/** TypeScript (engine): model.ts's Model on engine.js, loaded with the session's state as weights.json would be. */
const runEngineTs: VerifyRunner = async (c) => {
  const E = await bundledEngine();
  const { Model } = (await evaluateModule(fileOf(c, 'model.ts'), { './engine.js': E })) as {
    Model: new (rng: unknown, dtype: DType) => GeneratedModel;
  };
  const model = new Model(new E.Rng(c.seed), c.dtype);
  try {
    model.loadStateDict(c.state);
    model.train(c.training);
    return E.tidy(() => {
      const args = c.batch.map((b) => E.fromTypedArray(b.data, b.shape, { dtype: c.dtype }));
      const { loss } = model.forward(...args);
      if (!loss) throw new SessionError('conflict', 'The graph has no loss node, so there are no gradients to verify.');
      E.backward(loss);
      const grads = new Map<string, ArrayLike<number>>();
      for (const [name, p] of model.namedParameters()) grads.set(name, p.grad ? p.grad.data.slice() : []);
      return { loss: loss.item(), grads };
    });
  } finally {
    for (const [, t] of [...model.namedParameters(), ...model.namedBuffers()]) t.dispose();
  }
};

/** The from-scratch program's entry points (no imports: model.ts alone, over Float64Array). */
interface ScratchProgram {
  loadWeights(weights: Readonly<Record<string, unknown>>): Record<string, Float64Array>;
  zeroGradients(): Record<string, Float64Array>;
  lossAndGradients(
    P: Record<string, Float64Array>,
    batch: Record<string, Float64Array>,
    N: number,
    training: boolean,
    rng: Record<string, unknown>,
    G: Record<string, Float64Array>,
  ): { loss: number | null };
}

/**
 * TypeScript (from scratch): model.ts's lossAndGradients in float64, on weights.json's content.
 * Dropout with p > 0 runs in evaluation mode in Verify, so no generator is passed.
 */
export const runScratchTs: VerifyRunner = async (c) => {
  const prog = (await evaluateModule(fileOf(c, 'model.ts'), {})) as unknown as ScratchProgram;
  const P = prog.loadWeights(c.state);
  const G = prog.zeroGradients();
  const batch = Object.fromEntries(c.batch.map((b) => [b.name, Float64Array.from(b.data)]));
  const { loss } = prog.lossAndGradients(P, batch, c.batch[0]?.shape[0] ?? 0, c.training, {}, G);
  if (loss === null)
    throw new SessionError('conflict', 'The graph has no loss node, so there are no gradients to verify.');
  return { loss, grads: new Map(Object.entries(G)) };
};

/** The languages Verify can run (PyTorch is checked against the engine by the test suite, not here). */
export const RUNNERS: Partial<Record<CodeLang, VerifyRunner>> = { ts: runEngineTs, 'ts-scratch': runScratchTs };

/** The precision each program computes in: the engine's follows the session, the from-scratch one is float64. */
const codeDtypeOf = (lang: CodeLang, session: DType): DType => (lang === 'ts-scratch' ? 'float64' : session);

/**
 * How far the program may be from the canvas: float32's rounding for a float32 canvas, whether the
 * program computes in float32 too (the engine's) or in float64 (from scratch, which is then never
 * called bit for bit); 1e-9 relative when both compute in float64.
 */
export const verifyTolerance = (canvas: DType): number => (canvas === 'float32' ? 1e-5 : 1e-9);

// ---------------------------------------------------------------------------------------------
// The session's side and the comparison

/** The session's own computation: its graph model, a twin with the session's state, forward and backward. */
function canvasRun(rt: StepRuntime, training: boolean): VerifyRun {
  const twin = compileProject(rt.project, { dtype: rt.model.dtype });
  try {
    twin.loadStateDict(rt.model.stateDict());
    twin.train(training);
    const rename = generatedNamer(rt.model);
    return tidy(() => {
      const { loss } = twin.forward(rt.batchTensors!);
      if (!loss) throw new SessionError('conflict', 'The graph has no loss node, so there are no gradients to verify.');
      backward(loss);
      const grads = new Map<string, ArrayLike<number>>();
      for (const [name, p] of twin.namedParameters()) grads.set(rename(name), p.grad ? p.grad.data.slice() : []);
      return { loss: loss.item(), grads };
    });
  } finally {
    disposeModel(twin);
  }
}

function disposeModel(m: GraphModel): void {
  for (const [, t] of [...m.namedParameters(), ...m.namedBuffers()]) t.dispose();
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Compares the program's run with the canvas's. */
export function compareRuns(
  code: VerifyRun,
  canvas: VerifyRun,
  tolerance: number,
): Pick<VerifyResult, 'same' | 'bitForBit' | 'maxError' | 'loss' | 'gradients' | 'entries' | 'worst'> {
  let maxError = 0;
  let bitForBit = true;
  let entries = 0;
  let worst: VerifyResult['worst'] = null;
  const see = (name: string, index: number, a: number, b: number) => {
    entries++;
    if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return;
    bitForBit = false;
    const err = Number.isFinite(a) && Number.isFinite(b) ? Math.abs(a - b) / Math.max(1, Math.abs(b)) : Infinity;
    if (worst === null || err > maxError) {
      maxError = err;
      worst = { name, index, code: finite(a), canvas: finite(b) };
    }
  };
  see('loss', 0, code.loss, canvas.loss);
  const missing = [...canvas.grads.keys()].filter((k) => !code.grads.has(k));
  if (missing.length > 0)
    throw new SessionError(
      'failed',
      `The generated code has no parameter ${missing[0]} (it has ${[...code.grads.keys()].join(', ') || 'none'}).`,
    );
  for (const [name, want] of canvas.grads) {
    const got = code.grads.get(name)!;
    if (got.length !== want.length)
      throw new SessionError(
        'failed',
        `The gradient of ${name} has ${got.length} entries in the generated code and ${want.length} on the canvas.`,
      );
    for (let i = 0; i < want.length; i++) see(name, i, got[i], want[i]);
  }
  return {
    same: maxError <= tolerance,
    bitForBit,
    maxError,
    loss: { code: finite(code.loss), canvas: finite(canvas.loss) },
    gradients: canvas.grads.size,
    entries,
    worst,
  };
}

/** Dropout with p > 0 draws its masks differently in the program and in the app: both then run in evaluation mode. */
function randomDropout(rt: StepRuntime): boolean {
  return rt.model.graph.nodes.some((n) => n.type === 'Dropout' && Number((n.params as { p?: unknown }).p ?? 0.5) > 0);
}

/**
 * Runs the program generated in `lang` on the session's batch and weights, and compares it with the
 * session. `program` replaces the generated files (tests: a tampered program must be caught).
 */
export async function verifyCode(
  rt: StepRuntime,
  lang: CodeLang,
  program?: readonly GeneratedFile[],
): Promise<VerifyResult> {
  const runner = RUNNERS[lang];
  if (!runner)
    throw new SessionError(
      'invalid-request',
      `Verify runs the TypeScript programs; ${CODE_LANG_TITLES[lang]} is not one.`,
    );
  rt.needBatch();
  let files: readonly GeneratedFile[];
  let plan;
  try {
    files = program ?? generateCode(rt.project, lang).files;
    plan = planProgram(rt.project.graph, lang === 'ts-scratch' ? 'scratch' : 'ts');
  } catch (e) {
    if (e instanceof ExportError) throw new SessionError('invalid-request', e.message, e.nodeId);
    throw e;
  }
  const batch = rt.batchTensors!;
  const dropout = randomDropout(rt);
  const training = !dropout;
  const dtype = rt.model.dtype;
  const args = plan.dataNodes.map((n) => {
    const t: Tensor | undefined = batch[n.node.id];
    if (!t) throw new SessionError('conflict', `The loaded batch has no values for ${n.node.id}.`);
    return { name: n.name, shape: [...t.shape], data: t.data.slice() };
  });
  const canvas = canvasRun(rt, training);
  let code: VerifyRun;
  try {
    code = await runner({
      files,
      state: exportedState(rt.model),
      batch: args,
      dtype,
      seed: rt.project.training.seed,
      training,
    });
  } catch (e) {
    if (e instanceof SessionError) throw e;
    throw new SessionError('failed', `The generated code failed: ${(e as Error).message}`);
  }
  const codeDtype = codeDtypeOf(lang, dtype);
  const tolerance = verifyTolerance(dtype);
  const compared = compareRuns(code, canvas, tolerance);
  return {
    lang,
    ...compared,
    bitForBit: compared.bitForBit && codeDtype === dtype,
    tolerance,
    batchSize: args[0]?.shape[0] ?? 0,
    dtype,
    codeDtype,
    mode: training ? 'train' : 'eval',
    note: dropout ? 'Dropout draws its masks differently in the code, so both ran in evaluation mode.' : null,
  };
}
