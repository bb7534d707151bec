import type { ReactElement } from 'react';
import { useApp } from '../state/useApp';
import { Charts } from './Charts';
import { ConfusionView } from './ConfusionView';
import { DataSection } from './DataSection';
import { DecisionBoundary } from './DecisionBoundary';
import { FittedCurve } from './FittedCurve';
import { SettingsForm } from './SettingsForm';
import { TrainControls } from './TrainControls';
import { TranslateView } from './TranslateView';
import './dataInfo';
import './training.css';

/** The Training tab: data set and settings on the left, control and curves in the middle, plots on the right. */
export function TrainingPanel(): ReactElement {
  const { t, state } = useApp((s) => ({ t: s.doc.training, state: s.training.state }));
  const locked = state === 'running' || state === 'paused';
  return (
    <div className="training-panel" data-testid="training-panel">
      <aside className="training-side">
        <h3>Data</h3>
        <DataSection locked={locked} />
        <h3>Settings</h3>
        <SettingsForm t={t} locked={locked} />
      </aside>
      <section className="training-main">
        <TrainControls />
        <Charts />
      </section>
      <aside className="training-plots">
        <TranslateView />
        <DecisionBoundary />
        <FittedCurve />
        <ConfusionView />
      </aside>
    </div>
  );
}
