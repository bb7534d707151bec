import type { ReactElement } from 'react';
import { setTraining } from '../state/store';
import { useApp } from '../state/useApp';
import type { ConfusionMatrix } from './trainingTypes';

type Split = 'dev' | 'test';

const TITLE: Record<Split, string> = { dev: 'Dev', test: 'Test' };

const diagonal = (m: ConfusionMatrix): number =>
  m.matrix.reduce((a, row, i) => a + (row[i] ?? 0), 0) / Math.max(1, m.samples);

const percent = (v: number): string => `${(v * 100).toFixed(1)}%`;

function Matrix({ m, title }: { m: ConfusionMatrix; title: string }): ReactElement {
  const max = Math.max(1, ...m.matrix.flat());
  return (
    <figure className="confusion" data-testid={`confusion-${m.split}`}>
      <figcaption>
        {title}: {m.samples} samples, {percent(diagonal(m))} on the diagonal
      </figcaption>
      <table>
        <thead>
          {/* "true ↓" on two lines keeps the row labels' column as narrow as a class number. */}
          <tr>
            <th className="corner" rowSpan={2}>
              true
              <br />↓
            </th>
            <th className="axis" colSpan={m.matrix.length}>
              predicted →
            </th>
          </tr>
          <tr>
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

/**
 * Confusion matrices: dev while training (at pauses and ends), test once training ends. With both
 * and no room for them side by side, one at a time under a Dev/Test switch that names each one's
 * accuracy, so the curves keep their width and no matrix falls below the panel's fold.
 */
export function ConfusionView({ sideBySide }: { sideBySide: boolean }): ReactElement | null {
  const { c, shownView } = useApp((s) => ({ c: s.training.confusion, shownView: s.training.shown }));
  // The choice lives in the store: a window resized across a size class moves this view between
  // the plots column and the curves' switch, which mounts it anew.
  const chosen: Split = shownView.confusion;
  const choose = (split: Split): void => setTraining({ shown: { ...shownView, confusion: split } });
  if (!c.dev && !c.test) return null;
  const both = c.dev !== null && c.test !== null;
  const shown: Split = both ? chosen : c.dev ? 'dev' : 'test';
  const visible = (split: Split): boolean => c[split] !== null && (sideBySide || shown === split);
  return (
    <div className="confusions" data-testid="confusions">
      {both && !sideBySide && (
        <div className="segmented" role="tablist" aria-label="Confusion matrix">
          {(['dev', 'test'] as const).map((split) => (
            <button
              key={split}
              type="button"
              role="tab"
              aria-selected={shown === split}
              className={shown === split ? 'active' : ''}
              onClick={() => choose(split)}
              data-testid={`confusion-show-${split}`}
            >
              {TITLE[split]} {percent(diagonal(c[split]!))}
            </button>
          ))}
        </div>
      )}
      <div className="confusion-list">
        {visible('dev') && <Matrix m={c.dev!} title={TITLE.dev} />}
        {visible('test') && <Matrix m={c.test!} title={TITLE.test} />}
      </div>
    </div>
  );
}
