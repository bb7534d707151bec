import { host } from '../api/connection';
import { appStore, getState, notify, setTraining, updateUi } from '../state/store';
import { LatestOnly } from '../step/latestOnly';
import { patch, setBeforeStepCommand } from '../step/stepQueue';
import { clearPass, passOf, withEdgeTensors, withParamTensors, withState, type Pass } from '../step/stepRun';
import type { StepRun } from '../step/stepTypes';
import { refreshTape, showReplayedTape, tapeStore } from '../tape/tapeController';
import { oneD, refreshBoundary, saveWeights, twoD } from './trainingController';
import type { TravelState } from './trainingTypes';

/**
 * Time travel through training: the host records the last steps of every run of the session
 * (host/workers/trainingRecorder.ts); the scrubber under the canvas replays one of them through
 * the paths live training uses — its edge summaries into the step run (glyphs), its parameters'
 * values and gradients as a step's backward pass reports them (the step panel's gradient bars),
 * its weights' decision boundary or fitted curve into the training plots, its tape into the tape
 * view when that is open — and "Step from here"
 * puts the step session at that step's weights and batch.
 */

const travel = (): TravelState => getState().training.travel;
const setTravel = (p: Partial<TravelState>): void => setTraining({ travel: { ...travel(), ...p } });

/**
 * The step session's pass as it was when the scrubber left the present (the live run's last glyphs
 * when paused, or a pass the student stepped), put back by Now. It belongs to that session at those
 * weights: nothing can change them while a recorded step is shown (a step command, a run or Step
 * from here go back to the present first or drop it), and the checks in `backToNow` make sure.
 */
let present: {
  readonly session: StepRun['session'];
  readonly updates: number;
  readonly pass: Pass;
} | null = null;

/** The session whose training is recorded: the Training tab's, while it is still the step session. */
function recordedSession(): string | null {
  const s = getState();
  const id = s.training.sessionId;
  return id !== null && s.run.session?.id === id ? id : null;
}

export function trainingActive(): boolean {
  const st = getState().training.state;
  return st === 'running' || st === 'paused';
}

/** Fetches the list of recorded steps (keeping the step shown when it is still recorded). */
export async function loadHistory(): Promise<void> {
  const id = recordedSession();
  if (id === null) {
    setTravel({ steps: [], capacity: null, bytes: 0, note: null, at: null, error: null });
    return;
  }
  try {
    const h = await host().invoke('training.history', { sessionId: id });
    if (recordedSession() !== id) return;
    const at = travel().at;
    const keep = at !== null && h.steps.some((x) => x.step === at);
    setTravel({
      steps: h.steps,
      capacity: h.capacity,
      bytes: h.bytes,
      budgetBytes: h.budgetBytes,
      note: h.note,
      error: null,
      ...(keep ? {} : { at: null }),
    });
  } catch (err) {
    setTravel({ error: err instanceof Error ? err.message : String(err) });
  }
}

export function openTravel(): void {
  setTravel({ open: true });
  void loadHistory();
}

export function closeTravel(): void {
  if (travel().at !== null) backToNow();
  setTravel({ open: false });
}

export function toggleTravel(): void {
  if (travel().open) closeTravel();
  else openTravel();
}

/** The newest slider position is replayed; positions passed over while one is in flight are skipped. */
const replayer = new LatestOnly(async (current) => {
  const id = recordedSession();
  const step = travel().at;
  if (id === null || step === null) return;
  const tape = tapeStore.getState().open;
  const res = await host().invoke('training.replay', {
    sessionId: id,
    step,
    ...(twoD() ? { boundary: { resolution: 64 } } : {}),
    ...(oneD() ? { curve: { resolution: 200 } } : {}),
    ...(tape !== null ? { tape: tape.nodeId !== null ? { nodeId: tape.nodeId } : {} } : {}),
  });
  if (!current() || travel().at !== step) return;
  // What training sent live for that step, through the same path (trainingController's training.edges).
  const values = Object.fromEntries(Object.entries(res.parameters).map(([n, p]) => [n, p.value]));
  const grads = Object.fromEntries(Object.entries(res.parameters).map(([n, p]) => [n, p.gradient]));
  patch((r) => {
    if (r.session?.id !== id) return r;
    const edges = withEdgeTensors(
      withEdgeTensors(clearPass(r), 'activation', res.activations),
      'gradient',
      res.gradients,
    );
    // The step panel's gradient bars and the inspector's parameters, at that step.
    return withParamTensors(withParamTensors({ ...edges, params: {} }, 'value', values), 'gradient', grads);
  });
  if (res.boundary) setTraining({ boundary: res.boundary, curve: null });
  if (res.curve) setTraining({ curve: res.curve, boundary: null });
  // The tape view (the ops of one node, or the whole network's), at that step.
  if (res.tape) showReplayedTape(res.tape, step);
});

