// 1,000 fuzzed payloads per channel: the host never throws, never crashes, and every rejection
// is a typed error (a known code and a message).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { readFileSync } from 'node:fs';
import { apiChannels, apiMethods } from '../shared/api/contract';
import { rpcErrorCodes, rpcResultSchema } from '../shared/rpc';
import { closeHost, createHost } from './createHost';
import type { Host } from './host';

const RUNS = 1000;
const SEED = 20261127;
let dir: string;
let host: Host;
const ctx = { transport: 'direct', clientId: 'fuzz' } as const;

const xor = JSON.parse(
  readFileSync(new URL('../../resources/examples/xor-mlp.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
let sessionId = '';
const crashes: unknown[] = [];

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-fuzz-'));
  host = createHost({
    app: { name: 'Backprop Studio', version: '0', electron: null, mode: 'headless' },
    dataDir: dir,
    studio: { sessions: { poolWorkers: 0, maxSessions: 4 } },
  });
  host.onEvent((event, payload) => {
    if (event === 'session.crashed') crashes.push(payload);
  });
  const r = await host.invoke('session.create', { project: xor }, ctx);
  if (!r.ok) throw new Error(r.error.message);
  sessionId = (r.value as { sessionId: string }).sessionId;
  await host.invoke('session.loadBatch', { sessionId, split: 'train', indices: [0, 1] }, ctx);
});

/** A valid payload per channel; the mutation fuzz below damages one spot of it at a time. */
function validSamples(): Record<string, unknown> {
  const graph = xor.graph;
  return {
    'projects.openContent': { content: JSON.stringify(xor) },
    'projects.saveContent': { document: xor },
    'graph.validate': { graph },
    'graph.inferShapes': { graph },
    'datasets.preview': { name: 'spiral', params: { n: 30 }, rows: 3 },
    'datasets.importCsv': { content: 'a,b,y\n1,2,0\n3,4,1\n', fileName: 'f.csv' },
    'session.loadBatch': { sessionId, split: 'train', indices: [0, 1] },
    'session.stepForward': { sessionId },
    'session.stepBackward': { sessionId },
    'session.stepBackwardOp': { sessionId },
    'session.tape': { sessionId, nodeId: 'fc1', maxOps: 10 },
    'session.runForward': { sessionId },
    'session.runBackward': { sessionId },
    'session.reset': { sessionId },
    'session.edgeSummary': { sessionId, edgeId: 'e1', kind: 'activation' },
    'session.parameterSummary': { sessionId, name: 'fc1.weight', kind: 'value' },
    'session.fullTensor': { sessionId, ref: { type: 'parameter', name: 'fc1.bias', kind: 'gradient' } },
    'session.gradCheck': { sessionId, ref: { type: 'parameter', name: 'fc2.bias' }, samples: 2 },
    'session.decisionBoundary': { sessionId, resolution: 8 },
    'session.confusionMatrix': { sessionId, split: 'train' },
    'session.fittedCurve': { sessionId, resolution: 8 },
    'session.lossView': { sessionId },
    'session.unrolled': { sessionId, nodeId: 'fc1' },
    'session.stepBackwardTime': { sessionId, nodeId: 'fc1' },
    'session.setMode': { sessionId, mode: 'eval' },
    'session.translate': { sessionId, source: 'ab' },
    'session.weights': { sessionId },
    'training.status': { sessionId },
    'training.history': { sessionId },
    'training.replay': { sessionId, step: 1, boundary: { resolution: 8 } },
    'training.stepFrom': { sessionId, step: 1 },
  };
}

/** Replaces, deletes or poisons one value somewhere inside `sample`. */
function mutate(sample: unknown): fc.Arbitrary<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, p: (string | number)[], depth: number): void => {
    paths.push(p);
    if (depth > 6 || v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) walk(x, [...p, Array.isArray(v) ? Number(k) : k], depth + 1);
  };
  walk(sample, [], 0);
  return fc
    .tuple(
      fc.constantFrom(...paths),
      fc.oneof(
        fc.anything({ maxDepth: 2 }),
        fc.constant(undefined),
        fc.constant('__proto__'),
        fc.double(),
        fc.integer({ min: -1e9, max: 1e9 }),
      ),
    )
    .map(([p, value]) => {
      const copy = structuredClone(sample) as Record<string | number, unknown>;
      if (p.length === 0) return value;
      let at: Record<string | number, unknown> = copy;
      for (const k of p.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
      const last = p[p.length - 1];
      if (value === undefined) delete at[last];
      else if (value === '__proto__')
        Object.defineProperty(at, '__proto__', {
          value: { polluted: true },
          enumerable: true,
          configurable: true,
          writable: true,
        });
      else at[last] = value;
      return copy;
    });
}
afterAll(async () => {
  await closeHost(host);
  await fsp.rm(dir, { recursive: true, force: true });
});

