import type { SessionState, StepReportPayload, StepTensors } from '../../../shared/api/session';
import { host } from '../api/connection';
import { getState, setRun, updateUi } from '../state/store';
import { enqueue, patch, serial } from './stepQueue';
import { clearPass, forwardStartsNewPass, withEdgeTensors, withParamTensors, withState } from './stepRun';
import { ensureReady, ensureSession, loadChosenBatch, paramSummaries, sessionId } from './stepSession';
import type { GradCheckResult, InputTransform, InspectTarget, StepRun } from './stepTypes';

/**
 * The step commands, driven from the renderer: every command goes to the host's session API and
 * what the host reports is stored in the run slice. Nothing here computes a tensor: the glyphs
 * show exactly what the API returned.
 */

function showStepTab(view?: StepRun['view']): void {
  // The Losses tab follows the step session: stepping from it keeps it in view.
  const tab = getState().ui.bottomTab;
  if (tab !== 'step' && tab !== 'losses') updateUi({ bottomTab: 'step' });
  if (view && getState().run.view !== view) setRun({ view });
}

/** The activations of the edges a forward command filled and the values of the parameters it read. */
function withForward(r: StepRun, tensors: StepTensors, startedNew: boolean): StepRun {
  return withParamTensors(
    withEdgeTensors(
      withEdgeTensors(startedNew ? clearPass(r) : r, 'activation', tensors.edges),
      'mask',
      tensors.masks ?? {},
    ),
    'value',
    tensors.parameters,
  );
}

/** Stores what a forward command computed. */
function forwardAnswer(
  res: SessionState & { tensors: StepTensors },
  last: StepReportPayload | null,
  startedNew: boolean,
): void {
  patch((r) => withState(withForward(r, res.tensors, startedNew), res, last));
}

/** A backward command's answer: with the forward pass it completed first, when it had to. */
export type BackwardAnswer = SessionState & {
  tensors: StepTensors;
  forward?: { reports: StepReportPayload[]; tensors: StepTensors };
};

/**
 * Stores what a backward command computed: the activations of the forward pass it completed
 * first, if any, then the final gradients of its edges and parameters. `startedNew`: whether that
 * forward pass replaced the one shown (as a forward step from the same phase would).
 */
export function backwardAnswer(res: BackwardAnswer, last: StepReportPayload | null, startedNew = false): void {
  patch((r) => {
    const shown = res.forward ? withForward(r, res.forward.tensors, startedNew) : r;
    return withState(
      withParamTensors(withEdgeTensors(shown, 'gradient', res.tensors.edges), 'gradient', res.tensors.parameters),
      res,
      last,
    );
  });
}

/** Whether a forward pass run now would replace the one shown (read before the command is sent). */
export function passStartsNew(): boolean {
  return forwardStartsNewPass(getState().run.phase, getState().run.previewPass);
}

export function stepForward(): Promise<unknown> {
  showStepTab('activations');
  return serial('Forward step', async () => {
    const { id } = await ensureReady();
    const startedNew = passStartsNew();
    const res = await host().invoke('session.stepForward', { sessionId: id });
    // Past the last node (no report): the step bar says the pass is complete.
    forwardAnswer(res, res.report, startedNew && res.report !== null);
  });
}

export function runForward(): Promise<unknown> {
  showStepTab('activations');
  return serial('Run forward', async () => {
    const { id } = await ensureReady();
    const startedNew = passStartsNew();
    const res = await host().invoke('session.runForward', { sessionId: id });
    forwardAnswer(res, res.reports.at(-1) ?? null, startedNew);
  });
}

export function stepBackward(): Promise<unknown> {
  showStepTab('gradients');
  return serial('Backward step', async () => {
    const { id } = await ensureReady();
    if (getState().run.phase === 'updated')
      throw new Error('The weights were just updated: run a new forward pass before stepping backward.');
    // The session completes the forward pass first when it has to, in the same round trip.
    const startedNew = passStartsNew();
    const res = await host().invoke('session.stepBackward', { sessionId: id });
    backwardAnswer(res, res.report, startedNew);
  });
}

