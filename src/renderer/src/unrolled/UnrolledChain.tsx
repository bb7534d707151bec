import { memo } from 'react';
import type { ReactElement } from 'react';
import type { UnrolledView } from '../../../shared/api/unrolled';
import type { TensorSummary } from '../../../shared/api/tensor';
import { TensorGlyph } from '../tensors/TensorGlyph';
import { gradientHealth } from '../tensors/gradientHealth';

type Step = UnrolledView['states'][number];

/** One state on an arrow: its glyph (the canvas's own) and its name. */
function StateGlyph({
  summary,
  name,
  what,
  testId,
}: {
  summary: TensorSummary;
  name: string;
  what: string;
  testId: string;
}): ReactElement {
  const health = what === 'gradient' ? gradientHealth(summary) : null;
  return (
    <div
      className={`unrolled-glyph${health && health.status !== 'ok' ? ` ${health.status}` : ''}`}
      data-testid={testId}
    >
      <TensorGlyph summary={summary} what={`${name} (${what})`} maxWidth={80} maxHeight={28} />
      <span className="unrolled-glyph-name">{name}</span>
    </div>
  );
}

/**
 * The recurrent layer drawn as one cell per time step: forward, the states each step hands to
 * the next on the upper arrows (h_t, and c_t for an LSTM); backward, their gradients on the
 * lower arrows, pointing back in time.
 */
export const UnrolledChain = memo(function UnrolledChain({
  view,
  order,
  focus,
}: {
  view: UnrolledView;
  order: readonly number[];
  focus: number | null;
}): ReactElement {
  const byT = new Map(view.states.map((s) => [s.t, s]));
  const steps = order.map((t) => byT.get(t)).filter((s): s is Step => s !== undefined);
  const lstm = view.cell === 'LSTM';
  return (
    <div className="unrolled-chain" data-testid="unrolled-chain">
      <div className="unrolled-arrow first" aria-hidden>
        <span className="unrolled-init">initial {lstm ? 'h, c' : 'h'}</span>
      </div>
      {steps.map((s) => (
        <div key={s.t} className={`unrolled-step${focus === s.t ? ' focus' : ''}`} data-testid={`unrolled-step-${s.t}`}>
          <div className="unrolled-cell" title={`The same ${view.cell} cell (the same weights) at time step ${s.t}`}>
            <span className="unrolled-t">t = {s.t}</span>
            <strong>{view.cell}</strong>
            <span className="unrolled-in">↑ x{sub(s.t)}</span>
          </div>
          <div className="unrolled-arrow">
            <div className="unrolled-lane forward">
              <StateGlyph summary={s.h} name={`h${sub(s.t)}`} what="activation" testId={`unrolled-h-${s.t}`} />
              {s.c && <StateGlyph summary={s.c} name={`c${sub(s.t)}`} what="activation" testId={`unrolled-c-${s.t}`} />}
              <div className="unrolled-line forward" />
            </div>
            <div className="unrolled-lane backward">
              <div className="unrolled-line backward" />
              {s.dh ? (
                <StateGlyph summary={s.dh} name={`∂L/∂h${sub(s.t)}`} what="gradient" testId={`unrolled-dh-${s.t}`} />
              ) : (
                <span
                  className="unrolled-pending"
                  title={
                    view.backward
                      ? 'No gradient reaches this state.'
                      : 'Its gradient appears once the backward pass has gone through the node.'
                  }
                >
                  {view.backward ? 'no gradient' : '∂L/∂h' + sub(s.t) + ' ?'}
                </span>
              )}
              {s.dc && (
                <StateGlyph summary={s.dc} name={`∂L/∂c${sub(s.t)}`} what="gradient" testId={`unrolled-dc-${s.t}`} />
              )}
            </div>
          </div>
        </div>
      ))}
    </div>
  );
});

const SUB = '₀₁₂₃₄₅₆₇₈₉';
/** t as subscript digits (h₁₂). */
function sub(t: number): string {
  return String(t)
    .split('')
    .map((d) => SUB[Number(d)])
    .join('');
}
