import type { TrainingSettings } from '../../../engine/graph/schema';
import { host } from '../api/connection';
import { appStore, getState, notify, setDoc, setRun, setSelection, setTraining, updateUi } from '../state/store';
import type { GraphDoc } from '../state/docModel';
import { ensureReady } from '../step/stepSession';
import { patch } from '../step/stepQueue';
import { clearPass, withEdgeTensors } from '../step/stepRun';
import type { StepRun } from '../step/stepTypes';
import { describeRun } from './runLabel';
import type { PastRun, RunCurves, SeriesPoint, TrainingRun } from './trainingTypes';

/**
 * Training from the Training tab: the host trains the step session's model in its worker (the
 * engine's loop, the CLI's); this module starts and steers it, and keeps what its events report.
 * The same session serves the step tools, so stepping after training starts from the trained
 * weights.
 */

const MAX_RUNS = 4;
/** Edge glyphs refresh at most this often while training (the host sends up to 10 a second). */
const EDGE_REFRESH_MS = 500;
/** The decision boundary (or a regression's fitted curve) is recomputed at most this often while training. */
const BOUNDARY_REFRESH_MS = 1000;

const tr = (): TrainingRun => getState().training;
const mine = (sessionId: string): boolean => tr().sessionId === sessionId;

let runStart: { step: number; elapsedMs: number } | null = null;
let lastEdges = 0;
let lastBoundary = 0;

function archiveCurves(): PastRun[] {
  const t = tr();
  if (t.curves.train.length === 0) return [...t.runs];
  const id = (t.runs.at(-1)?.id ?? 0) + 1;
  return [...t.runs, { id, label: t.label, ...t.curves }].slice(-MAX_RUNS);
}

function freshCurves(): RunCurves {
  return { train: [], dev: [], test: null };
}

/** Starts training for `epochs` more epochs (default: the settings'); a stale session is recreated first. */
export async function train(epochs?: number): Promise<void> {
  const t = tr();
  if (t.state === 'running' || t.state === 'paused') return;
  flushNow();
  setTraining({ failure: null, finished: null });
  try {
    const session = await ensureReady();
    if (session.id !== tr().sessionId) {
      // New weights or settings: the curves so far become an earlier run to compare with.
      setTraining({
        runs: archiveCurves(),
        curves: freshCurves(),
        sessionId: session.id,
        label: describeRun(getState().doc),
        confusion: { dev: null, test: null },
        boundary: null,
        curve: null,
      });
    }
    runStart = null;
    setTraining({ state: 'running', progress: null });
    const res = await host().invoke('training.start', {
      sessionId: session.id,
      ...(epochs !== undefined ? { epochs } : {}),
    });
    setTraining({ state: res.state });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    setTraining({ state: 'failed', failure: { reason: message, nodeId: null } });
    notify(`Training could not start: ${message}`, 'error', 7000);
  }
}

async function control(what: 'training.pause' | 'training.resume' | 'training.stop'): Promise<void> {
  const id = tr().sessionId;
  if (!id) return;
  try {
    await host().invoke(what, { sessionId: id });
  } catch (err) {
    notify(err instanceof Error ? err.message : String(err), 'error');
  }
}

export const pauseTraining = (): Promise<void> => control('training.pause');
export const resumeTraining = (): Promise<void> => control('training.resume');
export const stopTraining = (): Promise<void> => control('training.stop');

/** Re-initialises the weights from the seed (undoable): the project forgets its trained weights. */
export function resetWeights(): void {
  const doc = getState().doc;
  setTraining({
    runs: archiveCurves(),
    curves: freshCurves(),
    sessionId: null,
    boundary: null,
    curve: null,
    finished: null,
  });
  setTraining({ confusion: { dev: null, test: null }, failure: null, progress: null, state: 'idle' });
  if (doc.weights === undefined) {
    // No saved weights, but the session holds trained ones: a new session starts from the seed.
    setRun({ session: null, loaded: null, phase: 'empty' });
    return;
  }
  const { weights: _w, ...rest } = doc;
  setDoc(rest as GraphDoc);
}

