import { useMemo } from 'react';
import type { ReactElement } from 'react';
import type { TensorSummary } from '../../../shared/api/tensor';
import { absMax, divergingScale } from '../tensors/colorMap';
import { formatValue } from '../tensors/format';
import { TensorGlyph } from '../tensors/TensorGlyph';
import { useParamSummary } from './useParamSummary';
import type { ParamKind } from './useParamSummary';

const HINT = { parameter: true } as const;

/**
 * The last update at a glance, as the equation it is: before + update = after. Before and after
 * share one scale (so the change shows as a change of colour); the update has its own. Click one
 * to inspect it.
 */
export function UpdateComparison({
  sessionId,
  name,
  updates,
  value,
  onPick,
}: {
  sessionId: string;
  name: string;
  updates: number;
  value: TensorSummary | undefined;
  onPick: (k: ParamKind) => void;
}): ReactElement {
  const before = useParamSummary(sessionId, name, 'previous', undefined, updates);
  const after = useParamSummary(sessionId, name, 'value', value, updates);
  const update = useParamSummary(sessionId, name, 'update', undefined, updates);
  const shared = useMemo(
    () => divergingScale(Math.max(before ? absMax(before) : 0, after ? absMax(after) : 0)),
    [before, after],
  );
  const cell = (
    label: string,
    kind: ParamKind,
    s: TensorSummary | null | undefined,
    scale?: ReturnType<typeof divergingScale>,
  ) => (
    <div className="update-cell">
      <span className="update-label">{label}</span>
      {s ? (
        <TensorGlyph
          summary={s}
          hint={HINT}
          scale={scale}
          onClick={() => onPick(kind)}
          maxWidth={150}
          maxHeight={64}
          testId={`update-glyph-${kind}`}
          what={label}
        />
      ) : (
        <span className="muted">{s === null ? '—' : '…'}</span>
      )}
    </div>
  );
  return (
    <div className="update-comparison" data-testid="update-comparison">
      {cell('before', 'previous', before, shared)}
      <span className="update-op">+</span>
      {cell('update', 'update', update)}
      <span className="update-op">=</span>
      {cell('after', 'value', after, shared)}
      {update && <span className="update-note muted">‖Δθ‖₂ = {formatValue(update.l2)}</span>}
    </div>
  );
}
