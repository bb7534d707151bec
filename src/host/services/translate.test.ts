// session.translate, the Training tab's Translate box: a typed word decoded greedily by the
// session's own model. Checked on the seq2seq-attention example before and after the session
// trains it through the host, against the engine's greedy decoding with the weights the session
// reports (so the box shows the trained model, not the initial one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fsp, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadProject } from '../../engine/graph/load';
import { compileGraph, compileProject, dumpWeights } from '../../engine/runtime/compile';
import { setCustomCodeHost } from '../../engine/runtime/customCode';
import { greedyDecode, translationTask } from '../../engine/train/greedyDecode';
import { encodeToySource } from '../../engine/train/toyTranslation';
import { closeHost, createHost } from '../createHost';
import type { Host } from '../host';
import { createCustomSandbox, CUSTOM_TIMEOUT_MS, esbuildTranspile } from '../workers/customSandbox';
import { seq2seqWithCustomNode } from '../workers/customSeq2seq.test-support';

const text = (id: string) => readFileSync(new URL(`../../../resources/examples/${id}.json`, import.meta.url), 'utf8');
const ctx = { transport: 'direct', clientId: 't' } as const;
let dir: string;
let host: Host;
const finished = new Set<string>();

// The engine's reference decoding of a project with a custom node runs its code as the session's worker does.
const sandbox = createCustomSandbox({ timeoutMs: CUSTOM_TIMEOUT_MS, transpile: esbuildTranspile });

beforeAll(async () => {
  setCustomCodeHost(sandbox);
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-translate-'));
  host = createHost({
    app: { name: 'Backprop Studio', version: '0', electron: null, mode: 'headless' },
    dataDir: dir,
    studio: { sessions: { poolWorkers: 1 } },
  });
  host.onEvent((event, payload) => {
    if (event === 'training.finished') finished.add((payload as { sessionId: string }).sessionId);
  });
});
afterAll(async () => {
  setCustomCodeHost(undefined);
  await closeHost(host);
  await fsp.rm(dir, { recursive: true, force: true });
});

async function ok<T>(channel: string, payload: unknown): Promise<T> {
  const r = await host.invoke(channel, payload, ctx);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

interface Translation {
  source: string[];
  output: string[];
  expected: string[];
  attention: number[][] | null;
  task: string;
}

describe('session.translate', () => {
  it('refuses a letter outside the alphabet and a project that is not on the translation task', async () => {
    const project = JSON.parse(text('seq2seq-attention')) as unknown;
    const { sessionId } = await ok<{ sessionId: string }>('session.create', { project });
    const bad = await host.invoke('session.translate', { sessionId, source: 'abz' }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(bad.ok ? '' : bad.error.message).toMatch(/"z" is not a letter of this task's alphabet/);
    await ok('session.close', { sessionId });
    const xor = await ok<{ sessionId: string }>('session.create', { project: JSON.parse(text('xor-mlp')) });
    const refused = await host.invoke('session.translate', { sessionId: xor.sessionId, source: 'abc' }, ctx);
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(refused.ok ? '' : refused.error.message).toMatch(/needs the toy translation data set/);
    await ok('session.close', { sessionId: xor.sessionId });
  });

  it('a seq2seq with a custom node: the session loads its parameters from the project, reports them in session.weights and decodes with them', async () => {
    const project = seq2seqWithCustomNode(sandbox);
    // The seed's weights with mix.w four times larger (exact in float32), saved in the project.
    const weights = dumpWeights(compileProject(project));
    const initial = weights['mix.w']!.data;
    weights['mix.w']!.data = initial.map((v) => v * 4);
    const { sessionId } = await ok<{ sessionId: string }>('session.create', { project: { ...project, weights } });
    const reported = await ok<{ weights: typeof weights }>('session.weights', { sessionId });
    expect(reported.weights['mix.w']).toEqual(weights['mix.w']);
    expect(reported.weights).toEqual(weights);

    const got = await ok<Translation>('session.translate', { sessionId, source: 'abcdef' });
    const task = translationTask(project.training.dataset)!;
    const decode = (w: typeof weights) => {
      const model = compileProject(project, { weights: w });
      return greedyDecode(model, task.layout, [encodeToySource('abcdef', task.letters, 6)])[0]!;
    };
    const d = decode(weights);
    expect(got.output.slice(0, d.tokens.length)).toEqual(d.tokens.map((k) => task.vocabulary[k]));
    expect(got.attention).toEqual(d.attention!.map((row) => row.slice(0, 6)));
    // With the seed's mix.w the attention is another: the session decoded with the project's.
    const seedAttention = decode({ ...weights, 'mix.w': { ...weights['mix.w']!, data: initial } }).attention!;
    expect(got.attention).not.toEqual(seedAttention.map((row) => row.slice(0, 6)));
    await ok('session.close', { sessionId });
  }, 300_000);

  it('decodes with the trained weights after the session trains the seq2seq-attention example', async () => {
    const project = JSON.parse(text('seq2seq-attention')) as unknown;
    const { sessionId } = await ok<{ sessionId: string }>('session.create', { project });
    const before = await ok<Translation>('session.translate', { sessionId, source: 'a b c d e f' });
    expect(before.source).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(before.expected).toEqual(['f', 'e', 'd', 'c', 'b', 'a']);
    expect(before.task).toBe('reverse');
    // One attention row per output step, one column per source letter.
    expect(before.attention!.length).toBe(before.output.length);
    for (const row of before.attention!) expect(row.length).toBe(6);

    await ok('training.start', { sessionId });
    while (!finished.has(sessionId)) await new Promise((r) => setTimeout(r, 100));
    const status = await ok<{ state: string }>('training.status', { sessionId });
    expect(status.state).toBe('finished');

    const after = await ok<Translation>('session.translate', { sessionId, source: 'abcdef' });
    expect(after.output).toEqual([...after.expected, '</s>']);
    expect(after.output).not.toEqual(before.output);
    // Each output letter looks hardest at the source letter it copies: the anti-diagonal.
    for (let t = 0; t < 6; t++) {
      const row = after.attention![t];
      expect(row.indexOf(Math.max(...row)), `output step ${t}`).toBe(5 - t);
    }

    // The same decoding as the engine's with the weights the session reports.
    const { weights } = await ok<{ weights: Record<string, { shape: number[]; data: number[] }> }>('session.weights', {
      sessionId,
    });
    const loaded = loadProject(text('seq2seq-attention'));
    if (!loaded.ok) throw new Error(loaded.error);
    const p = loaded.project;
    const compiled = compileGraph(p.graph, { seed: p.training.seed, dtype: 'float32', weights });
    if (!compiled.ok) throw new Error(compiled.issues[0].message);
    const task = translationTask(p.training.dataset)!;
    const [d] = greedyDecode(compiled.model, task.layout, [encodeToySource('abcdef', task.letters, 6)]);
    expect(after.output).toEqual([...d.tokens, 2].map((k) => task.vocabulary[k]));
    expect(after.attention).toEqual(d.attention!.map((row) => row.slice(0, 6)));
    await ok('session.close', { sessionId });
  }, 600_000);
});
