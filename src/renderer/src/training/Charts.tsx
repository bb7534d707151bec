import { useEffect, useRef } from 'react';
import type { ReactElement, ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useApp } from '../state/useApp';
import { setTraining } from '../state/store';
import { chartSpec } from './chartData';
import type { ChartLine, ChartSpec } from './chartData';

const AXIS_FONT = '11px system-ui, sans-serif';
const LABEL_FONT = '12px system-ui, sans-serif';
/**
 * The epoch axis ticks whole epochs only, 1, 2 or 5 times a power of ten apart (uPlot's own steps
 * include 2.5 and 0.5), as close as its labels allow (uPlot keeps 50 px between ticks): two-digit
 * epochs 28 px apart, so a 200-px chart of 45 epochs ticks every 10 instead of every 20.
 */
const EPOCH_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000];
const epochSpace: uPlot.Axis.Space = (_u, _axis, _min, max) => (max < 100 ? 28 : max < 1000 ? 34 : 44);

function options(
  spec: ChartSpec,
  kind: 'loss' | 'accuracy',
  log: boolean,
  size: { width: number; height: number },
  best: { current: number | null },
): uPlot.Options {
  // Canvas strokes cannot read CSS variables: take the theme's colour now.
  const axis = getComputedStyle(document.documentElement).getPropertyValue('--fg-muted').trim() || '#5c6677';
  return {
    ...size,
    // One legend for both charts is drawn below them (ChartLegend): uPlot's own, one per chart,
    // wrapped a run's label over two table rows, cut the last entries and cost each chart a third
    // of its height.
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: false },
      y: kind === 'accuracy' ? { range: [0, 1] } : log ? { distr: 3 } : {},
    },
    axes: [
      {
        label: 'epoch',
        size: 32,
        labelSize: 14,
        stroke: axis,
        font: AXIS_FONT,
        labelFont: LABEL_FONT,
        space: epochSpace,
        incrs: EPOCH_INCRS,
      },
      { label: kind, size: 46, labelSize: 16, stroke: axis, font: AXIS_FONT, labelFont: LABEL_FONT },
    ],
    series: [
      { label: 'epoch' },
      ...spec.lines.map((l) => ({
        label: l.label,
        stroke: l.color,
        width: l.width ?? 1.5,
        ...(l.dash ? { dash: l.dash } : {}),
        spanGaps: true,
        // Points only where epochs are far enough apart to tell them from the line.
        points: {
          show: (u: uPlot, _s: number, i0: number, i1: number) =>
            u.bbox.width / devicePixelRatio / Math.max(1, i1 - i0) >= 14,
        },
      })),
    ],
    bands: spec.gap ? [{ series: [spec.gap[0] + 1, spec.gap[1] + 1], fill: 'rgba(213, 94, 0, 0.14)' }] : [],
    hooks: {
      draw: [
        (u) => {
          const bestEpoch = best.current;
          if (bestEpoch === null) return;
          const x = u.valToPos(bestEpoch, 'x', true);
          const ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = '#009e73';
          ctx.setLineDash([3, 3]);
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.fillStyle = '#009e73';
          ctx.font = `${11 * devicePixelRatio}px sans-serif`;
          // The epoch of the line as drawn now (the spec this chart was made with is stale), right
          // of the line, else left of it, else (a narrow plot) as far right as it stays whole.
          const text = `best dev (epoch ${bestEpoch})`;
          const gap = 4 * devicePixelRatio;
          const width = ctx.measureText(text).width;
          const [left, end] = [u.bbox.left, u.bbox.left + u.bbox.width];
          const at =
            x + gap + width <= end ? x + gap : x - gap - width >= left ? x - gap - width : Math.max(left, end - width);
          ctx.textAlign = 'left'; // uPlot's axes leave their own alignment on the context
          ctx.textBaseline = 'alphabetic';
          // Accuracy climbs to the top of its plot: there the label goes at the bottom.
          const y =
            kind === 'accuracy'
              ? u.bbox.top + u.bbox.height - 6 * devicePixelRatio
              : u.bbox.top + 12 * devicePixelRatio;
          ctx.fillText(text, at, y);
          ctx.restore();
        },
      ],
    },
  };
}

function toData(spec: ChartSpec, log: boolean): uPlot.AlignedData {
  // A log axis cannot show 0 or below: such losses are left out rather than drawn wrong.
  const clean = (v: number | null) => (v === null || (log && v <= 0) ? null : v);
  return [spec.epochs, ...spec.lines.map((l) => l.values.map(clean))];
}

const sizeOf = (el: HTMLElement) => ({
  width: Math.max(160, el.clientWidth),
  height: Math.max(100, el.clientHeight),
});

/** One uPlot chart, rebuilt when its lines change in number (a new run, compare, log scale), else given new data. */
function Chart({ kind }: { kind: 'loss' | 'accuracy' }): ReactElement {
  const { curves, runs, compare, log } = useApp((s) => ({
    curves: s.training.curves,
    runs: s.training.runs,
    compare: s.training.compare,
    log: s.training.logScale,
  }));
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<{ u: uPlot; shape: string } | null>(null);
  const best = useRef<number | null>(null);
  const spec = chartSpec(kind, curves, compare ? runs : []);
  const isLog = kind === 'loss' && log;
  const shape = JSON.stringify([spec.lines.map((l) => l.label), spec.gap, isLog]);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    best.current = spec.bestEpoch;
    if (!plot.current || plot.current.shape !== shape) {
      plot.current?.u.destroy();
      plot.current = {
        u: new uPlot(options(spec, kind, isLog, sizeOf(el), best), toData(spec, isLog), el),
        shape,
      };
    } else plot.current.u.setData(toData(spec, isLog));
  });
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => plot.current?.u.setSize(sizeOf(el)));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.u.destroy();
      plot.current = null;
    };
  }, []);
  return <div className="train-chart" ref={box} data-testid={`chart-${kind}`} />;
}

