import type { ReactElement } from 'react';
import { useApp } from '../state/useApp';
import { pauseTraining, resetWeights, resumeTraining, stopTraining, train } from './trainingController';
import { toggleTravel } from './timeTravel';
import type { Progress } from './trainingTypes';

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function ProgressBar({ p }: { p: Progress }): ReactElement {
  const done = p.epochs > 0 ? ((p.epoch - 1) * p.batches + p.batch) / (p.epochs * Math.max(1, p.batches)) : 0;
  return (
    <div className="train-progress" data-testid="train-progress">
      <progress max={1} value={Math.min(1, Math.max(0, done))} />
      <span data-testid="train-progress-text">
        epoch {p.epoch} of {p.epochs} · batch {p.batch} of {p.batches} · step {p.step}
        {p.examplesPerSecond !== null ? ` · ${Math.round(p.examplesPerSecond).toLocaleString('en')} examples/s` : ''}
        {p.etaMs !== null ? ` · ${duration(p.etaMs)} left` : ''}
      </span>
    </div>
  );
}

/** Train, Train one epoch, Pause/Resume, Stop, Reset weights, and where the run is. */
export function TrainControls(): ReactElement {
  const { state, progress, failure, finished, hasWeights, connected, travel } = useApp((s) => ({
    state: s.training.state,
    progress: s.training.progress,
    failure: s.training.failure,
    finished: s.training.finished,
    hasWeights: s.doc.weights !== undefined || s.training.sessionId !== null,
    connected: s.host.status === 'connected',
    travel: s.training.travel.open,
  }));
  const active = state === 'running' || state === 'paused';
  return (
    <div className="train-controls">
      <div className="train-buttons" role="toolbar" aria-label="Training">
        <button
          type="button"
          className="btn primary"
          disabled={active || !connected}
          data-testid="train-start"
          onClick={() => void train()}
          title="Train for the settings’ epochs (continues from the current weights)"
        >
          Train
        </button>
        <button
          type="button"
          className="btn"
          disabled={active || !connected}
          data-testid="train-epoch"
          onClick={() => void train(1)}
        >
          Train one epoch
        </button>
        {state === 'paused' ? (
          <button type="button" className="btn" data-testid="train-resume" onClick={() => void resumeTraining()}>
            Resume
          </button>
        ) : (
          <button
            type="button"
            className="btn"
            disabled={state !== 'running'}
            data-testid="train-pause"
            onClick={() => void pauseTraining()}
          >
            Pause
          </button>
        )}
        <button
          type="button"
          className="btn"
          disabled={!active}
          data-testid="train-stop"
          onClick={() => void stopTraining()}
        >
          Stop
        </button>
        <button
          type="button"
          className="btn"
          disabled={active || !hasWeights}
          data-testid="train-reset"
          onClick={resetWeights}
          title="Re-initialise the weights from the seed (undoable)"
        >
          Reset weights
        </button>
        <button
          type="button"
          className={`btn${travel ? ' on' : ''}`}
          aria-pressed={travel}
          data-testid="train-travel"
          onClick={toggleTravel}
          title="Replay the last steps of training on the canvas and in the plots (Alt+R)"
        >
          Time travel
        </button>
        <span className={`train-state ${state}`} data-testid="train-state">
          {state === 'idle' ? 'Not trained yet' : state}
        </span>
      </div>
      {progress && <ProgressBar p={progress} />}
      {finished && !active && (
        <p className="train-summary" data-testid="train-summary">
          {finished.reason === 'early-stopping'
            ? 'Stopped early (best dev epoch’s weights restored)'
            : finished.reason === 'stopped'
              ? 'Stopped'
              : 'Finished'}{' '}
          after epoch {finished.epoch}: train accuracy {pct(finished.train.accuracy)}, dev {pct(finished.dev?.accuracy)}
          , test {pct(finished.test?.accuracy)}. The weights are saved in the project.
        </p>
      )}
      {failure && (
        <p className="train-failure" role="alert" data-testid="train-failure">
          {failure.reason}
        </p>
      )}
    </div>
  );
}

function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
}
