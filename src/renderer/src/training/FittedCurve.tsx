import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import { useApp } from '../state/useApp';
import { CLASS_COLORS, paddedRange } from './classColors';
import type { FittedCurveData } from './trainingTypes';

const WIDTH = 240;
const HEIGHT = 180;
/** Room for the axis numbers on the left and at the bottom. */
const LEFT = 30;
const BOTTOM = 16;

const TRAIN = CLASS_COLORS[0];
const DEV = CLASS_COLORS[1];
const CURVE = CLASS_COLORS[5];

/** An axis number with as many decimals as the axis's span needs (never "-0.0"). */
function tick(v: number, span: number): string {
  const decimals = Math.max(0, Math.min(6, 1 - Math.floor(Math.log10(span || 1))));
  const s = v.toFixed(decimals);
  return Number(s) === 0 ? (0).toFixed(decimals) : s;
}

function draw(c: HTMLCanvasElement, f: FittedCurveData): void {
  const ctx = c.getContext('2d');
  if (!ctx) return;
  const dpr = window.devicePixelRatio || 1;
  c.width = WIDTH * dpr;
  c.height = HEIGHT * dpr;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, WIDTH, HEIGHT);
  const [x0, x1] = [f.xs[0], f.xs[f.xs.length - 1]];
  // The points decide the vertical range; a wild curve is clipped rather than squashing the data.
  // One point (the scalar graph's single sample) spans nothing: the curve decides then.
  const points = [...f.train, ...f.dev].map((p) => p.y);
  const [y0, y1] = paddedRange(points.concat(points.length > 1 ? [] : f.ys), 0.15);
  const w = WIDTH - LEFT;
  const h = HEIGHT - BOTTOM;
  const px = (x: number): number => LEFT + ((x - x0) / (x1 - x0)) * w;
  const py = (y: number): number => h - ((y - y0) / (y1 - y0)) * h;
  const style = getComputedStyle(c);
  ctx.strokeStyle = style.getPropertyValue('--border').trim() || '#ccc';
  ctx.fillStyle = style.getPropertyValue('--fg-faint').trim() || '#888';
  ctx.font = '10px sans-serif';
  ctx.lineWidth = 1;
  ctx.strokeRect(LEFT + 0.5, 0.5, w - 1, h - 1);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const y of [y0, (y0 + y1) / 2, y1])
    ctx.fillText(tick(y, y1 - y0), LEFT - 3, Math.min(h - 5, Math.max(5, py(y))));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const x of [x0, (x0 + x1) / 2, x1])
    ctx.fillText(tick(x, x1 - x0), Math.min(WIDTH - 12, Math.max(LEFT + 12, px(x))), h + 3);
  ctx.save();
  ctx.beginPath();
  ctx.rect(LEFT, 0, w, h);
  ctx.clip();
  for (const [points, colour] of [
    [f.train, TRAIN],
    [f.dev, DEV],
  ] as const) {
    ctx.fillStyle = colour;
    ctx.globalAlpha = 0.7;
    for (const p of points) {
      ctx.beginPath();
      ctx.arc(px(p.x), py(p.y), 2.2, 0, Math.PI * 2);
      ctx.fill();
    }
  }
  ctx.globalAlpha = 1;
  ctx.strokeStyle = CURVE;
  ctx.lineWidth = 2.5;
  ctx.lineJoin = 'round';
  ctx.beginPath();
  f.xs.forEach((x, i) => (i === 0 ? ctx.moveTo(px(x), py(f.ys[i])) : ctx.lineTo(px(x), py(f.ys[i]))));
  ctx.stroke();
  ctx.restore();
}

/** A regression on one feature: the model's prediction as a curve over the train and dev points, refreshed while training. */
export function FittedCurve(): ReactElement | null {
  const { curve, standardize } = useApp((s) => ({
    curve: s.training.curve,
    standardize: s.doc.training.standardize,
  }));
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current && curve) draw(ref.current, curve);
  }, [curve]);
  if (!curve) return null;
  return (
    <figure className="boundary fitted-curve" data-testid="fitted-curve">
      <canvas ref={ref} style={{ width: WIDTH, height: HEIGHT }} />
      <figcaption>
        Fitted curve: the prediction <span style={{ color: CURVE }}>━</span> over the{' '}
        <span style={{ color: TRAIN }}>●</span> train and <span style={{ color: DEV }}>●</span> dev points
        {standardize ? ' (x standardised, as the network sees it)' : ''}.
      </figcaption>
    </figure>
  );
}
