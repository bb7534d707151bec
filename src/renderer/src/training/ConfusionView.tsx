import type { ReactElement } from 'react';
import { useApp } from '../state/useApp';
import type { ConfusionMatrix } from './trainingTypes';

function Matrix({ m, title }: { m: ConfusionMatrix; title: string }): ReactElement {
  const max = Math.max(1, ...m.matrix.flat());
  const correct = m.matrix.reduce((a, row, i) => a + (row[i] ?? 0), 0);
  return (
    <figure className="confusion" data-testid={`confusion-${m.split}`}>
      <figcaption>
        {title}: {m.samples} samples, {((correct / Math.max(1, m.samples)) * 100).toFixed(1)}% on the diagonal
      </figcaption>
      <table>
        <thead>
          <tr>
            <th className="corner" />
            <th className="axis" colSpan={m.matrix.length}>
              predicted →
            </th>
          </tr>
          <tr>
            <th className="corner">true ↓</th>
            {m.matrix.map((_, j) => (
              <th key={j}>{j}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {m.matrix.map((row, i) => (
            <tr key={i}>
              <th>{i}</th>
              {row.map((v, j) => (
                <td
                  key={j}
                  className={i === j ? 'diag' : v > 0 ? 'off' : ''}
                  style={{ ['--w' as string]: String(v / max) }}
                  title={`${v} of class ${i} predicted as ${j}`}
                >
                  {v}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Confusion matrices: dev while training (at pauses and ends), test once training ends. */
export function ConfusionView(): ReactElement | null {
  const c = useApp((s) => s.training.confusion);
  if (!c.dev && !c.test) return null;
  return (
    <div className="confusions">
      {c.dev && <Matrix m={c.dev} title="Dev" />}
      {c.test && <Matrix m={c.test} title="Test" />}
    </div>
  );
}
