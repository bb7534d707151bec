import { projectDocument } from '../../../engine/graph/load';
import type { TensorSummary } from '../../../shared/api/tensor';
import { host } from '../api/connection';
import { appStore, getState, setRun } from '../state/store';
import { batchIndices, transformToSend } from './batchChoice';
import { sameComputation } from './sameComputation';
import { patch } from './stepQueue';
import { clearPass, withState } from './stepRun';
import type { SessionInfo } from './stepTypes';

/** The host's step session behind the Step tab: created on demand, closed when it goes stale. */

export function sessionId(): string {
  const s = getState().run.session;
  if (!s) throw new Error('No step session is open.');
  return s.id;
}

async function closeSession(id: string): Promise<void> {
  try {
    await host().invoke('session.close', { sessionId: id });
  } catch {
    // The worker may already be gone (crash, reload); nothing is left to free.
  }
}

/**
 * A session given up because the document changed: its worker thread is kept for the next
 * session (`session.create`'s `reuse`), which then starts in milliseconds instead of seconds.
 */
let spare: string | null = null;

function takeSpare(): string | undefined {
  const id = spare ?? undefined;
  spare = null;
  return id;
}

/** A session compiled from the current document (and the step bar's precision), created when needed. */
export async function ensureSession(): Promise<SessionInfo> {
  const s = getState();
  const current = s.run.session;
  if (current && sameComputation(current.doc, s.doc) && current.dtype === s.run.dtype) return current;
  const doc = s.doc;
  const reuse = current?.id ?? takeSpare();
  const res = await host().invoke('session.create', {
    project: projectDocument(doc),
    dtype: s.run.dtype,
    ...(reuse !== undefined ? { reuse } : {}),
  });
  const session: SessionInfo = {
    id: res.sessionId,
    doc,
    order: res.order,
    losses: res.losses,
    parameters: res.parameters,
    dataset: res.dataset,
    dtype: res.dtype,
  };
  // A new session computes in training mode: the evaluation mode the student chose carries over.
  if (s.run.mode === 'eval') await host().invoke('session.setMode', { sessionId: res.sessionId, mode: 'eval' });
  patch((r) => ({
    ...clearPass(r),
    session,
    loaded: null,
    phase: 'empty',
    updates: 0,
    params: {},
    inspect: null,
  }));
  return session;
}

/** A session for the current document and a loaded batch, creating either when needed. */
export async function ensureReady(): Promise<SessionInfo> {
  const session = await ensureSession();
  if (!getState().run.loaded) await loadChosenBatch(session);
  return session;
}

export async function loadChosenBatch(session: SessionInfo): Promise<void> {
  const { batch } = getState().run;
  if (!session.dataset)
    throw new Error('The project has no data set to take a batch from; choose one in the training settings.');
  const parsed = batchIndices(batch, session.dataset[batch.split]);
  if (!parsed.ok) throw new Error(parsed.message);
  const transform = transformToSend(batch.transform, session.doc.graph.nodes);
  const res = await host().invoke('session.loadBatch', {
    sessionId: session.id,
    split: batch.split,
    indices: parsed.indices,
    ...(transform ? { transform } : {}),
  });
  patch((r) =>
    withState({ ...clearPass(r), loaded: { split: batch.split, indices: parsed.indices, transform } }, res, null),
  );
}
/** Parameter summaries the panels ask for themselves (a step's answer carries those it touched). */
export async function paramSummaries(
  id: string,
  names: readonly string[],
  kind: 'value' | 'gradient',
): Promise<Record<string, TensorSummary | null>> {
  const out: Record<string, TensorSummary | null> = {};
  const answers = await Promise.all(
    names.map((name) => host().invoke('session.parameterSummary', { sessionId: id, name, kind })),
  );
  names.forEach((n, i) => (out[n] = answers[i]!.summary));
  return out;
}

/** Brings the step panel forward and shows what the step produces: activations forward, gradients backward. */
// A new document (or one that computes something else) makes the session stale: close it so its
// worker does not linger, and drop what it showed.
appStore.subscribe((s, prev) => {
  const old = prev.run.session;
  // By id: the session's record is replaced when the project takes its trained weights. A
  // session dropped for a changed document keeps its thread as the spare for the next one; one
  // replaced by another is closed (a no-op when the other took its thread).
  if (old && s.run.session?.id !== old.id) {
    if (s.run.session === null && !crashed.has(old.id)) {
      if (spare !== null) void closeSession(spare);
      spare = old.id;
    } else void closeSession(old.id);
  }
  if (
    s.doc !== prev.doc &&
    s.run.session &&
    s.run.session.id === old?.id &&
    !sameComputation(s.run.session.doc, s.doc)
  ) {
    // With the live preview on, the glyphs stay (greyed) until the preview replaces them.
    const keep = s.ui.livePreview.on ? { edges: s.run.edges } : {};
    setRun({ ...clearPass(s.run), ...keep, session: null, loaded: null, phase: 'empty', inspect: null, params: {} });
  }
});

/** Sessions whose worker died for good: never kept as the spare. */
const crashed = new Set<string>();

// A crashed worker loses the pass it held: say so, and start a fresh session at the next step
// unless the host is restarting this one from its checkpoint.
host().on('session.crashed', (p) => {
  const run = getState().run;
  if (run.session?.id !== p.sessionId) return;
  if (!p.restarting) crashed.add(p.sessionId);
  setRun({
    ...clearPass(run),
    error: p.message,
    ...(p.restarting ? { loaded: null } : { session: null, loaded: null, phase: 'empty' }),
  });
});
