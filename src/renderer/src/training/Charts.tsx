import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useApp } from '../state/useApp';
import { setTraining } from '../state/store';
import { chartSpec } from './chartData';
import type { ChartSpec } from './chartData';

/** Room under the plot for uPlot's legend (one or two lines). */
const LEGEND_H = 40;

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
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: false },
      y: kind === 'accuracy' ? { range: [0, 1] } : log ? { distr: 3 } : {},
    },
    axes: [
      { label: 'epoch', size: 34, labelSize: 14, stroke: axis },
      { label: kind, size: 50, labelSize: 14, stroke: axis },
    ],
    series: [
      { label: 'epoch' },
      ...spec.lines.map((l) => ({
        label: l.label,
        stroke: l.color,
        width: l.width ?? 1.5,
        ...(l.dash ? { dash: l.dash } : {}),
        spanGaps: true,
        points: { show: spec.epochs.length < 40 },
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
          ctx.fillText(text, at, u.bbox.top + 12 * devicePixelRatio);
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

const sizeOf = (el: HTMLElement, lines: number) => ({
  width: Math.max(160, el.clientWidth - 4),
  // The legend wraps about two entries a line (four when comparing runs).
  height: Math.max(100, el.clientHeight - LEGEND_H - 18 * Math.max(0, Math.ceil(lines / 2) - 1)),
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
        u: new uPlot(options(spec, kind, isLog, sizeOf(el, spec.lines.length), best), toData(spec, isLog), el),
        shape,
      };
    } else plot.current.u.setData(toData(spec, isLog));
  });
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => plot.current?.u.setSize(sizeOf(el, plot.current.u.series.length - 1)));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.u.destroy();
      plot.current = null;
    };
  }, []);
  return <div className="train-chart" ref={box} data-testid={`chart-${kind}`} />;
}

/** Loss and accuracy (classification) per epoch, with the log-scale and comparison toggles. */
export function Charts(): ReactElement {
  const { compare, log, runs, regression } = useApp((s) => ({
    compare: s.training.compare,
    log: s.training.logScale,
    runs: s.training.runs.length,
    // A regression has no accuracy to plot: its loss takes the row.
    regression: s.training.data?.description?.task === 'regression',
  }));
  return (
    <div className="train-charts">
      <div className="chart-toolbar">
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
      </div>
      <div className="chart-row">
        <Chart kind="loss" />
        {!regression && <Chart kind="accuracy" />}
      </div>
    </div>
  );
}
