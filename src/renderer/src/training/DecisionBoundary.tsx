import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import { useApp } from '../state/useApp';
import { classColor } from './classColors';
import type { BoundaryGrid, DatasetPreview } from './trainingTypes';

const SIZE = 220;

function rgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The preview's points in the model's input space: standardised like the training data when the settings ask. */
function modelSpacePoints(p: DatasetPreview, standardize: boolean): { x: number; y: number; label: number }[] {
  const pts = p.rows.map((r) => ({ x: r.x[0], y: r.x[1], label: r.y[0] }));
  if (!standardize || pts.length < 2) return pts;
  const stat = (v: number[]) => {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length) || 1;
    return [m, sd];
  };
  const [mx, sx] = stat(pts.map((q) => q.x));
  const [my, sy] = stat(pts.map((q) => q.y));
  return pts.map((q) => ({ x: (q.x - mx) / sx, y: (q.y - my) / sy, label: q.label }));
}

function draw(c: HTMLCanvasElement, g: BoundaryGrid, pts: { x: number; y: number; label: number }[]): void {
  const ctx = c.getContext('2d');
  if (!ctx) return;
  const n = g.resolution;
  const img = ctx.createImageData(n, n);
  for (let row = 0; row < n; row++)
    for (let col = 0; col < n; col++) {
      const k = row * n + col;
      const [r, gg, b] = rgb(classColor(g.labels[k]));
      // Paler where the model is unsure: the boundary shows as a soft band.
      const a = Math.round(60 + 110 * Math.max(0, Math.min(1, (g.confidence[k] - 0.5) * 2)));
      img.data.set([r, gg, b, a], ((n - 1 - row) * n + col) * 4);
    }
  const off = document.createElement('canvas');
  off.width = n;
  off.height = n;
  off.getContext('2d')!.putImageData(img, 0, 0);
  ctx.clearRect(0, 0, c.width, c.height);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(off, 0, 0, c.width, c.height);
  for (const p of pts) {
    const px = ((p.x - g.xMin) / (g.xMax - g.xMin)) * c.width;
    const py = c.height - ((p.y - g.yMin) / (g.yMax - g.yMin)) * c.height;
    ctx.fillStyle = classColor(p.label);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.arc(px, py, 3, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
  }
}

/** The predicted class over the plane with the data on top, refreshed while training (2-D inputs). */
export function DecisionBoundary(): ReactElement | null {
  const { grid, preview, standardize } = useApp((s) => ({
    grid: s.training.boundary,
    preview: s.training.data?.preview ?? null,
    standardize: s.doc.training.standardize,
  }));
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current && grid) draw(ref.current, grid, preview ? modelSpacePoints(preview, standardize) : []);
  }, [grid, preview, standardize]);
  if (!grid) return null;
  return (
    <figure className="boundary" data-testid="decision-boundary">
      <canvas ref={ref} width={SIZE} height={SIZE} />
      <figcaption>
        Decision boundary: the predicted class at every point of the plane
        {standardize ? ' (standardised features; points scaled by the shown sample’s statistics)' : ''}.
      </figcaption>
    </figure>
  );
}
