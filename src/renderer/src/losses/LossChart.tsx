import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LossView } from '../../../shared/api/session';
import { curveStyle, pointColor, yRange } from './lossChartSpec';

function options(view: LossView, kind: 'loss' | 'slope', size: { width: number; height: number }): uPlot.Options {
  // Canvas strokes cannot read CSS variables: take the theme's colours now.
  const css = getComputedStyle(document.documentElement);
  const axis = css.getPropertyValue('--fg-muted').trim() || '#5c6677';
  const ring = css.getPropertyValue('--bg').trim() || '#ffffff';
  return {
    ...size,
    legend: { show: false },
    cursor: { drag: { x: false, y: false }, points: { show: false } },
    scales: { x: { time: false }, y: { range: yRange(view, kind) } },
    axes: [
      { label: view.xLabel, size: 34, labelSize: 14, stroke: axis },
      { label: kind === 'loss' ? 'loss ℓ' : view.slopeLabel, size: 50, labelSize: 14, stroke: axis },
    ],
    series: [
      { label: view.xLabel },
      ...view.curves.map((c, i) => {
        const st = curveStyle(c, view.curves.slice(0, i).filter((k) => k.chosen).length);
        return {
          label: c.label,
          stroke: st.color,
          width: st.width,
          ...(st.dash ? { dash: st.dash } : {}),
          points: { show: false },
        };
      }),
    ],
    hooks: {
      draw: [
        (u) => {
          const ctx = u.ctx;
          const dpr = devicePixelRatio;
          ctx.save();
          ctx.beginPath();
          ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
          ctx.clip();
          // The zero line of the slope: where an example stops pushing.
          if (kind === 'slope') {
            const y0 = u.valToPos(0, 'y', true);
            ctx.strokeStyle = axis;
            ctx.lineWidth = dpr;
            ctx.beginPath();
            ctx.moveTo(u.bbox.left, y0);
            ctx.lineTo(u.bbox.left + u.bbox.width, y0);
            ctx.stroke();
          }
          for (const p of view.points ?? []) {
            const x = u.valToPos(p.x, 'x', true);
            const y = u.valToPos(p[kind], 'y', true);
            const color = pointColor(view, p.label);
            ctx.beginPath();
            ctx.arc(x, y, 4.5 * dpr, 0, 2 * Math.PI);
            // Filled: the example pushes the weights (slope ≠ 0); hollow: it no longer does.
            ctx.lineWidth = 1.8 * dpr;
            ctx.strokeStyle = color;
            ctx.fillStyle = p.slope !== 0 ? color : ring;
            ctx.fill();
            ctx.stroke();
          }
          ctx.restore();
        },
      ],
    },
  };
}

const data = (view: LossView, kind: 'loss' | 'slope'): uPlot.AlignedData => [
  view.xs,
  ...view.curves.map((c) => c[kind]),
];

const sizeOf = (el: HTMLElement) => ({
  width: Math.max(200, el.clientWidth - 4),
  height: Math.max(110, el.clientHeight - 4),
});

/** One chart of the loss view: the curves over the axis, the batch's examples as dots on them. */
export function LossChart({ view, kind }: { view: LossView; kind: 'loss' | 'slope' }): ReactElement {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    plot.current?.destroy();
    plot.current = new uPlot(options(view, kind, sizeOf(el)), data(view, kind), el);
  }, [view, kind]);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => plot.current?.setSize(sizeOf(el)));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [kind]);
  return <div className="loss-chart" ref={box} data-testid={`loss-chart-${kind}`} />;
}
