// 1,000 fuzzed payloads per channel: the host never throws, never crashes, and every rejection
// is a typed error (a known code and a message).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import { apiChannels, apiMethods } from '../shared/api/contract';
import { rpcErrorCodes, rpcResultSchema } from '../shared/rpc';
import { closeHost, createHost } from './createHost';
import type { Host } from './host';

const RUNS = 1000;
const SEED = 20261127;
let dir: string;
let host: Host;
const ctx = { transport: 'direct', clientId: 'fuzz' } as const;

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-fuzz-'));
  host = createHost({ app: { name: 'Backprop Studio', version: '0', electron: null, mode: 'headless' }, dataDir: dir, studio: { sessions: { poolWorkers: 0, maxSessions: 4 } } });
});
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
      ? fc.dictionary(fc.constantFrom(...keys, '__proto__', 'constructor', 'extra'), fc.anything({ maxDepth: 3, withObjectString: true, withNullPrototype: true }), { maxKeys: keys.length + 1 })
      : fc.constant({ extra: 1 });
  return fc.oneof(
    fc.anything({ maxDepth: 4, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true }),
    nearlyRight,
    fc.constant(undefined),
    fc.string(),
  );
}

describe('fuzzed API payloads', () => {
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
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(Object.getOwnPropertyNames(Object.getPrototypeOf({})).sort());
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    console.log(`fuzz seed ${SEED}: ${apiChannels.length} channels × ${RUNS} payloads; ${JSON.stringify(tally)}`);
  }, 300_000);
});
