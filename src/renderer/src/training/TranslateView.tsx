import type { ReactElement } from 'react';
import { useState } from 'react';
import type { Response } from '../../../shared/api/contract';
import { host } from '../api/connection';
import { ensureReady } from '../step/stepSession';
import { useApp } from '../state/useApp';

type Translation = Response<'session.translate'>;

/**
 * The attention matrix as a heat map: a row per output token, a column per source token, darker =
 * more weight, each row's largest weight outlined. Both axes are named and labelled with the tokens.
 */
function AttentionMatrix({ t }: { t: Translation }): ReactElement | null {
  if (!t.attention) return <p className="translate-note">This graph has no attention node: no matrix to show.</p>;
  return (
    <figure className="attention" data-testid="attention">
      <figcaption>Attention weights (darker = more)</figcaption>
      <table className="attention-matrix" data-testid="attention-matrix">
        <thead>
          <tr>
            <th className="corner" />
            <th className="axis" colSpan={t.source.length}>
              source →
            </th>
          </tr>
          <tr>
            <th className="axis">output ↓</th>
            {t.source.map((s, j) => (
              <th key={j} className="source" scope="col">
                {s}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {t.attention.map((row, i) => {
            const peak = row.indexOf(Math.max(...row));
            return (
              <tr key={i}>
                <th scope="row">{t.output[i] ?? ''}</th>
                {row.map((w, j) => (
                  <td
                    key={j}
                    data-weight={w}
                    className={j === peak ? 'peak' : undefined}
                    style={{ ['--w' as string]: String(w), color: w > 0.55 ? '#fff' : undefined }}
                    title={`${t.output[i] ?? ''} looks at ${t.source[j]} (position ${j + 1}) with weight ${w.toFixed(3)}`}
                  >
                    {w.toFixed(2)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </figure>
  );
}

/**
 * Translate, for the seq2seq examples: a typed source word decoded greedily by the session's model
 * (its current weights: after training, the trained ones), with the attention matrix.
 */
export function TranslateView(): ReactElement | null {
  const dataset = useApp((s) => s.doc.training.dataset);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Translation | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (dataset.name !== 'translate') return null;
  const run = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const session = await ensureReady();
      setResult(await host().invoke('session.translate', { sessionId: session.id, source: text }));
    } catch (e) {
      setResult(null);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const right = result !== null && result.output.join(' ') === [...result.expected, '</s>'].join(' ');
  return (
    <figure className="translate" data-testid="translate">
      <figcaption>Translate ({String(dataset.params.task ?? 'reverse')})</figcaption>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <input
          aria-label="Source word"
          data-testid="translate-source"
          value={text}
          placeholder="e.g. cabbage"
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" data-testid="translate-run" disabled={busy || text.trim() === ''}>
          Translate
        </button>
      </form>
      {error && (
        <p className="translate-error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div data-testid="translate-result">
          <p className="translate-output">
            <span>{result.source.join(' ')}</span> →{' '}
            <strong data-testid="translate-output">{result.output.join(' ')}</strong>{' '}
            <span className={right ? 'translate-right' : 'translate-wrong'}>
              {right ? '✓ right' : `✗ expected ${result.expected.join(' ')}`}
            </span>
          </p>
          <AttentionMatrix t={result} />
        </div>
      )}
    </figure>
  );
}