/** Changes the project's training settings (one undo step). */
export function setTrainingSettings(settings: TrainingSettings): void {
  const doc = getState().doc;
  if (JSON.stringify(doc.training) === JSON.stringify(settings)) return;
  setDoc({ ...doc, training: settings });
}

/** Saves the session's weights in the project, keeping the session (it holds exactly these). */
export async function saveWeights(sessionId: string): Promise<void> {
  const { weights } = await host().invoke('session.weights', { sessionId });
  const s = getState();
  const session = s.run.session;
  if (!session || session.id !== sessionId) return;
  const doc: GraphDoc = { ...s.doc, weights };
  // The session first, so that the document change does not make it stale.
  setRun({ session: { ...session, doc } });
  setDoc(doc);
}

function isClassification(): boolean {
  return tr().data?.description?.task === 'classification';
}

export function twoD(): boolean {
  const d = tr().data?.description;
  return !!d && d.task === 'classification' && d.featureShape.reduce((a, b) => a * b, 1) === 2;
}

export function oneD(): boolean {
  const d = tr().data?.description;
  return !!d && d.task === 'regression' && d.featureShape.reduce((a, b) => a * b, 1) === 1;
}

/** The plot of what the model predicts: the decision boundary of a 2-D classifier, the fitted curve of a 1-D regression. */
export async function refreshBoundary(sessionId: string): Promise<void> {
  if (!twoD() && !oneD()) return;
  lastBoundary = Date.now();
  try {
    if (twoD()) {
      const grid = await host().invoke('session.decisionBoundary', { sessionId, resolution: 64 });
      if (mine(sessionId)) setTraining({ boundary: grid, curve: null });
    } else {
      const curve = await host().invoke('session.fittedCurve', { sessionId, resolution: 200 });
      if (mine(sessionId)) setTraining({ curve, boundary: null });
    }
  } catch {
    // A graph whose scores are not classes (or not one value per sample) has nothing to draw.
  }
}

async function refreshConfusion(sessionId: string, withTest: boolean): Promise<void> {
  if (!isClassification()) return;
  try {
    const dev = await host().invoke('session.confusionMatrix', { sessionId, split: 'dev' });
    const test = withTest ? await host().invoke('session.confusionMatrix', { sessionId, split: 'test' }) : null;
    if (mine(sessionId))
      setTraining({ confusion: { dev: dev.samples > 0 ? dev : null, test: test && test.samples > 0 ? test : null } });
  } catch {
    // No dev split, or scores that are not classes: nothing to count.
  }
}

/** The step view after the weights moved under it: no pass, no batch, parameter values read again when shown. */
function trainedSince(r: StepRun): StepRun {
  return { ...clearPass(r), params: {}, loaded: null, phase: 'empty' };
}

/** After a run: the step pass is stale (the worker reset it), the weights go into the project. */
async function afterRun(sessionId: string, final: boolean): Promise<void> {
  patch((r) => (r.session?.id === sessionId ? trainedSince(r) : r));
  try {
    await saveWeights(sessionId);
  } catch (err) {
    notify(`The trained weights could not be read: ${err instanceof Error ? err.message : String(err)}`, 'error');
  }
  await Promise.all([refreshBoundary(sessionId), refreshConfusion(sessionId, final)]);
}

function mergePoints(
  cur: readonly SeriesPoint[],
  s: { points: readonly SeriesPoint[]; reset: boolean } | null,
): readonly SeriesPoint[] {
  if (!s) return cur;
  return s.reset ? s.points : [...cur, ...s.points];
}

const api = host();

