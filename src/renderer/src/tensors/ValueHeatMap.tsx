import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { MouseEvent, ReactElement } from 'react';
import type { FullTensor } from '../../../shared/api/tensor';
import type { ColorScale } from './colorMap';
import { formatExact } from './format';
import { fitScale, hitTest, unravelIndex } from './glyphGeometry';
import { layoutGlyph } from './glyphLayout';
import type { GlyphHint } from './glyphLayout';
import { paintCanvas } from './TensorGlyph';

interface Hover {
  readonly index: number;
  readonly label: string;
  readonly x: number;
  readonly y: number;
}

/**
 * Every value of a tensor as a heat map laid out like its edge glyph, with a read-out of the
 * value under the pointer (its full index and full precision).
 */
export const ValueHeatMap = memo(function ValueHeatMap({
  tensor,
  scale,
  hint,
  maxWidth = 560,
  maxHeight = 340,
}: {
  tensor: FullTensor;
  scale: ColorScale;
  hint?: GlyphHint;
  maxWidth?: number;
  maxHeight?: number;
}): ReactElement {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<Hover | null>(null);
  const layout = useMemo(
    () => layoutGlyph(tensor.shape, hint ?? {}, { maxPanels: 1024, aspect: maxWidth / maxHeight }),
    [tensor.shape, hint, maxWidth, maxHeight],
  );
  const s = fitScale(layout, maxWidth, maxHeight, 24);

  useLayoutEffect(() => {
    if (canvas.current) paintCanvas(canvas.current, layout, tensor.values, scale);
  }, [layout, tensor, scale]);

  const onMove = (e: MouseEvent<HTMLCanvasElement>): void => {
    const r = e.currentTarget.getBoundingClientRect();
    const hit = hitTest(layout, (e.clientX - r.left) / s, (e.clientY - r.top) / s);
    if (!hit) return setHover(null);
    setHover({ index: hit.index, label: hit.panel.label, x: hit.panel.x + hit.col, y: hit.panel.y + hit.row });
  };

  const value = hover ? tensor.values[hover.index] : undefined;
  return (
    <div className="value-heatmap" data-testid="value-heatmap">
      <div className="value-heatmap-frame" style={{ width: layout.width * s, height: layout.height * s }}>
        <canvas
          ref={canvas}
          style={{ width: layout.width * s, height: layout.height * s }}
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
          data-testid="value-heatmap-canvas"
        />
        {hover && s >= 3 && (
          <div
            className="value-heatmap-cursor"
            style={{ left: hover.x * s - 1, top: hover.y * s - 1, width: s + 2, height: s + 2 }}
          />
        )}
      </div>
      <div className="value-readout mono" data-testid="value-readout">
        {hover ? (
          <>
            <span>[{unravelIndex(hover.index, tensor.shape).join(', ')}]</span> ={' '}
            <b data-testid="value-readout-value">{formatExact(value)}</b>
            {hover.label && <span className="value-readout-where"> · {hover.label}</span>}
          </>
        ) : (
          <span className="hint">{layout.caption} · hover a cell to read its value</span>
        )}
      </div>
    </div>
  );
});
