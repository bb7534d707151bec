import { useEffect, useState } from 'react';
import type { UnrolledView } from '../../../shared/api/unrolled';
import { host } from '../api/connection';
import { enqueue } from '../step/stepQueue';
import { useApp } from '../state/useApp';

export type UnrolledViewState =
  | { readonly status: 'no-session' | 'loading' }
  | { readonly status: 'error'; readonly message: string }
  | {
      readonly status: 'ready';
      readonly view: UnrolledView;
      /** The recorded training step the view shows (time travel), or null for the step session's pass. */
      readonly travelStep: number | null;
    };

/**
 * The unrolled view of a recurrent node, asked of the step session whenever a step, an update, a
 * new batch or a live preview changes what it holds. Reads queue behind the command in flight, so
 * the states always belong to the pass the step bar shows. While the time-travel scrubber shows a
 * recorded step of this session's training, the view is that step's (training.replay runs its
 * forward and backward pass again at its weights on its batch).
 */
export function useUnrolledView(
  nodeId: string,
  layer: number | null,
  direction: number,
  /** Bumped by the view's own commands whose answer may change nothing else in the store (a time step). */
  tick: number,
): UnrolledViewState {
  const { sessionId, report, phase, updates, loaded, edges, travelAt } = useApp((s) => ({
    sessionId: s.run.session?.id ?? null,
    report: s.run.lastReport,
    phase: s.run.phase,
    updates: s.run.updates,
    loaded: s.run.loaded,
    // A live preview replaces the edges' summaries without a step report.
    edges: s.run.edges,
    travelAt: s.training.sessionId === s.run.session?.id ? s.training.travel.at : null,
  }));
  // The last answer, kept while the next one is asked for (no flicker between steps).
  const [answer, setAnswer] = useState<{ key: string; state: UnrolledViewState } | null>(null);
  const key = `${sessionId}\u0000${nodeId}`;
  useEffect(() => {
    if (sessionId === null) return;
    let live = true;
    const which = { nodeId, direction, ...(layer === null ? {} : { layer }) };
    enqueue(async () =>
      travelAt === null
        ? host().invoke('session.unrolled', { sessionId, ...which })
        : (await host().invoke('training.replay', { sessionId, step: travelAt, unrolled: which })).unrolled!,
    ).then(
      (view) => live && setAnswer({ key, state: { status: 'ready', view, travelStep: travelAt } }),
      (err: unknown) =>
        live &&
        setAnswer({ key, state: { status: 'error', message: err instanceof Error ? err.message : String(err) } }),
    );
    return () => {
      live = false;
    };
  }, [key, sessionId, nodeId, layer, direction, report, phase, updates, loaded, edges, tick, travelAt]);
  if (sessionId === null) return { status: 'no-session' };
  if (answer === null || answer.key !== key) return { status: 'loading' };
  return answer.state;
}
