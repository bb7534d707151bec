import { saveProject } from '../../../engine/graph/load';
import type { TensorSummary } from '../../../shared/api/tensor';
import type { StepReportPayload } from '../../../shared/api/session';
import { host } from '../api/connection';
import { appStore, getState, notify, setRun, updateUi } from '../state/store';
import { batchIndices, describeBatch } from './batchChoice';
import { sameComputation } from './sameComputation';
import { clearPass, forwardDone, forwardStartsNewPass, withEdgeTensors, withParamTensors, withState } from './stepRun';
import type { SessionState } from './stepRun';
import type { GradCheckResult, InspectTarget, SessionInfo, StepRun } from './stepTypes';

/**
 * The step session, driven from the renderer: every command goes to the host's session API,
 * one at a time, and what the host reports is stored in the run slice. Nothing here computes
 * a tensor: the glyphs show exactly what the API returned.
 */

let queue: Promise<unknown> = Promise.resolve();

function patch(f: (run: StepRun) => StepRun): void {
  setRun(f(getState().run));
}

/** Runs commands one after another (a held shortcut queues them rather than interleaving). */
function serial<T>(what: string, f: () => Promise<T>): Promise<T | undefined> {
  const next = queue.then(async () => {
    patch((r) => ({ ...r, busy: true }));
    try {
      return await f();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      patch((r) => ({ ...r, error: `${what} failed: ${message}` }));
      notify(`${what} failed: ${message}`, 'error', 7000);
      return undefined;
    } finally {
      patch((r) => ({ ...r, busy: false }));
    }
  });
  queue = next;
  return next;
}

