import type { SessionPhase, SessionState, StepReportPayload } from '../../../shared/api/session';
import type { TensorSummary } from '../../../shared/api/tensor';
import type { EdgeTensors, ParamTensors, StepRun } from './stepTypes';

/** What a pass puts on the canvas, the fields `clearPass` clears. */
export type Pass = Pick<StepRun, 'edges' | 'params' | 'steppingNode' | 'lastReport' | 'loss' | 'previewPass'>;

/** The pass a run shows, to be put back later (`{ ...run, ...pass }`). */
export function passOf({ edges, params, steppingNode, lastReport, loss, previewPass }: StepRun): Pass {
  return { edges, params, steppingNode, lastReport, loss, previewPass };
}

/** Forgets the pass: every activation and gradient, and the parameters' gradients (values stay). */
export function clearPass(run: StepRun): StepRun {
  const params: Record<string, ParamTensors> = {};
  for (const [name, p] of Object.entries(run.params)) if (p.value) params[name] = { value: p.value };
  return { ...run, edges: {}, params, steppingNode: null, lastReport: null, loss: null, previewPass: false };
}

/** Stores the edge summaries the host sent; a null summary (nothing there yet) removes that kind. */
export function withEdgeTensors(
  run: StepRun,
  kind: keyof EdgeTensors,
  summaries: Readonly<Record<string, TensorSummary | null>>,
): StepRun {
  const ids = Object.keys(summaries);
  if (ids.length === 0) return run;
  const edges: Record<string, EdgeTensors> = { ...run.edges };
  for (const id of ids) {
    const s = summaries[id];
    const prev = edges[id] ?? {};
    const next: { -readonly [K in keyof EdgeTensors]: EdgeTensors[K] } = { ...prev };
    if (s) next[kind] = s;
    else delete next[kind];
    edges[id] = next;
  }
  return { ...run, edges };
}

export function withParamTensors(
  run: StepRun,
  kind: keyof ParamTensors,
  summaries: Readonly<Record<string, TensorSummary | null>>,
): StepRun {
  const ids = Object.keys(summaries);
  if (ids.length === 0) return run;
  const params: Record<string, ParamTensors> = { ...run.params };
  for (const name of ids) {
    const s = summaries[name];
    const next: { value?: TensorSummary; gradient?: TensorSummary } = { ...(params[name] ?? {}) };
    if (s) next[kind] = s;
    else delete next[kind];
    params[name] = next;
  }
  return { ...run, params };
}

/** Applies the session state a command returned, and the node its last step evaluated. */
export function withState(run: StepRun, st: SessionState, report?: StepReportPayload | null): StepRun {
  return {
    ...run,
    phase: st.phase,
    loss: st.loss,
    updates: st.step,
    steppingNode: report ? report.nodeId : st.currentNode,
    lastReport: report === undefined ? run.lastReport : report,
    error: null,
    // A step's answer: the pass is the user's now, not the preview's.
    previewPass: false,
  };
}

/**
 * Whether a forward step from this phase makes the session start a new pass (and forget the old
 * one); so does any forward step after a live preview's pass.
 */
export function forwardStartsNewPass(phase: SessionPhase, previewPass = false): boolean {
  return previewPass || phase === 'backward' || phase === 'backwarded' || phase === 'updated';
}
