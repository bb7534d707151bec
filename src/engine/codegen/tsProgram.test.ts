import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { backward } from '../autograd/backward';
import { compileGraph } from '../runtime/compile';
import { Rng } from '../tensor/rng';
import type { Tensor } from '../tensor/tensor';
import * as engineApi from './exportApi';
import { generateCode } from './generate';
import { planProgram } from './program';
import type { ExportCase } from './testProjects.test-support';
import { caseBatch, exampleCases, randomCases, runtimeCases } from './testProjects.test-support';

/**
 * The TypeScript (engine) export, for every bundled example, every runtime test case and random
 * layer stacks: model.ts, data.ts and train.ts type-check (strict) against the engine module they
 * import, and the model computes exactly what the canvas computes — the same initial weights, every
 * node's value, the loss and every parameter's gradient, bit for bit, in float64.
 */
const CASES_ALL: ExportCase[] = [...exampleCases(), ...runtimeCases(), ...randomCases(12)];
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../..');

interface Generated {
  forward(...data: Tensor[]): { loss: Tensor | null; values: Record<string, Tensor> };
}

/** Type-checks every case's files in one program; './engine.js' resolves to exportApi.ts. */
function typeErrors(cases: readonly ExportCase[]): string[] {
  const files = new Map<string, string>();
  cases.forEach((c, k) => {
    const dir = path.join(ROOT, '.codegen-check', `case${k}`);
    for (const f of generateCode(c.project, 'ts').files) files.set(path.join(dir, f.path), f.content);
    files.set(path.join(dir, 'engine.ts'), `export * from ${JSON.stringify(path.join(HERE, 'exportApi'))};\n`);
  });
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  const source = host.getSourceFile.bind(host);
  host.readFile = (f) => files.get(f) ?? read(f);
  host.fileExists = (f) => files.has(f) || exists(f);
  const dirs = new Set([...files.keys()].map((f) => path.dirname(f)));
  const dirExists = host.directoryExists?.bind(host);
  host.directoryExists = (d) => dirs.has(d) || d === path.dirname([...dirs][0]) || (dirExists?.(d) ?? false);
  host.getSourceFile = (f, lang, ...rest) =>
    files.has(f) ? ts.createSourceFile(f, files.get(f)!, lang) : source(f, lang, ...rest);
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

/** model.ts as a class running on the real engine (types stripped, './engine.js' bound to exportApi). */
function loadModel(source: string): new (rng: Rng, dtype: string) => Generated & engineApi.Module {
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, useDefineForClassFields: true },
  }).outputText;
  const exports: Record<string, unknown> = {};
  const require = (m: string) => {
    if (m !== './engine.js') throw new Error(`model.ts imports "${m}"`);
    return engineApi;
  };
  new Function('require', 'exports', js)(require, exports);
  return exports.Model as never;
}

describe('TypeScript (engine) export', () => {
  // One TypeScript program over every case: ~40 s of compiler work on an idle 2-core machine, so its
  // limit is a guard against a hang, set well above what a loaded machine needs, not a speed target.
  it('type-checks (strict) for every example, test case and random graph', () => {
    expect(typeErrors(CASES_ALL)).toEqual([]);
  }, 300_000);

  for (const c of CASES_ALL) {
    it(`${c.name}: same weights, values, loss and gradients as the engine, bit for bit`, () => {
      const seed = 5;
      const r = compileGraph(c.project.graph, { seed, dtype: 'float64' });
      if (!r.ok) throw new Error(r.issues[0].message);
      const { files } = generateCode(c.project, 'ts');
      const Model = loadModel(files[0].content);
      const gen = new Model(new Rng(seed), 'float64');
      expect(gen.stateDict()).toEqual(r.model.stateDict());
      if (c.evalMode) {
        gen.eval();
        r.model.eval();
      }
      const batch = caseBatch(c, r.model);
      const plan = planProgram(c.project.graph, 'ts');
      const ours = r.model.forward(batch);
      const theirs = gen.forward(...plan.dataNodes.map((n) => batch[n.node.id]));
      for (const n of plan.nodes)
        for (const [port, v] of Object.entries(n.outputs)) {
          if (port === 'loss') continue;
          const want = ours.values.get(n.node.id)![port];
          expect(theirs.values[v].shape, v).toEqual(want.shape);
          expect(Array.from(theirs.values[v].data), v).toEqual(Array.from(want.data));
        }
      if (!ours.loss) return expect(theirs.loss).toBeNull();
      expect(theirs.loss!.item()).toBe(ours.loss.item());
      backward(ours.loss);
      backward(theirs.loss!);
      const mine = new Map(r.model.namedParameters());
      for (const [name, p] of gen.namedParameters())
        expect(Array.from(p.grad!.data), name).toEqual(Array.from(mine.get(name)!.grad!.data));
    });
  }
});