function sessionId(): string {
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

/** A session for the current document and a loaded batch, creating either when needed. */
async function ensureReady(): Promise<SessionInfo> {
  const s = getState();
  let session = s.run.session;
  if (!session || !sameComputation(session.doc, s.doc)) {
    const doc = s.doc;
    const res = await host().invoke('session.create', {
      project: JSON.parse(saveProject(doc)) as Record<string, unknown>,
    });
    session = {
      id: res.sessionId,
      doc,
      order: res.order,
      losses: res.losses,
      parameters: res.parameters,
      dataset: res.dataset,
    };
    const info = session;
    patch((r) => ({
      ...clearPass(r),
      session: info,
      loaded: null,
      phase: 'empty',
      updates: 0,
      params: {},
      inspect: null,
    }));
  }
  if (!getState().run.loaded) await loadChosenBatch(session);
  return session;
}

async function loadChosenBatch(session: SessionInfo): Promise<void> {
  const { batch } = getState().run;
  if (!session.dataset)
    throw new Error('The project has no data set to take a batch from; choose one in the training settings.');
  const parsed = batchIndices(batch, session.dataset[batch.split]);
  if (!parsed.ok) throw new Error(parsed.message);
  const res = await host().invoke('session.loadBatch', {
    sessionId: session.id,
    split: batch.split,
    indices: parsed.indices,
  });
  patch((r) => withState({ ...clearPass(r), loaded: { split: batch.split, indices: parsed.indices } }, res, null));
}

async function edgeSummaries(
  id: string,
  edges: readonly string[],
  kind: 'activation' | 'gradient',
): Promise<Record<string, TensorSummary | null>> {
  const out: Record<string, TensorSummary | null> = {};
  const answers = await Promise.all(
    edges.map((edgeId) => host().invoke('session.edgeSummary', { sessionId: id, edgeId, kind })),
  );
  edges.forEach((e, i) => (out[e] = answers[i]!.summary));
  return out;
}

async function paramSummaries(
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
function showStepTab(view?: StepRun['view']): void {
  if (getState().ui.bottomTab !== 'step') updateUi({ bottomTab: 'step' });
  if (view && getState().run.view !== view) setRun({ view });
}

async function forwardReports(
  id: string,
  reports: readonly StepReportPayload[],
  st: SessionState,
  startedNew: boolean,
): Promise<void> {
  const edges = [...new Set(reports.flatMap((r) => r.edges))];
  const sums = await edgeSummaries(id, edges, 'activation');
  patch((r) =>
    withState(withEdgeTensors(startedNew ? clearPass(r) : r, 'activation', sums), st, reports.at(-1) ?? null),
  );
}

async function backwardReports(id: string, reports: readonly StepReportPayload[], st: SessionState): Promise<void> {
  const edges = [...new Set(reports.flatMap((r) => r.edges))];
  const params = [...new Set(reports.flatMap((r) => r.parameters ?? []))];
  const [grads, pgrads] = await Promise.all([
    edgeSummaries(id, edges, 'gradient'),
    paramSummaries(id, params, 'gradient'),
  ]);
  patch((r) =>
    withState(withParamTensors(withEdgeTensors(r, 'gradient', grads), 'gradient', pgrads), st, reports.at(-1) ?? null),
  );
}

export function stepForward(): Promise<unknown> {
  showStepTab('activations');
  return serial('Forward step', async () => {
    const { id } = await ensureReady();
    const startedNew = forwardStartsNewPass(getState().run.phase);
    const res = await host().invoke('session.stepForward', { sessionId: id });
    if (!res.report) {
      patch((r) => withState(r, res, null));
      notify('The forward pass is complete: step backward, or reset to start again.', 'info');
      return;
    }
    await forwardReports(id, [res.report], res, startedNew);
  });
}

export function runForward(): Promise<unknown> {
  showStepTab('activations');
  return serial('Run forward', async () => {
    const { id } = await ensureReady();
    const startedNew = forwardStartsNewPass(getState().run.phase);
    const res = await host().invoke('session.runForward', { sessionId: id });
    await forwardReports(id, res.reports, res, startedNew);
  });
}

/** Completes the forward pass first (with its activations shown), as backprop needs it. */
async function finishForward(id: string): Promise<void> {
  if (forwardDone(getState().run.phase)) return;
  const startedNew = forwardStartsNewPass(getState().run.phase);
  const res = await host().invoke('session.runForward', { sessionId: id });
  await forwardReports(id, res.reports, res, startedNew);
}

export function stepBackward(): Promise<unknown> {
  showStepTab('gradients');
  return serial('Backward step', async () => {
    const { id } = await ensureReady();
    if (getState().run.phase === 'updated')
      throw new Error('The weights were just updated: run a new forward pass before stepping backward.');
    await finishForward(id);
    const res = await host().invoke('session.stepBackward', { sessionId: id });
    if (!res.report) {
      patch((r) => withState(r, res, null));
      notify('The backward pass is complete: apply the update, or reset.', 'info');
      return;
    }
    await backwardReports(id, [res.report], res);
  });
}

export function runBackward(): Promise<unknown> {
  showStepTab('gradients');
  return serial('Run backward', async () => {
    const { id } = await ensureReady();
    if (getState().run.phase === 'updated')
      throw new Error('The weights were just updated: run a new forward pass before running backward.');
    await finishForward(id);
    const res = await host().invoke('session.runBackward', { sessionId: id });
    await backwardReports(id, res.reports, res);
  });
}

export function applyUpdate(): Promise<unknown> {
  showStepTab();
  return serial('Apply update', async () => {
    const id = sessionId();
    const res = await host().invoke('session.applyUpdate', { sessionId: id });
    const values = await paramSummaries(id, res.parameters, 'value');
    patch((r) => withState(withParamTensors(r, 'value', values), res, null));
    notify(
      `Updated ${res.parameters.length} parameter tensor${res.parameters.length === 1 ? '' : 's'} (update ${res.step}); inspect one to see before, after and the change.`,
      'success',
    );
  });
}

export function resetSession(): Promise<unknown> {
  return serial('Reset', async () => {
    const run = getState().run;
    if (!run.session) {
      patch((r) => clearPass(r));
      return;
    }
    const res = await host().invoke('session.reset', { sessionId: run.session.id });
    patch((r) => withState(clearPass(r), res, null));
  });
}

/** Loads the batch chosen in the picker (a new pass starts). */
export function loadBatch(): Promise<unknown> {
  return serial('Load batch', async () => {
    const session = await ensureReady();
    await loadChosenBatch(session);
    const loaded = getState().run.loaded;
    if (loaded) notify(`Loaded ${describeBatch(loaded.indices)} of the ${loaded.split} split.`, 'info', 2500);
  });
}

/** The parameter values for the inspector and the current node's panel, fetched when first shown. */
export function fetchParameterValues(names: readonly string[]): Promise<unknown> {
  return serial('Read parameters', async () => {
    const id = sessionId();
    const missing = names.filter((n) => !getState().run.params[n]?.value);
    if (missing.length === 0) return;
    const values = await paramSummaries(id, missing, 'value');
    patch((r) => withParamTensors(r, 'value', values));
  });
}

export function inspect(target: InspectTarget | null): void {
  setRun({ inspect: target });
}

/** Asks the host to compare backprop's gradient with central finite differences. */
export async function gradCheck(target: InspectTarget): Promise<GradCheckResult> {
  const id = sessionId();
  const ref =
    target.type === 'edge'
      ? { type: 'edge' as const, edgeId: target.edgeId }
      : { type: 'parameter' as const, name: target.name };
  // In the queue, so that it sees the pass the user is looking at; failures are shown by the caller.
  const answer = queue.then(() => host().invoke('session.gradCheck', { sessionId: id, ref, samples: 16 }));
  queue = answer.catch(() => undefined);
  return answer;
}

// A new document (or one that computes something else) makes the session stale: close it so its
// worker does not linger, and drop what it showed.
appStore.subscribe((s, prev) => {
  const old = prev.run.session;
  if (old && s.run.session !== old) void closeSession(old.id);
  if (s.doc !== prev.doc && s.run.session && s.run.session === old && !sameComputation(s.run.session.doc, s.doc)) {
    setRun({ ...clearPass(s.run), session: null, loaded: null, phase: 'empty', inspect: null, params: {} });
  }
});

// A crashed worker loses the pass it held: say so, and start a fresh session at the next step
// unless the host is restarting this one from its checkpoint.
host().on('session.crashed', (p) => {
  const run = getState().run;
  if (run.session?.id !== p.sessionId) return;
  setRun({
    ...clearPass(run),
    error: p.message,
    ...(p.restarting ? { loaded: null } : { session: null, loaded: null, phase: 'empty' }),
  });
});
