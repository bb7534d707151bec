import type { ReactElement } from 'react';
import { runAction } from '../actions/registry';
import { useApp } from '../state/useApp';
import { CodePanel } from './CodePanel';
import { Splitter } from './Splitter';
import { StepPanel } from '../step/StepPanel';
import { TrainingPanel } from '../training/TrainingPanel';
import { LossPanel } from '../losses/LossPanel';

export function BottomPanel(): ReactElement {
  const tab = useApp((s) => s.ui.bottomTab);
  return (
    <section className="bottom-panel" data-testid="bottom-panel">
      <Splitter
        cssVar="--bottom-h"
        axis="y"
        invert
        min={90}
        max={600}
        label="Resize the bottom panel"
        testId="splitter-bottom"
      />
      <div className="tabs" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'training'}
          className={`tab${tab === 'training' ? ' active' : ''}`}
          data-testid="tab-training"
          onClick={() => void runAction('view.showTraining')}
        >
          Training
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'losses'}
          className={`tab${tab === 'losses' ? ' active' : ''}`}
          data-testid="tab-losses"
          onClick={() => void runAction('view.showLosses')}
        >
          Losses
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'code'}
          className={`tab${tab === 'code' ? ' active' : ''}`}
          data-testid="tab-code"
          onClick={() => void runAction('view.showCode')}
        >
          Code
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'step'}
          className={`tab${tab === 'step' ? ' active' : ''}`}
          data-testid="tab-step"
          onClick={() => void runAction('step.showPanel')}
        >
          Step
        </button>
        <span className="tab-note">
          {tab === 'training'
            ? 'Choose the data and the settings, train, and watch the curves; the weights are saved in the project.'
            : tab === 'step'
              ? 'Step through one batch node by node; click a tensor on an edge to inspect it.'
              : tab === 'losses'
                ? 'The loss and its slope against the margin, beside the other losses; the batch’s examples are the dots.'
                : 'The code the host generates for this graph, updated as you edit.'}
        </span>
      </div>
      <div className="tab-body">
        {tab === 'step' ? (
          <StepPanel />
        ) : tab === 'training' ? (
          <TrainingPanel />
        ) : tab === 'losses' ? (
          <LossPanel />
        ) : (
          <CodePanel />
        )}
      </div>
    </section>
  );
}
