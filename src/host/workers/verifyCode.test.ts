import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promises as fsp } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCode } from '../../engine/codegen/generate';
import { loadProject } from '../../engine/graph/load';
import type { Project } from '../../engine/graph/schema';
import { closeHost, createHost } from '../createHost';
import type { Host } from '../host';
import { batchFor, loadProjectData } from './projectData';
import { StepRuntime } from './stepRuntime';
import { VERIFIABLE_LANGS } from '../../shared/api/export';
import { RUNNERS, verifyCode } from './verifyCode';

/**
 * Verify runs the generated TypeScript for real (transpiled, evaluated against engine.js) and
 * compares it with the session's own pass: for every example it agrees bit for bit, also after
 * optimizer updates; a program that computes something else is caught; through the host it runs
 * inside the session's worker.
 */
const EXAMPLES = path.resolve(__dirname, '../../../resources/examples');
const example = (file: string): Project => {
  const r = loadProject(readFileSync(path.join(EXAMPLES, file), 'utf8'));
  if (!r.ok) throw new Error(r.error);
  return r.project;
};

/** The first training samples Verify is run on: 8, or all of a smaller training set. */
const firstSamples = (project: Project): number[] => loadProjectData(project).split.train.slice(0, 8);

/** A step runtime on the example with its first (up to 8) training samples loaded. */
function runtime(project: Project, dtype: 'float32' | 'float64' = 'float32'): StepRuntime {
  const rt = new StepRuntime(project, null, dtype);
  const data = loadProjectData(project);
  rt.loadTensors(batchFor(rt.model, data.dataset, firstSamples(project)));
  return rt;
}

