import type { ReactElement } from 'react';
import { useApp } from '../state/useApp';
import { backToNow, closeTravel, stepFromHere, travelBy, travelTo } from './timeTravel';
import type { RecordedStep } from './trainingTypes';
import './timeTravel.css';

const SPARK_W = 1000;
const SPARK_H = 20;

/** The recorded losses as a line over the slider's track (log scale: early steps would flatten the rest). */
function LossSpark({ steps, index }: { steps: readonly RecordedStep[]; index: number }): ReactElement | null {
  const ys = steps.map((s) => (s.loss !== null && s.loss > 0 ? Math.log(s.loss) : null));
  const finite = ys.filter((y): y is number => y !== null);
  if (finite.length < 2) return null;
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  // One slot per slider position (the steps, then "now"), each point at its slot's centre.
  const x = (i: number) => ((i + 0.5) / (steps.length + 1)) * SPARK_W;
  const y = (v: number) => (hi > lo ? 2 + (1 - (v - lo) / (hi - lo)) * (SPARK_H - 4) : SPARK_H / 2);
  const pts = ys.map((v, i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`)).filter(Boolean);
  return (
    <svg className="travel-spark" viewBox={`0 0 ${SPARK_W} ${SPARK_H}`} preserveAspectRatio="none" aria-hidden="true">
      <polyline points={pts.join(' ')} />
      <line x1={x(index)} x2={x(index)} y1={0} y2={SPARK_H} />
    </svg>
  );
}

function fmt(v: number | null): string {
  return v === null ? '—' : v < 0.001 ? v.toExponential(2) : v.toFixed(4);
}

/**
 * The scrubber under the canvas (View → Time Travel, Alt+R, or the Training tab's button): the
 * recorded training steps on a slider, with their losses drawn above it.
 */
export function TimeTravelBar(): ReactElement | null {
  const { tv, state, trained } = useApp((s) => ({
    tv: s.training.travel,
    state: s.training.state,
    trained: s.training.sessionId !== null && s.run.session?.id === s.training.sessionId,
  }));
  if (!tv.open) return null;
  const { steps, at } = tv;
  const running = state === 'running';
  const active = running || state === 'paused';
  const index =
    at === null
      ? steps.length
      : Math.max(
          0,
          steps.findIndex((x) => x.step === at),
        );
  const shown = at === null ? null : steps[index];
  const last = steps.at(-1);
  let status: string;
  if (tv.error) status = tv.error;
  else if (tv.note) status = tv.note;
  else if (running) status = 'Recording the run’s steps: pause or stop it to travel back through them.';
  else if (!trained || steps.length === 0)
    status = 'Train the network: the last steps of training are recorded here, to replay them.';
  else if (shown && last)
    status = `Step ${shown.step} · ${last.step - shown.step + 1} back · epoch ${shown.epoch}, batch ${shown.batch}: batch loss ${fmt(shown.loss)}${shown.accuracy !== null ? `, accuracy ${(shown.accuracy * 100).toFixed(0)}%` : ''}`;
  else
    status = `Now: the weights after step ${last!.step}. ${steps.length} steps recorded (steps ${steps[0].step}–${last!.step}, ${(tv.bytes / 2 ** 20).toFixed(1)} of ${(tv.budgetBytes / 2 ** 20).toFixed(0)} MB).`;
  const usable = trained && steps.length > 0 && !running;
  return (
    <section
      className={`travel-bar${at !== null ? ' replaying' : ''}`}
      data-testid="travel-bar"
      aria-label="Time travel"
    >
      <div className="travel-head">
        <span className="travel-title" title="Replay the last steps of training">
          Time travel
        </span>
        <span className="travel-status" data-testid="travel-status" title={status}>
          {status}
        </span>
        <button
          type="button"
          className="btn"
          disabled={at === null}
          onClick={backToNow}
          title="Back to the current weights"
          data-testid="travel-now"
        >
          Now
        </button>
        <button
          type="button"
          className="btn primary"
          disabled={at === null || active || tv.busy}
          onClick={() => void stepFromHere()}
          title={
            active
              ? 'Stop the run first'
              : 'Put the step session at the weights this step computed with, on its batch, to step through it'
          }
          data-testid="travel-step-from"
        >
          Step from here
        </button>
        <button
          type="button"
          className="btn icon"
          onClick={closeTravel}
          title="Close time travel (Alt+R)"
          aria-label="Close time travel"
          data-testid="travel-close"
        >
          ×
        </button>
      </div>
      <div className="travel-row">
        <button
          type="button"
          className="btn icon"
          disabled={!usable || index === 0}
          onClick={() => travelBy(-1)}
          title="One step back"
          aria-label="One step back"
          data-testid="travel-back"
        >
          ‹
        </button>
        <div className="travel-track">
          {usable && <LossSpark steps={steps} index={index} />}
          <input
            type="range"
            min={0}
            max={steps.length}
            step={1}
            value={index}
            disabled={!usable}
            aria-label="Training step"
            aria-valuetext={shown ? `step ${shown.step}` : 'now'}
            data-testid="travel-slider"
            onChange={(e) => {
              const i = Number(e.currentTarget.value);
              if (i >= steps.length) backToNow();
              else travelTo(steps[i].step);
            }}
          />
        </div>
        <button
          type="button"
          className="btn icon"
          disabled={!usable || at === null}
          onClick={() => travelBy(1)}
          title="One step forward"
          aria-label="One step forward"
          data-testid="travel-forward"
        >
          ›
        </button>
      </div>
    </section>
  );
}