api.on('training.state', (p) => {
  if (!mine(p.sessionId)) return;
  flushNow();
  setTraining({ state: p.state });
  // Paused, the weights are not those the step tools last read; running again, a pass stepped
  // while paused shows weights the run is about to change.
  if (p.state === 'paused' || p.state === 'running')
    patch((r) => (r.session?.id === p.sessionId ? trainedSince(r) : r));
  if (p.state === 'paused') void afterPause(p.sessionId);
});

async function afterPause(sessionId: string): Promise<void> {
  await Promise.all([refreshBoundary(sessionId), refreshConfusion(sessionId, false)]);
}

// Progress and curves reach the store at most every UI_REFRESH_MS: the host sends up to ten
// events a second of each kind, and re-drawing the charts that often only costs frames.
const UI_REFRESH_MS = 250;
let pending: Partial<TrainingRun> = {};
let flushTimer: ReturnType<typeof setTimeout> | null = null;

function later(update: (cur: TrainingRun) => Partial<TrainingRun>): void {
  pending = { ...pending, ...update({ ...tr(), ...pending }) };
  flushTimer ??= setTimeout(flushNow, UI_REFRESH_MS);
}

function flushNow(): void {
  if (flushTimer !== null) clearTimeout(flushTimer);
  flushTimer = null;
  const p = pending;
  pending = {};
  if (Object.keys(p).length > 0) setTraining(p);
}

api.on('training.progress', (p) => {
  if (!mine(p.sessionId)) return;
  runStart ??= { step: p.step, elapsedMs: p.elapsedMs };
  const dt = p.elapsedMs - runStart.elapsedMs;
  const batchSize = getState().doc.training.batchSize;
  const examplesPerSecond = dt > 200 ? ((p.step - runStart.step) * batchSize * 1000) / dt : null;
  later(() => ({ progress: { ...p, examplesPerSecond } }));
});

api.on('training.epoch', (p) => {
  if (!mine(p.sessionId)) return;
  later((t) => ({
    curves: { ...t.curves, train: mergePoints(t.curves.train, p.train), dev: mergePoints(t.curves.dev, p.dev) },
  }));
  if (Date.now() - lastBoundary > BOUNDARY_REFRESH_MS) void refreshBoundary(p.sessionId);
});

api.on('training.edges', (p) => {
  const now = Date.now();
  if (!mine(p.sessionId) || now - lastEdges < EDGE_REFRESH_MS) return;
  lastEdges = now;
  patch((r) =>
    r.session?.id === p.sessionId
      ? withEdgeTensors(withEdgeTensors(r, 'activation', p.activations), 'gradient', p.gradients)
      : r,
  );
});

api.on('training.finished', (p) => {
  if (!mine(p.sessionId)) return;
  flushNow();
  const c = tr().curves;
  setTraining({ finished: p, curves: { ...c, test: p.test } });
  void afterRun(p.sessionId, true);
});

api.on('training.failed', (p) => {
  if (!mine(p.sessionId)) return;
  flushNow();
  const remedy = p.nodeId
    ? ' Lower the learning rate, standardise the features, or clip the gradients, then reset the weights and train again.'
    : '';
  setTraining({ state: 'failed', failure: { reason: `${p.reason}${remedy}`, nodeId: p.nodeId ?? null } });
  if (p.nodeId) setSelection({ nodes: [p.nodeId], edges: [] });
  notify(`Training stopped: ${p.reason}`, 'error', 9000);
  void afterRun(p.sessionId, false);
});

// The session behind the curves was closed (the graph changed): training of it is over.
appStore.subscribe((s, prev) => {
  const id = s.training.sessionId;
  if (id && prev.run.session?.id === id && s.run.session?.id !== id && s.training.state !== 'idle')
    setTraining({
      state: s.training.state === 'running' || s.training.state === 'paused' ? 'stopped' : s.training.state,
    });
});

/** Brings the Training tab forward. */
export function showTraining(): void {
  if (getState().ui.bottomTab !== 'training') updateUi({ bottomTab: 'training' });
}