describe('Verify', () => {
  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'))) {
    it(`${file}: the TypeScript (engine) program gives the session's loss and gradients bit for bit, before and after an update`, async () => {
      const project = example(file);
      const rt = runtime(project);
      const first = await verifyCode(rt, 'ts');
      const batchSize = firstSamples(project).length;
      expect(batchSize).toBeGreaterThan(0);
      expect(first).toMatchObject({ same: true, bitForBit: true, maxError: 0, worst: null, batchSize });
      expect(first.loss.code).toBe(first.loss.canvas);
      expect(first.gradients).toBe(rt.model.namedParameters().length);
      expect(first.entries).toBe(1 + rt.model.parameters().reduce((n, p) => n + p.size, 0));
      rt.runBackward();
      rt.applyUpdate();
      const second = await verifyCode(rt, 'ts');
      expect(second).toMatchObject({ same: true, bitForBit: true });
      // The new weights give another loss: Verify used the session's current ones.
      expect(second.loss.canvas).not.toBe(first.loss.canvas);
    });
  }

  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'))) {
    it(`${file}: the TypeScript (from scratch) program, in float64, gives the session's loss and gradients: to 1e-9 in a float64 session, to float32's rounding in a float32 one`, async () => {
      const project = example(file);
      const rt64 = runtime(project, 'float64');
      const r64 = await verifyCode(rt64, 'ts-scratch');
      expect(r64).toMatchObject({ same: true, dtype: 'float64', codeDtype: 'float64', tolerance: 1e-9 });
      expect(r64.maxError).toBeLessThanOrEqual(1e-9);
      expect(r64.gradients).toBe(rt64.model.namedParameters().length);
      expect(r64.entries).toBe(1 + rt64.model.parameters().reduce((n, p) => n + p.size, 0));

      const rt32 = runtime(project);
      const r32 = await verifyCode(rt32, 'ts-scratch');
      // float64 code against a float32 canvas: compared with a tolerance and never called bit for bit.
      expect(r32).toMatchObject({
        same: true,
        bitForBit: false,
        dtype: 'float32',
        codeDtype: 'float64',
        tolerance: 1e-5,
      });
      expect(r32.maxError).toBeLessThanOrEqual(1e-5);
      // The same weights, so the same loss up to float32's rounding in both sessions.
      expect(r32.loss.code).toBeCloseTo(r64.loss.code!, 5);
      rt32.runBackward();
      rt32.applyUpdate();
      const after = await verifyCode(rt32, 'ts-scratch');
      expect(after.same).toBe(true);
      expect(after.loss.canvas).not.toBe(r32.loss.canvas);
    });
  }

  it('catches a from-scratch program whose backward pass is wrong, in either precision', async () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const rt = runtime(example('xor-mlp.json'), dtype);
      const files = generateCode(rt.project, 'ts-scratch').files.map((f) => ({
        ...f,
        content: f.content.replace('dz[i] * (1 - z[i] * z[i])', 'dz[i] * (1.5 - z[i] * z[i])'),
      }));
      expect(files[0].content).not.toBe(generateCode(rt.project, 'ts-scratch').files[0].content);
      const r = await verifyCode(rt, 'ts-scratch', files);
      expect(r.same).toBe(false);
      expect(r.maxError).toBeGreaterThan(1e-3);
      // The loss is right: the forward pass was not touched, a gradient is where it differs.
      expect(r.loss.code).toBeCloseTo(r.loss.canvas!, 5);
      expect(r.worst!.name).not.toBe('loss');
    }
  });

  it('catches a program that computes something else, naming where', async () => {
    const rt = runtime(example('xor-mlp.json'));
    const files = generateCode(rt.project, 'ts').files.map((f) =>
      f.path === 'model.ts' ? { ...f, content: f.content.replace('tanh(fc1)', 'tanh(tanh(fc1))') } : f,
    );
    expect(files[0].content).toContain('tanh(tanh(fc1))');
    const r = await verifyCode(rt, 'ts', files);
    expect(r.same).toBe(false);
    expect(r.maxError).toBeGreaterThan(1e-3);
    expect(r.worst).not.toBeNull();
  });

  it('reports a program that throws as a failure with its message', async () => {
    const rt = runtime(example('xor-mlp.json'));
    const files = generateCode(rt.project, 'ts').files.map((f) =>
      f.path === 'model.ts' ? { ...f, content: f.content.replace('tanh(fc1)', 'undefinedFunction(fc1)') } : f,
    );
    await expect(verifyCode(rt, 'ts', files)).rejects.toThrow(/The generated code failed: .*undefinedFunction/);
  });

  it('runs exactly the languages the Code tab offers Verify for', () => {
    expect(Object.keys(RUNNERS).sort()).toEqual([...VERIFIABLE_LANGS].sort());
  });

  it('refuses PyTorch (it is not run here) and a session without a batch', async () => {
    const rt = runtime(example('xor-mlp.json'));
    await expect(verifyCode(rt, 'python')).rejects.toThrow(/PyTorch/);
    await expect(verifyCode(new StepRuntime(example('xor-mlp.json'), null), 'ts')).rejects.toThrow(/Load a batch/);
  });

  describe('through the host, in the session worker', () => {
    let dir: string;
    let host: Host;
    const ctx = { transport: 'direct', clientId: 't' } as const;
    beforeAll(async () => {
      dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-verify-'));
      host = createHost({
        app: { name: 'Backprop Studio', version: '0', electron: null, mode: 'headless' },
        dataDir: dir,
        studio: { sessions: { poolWorkers: 0 } },
      });
    });
    afterAll(async () => {
      await closeHost(host);
      await fsp.rm(dir, { recursive: true, force: true });
    });
    const ok = async <T>(channel: string, payload: unknown): Promise<T> => {
      const r = await host.invoke(channel, payload, ctx);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
      return r.value as T;
    };

    it('session.verifyCode answers for the loaded batch after steps and an update', async () => {
      const project = JSON.parse(readFileSync(path.join(EXAMPLES, 'xor-mlp.json'), 'utf8')) as unknown;
      const { sessionId } = await ok<{ sessionId: string }>('session.create', { project });
      await ok('session.loadBatch', { sessionId, split: 'train', indices: [0, 1, 2, 3] });
      await ok('session.runBackward', { sessionId });
      await ok('session.applyUpdate', { sessionId });
      const r = await ok<Record<string, unknown>>('session.verifyCode', { sessionId, lang: 'ts' });
      expect(r).toMatchObject({ lang: 'ts', same: true, bitForBit: true, batchSize: 4, mode: 'train' });
      const scratch = await ok<Record<string, unknown>>('session.verifyCode', { sessionId, lang: 'ts-scratch' });
      expect(scratch).toMatchObject({ lang: 'ts-scratch', same: true, bitForBit: false, codeDtype: 'float64' });
      const bad = await host.invoke('session.verifyCode', { sessionId, lang: 'python' }, ctx);
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    });
  });
});
