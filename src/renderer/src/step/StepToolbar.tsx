import type { ReactElement, ReactNode } from 'react';
import { shortcutLabel, shortcutOf } from '../actions/keys';
import { getAction, runAction } from '../actions/registry';
import { setRun } from '../state/store';
import { useApp } from '../state/useApp';
import { BatchPicker } from './BatchPicker';
import { EquivarianceControl } from './EquivarianceControl';
import { setMode } from './stepController';
import { nextStepAction, stepStatus } from './stepStatus';

function StepButton({
  action,
  children,
  disabled,
  primary,
}: {
  action: string;
  children: ReactNode;
  disabled?: boolean;
  primary?: boolean;
}): ReactElement {
  const a = getAction(action);
  const mode = useApp((s) => s.host.mode);
  const shortcut = a ? shortcutOf(a, mode) : undefined;
  const title = a ? `${a.label}${shortcut ? ` (${shortcutLabel(shortcut)})` : ''}` : action;
  return (
    <button
      type="button"
      className={`step-button${primary ? ' primary' : ''}`}
      title={title}
      aria-label={a?.label ?? action}
      disabled={disabled}
      onClick={() => void runAction(action)}
      data-testid={`step-${action.slice(5)}`}
    >
      {children}
    </button>
  );
}

/** Forward step, backward step, run forward, run backward, apply update and reset; the batch; the activations/gradients toggle. */
export function StepToolbar(): ReactElement {
  const { phase, view, dtype, mode, training, busy, connected, empty, status } = useApp((s) => ({
    phase: s.run.phase,
    view: s.run.view,
    dtype: s.run.dtype,
    mode: s.run.mode,
    busy: s.run.busy,
    connected: s.host.status === 'connected',
    empty: s.doc.graph.nodes.length === 0,
    status: stepStatus(s.run),
    training: s.training.state,
  }));
  // While a command is in flight every step button is off: a click then would be refused anyway.
  // So while a run trains; while it is paused the step tools look at its weights, but the
  // update is the run's to make.
  const off = !connected || empty || busy !== null || training === 'running';
  const paused = training === 'paused';
  const next = nextStepAction(phase, paused);
  return (
    <div
      className="step-toolbar"
      role="toolbar"
      aria-label="Step through the network"
      data-testid="step-toolbar"
      data-busy={busy !== null ? 'true' : 'false'}
      data-phase={phase}
    >
      <div className="step-buttons">
        <StepButton action="step.forward" disabled={off} primary={next === 'step.forward'}>
          <span className="glyph">▸</span> Forward step
        </StepButton>
        <StepButton action="step.backward" disabled={off} primary={next === 'step.backward'}>
          <span className="glyph">◂</span> Backward step
        </StepButton>
        <span className="toolbar-sep" />
        <StepButton action="step.runForward" disabled={off}>
          <span className="glyph">▸▸</span> Run forward
        </StepButton>
        <StepButton action="step.runBackward" disabled={off}>
          <span className="glyph">◂◂</span> Run backward
        </StepButton>
        <span className="toolbar-sep" />
        <StepButton
          action="step.applyUpdate"
          disabled={off || paused || phase !== 'backwarded'}
          primary={next === 'step.applyUpdate'}
        >
          Apply update
        </StepButton>
        <StepButton action="step.reset" disabled={off}>
          Reset
        </StepButton>
      </div>
      <span className="step-status" role="status" data-testid="step-status">
        {busy !== null && <span className="spinner" aria-hidden="true" />}
        {training === 'running'
          ? 'Training is running: pause it to step through its current weights, or stop it (stepping then starts from the trained weights).'
          : paused && busy === null && phase === 'empty'
            ? 'Training is paused: step forward to see its current weights at work on a batch; Resume goes on training.'
            : status}
      </span>
      <BatchPicker />
      <EquivarianceControl />
      <RadioGroup
        className="step-dtype"
        label="Precision"
        title="Precision of every number in the step session: float64 agrees with a hand calculation (and PyTorch's float64) to the last digits; float32 is what training uses. Switching starts a new session from the project's weights (its saved ones, else the seed's)."
        options={[
          { value: 'float32', text: 'float32' },
          { value: 'float64', text: 'float64' },
        ]}
        value={dtype}
        disabled={busy !== null || training === 'running' || training === 'paused'}
        onChange={(d) => setRun({ dtype: d })}
        testId={(d) => `dtype-${d}`}
      />
      <RadioGroup
        className="step-mode"
        label="Mode"
        title="Training mode: dropout drops units (its mask is drawn on its edge, new at every pass) and batch norm uses the batch's statistics. Evaluation mode: dropout passes everything through and batch norm uses its running statistics. Switching starts the pass over; the weights stay."
        options={[
          { value: 'train', text: 'training' },
          { value: 'eval', text: 'evaluation' },
        ]}
        value={mode}
        disabled={busy !== null || training === 'running'}
        onChange={(m) => void setMode(m)}
        testId={(m) => `mode-${m}`}
      />
      <div
        className="segmented step-view"
        role="tablist"
        aria-label="What the edges show"
        title={`Edges show activations or gradients (${shortcutLabel('Alt+G')})`}
      >
        <button
          type="button"
          role="tab"
          aria-selected={view === 'activations'}
          className={view === 'activations' ? 'active' : ''}
          onClick={() => setRun({ view: 'activations' })}
          data-testid="view-activations"
        >
          Activations
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={view === 'gradients'}
          className={view === 'gradients' ? 'active' : ''}
          onClick={() => setRun({ view: 'gradients' })}
          data-testid="view-gradients"
        >
          Gradients
        </button>
      </div>
    </div>
  );
}

/** A row of buttons of which one is chosen (the step bar's precision and mode). */
function RadioGroup<V extends string>(props: {
  className: string;
  label: string;
  title: string;
  options: readonly { value: V; text: string }[];
  value: V;
  disabled: boolean;
  onChange: (value: V) => void;
  testId: (value: V) => string;
}): ReactElement {
  return (
    <div className={`segmented ${props.className}`} role="radiogroup" aria-label={props.label} title={props.title}>
      {props.options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={props.value === o.value}
          className={props.value === o.value ? 'active' : ''}
          disabled={props.disabled}
          onClick={() => props.onChange(o.value)}
          data-testid={props.testId(o.value)}
        >
          {o.text}
        </button>
      ))}
    </div>
  );
}