/** Keys of the channel's request object, so payloads often look almost right. */
function keysOf(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape !== undefined ? Object.keys(shape) : [];
}

function payloads(channel: string): fc.Arbitrary<unknown> {
  const keys = keysOf(apiMethods[channel as keyof typeof apiMethods].request);
  const nearlyRight =
    keys.length > 0
      ? fc.dictionary(
          fc.constantFrom(...keys, '__proto__', 'constructor', 'extra'),
          fc.anything({ maxDepth: 3, withObjectString: true, withNullPrototype: true }),
          { maxKeys: keys.length + 1 },
        )
      : fc.constant({ extra: 1 });
  return fc.oneof(
    fc.anything({
      maxDepth: 4,
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withNullPrototype: true,
    }),
    nearlyRight,
    fc.constant(undefined),
    fc.string(),
  );
}

describe('fuzzed API payloads', () => {
  it('valid payloads damaged at one spot get a result or a typed error, and never crash a session worker', async () => {
    const codes = new Set<string>(rpcErrorCodes);
    const samples = validSamples();
    for (const [channel, sample] of Object.entries(samples)) {
      const valid = await host.invoke(channel, sample, ctx);
      expect(rpcResultSchema.safeParse(valid).success).toBe(true);
      await fc.assert(
        fc.asyncProperty(mutate(sample), async (payload) => {
          const result = await host.invoke(channel, payload, ctx);
          expect(rpcResultSchema.safeParse(result).success).toBe(true);
          if (!result.ok) expect(codes.has(result.error.code)).toBe(true);
        }),
        { numRuns: 200, seed: SEED },
      );
    }
    expect(crashes).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  }, 300_000);

  it(`every channel answers ${RUNS} random payloads with a result or a typed error`, async () => {
    const codes = new Set<string>(rpcErrorCodes);
    const tally: Record<string, { ok: number; rejected: Record<string, number> }> = {};
    for (const channel of apiChannels) {
      const t: { ok: number; rejected: Record<string, number> } = (tally[channel] = { ok: 0, rejected: {} });
      await fc.assert(
        fc.asyncProperty(payloads(channel), async (payload) => {
          const result = await host.invoke(channel, payload, ctx);
          expect(rpcResultSchema.safeParse(result).success).toBe(true);
          if (result.ok) t.ok++;
          else {
            expect(codes.has(result.error.code)).toBe(true);
            expect(result.error.message.length).toBeGreaterThan(0);
            t.rejected[result.error.code] = (t.rejected[result.error.code] ?? 0) + 1;
          }
        }),
        { numRuns: RUNS, seed: SEED },
      );
    }
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(
      Object.getOwnPropertyNames(Object.getPrototypeOf({})).sort(),
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(crashes).toEqual([]);
    const ok = Object.values(tally).reduce((a, t) => a + t.ok, 0);
    const rejected = Object.values(tally).reduce((a, t) => a + Object.values(t.rejected).reduce((x, y) => x + y, 0), 0);
    console.log(
      `fuzz seed ${SEED}: ${apiChannels.length} channels × ${RUNS} payloads: ${ok} answered, ${rejected} typed rejections, 0 crashes`,
    );
  }, 300_000);
});