/** Shows a recorded step on the canvas and in the plots. */
export function travelTo(step: number): void {
  if (getState().training.state === 'running') return;
  if (travel().at === null) {
    const r = getState().run;
    present = { session: r.session, updates: r.updates, pass: passOf(r) };
  }
  setTravel({ at: step, error: null });
  replayer.request();
}

/** Moves by `delta` recorded steps from the one shown (from the present when none is). */
export function travelBy(delta: number): void {
  const { steps, at } = travel();
  if (steps.length === 0) return;
  const i = at === null ? steps.length : steps.findIndex((x) => x.step === at);
  const j = i + delta;
  if (j >= steps.length) backToNow();
  else travelTo(steps[Math.max(0, j)].step);
}

/**
 * Back to the session's current weights: the replayed glyphs give way to the pass the canvas showed
 * before (or to none), the plots show the present.
 */
export function backToNow(): void {
  replayer.cancel();
  const id = recordedSession();
  const before = present;
  present = null;
  setTravel({ at: null });
  patch((r) => {
    if (r.session?.id !== id) return r;
    if (before !== null && before.session === r.session && before.updates === r.updates)
      return { ...r, ...before.pass };
    // The parameters' values are read again when shown: those of the replayed step are gone.
    return { ...clearPass(r), params: {} };
  });
  if (id !== null) void refreshBoundary(id);
  void refreshTape();
}

/**
 * "Step from here": the step session takes the weights the shown step computed with and loads its
 * batch, so a forward and a backward pass show exactly what that step showed; the steps after it
 * are forgotten by the host (training from here makes another future).
 */
export async function stepFromHere(): Promise<void> {
  const id = recordedSession();
  const step = travel().at;
  if (id === null || step === null || travel().busy) return;
  if (trainingActive()) {
    notify('Stop the run before stepping from a recorded step (it owns the weights while it runs).', 'error');
    return;
  }
  replayer.cancel();
  present = null;
  setTravel({ busy: true });
  try {
    const res = await host().invoke('training.stepFrom', { sessionId: id, step });
    const list = res.indices.join(', ');
    patch((r) =>
      withState(
        {
          ...clearPass(r),
          params: {},
          batch: { ...r.batch, split: 'train', mode: 'list', list },
          loaded: { split: 'train', indices: res.indices },
        },
        res,
        null,
      ),
    );
    // The project takes the weights, as after a run (the session first, so it is not made stale).
    await saveWeights(id);
    setTravel({ at: null });
    await Promise.all([loadHistory(), refreshBoundary(id)]);
    updateUi({ bottomTab: 'step' });
    notify(
      `The step session is at the weights step ${step} computed with, on its batch of ${res.size}: step forward to see what it saw.`,
      'info',
      6000,
    );
  } catch (err) {
    setTravel({ error: err instanceof Error ? err.message : String(err) });
  } finally {
    setTravel({ busy: false });
  }
}

const api = host();

// A run records new steps: the list is read again when it pauses or ends; running, the present is shown.
api.on('training.state', (p) => {
  if (getState().training.sessionId !== p.sessionId || !travel().open) return;
  if (p.state === 'running') {
    if (travel().at !== null) backToNow();
    return;
  }
  void loadHistory();
});

// A step command (F10, F5, an update, a new batch…) acts on the step session: a recorded step shown
// gives way to the present first, so the new pass is not drawn over the replayed one.
setBeforeStepCommand(() => {
  if (travel().at !== null) backToNow();
});

// The tape view opened (or turned to another node) on a recorded step: the replay brings its tape.
tapeStore.subscribe((s, prev) => {
  if (s.open !== null && s.open !== prev.open && travel().at !== null) replayer.request();
});

// The session behind the record was replaced (an edit, Reset weights): its steps are gone with it.
appStore.subscribe((s, prev) => {
  if (s.run.session === prev.run.session && s.training.sessionId === prev.training.sessionId) return;
  const t = s.training.travel;
  if (recordedSession() === null && (t.at !== null || t.steps.length > 0)) {
    replayer.cancel();
    setTravel({ at: null, steps: [], bytes: 0, note: null, error: null });
  }
});
