import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadProjectValue } from '../../../engine/graph/load';
import xorExample from '../../../../resources/examples/xor-mlp.json';
import type { GraphDoc } from '../state/docModel';

/**
 * The live preview against a host that answers only when the test says so: the test counts the
 * preview requests in flight and sent, while edits arrive faster than the host answers.
 */
const calls: { channel: string; payload: Record<string, unknown>; answer: (v: unknown) => void }[] = [];
let inFlight = 0;
let maxInFlight = 0;

vi.mock('../api/connection', () => ({
  host: () => ({
    on: () => () => undefined,
    invoke: (channel: string, payload: Record<string, unknown>) =>
      new Promise((resolve) => {
        const preview = channel === 'session.preview';
        if (preview) maxInFlight = Math.max(maxInFlight, ++inFlight);
        calls.push({
          channel,
          payload,
          answer: (v) => {
            if (preview) inFlight--;
            resolve(v);
          },
        });
      }),
  }),
}));

const { appStore, getState, loadDocument, setDoc } = await import('../state/store');
await import('./livePreview');
const { PREVIEW_DEBOUNCE_MS } = await import('./livePreview');

const xor = loadProjectValue(xorExample);
if (!xor.ok) throw new Error(xor.error);

const summary = (shape: number[]) => ({
  shape,
  dtype: 'float32',
  min: 0,
  max: 0,
  mean: 0,
  std: 0,
  l2: 0,
  nanCount: 0,
  infCount: 0,
  preview: { shape, values: [] },
  histogram: { edges: [], counts: [] },
});

/** Answers every waiting `session.create` at once (a reused worker is quick). */
function answerCreates(): void {
  for (const c of calls.filter((x) => x.channel === 'session.create' && !('done' in x))) {
    Object.assign(c, { done: true });
    c.answer({
      sessionId: `s${calls.indexOf(c)}`,
      order: [],
      losses: ['loss'],
      parameters: [],
      dataset: { name: 'xor', train: 160, dev: 40, test: 0 },
      dtype: 'float32',
    });
  }
}

const previews = () => calls.filter((c) => c.channel === 'session.preview');
const creates = () => calls.filter((c) => c.channel === 'session.create');

/** The hidden layer's width in a copy of the XOR document. */
function withHidden(doc: GraphDoc, n: number): GraphDoc {
  const nodes = doc.graph.nodes.map((x) => (x.id === 'fc1' ? { ...x, params: { ...x.params, out_features: n } } : x));
  return { ...doc, graph: { ...doc.graph, nodes } };
}

beforeEach(() => {
  vi.useFakeTimers();
  appStore.setState((s) => ({ host: { ...s.host, status: 'connected' } }));
});
afterEach(() => vi.useRealTimers());

describe('live preview', () => {
  it('sends one preview per quiet spell, keeps at most one in flight and queues none while edits keep coming (counted)', async () => {
    loadDocument(xor.project, null, 'XOR');
    await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS);
    answerCreates();
    await vi.advanceTimersByTimeAsync(0);
    expect(previews()).toHaveLength(1);
    expect(previews()[0]!.payload).toMatchObject({ split: 'train', indices: [0], gradients: false });

    // 25 edits while that preview is in flight, some closer together than the debounce.
    for (let n = 2; n < 27; n++) {
      setDoc(withHidden(getState().doc, n));
      await vi.advanceTimersByTimeAsync(n % 2 === 0 ? 40 : PREVIEW_DEBOUNCE_MS + 10);
    }
    expect(previews()).toHaveLength(1);
    expect(getState().run.preview.state).toBe('waiting');

    // The first answer comes back: it is superseded, and exactly one more preview runs, of the last edit.
    const e = (id: string) => [id, summary([1, 8])];
    previews()[0]!.answer({
      size: 1,
      activations: { edges: Object.fromEntries(['e1', 'e2'].map(e)), parameters: {} },
      gradients: null,
      phase: 'forwarded',
      currentNode: null,
      loss: 0.7,
      step: 0,
    });
    await vi.advanceTimersByTimeAsync(0);
    answerCreates();
    await vi.advanceTimersByTimeAsync(0);
    expect(previews()).toHaveLength(2);
    const lastProject = creates().at(-1)!.payload.project as { graph: { nodes: { id: string; params: object }[] } };
    expect(lastProject.graph.nodes.find((x) => x.id === 'fc1')?.params).toMatchObject({ out_features: 26 });
    // The second create reused the first session's worker.
    expect(creates().at(-1)!.payload.reuse).toBe('s0');

    previews()[1]!.answer({
      size: 1,
      activations: { edges: { e2: summary([1, 26]) }, parameters: {} },
      gradients: null,
      phase: 'forwarded',
      currentNode: null,
      loss: 0.6,
      step: 0,
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(previews()).toHaveLength(2);
    expect(maxInFlight).toBe(1);
    expect(getState().run.preview).toEqual({ state: 'idle', reason: null });
    expect(getState().run.previewPass).toBe(true);
    expect(getState().run.edges.e2?.activation?.shape).toEqual([1, 26]);
  });

  it('a graph that cannot run sends nothing and says why', async () => {
    const before = calls.length;
    const doc = getState().doc;
    setDoc({ ...doc, graph: { ...doc.graph, edges: doc.graph.edges.filter((x) => x.id !== 'e1') } });
    await vi.advanceTimersByTimeAsync(PREVIEW_DEBOUNCE_MS * 4);
    expect(calls.length).toBe(before);
    expect(getState().run.preview.state).toBe('blocked');
    expect(getState().run.preview.reason).toMatch(/fc1/);
    // The glyphs stay, greyed (state blocked), rather than vanish or pass for current.
    expect(getState().run.edges.e2?.activation?.shape).toEqual([1, 26]);
  });
});
