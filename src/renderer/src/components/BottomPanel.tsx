import type { ReactElement } from 'react';
import type { TrainingSettings } from '../../../engine/graph/schema';
import { runAction } from '../actions/registry';
import { useApp } from '../state/useApp';
import { CodePanel } from './CodePanel';
import { Splitter } from './Splitter';
import { StepPanel } from '../step/StepPanel';

function TrainingSettingsView({ t }: { t: TrainingSettings }): ReactElement {
  const opt = t.optimizer;
  const items: [string, string][] = [
    [
      'Data set',
      `${t.dataset.name}${
        Object.keys(t.dataset.params).length
          ? ` (${Object.entries(t.dataset.params)
              .map(([k, v]) => `${k} ${String(v)}`)
              .join(', ')})`
          : ''
      }`,
    ],
    ['Split (train / dev / test)', `${t.split.train} / ${t.split.dev} / ${t.split.test}`],
    [
      'Optimizer',
      `${opt.type.toUpperCase()}, lr ${opt.lr}${opt.type === 'sgd' && opt.momentum ? `, momentum ${opt.momentum}` : ''}${opt.weightDecay ? `, weight decay ${opt.weightDecay}` : ''}`,
    ],
    ['Batch size', String(t.batchSize)],
    ['Epochs', String(t.epochs)],
    ['Seed', String(t.seed)],
    ['Standardize features', t.standardize ? 'yes' : 'no'],
    ['Early stopping', t.earlyStopping.enabled ? `after ${t.earlyStopping.patience} epochs without progress` : 'off'],
  ];
  return (
    <dl className="settings-grid" data-testid="training-settings">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function BottomPanel(): ReactElement {
  const { tab, doc } = useApp((s) => ({ tab: s.ui.bottomTab, doc: s.doc }));
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
            ? 'The project’s training settings. Training runs arrive with the training service.'
            : tab === 'step'
              ? 'Step through one batch node by node; click a tensor on an edge to inspect it.'
              : 'The code the host generates for this graph, updated as you edit.'}
        </span>
      </div>
      <div className="tab-body">
        {tab === 'step' ? (
          <StepPanel />
        ) : tab === 'training' ? (
          <TrainingSettingsView t={doc.training} />
        ) : (
          <CodePanel />
        )}
      </div>
    </section>
  );
}
