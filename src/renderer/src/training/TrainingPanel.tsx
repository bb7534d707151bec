import { useRef } from 'react';
import type { ReactElement } from 'react';
import { useElementWidth } from '../hooks/useElementWidth';
import { useApp } from '../state/useApp';
import type { AppState } from '../state/appState';
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

/**
 * Panel widths. Below NARROW a plots column would leave the curves a hundred pixels each: the
 * plots take turns with the curves under a switch instead, dev and test matrices side by side
 * from INLINE_PAIR up (two 10-class matrices take about 440 px beside the settings' 250). From
 * WIDE up the plots column holds both matrices and the curves still keep 300 px each.
 */
const NARROW = 900;
const INLINE_PAIR = 720;
const WIDE = 1200;

/** The names of the plots there are to show (none: no plots column, no switch). */
function plotNames(s: AppState): string {
  const t = s.training;
  return [
    s.doc.training.dataset.name === 'translate' && 'Translate',
    t.boundary && 'Boundary',
    t.curve && 'Fitted curve',
    (t.confusion.dev || t.confusion.test) && 'Confusion',
  ]
    .filter(Boolean)
    .join(' · ');
}

function Plots({ sideBySide }: { sideBySide: boolean }): ReactElement {
  return (
    <>
      <TranslateView />
      <DecisionBoundary />
      <FittedCurve />
      <ConfusionView sideBySide={sideBySide} />
    </>
  );
}

/**
 * The Training tab: data set and settings on the left, control and curves in the middle, plots on
 * the right; in a narrow tab the plots take turns with the curves.
 */
export function TrainingPanel(): ReactElement {
  const { t, state, plots } = useApp((s) => ({ t: s.doc.training, state: s.training.state, plots: plotNames(s) }));
  const locked = state === 'running' || state === 'paused';
  const ref = useRef<HTMLDivElement>(null);
  const width = useElementWidth(ref);
  const narrow = width > 0 && width < NARROW;
  return (
    <div className="training-panel" ref={ref} data-testid="training-panel">
      <aside className="training-side">
        <h3>Data</h3>
        <DataSection locked={locked} />
        <h3>Settings</h3>
        <SettingsForm t={t} locked={locked} />
      </aside>
      <section className="training-main">
        <TrainControls />
        <Charts
          plots={narrow && plots ? { label: plots, content: <Plots sideBySide={width >= INLINE_PAIR} /> } : null}
        />
      </section>
      {!narrow && (
        <aside className="training-plots">
          <Plots sideBySide={width >= WIDE} />
        </aside>
      )}
    </div>
  );
}
