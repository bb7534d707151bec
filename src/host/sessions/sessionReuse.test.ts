import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { SessionManager } from './sessionManager';
import { loadProject } from '../../engine/graph/load';
import type { Project } from '../../engine/graph/schema';
import type { Response } from '../../shared/api/contract';

function loaded(text: string): Project {
  const r = loadProject(text);
  if (!r.ok) throw new Error(r.error);
  return r.project;
}
const xorText = readFileSync(new URL('../../../resources/examples/xor-mlp.json', import.meta.url), 'utf8');
const xor = loaded(xorText);
/** XOR with a hidden layer of `n` units. */
function xorWith(n: number): Project {
  const p = loaded(xorText);
  const fc1 = p.graph.nodes.find((x) => x.id === 'fc1')!;
  fc1.params = { ...fc1.params, out_features: n };
  return p;
}

const m = new SessionManager({ emit: () => undefined, poolWorkers: 0 });
afterAll(() => m.closeAll());

type Preview = Response<'session.preview'>;
const preview = (id: string, gradients: boolean): Promise<Preview> =>
  m.call(id, 'session.preview', { sessionId: id, split: 'train', indices: [0], gradients });

describe('live preview and reused session workers', () => {
  it('previews every edge in one call, and the next forward step starts the pass again', async () => {
    const id = await m.create(xor);
    const p = await preview(id, false);
    expect(p.size).toBe(1);
    expect(p.phase).toBe('forwarded');
    expect(p.gradients).toBeNull();
    const edges = xor.graph.edges.map((e) => e.id);
    expect(Object.keys(p.activations.edges).sort()).toEqual([...edges].sort());
    for (const e of edges) expect(p.activations.edges[e]?.shape[0], e).toBe(1);
    expect(p.activations.edges.e2?.shape).toEqual([1, 8]);
    expect(p.activations.parameters['fc1.weight']?.shape).toEqual([8, 2]);

    // The same example stepped by hand computes the same activation as the preview showed.
    const first = await m.call(id, 'session.stepForward', { sessionId: id });
    expect(first.report?.index).toBe(0);
    expect(first.phase).toBe('forward');
    const run = await m.call(id, 'session.runForward', { sessionId: id });
    expect(run.tensors.edges.e2).toEqual(p.activations.edges.e2);
  });

  it('with gradients, backpropagates too; a backward step after a forward-only preview continues its pass', async () => {
    const id = await m.create(xor);
    const p = await preview(id, true);
    expect(p.phase).toBe('backwarded');
    expect(p.gradients?.edges.e2?.shape).toEqual([1, 8]);
    expect(p.gradients?.parameters['fc1.weight']?.shape).toEqual([8, 2]);
    await preview(id, false);
    const back = await m.call(id, 'session.stepBackward', { sessionId: id });
    expect(back.report?.direction).toBe('backward');
    expect(back.phase).toBe('backward');
  });

  it('a new project takes the worker of the session it reuses: new id, same thread, the old id gone', async () => {
    const a = await m.create(xor);
    const threadA = ((await m.diagnose(a, 'ping')) as { threadId: number }).threadId;
    const b = await m.create(xorWith(3), 0, 'float64', a);
    expect(b).not.toBe(a);
    expect(m.has(a)).toBe(false);
    expect(((await m.diagnose(b, 'ping')) as { threadId: number }).threadId).toBe(threadA);
    expect(m.info(b).parameters.find((x) => x.name === 'fc1.weight')?.shape).toEqual([3, 2]);
    expect(m.info(b).dtype).toBe('float64');
    const p = await preview(b, true);
    expect(p.activations.edges.e2?.shape).toEqual([1, 3]);
    expect(p.activations.edges.e2?.dtype).toBe('float64');

    // Weights start from the project (its seed), as in a new thread: the same numbers.
    const fresh = await m.create(xorWith(3), 0, 'float64');
    expect((await preview(fresh, true)).gradients).toEqual(p.gradients);
    await m.close(fresh);
  });

  it('a project that does not compile fails as in a new thread and leaves the reused session working', async () => {
    const a = await m.create(xor);
    const bad = loaded(xorText);
    bad.graph.edges = bad.graph.edges.filter((e) => e.id !== 'e1');
    await expect(m.create(bad, 0, 'float32', a)).rejects.toThrow(/fc1|input/i);
    expect((await preview(a, false)).phase).toBe('forwarded');
  });
});
