import { host } from '../api/connection';
import { analyze } from '../state/analysis';
import type { AppState } from '../state/appState';
import { appStore, getState } from '../state/store';
import { batchIndices, sameTransform, transformToSend } from './batchChoice';
import { LatestOnly } from './latestOnly';
import { sameComputation } from './sameComputation';
import { enqueue, patch } from './stepQueue';
import { clearPass, withEdgeTensors, withParamTensors, withState } from './stepRun';
import { ensureSession } from './stepSession';
import type { InputTransform, PreviewStatus, StepRun } from './stepTypes';

/**
 * View → Live preview: after every edit that changes what the network computes (a node, a wire,
 * a parameter, the data set, the weights), after a new batch choice, and when turned on, the
 * host runs one forward pass (and with "gradients", one backward pass) of the step bar's batch in
 * the step session's worker, and every edge shows its glyph as after Run forward.
 *
 * It shares the Step tab's session: a preview waits for the step command in flight (the step
 * queue), skips when the pass on the canvas is already the current network's (the user stepped
 * since the edit), never runs while a run trains, and its pass is the session's own (a backward
 * step continues it; a forward step starts again at the first node). Requests are debounced and
 * the newest wins (LatestOnly): at most one preview is in flight and none is queued.
 */

/** Quiet time after the last edit before the preview runs. */
export const PREVIEW_DEBOUNCE_MS = 150;

/** Networks above these sizes are previewed only on demand (Run forward): an edit must stay instant. */
export const PREVIEW_LIMITS = { parameters: 2_000_000, activations: 4_000_000 } as const;

function setPreview(preview: PreviewStatus): void {
  const cur = getState().run.preview;
  if (cur.state !== preview.state || cur.reason !== preview.reason) patch((r) => ({ ...r, preview }));
}

/** Why the current document cannot be previewed now, or null when it can. */
export function previewBlocked(s: AppState, batchSize: number): string | null {
  if (s.host.status !== 'connected') return 'Not connected to the host.';
  const a = analyze(s.doc, s.training.data);
  const error = a.result.issues.find((i) => i.severity === 'error');
  if (error) return error.message;
  if (a.result.order.length === 0) return 'Nothing to run yet.';
  const { parameters, activationsPerSample } = a.result.size;
  if (parameters > PREVIEW_LIMITS.parameters || activationsPerSample * batchSize > PREVIEW_LIMITS.activations)
    return `The network is large (${parameters.toLocaleString('en')} parameters), so it is not previewed after every edit: Run forward shows its activations.`;
  return null;
}

/** Whether the pass on the canvas already belongs to the current network, batch and setting. */
function passIsCurrent(s: AppState, indices: readonly number[]): boolean {
  const { run } = s;
  const session = run.session;
  if (!session || !sameComputation(session.doc, s.doc) || session.dtype !== run.dtype) return false;
  if (run.phase === 'empty' || run.phase === 'ready') return false;
  const loaded = run.loaded;
  if (!loaded || loaded.split !== run.batch.split || loaded.indices.join() !== indices.join()) return false;
  if (!sameTransform(loaded.transform, transformToSend(run.batch.transform, session.doc.graph.nodes))) return false;
  // The preview's own pass lacks gradients when they were just asked for; a stepped pass is the user's.
  return !(run.previewPass && s.ui.livePreview.gradients && run.phase !== 'backwarded');
}

function stored(
  run: StepRun,
  res: PreviewAnswer,
  split: StepRun['batch']['split'],
  indices: number[],
  transform: InputTransform | undefined,
): StepRun {
  // As after Run forward: activations, the masks Dropout drew, the parameters' values.
  let next = withParamTensors(
    withEdgeTensors(
      withEdgeTensors(clearPass(run), 'activation', res.activations.edges),
      'mask',
      res.activations.masks ?? {},
    ),
    'value',
    res.activations.parameters,
  );
  if (res.gradients)
    next = withParamTensors(
      withEdgeTensors(next, 'gradient', res.gradients.edges),
      'gradient',
      res.gradients.parameters,
    );
  return {
    ...withState(next, res, null),
    loaded: { split, indices, transform },
    previewPass: true,
    steppingNode: null,
  };
}

type PreviewAnswer = Awaited<ReturnType<typeof askPreview>>;

function askPreview(
  sessionId: string,
  split: StepRun['batch']['split'],
  indices: number[],
  gradients: boolean,
  transform: InputTransform | undefined,
) {
  return host().invoke('session.preview', {
    sessionId,
    split,
    indices,
    gradients,
    ...(transform ? { transform } : {}),
  });
}

async function previewNow(current: () => boolean): Promise<void> {
  // After the step command in flight: the preview never changes a pass under a step.
  await enqueue(async () => {
    if (!current()) return;
    const s = getState();
    const idle = !s.ui.livePreview.on || s.doc.graph.nodes.length === 0;
    if (idle || s.training.state === 'running' || s.training.state === 'paused') {
      setPreview({ state: 'idle', reason: null });
      return;
    }
    const chosen = s.run.batch;
    const available = s.run.session?.dataset?.[chosen.split];
    const sized = available !== undefined ? batchIndices(chosen, available) : null;
    const blocked = previewBlocked(s, sized?.ok ? sized.indices.length : 1);
    if (blocked !== null) {
      setPreview({ state: 'blocked', reason: blocked });
      return;
    }
    if (sized?.ok && passIsCurrent(s, sized.indices)) {
      setPreview({ state: 'idle', reason: null });
      return;
    }
    const session = await ensureSession();
    if (!current()) return;
    if (!session.dataset) {
      setPreview({
        state: 'blocked',
        reason: 'The project has no data set to preview on; choose one in the training settings.',
      });
      return;
    }
    const parsed = batchIndices(chosen, session.dataset[chosen.split]);
    if (!parsed.ok) {
      setPreview({ state: 'blocked', reason: parsed.message });
      return;
    }
    const transform = transformToSend(chosen.transform, session.doc.graph.nodes);
    const res = await askPreview(
      session.id,
      chosen.split,
      parsed.indices,
      getState().ui.livePreview.gradients,
      transform,
    );
    // The session's pass is this one whether or not a newer edit is waiting: store it, so that
    // the step bar agrees with the session; a waiting preview replaces it soon.
    if (getState().run.session?.id !== session.id) return;
    patch((r) => stored(r, res, chosen.split, parsed.indices, transform));
    if (current()) setPreview({ state: 'idle', reason: null });
  }).catch((err: unknown) => {
    if (!current()) return;
    setPreview({ state: 'blocked', reason: err instanceof Error ? err.message : String(err) });
  });
}

const scheduler = new LatestOnly(previewNow, PREVIEW_DEBOUNCE_MS);

/** What the preview depends on changed between two states. */
function previewInputsChanged(s: AppState, prev: AppState): boolean {
  return (
    (s.doc !== prev.doc && !sameComputation(prev.doc, s.doc)) ||
    s.run.batch !== prev.run.batch ||
    s.run.dtype !== prev.run.dtype ||
    s.ui.livePreview !== prev.ui.livePreview ||
    s.training.data !== prev.training.data ||
    (s.host.status !== prev.host.status && s.host.status === 'connected')
  );
}

appStore.subscribe((s, prev) => {
  if (!previewInputsChanged(s, prev)) return;
  if (!s.ui.livePreview.on) {
    scheduler.cancel();
    setPreview({ state: 'idle', reason: null });
    return;
  }
  // Until the preview answers, the glyphs on the canvas are of the network before the edit.
  if (getState().run.preview.state === 'idle') setPreview({ state: 'waiting', reason: null });
  scheduler.request();
});
