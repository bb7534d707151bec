import { useEffect, useMemo, useState } from 'react';
import type { ReactElement, ReactNode } from 'react';
import type { FullTensor, TensorSummary } from '../../../shared/api/tensor';
import { ColorLegend } from './ColorLegend';
import { layoutGlyph } from './glyphLayout';
import type { GlyphHint } from './glyphLayout';
import { Histogram } from './Histogram';
import { scaleFor } from './TensorGlyph';
import { TensorStats } from './TensorStats';
import { ValueHeatMap } from './ValueHeatMap';
import { ValueTable } from './ValueTable';

type Full =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly tensor: FullTensor }
  | { readonly state: 'failed'; readonly message: string };

/** Asks for a full tensor whenever `load` changes, keeping the latest answer only. */
export function useFullTensor(load: () => Promise<FullTensor>): Full {
  const [full, setFull] = useState<{ load: () => Promise<FullTensor>; value: Full }>({
    load,
    value: { state: 'loading' },
  });
  useEffect(() => {
    let live = true;
    load().then(
      (tensor) => live && setFull({ load, value: { state: 'ready', tensor } }),
      (err: unknown) =>
        live &&
        setFull({ load, value: { state: 'failed', message: err instanceof Error ? err.message : String(err) } }),
    );
    return () => {
      live = false;
    };
  }, [load]);
  return full.load === load ? full.value : { state: 'loading' };
}

export interface TensorInspectorProps {
  readonly summary: TensorSummary;
  readonly hint?: GlyphHint;
  /** Fetches every value; a new function means a new tensor to fetch. */
  readonly loadFull: () => Promise<FullTensor>;
  /** Extra sections below the values (the gradient check, a parameter's update). */
  readonly children?: ReactNode;
  readonly testId?: string;
}

/** Shape, statistics, histogram and every value of one tensor, as a heat map or a table. */
export function TensorInspector({
  summary,
  hint,
  loadFull,
  children,
  testId = 'tensor-inspector',
}: TensorInspectorProps): ReactElement {
  const [view, setView] = useState<'heatmap' | 'table'>('heatmap');
  const full = useFullTensor(loadFull);
  const layout = useMemo(() => layoutGlyph(summary.shape, hint ?? {}), [summary.shape, hint]);
  const scale = useMemo(() => scaleFor(summary, layout), [summary, layout]);
  const nonfinite = summary.nanCount + summary.infCount > 0;
  return (
    <div className="tensor-inspector" data-testid={testId}>
      <div className="tensor-inspector-top">
        <TensorStats summary={summary} />
        <div className="tensor-inspector-dist">
          <Histogram histogram={summary.histogram} scale={scale} width={240} height={70} />
          <ColorLegend scale={scale} showNonfinite={nonfinite} width={240} />
        </div>
      </div>
      <div className="tensor-inspector-views">
        <div className="segmented" role="tablist">
          <button
            type="button"
            role="tab"
            aria-selected={view === 'heatmap'}
            className={view === 'heatmap' ? 'active' : ''}
            onClick={() => setView('heatmap')}
            data-testid="inspector-view-heatmap"
          >
            Heat map
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={view === 'table'}
            className={view === 'table' ? 'active' : ''}
            onClick={() => setView('table')}
            data-testid="inspector-view-table"
          >
            Table
          </button>
        </div>
        {full.state === 'loading' && <p className="muted">Loading every value…</p>}
        {full.state === 'failed' && (
          <p className="tensor-error" role="alert">
            Could not load the values: {full.message}
          </p>
        )}
        {full.state === 'ready' &&
          (view === 'heatmap' ? (
            <ValueHeatMap tensor={full.tensor} scale={scale} hint={hint} />
          ) : (
            <ValueTable tensor={full.tensor} scale={scale} />
          ))}
      </div>
      {children}
    </div>
  );
}
