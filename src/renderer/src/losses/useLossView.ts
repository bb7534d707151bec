import { useEffect, useState } from 'react';
import type { LossView } from '../../../shared/api/session';
import { host } from '../api/connection';
import { enqueue } from '../step/stepQueue';
import { useApp } from '../state/useApp';

export type LossViewState =
  | { readonly status: 'no-session' | 'loading' }
  | { readonly status: 'error'; readonly message: string }
  | { readonly status: 'ready'; readonly view: LossView };

/**
 * The loss view of the chosen loss node, asked of the step session whenever a step, an update or
 * a new batch changes what it holds. Reads queue behind the command in flight, so the points
 * always belong to the pass the step bar shows.
 */
export function useLossView(nodeId: string | null): LossViewState {
  const { sessionId, report, phase, updates, loaded } = useApp((s) => ({
    sessionId: s.run.session?.id ?? null,
    report: s.run.lastReport,
    phase: s.run.phase,
    updates: s.run.updates,
    loaded: s.run.loaded,
  }));
  // The last answer, kept while the next one is asked for (no flicker between steps).
  const [answer, setAnswer] = useState<{ session: string; state: LossViewState } | null>(null);
  useEffect(() => {
    if (sessionId === null) return;
    let live = true;
    enqueue(() => host().invoke('session.lossView', { sessionId, ...(nodeId === null ? {} : { nodeId }) })).then(
      (view) => live && setAnswer({ session: sessionId, state: { status: 'ready', view } }),
      (err: unknown) =>
        live &&
        setAnswer({
          session: sessionId,
          state: { status: 'error', message: err instanceof Error ? err.message : String(err) },
        }),
    );
    return () => {
      live = false;
    };
  }, [sessionId, nodeId, report, phase, updates, loaded]);
  if (sessionId === null) return { status: 'no-session' };
  if (answer === null || answer.session !== sessionId) return { status: 'loading' };
  return answer.state;
}