/** A legend entry's sample: a short line (solid or dashed), or the gap's shaded box. */
function Swatch({ line, box }: { line?: Pick<ChartLine, 'color' | 'dash'>; box?: string }): ReactElement {
  if (box) return <i className="swatch box" style={{ background: box }} />;
  return (
    <i className="swatch" style={{ borderTopColor: line!.color, borderTopStyle: line!.dash ? 'dashed' : 'solid' }} />
  );
}

/**
 * One legend for both charts: this run's train and dev curves, the shaded gap, the test accuracy,
 * and each earlier run by its settings (dev solid, train dashed); long labels end in an ellipsis
 * with the whole label as a tooltip.
 */
function ChartLegend(): ReactElement | null {
  const { curves, runs, compare, label } = useApp((s) => ({
    curves: s.training.curves,
    runs: s.training.runs,
    compare: s.training.compare,
    label: s.training.label,
  }));
  const past = compare ? runs : [];
  if (curves.train.length === 0 && past.length === 0) return null;
  const spec = chartSpec('accuracy', curves, past);
  const [train, dev] = spec.lines;
  const test = spec.lines.find((l) => l.label.startsWith('test'));
  return (
    <div className="chart-legend" data-testid="chart-legend">
      <span>
        <Swatch line={train} /> train
      </span>
      {curves.dev.length > 0 && (
        <span>
          <Swatch line={dev} /> dev
        </span>
      )}
      {spec.gap && (
        <span>
          <Swatch box="rgba(213, 94, 0, 0.22)" /> train–dev gap
        </span>
      )}
      {test && (
        <span>
          <Swatch line={test} /> test accuracy
        </span>
      )}
      {past.length > 0 && label && (
        <span className="run-label" title={`this run: ${label}`}>
          this run: {label}
        </span>
      )}
      {past.map((r) => {
        const line = spec.lines.find((l) => l.label.startsWith(`run ${r.id} dev`))!;
        return (
          <span key={r.id} className="run-label" title={`run ${r.id}: ${r.label} (dev solid, train dashed)`}>
            <Swatch line={line} /> run {r.id}: {r.label}
          </span>
        );
      })}
      {past.length > 0 && <span className="legend-note">earlier runs: dev solid, train dashed</span>}
    </div>
  );
}

/** The plots (decision boundary, confusion, …) when the panel is too narrow for their own column. */
export interface InlinePlots {
  /** The switch's name for them, e.g. "Boundary · Confusion". */
  readonly label: string;
  readonly content: ReactNode;
}

/**
 * Loss and accuracy (classification) per epoch, with the log-scale and comparison toggles. In a
 * narrow Training tab the plots come here too, one view at a time under a Curves/plots switch: two
 * charts beside a plots column there would be a hundred pixels each.
 */
export function Charts({ plots }: { plots: InlinePlots | null }): ReactElement {
  const { compare, log, runs, regression, shown } = useApp((s) => ({
    compare: s.training.compare,
    log: s.training.logScale,
    // The choice outlives a wider window, where the plots have their own column.
    shown: s.training.shown,
    runs: s.training.runs.length,
    // A regression has no accuracy to plot: its loss takes the row.
    regression: s.training.data?.description?.task === 'regression',
  }));
  const showPlots = plots !== null && shown.narrowView === 'plots';
  const setView = (v: 'curves' | 'plots'): void => setTraining({ shown: { ...shown, narrowView: v } });
  return (
    <div className="train-charts" data-testid="train-charts">
      <div className="chart-toolbar">
        {plots && (
          <div className="segmented" role="tablist" aria-label="Training view">
            {(['curves', 'plots'] as const).map((v) => {
              const selected = v === 'plots' ? showPlots : !showPlots;
              return (
                <button
                  key={v}
                  type="button"
                  role="tab"
                  aria-selected={selected}
                  className={selected ? 'active' : ''}
                  onClick={() => setView(v)}
                  data-testid={`training-view-${v}`}
                >
                  {v === 'curves' ? 'Curves' : plots.label}
                </button>
              );
            })}
          </div>
        )}
        {!showPlots && (
          <>
            <label>
              <input
                type="checkbox"
                checked={log}
                data-testid="chart-log"
                onChange={(e) => setTraining({ logScale: e.target.checked })}
              />{' '}
              Log-scale loss
            </label>
            <label
              title={
                runs === 0
                  ? 'Reset the weights or change the settings and train again to keep this run for comparison'
                  : undefined
              }
            >
              <input
                type="checkbox"
                checked={compare}
                disabled={runs === 0}
                data-testid="chart-compare"
                onChange={(e) => setTraining({ compare: e.target.checked })}
              />{' '}
              Compare with previous runs
              {runs > 0 ? ` (${runs})` : ''}
            </label>
          </>
        )}
      </div>
      {/* The charts stay mounted under the plots: uPlot is not rebuilt at every switch. */}
      <div className={`chart-row${showPlots ? ' covered' : ''}`}>
        <Chart kind="loss" />
        {!regression && <Chart kind="accuracy" />}
      </div>
      {showPlots ? (
        <div className="training-plots-inline" data-testid="training-plots-inline">
          {plots.content}
        </div>
      ) : (
        <ChartLegend />
      )}
    </div>
  );
}
