import { memo, useLayoutEffect, useMemo, useRef } from 'react';
import type { MouseEvent, ReactElement } from 'react';
import type { TensorSummary } from '../../../shared/api/tensor';
import { absMax, divergingScale, inkScale } from './colorMap';
import type { ColorScale } from './colorMap';
import { formatDims, formatValue } from './format';
import { fitScale } from './glyphGeometry';
import { layoutGlyph } from './glyphLayout';
import type { GlyphHint, GlyphLayout } from './glyphLayout';
import { rasterize } from './glyphRaster';
import './tensors.css';

/** The scale a summary is drawn with: ±max|x| on the diverging map, or the image's own range. */
export function scaleFor(summary: TensorSummary, layout: Pick<GlyphLayout, 'palette'>): ColorScale {
  return layout.palette === 'ink' ? inkScale(summary.min, summary.max) : divergingScale(absMax(summary));
}

/** Hover text: the statistics of the whole tensor, not just of the preview. */
export function summaryTooltip(s: TensorSummary, what: string): string {
  const nonfinite = s.nanCount + s.infCount > 0 ? `\n${s.nanCount} NaN, ${s.infCount} Inf (drawn green)` : '';
  return `${what} ${formatDims(s.shape)}\nmin ${formatValue(s.min)}  max ${formatValue(s.max)}\nmean ${formatValue(s.mean)}  std ${formatValue(s.std)}  ‖·‖₂ ${formatValue(s.l2)}${nonfinite}`;
}

/** Paints a layout's raster into a canvas at one canvas pixel per data cell. */
export function paintCanvas(
  canvas: HTMLCanvasElement,
  layout: GlyphLayout,
  values: ArrayLike<number | null>,
  scale: ColorScale,
): void {
  if (canvas.width !== layout.width) canvas.width = layout.width;
  if (canvas.height !== layout.height) canvas.height = layout.height;
  // Small canvases repainted whole: a CPU-backed canvas avoids a GPU texture upload per glyph.
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (ctx && layout.width > 0 && layout.height > 0) {
    const px = rasterize(layout, values, scale);
    ctx.putImageData(
      new ImageData(new Uint8ClampedArray(px.buffer, px.byteOffset, px.byteLength), layout.width, layout.height),
      0,
      0,
    );
  }
}

export interface TensorGlyphProps {
  readonly summary: TensorSummary;
  readonly hint?: GlyphHint;
  /** What the values are, for the hover text ("activation", "gradient"). */
  readonly what?: string;
  readonly maxWidth?: number;
  readonly maxHeight?: number;
  readonly onClick?: (e: MouseEvent) => void;
  readonly testId?: string;
  /** A scale shared with other glyphs (e.g. a weight before and after its update); default: this tensor's own. */
  readonly scale?: ColorScale;
}

/**
 * A small picture of a tensor chosen by its shape (strip, heat map, tiles, sequence, matrix),
 * drawn from the summary's preview into a canvas. It repaints only when the summary object
 * changes: the step state replaces an edge's summary only when the host sends a new one.
 */
export const TensorGlyph = memo(function TensorGlyph({
  summary,
  hint,
  what = 'tensor',
  maxWidth = 150,
  maxHeight = 72,
  onClick,
  testId,
  scale: sharedScale,
}: TensorGlyphProps): ReactElement {
  const canvas = useRef<HTMLCanvasElement>(null);
  const attention = hint?.attention;
  const images = hint?.images;
  const parameter = hint?.parameter;
  const portKind = hint?.portKind;
  const layout = useMemo(
    () => layoutGlyph(summary.preview.shape, { attention, images, parameter, portKind }, { maxPanels: 32 }),
    [summary.preview.shape, attention, images, parameter, portKind],
  );
  const ownScale = useMemo(() => scaleFor(summary, layout), [summary, layout]);
  const scale = sharedScale ?? ownScale;
  const cssScale = fitScale(layout, maxWidth, maxHeight);

  useLayoutEffect(() => {
    if (canvas.current) paintCanvas(canvas.current, layout, summary.preview.values, scale);
  }, [layout, summary, scale]);

  const bad = summary.nanCount + summary.infCount > 0;
  const downsampled = summary.preview.shape.some((d, i) => d !== summary.shape[i]);
  const range =
    layout.palette === 'ink' ? `${formatValue(scale.lo)}…${formatValue(scale.hi)}` : `±${formatValue(scale.hi)}`;
  return (
    <div
      className={`tensor-glyph kind-${layout.kind}${bad ? ' nonfinite' : ''}${onClick ? ' clickable' : ''}`}
      title={`${summaryTooltip(summary, what)}\n${layout.caption}${downsampled ? `\npreview ${formatDims(summary.preview.shape)} (downsampled)` : ''}`}
      onClick={onClick}
      data-testid={testId}
      data-glyph-kind={layout.kind}
    >
      <canvas ref={canvas} style={{ width: layout.width * cssScale, height: layout.height * cssScale }} />
      <div className="tensor-glyph-foot">
        <span>{formatDims(summary.shape)}</span>
        <span className="tensor-glyph-range">{layout.kind === 'scalar' ? formatValue(summary.mean) : range}</span>
      </div>
    </div>
  );
});
