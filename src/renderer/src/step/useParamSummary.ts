import { useEffect, useState } from 'react';
import type { TensorSummary } from '../../../shared/api/tensor';
import { host } from '../api/connection';

export type ParamKind = 'value' | 'gradient' | 'previous' | 'update';

/**
 * A parameter's summary of one kind: the one already in the store when there is one, else asked
 * of the host (again after every update). undefined while loading, null when there is none.
 *
 * @example const before = useParamSummary(sid, 'fc1.weight', 'previous', undefined, updates);
 */
export function useParamSummary(
  sessionId: string,
  name: string,
  kind: ParamKind,
  stored: TensorSummary | undefined,
  updates: number,
): TensorSummary | null | undefined {
  const [fetched, setFetched] = useState<{ key: string; s: TensorSummary | null } | null>(null);
  const key = `${sessionId}|${name}|${kind}|${updates}`;
  useEffect(() => {
    if (stored) return;
    let live = true;
    host()
      .invoke('session.parameterSummary', { sessionId, name, kind })
      .then(
        (r) => live && setFetched({ key, s: r.summary }),
        () => live && setFetched({ key, s: null }),
      );
    return () => {
      live = false;
    };
  }, [key, stored, sessionId, name, kind]);
  if (stored) return stored;
  return fetched?.key === key ? fetched.s : undefined;
}
