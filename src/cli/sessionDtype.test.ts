// A float64 step session computes what the CLI's `run --dtype float64` computes, to the last digit:
// the numbers a student checks by hand in the app are the numbers of the double-precision engine.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './cli';
import { closeHost, createHost } from '../host/createHost';
import type { Host } from '../host/host';

const file = new URL('../../resources/examples/xor-mlp.json', import.meta.url);
const xor = JSON.parse(readFileSync(file, 'utf8')) as { graph: { edges: { id: string }[] } };
const ctx = { transport: 'direct', clientId: 't' } as const;
let dir: string;
let host: Host;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bps-dtype-'));
  host = createHost({
    app: { name: 'Backprop Studio', version: '0', electron: null, mode: 'headless' },
    dataDir: dir,
    studio: { sessions: { poolWorkers: 0 } },
  });
});
afterAll(async () => {
  await closeHost(host);
  rmSync(dir, { recursive: true, force: true });
});

async function ok<T>(channel: string, payload: unknown): Promise<T> {
  const r = await host.invoke(channel, payload, ctx);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe('the float64 step session', () => {
  it('reports its precision, and its edge values and gradients equal the CLI’s float64 run bit for bit', async () => {
    const inputs = [
      [0.1, -0.7],
      [1, 0.3],
      [-0.45, 0.9],
    ];
    const targets = [[0], [1], [1]];
    const s = await ok<{ sessionId: string; dtype: string }>('session.create', { project: xor, dtype: 'float64' });
    expect(s.dtype).toBe('float64');
    const f32 = await ok<{ sessionId: string; dtype: string }>('session.create', { project: xor });
    expect(f32.dtype).toBe('float32');
    for (const id of [s.sessionId, f32.sessionId]) {
      await ok('session.loadBatch', { sessionId: id, inputs, targets });
      await ok('session.runForward', { sessionId: id });
      await ok('session.runBackward', { sessionId: id });
    }

    writeFileSync(path.join(dir, 'x.json'), JSON.stringify(inputs));
    writeFileSync(path.join(dir, 'y.json'), JSON.stringify(targets));
    const out = path.join(dir, 'run.json');
    const args = ['run', file.pathname, '--input', path.join(dir, 'x.json'), '--target', path.join(dir, 'y.json')];
    const code = await main([...args, '--dtype', 'float64', '--out', out], { stdout: () => {}, stderr: () => {} });
    expect(code).toBe(0);
    const cli = JSON.parse(readFileSync(out, 'utf8')) as {
      dtype: string;
      edges: Record<string, { activation: { data: number[] } | null; gradient: { data: number[] } | null }>;
    };
    expect(cli.dtype).toBe('float64');

    let differsInFloat32 = false;
    let compared = 0;
    for (const { id: edgeId } of xor.graph.edges) {
      for (const kind of ['activation', 'gradient'] as const) {
        const want = cli.edges[edgeId][kind]?.data ?? null;
        const got = await ok<{ tensor: { values: number[]; dtype: string } | null }>('session.fullTensor', {
          sessionId: s.sessionId,
          ref: { type: 'edge', edgeId, kind },
        });
        // NOTE: the session keeps no tensor for the edges out of the data nodes (the batch itself).
        if (got.tensor === null) continue;
        compared++;
        expect(got.tensor.dtype).toBe('float64');
        expect(got.tensor.values, `${edgeId} ${kind}`).toEqual(want);
        const single = await ok<{ tensor: { values: number[]; dtype: string } | null }>('session.fullTensor', {
          sessionId: f32.sessionId,
          ref: { type: 'edge', edgeId, kind },
        });
        if (JSON.stringify(single.tensor?.values ?? null) !== JSON.stringify(want)) differsInFloat32 = true;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(6);
    // The float32 session rounds: the comparison above would catch a session that ignored the switch.
    expect(differsInFloat32).toBe(true);
  });
});
