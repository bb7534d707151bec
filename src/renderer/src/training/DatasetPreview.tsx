import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import { classColor, paddedRange } from './classColors';
import type { DatasetPreview } from './trainingTypes';

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Points of a 1-D or 2-D set: x against y (a regression's target), or the plane coloured by class. */
function Scatter({ p }: { p: DatasetPreview }): ReactElement {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const one = size(p.featureShape) === 1;
    const xs = p.rows.map((r) => r.x[0]);
    const ys = p.rows.map((r) => (one ? r.y[0] : r.x[1]));
    const [x0, x1] = paddedRange(xs);
    const [y0, y1] = paddedRange(ys);
    ctx.clearRect(0, 0, c.width, c.height);
    p.rows.forEach((r, i) => {
      const px = ((xs[i] - x0) / (x1 - x0)) * c.width;
      const py = c.height - ((ys[i] - y0) / (y1 - y0)) * c.height;
      ctx.fillStyle = one || p.task === 'regression' ? '#0072b2' : classColor(r.y[0]);
      ctx.beginPath();
      ctx.arc(px, py, 2.5, 0, Math.PI * 2);
      ctx.fill();
    });
  }, [p]);
  return <canvas ref={ref} width={180} height={140} className="preview-canvas" data-testid="preview-scatter" />;
}

/** Tiles of image samples (digits), grey levels scaled to the preview's range, with their label. */
function ImageGrid({ p }: { p: DatasetPreview }): ReactElement {
  const ref = useRef<HTMLCanvasElement>(null);
  const shape = p.featureShape.slice(-2);
  const [h, w] = shape.length === 2 ? shape : [Math.sqrt(size(p.featureShape)), Math.sqrt(size(p.featureShape))];
  const rows = p.rows.slice(0, 24);
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const all = rows.flatMap((r) => r.x);
    const max = Math.max(1e-9, ...all);
    const img = ctx.createImageData(w, h);
    rows.forEach((r, i) => {
      for (let k = 0; k < w * h; k++) {
        const v = 255 - Math.round((r.x[k] / max) * 255);
        img.data.set([v, v, v, 255], k * 4);
      }
      ctx.putImageData(img, (i % 8) * (w + 1), Math.floor(i / 8) * (h + 1));
    });
  }, [rows, w, h]);
  return (
    <div className="preview-images">
      <canvas
        ref={ref}
        width={8 * (w + 1)}
        height={Math.ceil(rows.length / 8) * (h + 1)}
        className="preview-canvas pixelated"
        data-testid="preview-images"
      />
      <span className="preview-labels">labels: {rows.map((r) => r.y[0]).join(' ')}</span>
    </div>
  );
}

/** Sequences (time × features) as small heat maps, one a row, with their label. */
function Sequences({ p }: { p: DatasetPreview }): ReactElement {
  const rows = p.rows.slice(0, 8);
  const [t, f] = p.featureShape.length === 2 ? p.featureShape : [size(p.featureShape), 1];
  return (
    <table className="preview-seq" data-testid="preview-sequences">
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {Array.from({ length: t }, (_, k) => (
              <td
                key={k}
                style={{ background: `rgba(0,114,178,${Math.min(1, Math.abs(r.x[k * f] ?? 0))})` }}
                title={String(r.x[k * f])}
              />
            ))}
            <th>→ {r.y.join(', ')}</th>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The toy translation's samples as words: what the encoder reads, what the decoder reads (teacher
 * forcing: <s> and the target shifted right) and the labels it is scored on; padding left out.
 */
function Words({ p }: { p: DatasetPreview }): ReactElement {
  // The engine's token ids (train/toyTranslation.ts): padding, <s>, </s>, then the letters from a.
  const letters = Math.max(0, (p.numClasses ?? 3) - 3);
  const vocab = ['·', '<s>', '</s>', ...Array.from({ length: letters }, (_, k) => String.fromCharCode(97 + k))];
  const source = (size(p.featureShape) - 1) / 2;
  // Letters run together as a word; <s> and </s> stand apart: "<s> bac", "bac </s>".
  const text = (ids: readonly number[]) =>
    ids
      .filter((id) => id !== 0)
      .map((id) => vocab[id] ?? '?')
      .reduce((a, t, k, all) => (k > 0 && (t.length > 1 || all[k - 1].length > 1) ? `${a} ${t}` : a + t), '');
  return (
    <table className="preview-words" data-testid="preview-words">
      <thead>
        <tr>
          <th title="The source word the encoder reads">source</th>
          <th title="What the decoder reads: <s> and the target shifted right (teacher forcing)">decoder in</th>
          <th title="What each decoder step is scored on: the target and </s>">labels</th>
        </tr>
      </thead>
      <tbody>
        {p.rows.slice(0, 8).map((r, i) => (
          <tr key={i}>
            <td>{text(r.x.slice(0, source))}</td>
            <td>{text(r.x.slice(source))}</td>
            <td>{text(r.y)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Table({ p }: { p: DatasetPreview }): ReactElement {
  const names = p.featureNames ?? p.rows[0]?.x.map((_, i) => `x${i}`) ?? [];
  return (
    <div className="preview-table-wrap">
      <table className="preview-table" data-testid="preview-table">
        <thead>
          <tr>
            {names.map((n) => (
              <th key={n}>{n}</th>
            ))}
            <th>label</th>
          </tr>
        </thead>
        <tbody>
          {p.rows.slice(0, 10).map((r, i) => (
            <tr key={i}>
              {r.x.map((v, k) => (
                <td key={k}>{Number(v.toPrecision(4))}</td>
              ))}
              <td>{r.y.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The first samples of the chosen set, drawn as what they are; with its size, shapes and classes. */
export function DatasetPreviewView({ preview: p }: { preview: DatasetPreview }): ReactElement {
  const f = size(p.featureShape);
  const kind = p.name.startsWith('translate-')
    ? 'words'
    : p.featureNames !== null
      ? 'table'
      : f <= 2
        ? 'scatter'
        : p.featureShape.length === 3 || Number.isInteger(Math.sqrt(f))
          ? 'images'
          : p.featureShape.length === 2
            ? 'sequences'
            : 'table';
  return (
    <figure className="dataset-preview" data-testid="dataset-preview">
      {kind === 'words' ? (
        <Words p={p} />
      ) : kind === 'scatter' ? (
        <Scatter p={p} />
      ) : kind === 'images' ? (
        <ImageGrid p={p} />
      ) : kind === 'sequences' ? (
        <Sequences p={p} />
      ) : (
        <Table p={p} />
      )}
      <figcaption data-testid="dataset-facts">
        {p.n} sample{p.n === 1 ? '' : 's'} · features {p.featureShape.join('×') || '1'} ·{' '}
        {p.task === 'classification' ? `${p.numClasses ?? 2} classes` : 'regression'}
      </figcaption>
    </figure>
  );
}