/**
 * Backpropagation through time, one time step of recurrent node `nodeId` at a time (the unrolled
 * view's command); a node step before and after the node. The unrolled view reads the gradients.
 */
export function stepBackwardTime(nodeId: string): Promise<unknown> {
  showStepTab('gradients');
  return serial('Backward through time', async () => {
    const { id } = await ensureReady();
    if (getState().run.phase === 'updated')
      throw new Error('The weights were just updated: run a new forward pass before stepping backward.');
    const startedNew = passStartsNew();
    const res = await host().invoke('session.stepBackwardTime', { sessionId: id, nodeId });
    // Inside the node no node step is complete: the step bar says the pass is under way at it.
    backwardAnswer(res, res.report, startedNew);
  });
}

export function runBackward(): Promise<unknown> {
  showStepTab('gradients');
  return serial('Run backward', async () => {
    const { id } = await ensureReady();
    if (getState().run.phase === 'updated')
      throw new Error('The weights were just updated: run a new forward pass before running backward.');
    const startedNew = passStartsNew();
    const res = await host().invoke('session.runBackward', { sessionId: id });
    backwardAnswer(res, res.reports.at(-1) ?? null, startedNew);
  });
}

export function applyUpdate(): Promise<unknown> {
  showStepTab();
  return serial('Apply update', async () => {
    const id = sessionId();
    const res = await host().invoke('session.applyUpdate', { sessionId: id });
    patch((r) => withState(withParamTensors(r, 'value', res.tensors.parameters), res, null));
  });
}

/**
 * Training or evaluation mode for the next passes (dropout masks and batch statistics, or
 * neither); an open session starts its pass over in the new mode.
 */
export function setMode(mode: StepRun['mode']): Promise<unknown> {
  return serial('Mode', async () => {
    setRun({ mode });
    const run = getState().run;
    if (!run.session) return;
    const res = await host().invoke('session.setMode', { sessionId: run.session.id, mode });
    patch((r) => withState(clearPass(r), res, null));
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
  });
}

/**
 * The equivariance lab: the batch's images turned or shifted as `change` says (from how they are
 * shown now), loaded, and the forward pass run again so every edge shows the new feature maps.
 * A network without an image Input refuses it, and the images stay as they were.
 */
export function transformInput(change: (t: InputTransform) => InputTransform): Promise<unknown> {
  showStepTab('activations');
  const before = getState().run.batch;
  const transform = change(before.transform);
  return serial('Turn or shift the input', async () => {
    setRun({ batch: { ...getState().run.batch, transform } });
    try {
      const session = await ensureSession();
      await loadChosenBatch(session);
    } catch (err) {
      setRun({ batch: { ...getState().run.batch, transform: before.transform } });
      throw err;
    }
    const res = await host().invoke('session.runForward', { sessionId: sessionId() });
    forwardAnswer(res, res.reports.at(-1) ?? null, true);
  });
}

/** The parameter values for the inspector and the current node's panel, fetched when first shown. */
export function fetchParameterValues(names: readonly string[]): Promise<unknown> {
  // Queued behind the command in flight (never refused: the panel asked, not the user).
  return enqueue(async () => {
    const id = sessionId();
    const missing = names.filter((n) => !getState().run.params[n]?.value);
    if (missing.length === 0) return;
    const values = await paramSummaries(id, missing, 'value');
    patch((r) => withParamTensors(r, 'value', values));
  }).catch((err: unknown) =>
    patch((r) => ({
      ...r,
      error: `Reading the parameters failed: ${err instanceof Error ? err.message : String(err)}`,
    })),
  );
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
  return enqueue(() => host().invoke('session.gradCheck', { sessionId: id, ref, samples: 16 }));
}
