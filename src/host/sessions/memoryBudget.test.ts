// One memory budget for the whole host process (finding 5: three sessions with a 1 GiB layer each
// used to OOM-kill the server and every client with it). A session whose network would pass the
// budget at its training batch size is refused at session.create with a sentence, before its
// worker allocates anything, and the open sessions live on; the checkpoints the host keeps count.
// The budget here is small (64 MB) so that the test allocates little.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fsp, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryBytes } from '../../engine/graph/memory';
import { loadProjectValue } from '../../engine/graph/load';
import { validateGraph } from '../../engine/graph/validate';
import { createStudio, type Studio } from '../services/studio';

const ctx = { transport: 'direct', clientId: 'budget' } as const;
const xor = JSON.parse(readFileSync(new URL('../../../resources/examples/xor-mlp.json', import.meta.url), 'utf8')) as {
  graph: { nodes: Array<{ id: string; params: Record<string, unknown> }> };
  training: Record<string, unknown>;
};

/** The XOR network with a hidden layer of `width` units (and its batch of 16, or `batchSize`). */
function withHidden(width: number, batchSize?: number): Record<string, unknown> {
  const nodes = xor.graph.nodes.map((n) =>
    n.id === 'fc1' ? { ...n, params: { ...n.params, out_features: width } } : n,
  );
  const training = batchSize === undefined ? xor.training : { ...xor.training, batchSize };
  return { ...xor, graph: { ...xor.graph, nodes }, training };
}

function needOf(project: Record<string, unknown>): number {
  const r = loadProjectValue(project);
  if (!r.ok) throw new Error(r.error);
  return memoryBytes(validateGraph(r.project.graph).size, r.project.training.batchSize);
}

let dir: string;
let studio: Studio;
beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'bps-budget-'));
  studio = createStudio({
    dataDir: dir,
    sessions: { poolWorkers: 0, tensorBudgetMb: 40, processBudgetMb: 64 },
    emit: () => undefined,
  });
});
afterAll(async () => {
  await studio.close();
  await fsp.rm(dir, { recursive: true, force: true });
});

const call = (channel: keyof Studio['handlers'], req: unknown): Promise<Record<string, unknown>> =>
  (studio.handlers[channel] as (r: unknown, c: typeof ctx) => Promise<Record<string, unknown>>)(req, ctx);

describe('one memory budget for the host process', () => {
  it('refuses the session that would pass it, with a sentence, and the others live on', async () => {
    // About 25 MB each at the example's batch of 16: two fit in 64 MB, a third does not.
    const project = withHidden(80_000);
    const need = needOf(project);
    expect(need).toBeGreaterThan(22 * 1024 ** 2);
    expect(need).toBeLessThan(30 * 1024 ** 2);
    const a = (await call('session.create', { project })).sessionId as string;
    const b = (await call('session.create', { project })).sessionId as string;
    await expect(call('session.create', { project })).rejects.toMatchObject({
      code: 'busy',
      message: expect.stringMatching(
        /^This network needs 0\.0\d\d GB; the open sessions already use 0\.0\d\d GB of the 0\.063 GB the app may use\. Close another session/,
      ),
    });
    expect(studio.sessions.size).toBe(2);
    // Both sessions still step.
    for (const sessionId of [a, b]) {
      await call('session.loadBatch', { sessionId, split: 'train', indices: [0, 1, 2, 3] });
      expect(await call('session.runForward', { sessionId })).toBeDefined();
    }
    // Closing one makes room.
    await call('session.close', { sessionId: a });
    const c = (await call('session.create', { project })).sessionId as string;
    await call('session.close', { sessionId: b });
    await call('session.close', { sessionId: c });
  }, 120_000);

  it('refuses a network over one session’s budget, and one over the engine’s limit, before a worker starts', async () => {
    await expect(call('session.create', { project: withHidden(160_000) })).rejects.toMatchObject({
      code: 'invalid-request',
      message: expect.stringMatching(/^This network needs 0\.0\d\d GB; the limit is 0\.039 GB for one session\./),
    });
    await expect(call('session.create', { project: withHidden(1 << 20, 256) })).rejects.toMatchObject({
      code: 'invalid-request',
      message: expect.stringMatching(/^This network needs \d+\.\d GB; the limit is 2\.0 GB \(.*batch 256\)/),
    });
    expect(studio.sessions.size).toBe(0);
  });

  it('counts the checkpoints the host keeps', async () => {
    const { sessionId } = (await call('session.create', { project: withHidden(10_000) })) as { sessionId: string };
    expect(studio.sessions.budgetUsage().checkpointBytes).toBe(0);
    await call('session.loadBatch', { sessionId, split: 'train', indices: [0, 1, 2, 3] });
    await call('session.runForward', { sessionId });
    await call('session.runBackward', { sessionId });
    await call('session.applyUpdate', { sessionId });
    // The checkpoint arrives after the update's answer; weights (41,001) and SGD momentum, float32.
    for (let i = 0; i < 3000 && studio.sessions.budgetUsage().checkpointBytes === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(studio.sessions.budgetUsage().checkpointBytes).toBeGreaterThanOrEqual(4 * 40_001);
    await call('session.close', { sessionId });
    expect(studio.sessions.budgetUsage().checkpointBytes).toBe(0);
  }, 60_000);
});
