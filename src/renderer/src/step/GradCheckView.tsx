import { useState } from 'react';
import type { ReactElement } from 'react';
import { formatValue } from '../tensors/format';
import { unravelIndex } from '../tensors/glyphGeometry';
import { gradCheck } from './stepController';
import type { GradCheckResult, InspectTarget } from './stepTypes';

/** Relative errors below this mean backprop and finite differences agree (float64 central differences). */
const AGREE = 1e-4;
const CLOSE = 1e-2;

type State =
  | { readonly s: 'idle' }
  | { readonly s: 'running' }
  | { readonly s: 'done'; readonly r: GradCheckResult }
  | { readonly s: 'failed'; readonly message: string };

/**
 * "Check this gradient": the host perturbs a few entries by ±ε, differences the loss, and
 * compares with the gradient backprop computed; we show the largest relative error.
 */
export function GradCheckView({ target, shape }: { target: InspectTarget; shape: readonly number[] }): ReactElement {
  const [state, setState] = useState<State>({ s: 'idle' });
  const run = (): void => {
    setState({ s: 'running' });
    gradCheck(target).then(
      (r) => setState({ s: 'done', r }),
      (err: unknown) => setState({ s: 'failed', message: err instanceof Error ? err.message : String(err) }),
    );
  };
  const verdict =
    state.s === 'done'
      ? state.r.maxRelError <= AGREE
        ? 'agree'
        : state.r.maxRelError <= CLOSE
          ? 'close'
          : 'disagree'
      : null;
  return (
    <section className="grad-check" data-testid="grad-check">
      <div className="grad-check-head">
        <button
          type="button"
          className="button"
          onClick={run}
          disabled={state.s === 'running'}
          data-testid="grad-check-button"
        >
          {state.s === 'running' ? 'Checking…' : 'Check this gradient'}
        </button>
        <span className="muted">compares backprop with central finite differences at a few entries</span>
      </div>
      {state.s === 'failed' && (
        <p className="tensor-error" role="alert">
          {state.message}
        </p>
      )}
      {state.s === 'done' && (
        <>
          <p
            className={`grad-check-verdict ${verdict}`}
            data-testid="grad-check-result"
            data-max-rel-error={state.r.maxRelError}
          >
            {verdict === 'agree' ? '✓' : verdict === 'close' ? '≈' : '✗'} largest relative error{' '}
            <b className="mono">{formatValue(state.r.maxRelError, 3)}</b>
            {verdict === 'agree'
              ? ' — backprop agrees with finite differences'
              : verdict === 'close'
                ? ' — close, within float rounding of a kink or a small value'
                : ' — backprop and finite differences disagree'}
          </p>
          <table className="grad-check-table mono">
            <thead>
              <tr>
                <th>entry</th>
                <th>backprop</th>
                <th>finite diff.</th>
                <th>rel. error</th>
              </tr>
            </thead>
            <tbody>
              {state.r.entries.map((e) => (
                <tr key={e.index}>
                  <td>[{unravelIndex(e.index, shape).join(', ')}]</td>
                  <td>{formatValue(e.backprop, 6)}</td>
                  <td>{formatValue(e.numeric, 6)}</td>
                  <td>{formatValue(e.relError, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
