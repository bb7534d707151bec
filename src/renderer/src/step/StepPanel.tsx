import type { ReactElement } from 'react';
import { useApp } from '../state/useApp';
import { CurrentNode } from './CurrentNode';
import { GradientPanel } from './GradientPanel';
import { StepToolbar } from './StepToolbar';
import './step.css';

/** The Step tab: the toolbar, the node being evaluated with its formula, and the gradient norms. */
export function StepPanel(): ReactElement {
  const { error, sessionId } = useApp((s) => ({ error: s.run.error, sessionId: s.run.session?.id ?? '' }));
  return (
    <div className="step-panel" data-testid="step-panel" data-session-id={sessionId}>
      <StepToolbar />
      {error && (
        <div className="step-error" role="alert" data-testid="step-error">
          {error}
        </div>
      )}
      <div className="step-body">
        <CurrentNode />
        <GradientPanel />
      </div>
    </div>
  );
}
