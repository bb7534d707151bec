import { useMemo } from 'react';
import type { ReactElement } from 'react';
import { nodeTypes as registry } from '../../../engine/graph/registry/registerAll';
import type { LossView } from '../../../shared/api/session';
import { runAction } from '../actions/registry';
import { updateUi } from '../state/store';
import { useApp } from '../state/useApp';
import { LossChart } from './LossChart';
import { curveStyle, pointColor, pushing } from './lossChartSpec';
import { useLossView } from './useLossView';
import './losses.css';

/**
 * Losses side by side: the graph's loss and its slope against the margin (or the residual), the
 * course's other losses beside it, and the step batch's examples as dots on the curves. Every
 * number comes from the step session's engine (session.lossView).
 */
export function LossPanel(): ReactElement {
  const { nodes, chosen, phase, busy } = useApp((s) => ({
    nodes: s.doc.graph.nodes,
    chosen: s.ui.lossNode,
    phase: s.run.phase,
    busy: s.run.busy,
  }));
  const lossNodes = useMemo(
    () =>
      nodes
        .filter((n) => registry.get(n.type)?.family === 'Losses')
        .map((n) => ({ id: n.id, label: n.label ?? n.id, title: registry.get(n.type)?.title ?? n.type })),
    [nodes],
  );
  const nodeId = chosen !== null && lossNodes.some((n) => n.id === chosen) ? chosen : (lossNodes[0]?.id ?? null);
  const state = useLossView(nodeId);
  if (lossNodes.length === 0)
    return (
      <div className="loss-panel loss-empty" data-testid="loss-panel">
        The graph has no loss node: add one from Losses in the palette to plot it here.
      </div>
    );
  const view = state.status === 'ready' ? state.view : null;
  const points = view?.points ?? null;
  return (
    <div className="loss-panel" data-testid="loss-panel">
      <aside className="loss-side">
        <label className="loss-pick">
          Loss{' '}
          <select
            value={nodeId ?? ''}
            data-testid="loss-node"
            onChange={(e) => updateUi({ lossNode: e.target.value })}
            disabled={lossNodes.length < 2}
          >
            {lossNodes.map((n) => (
              <option key={n.id} value={n.id}>
                {n.title} ({n.label})
              </option>
            ))}
          </select>
        </label>
        <div className="loss-buttons">
          <button
            type="button"
            className="btn"
            disabled={busy !== null}
            data-testid="loss-run-forward"
            title="Run forward (F5): the batch's examples become the dots"
            onClick={() => void runAction('step.runForward')}
          >
            Forward
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy !== null}
            data-testid="loss-run-backward"
            title="Run backward (Shift+F5)"
            onClick={() => void runAction('step.runBackward')}
          >
            Backward
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy !== null || phase !== 'backwarded'}
            data-testid="loss-apply-update"
            title="Apply update (F9): then run forward to see the dots move"
            onClick={() => void runAction('step.applyUpdate')}
          >
            Update
          </button>
        </div>
        <p className="loss-status" data-testid="loss-status">
          {state.status === 'no-session'
            ? 'Run forward to start the step session: its batch becomes the dots on the curves.'
            : state.status === 'error'
              ? state.message
              : state.status === 'loading'
                ? 'Asking the engine…'
                : points === null
                  ? 'The forward pass has not reached the loss yet: run forward to place the batch on the curves.'
                  : `${points.length}${view!.rows > points.length ? ` of ${view!.rows}` : ''} examples: ${pushing(view!)} push the weights (filled dots), ${points.length - pushing(view!)} no longer do (hollow).`}
        </p>
        {view && <LossLegend view={view} />}
        {view && (
          <p className="loss-note" data-testid="loss-note">
            {view.note}
          </p>
        )}
      </aside>
      {view ? (
        <div className="loss-charts" data-testid="loss-charts" data-points={points?.length ?? 0} data-axis={view.axis}>
          <LossChart view={view} kind="loss" />
          <LossChart view={view} kind="slope" />
        </div>
      ) : (
        <div className="loss-charts loss-waiting" />
      )}
    </div>
  );
}

/** Which line is which, and what the dots' colours and fills mean. */
function LossLegend({ view }: { view: LossView }): ReactElement {
  let chosen = 0;
  const labels = [...new Set((view.points ?? []).map((p) => p.label))].sort((a, b) => a - b);
  return (
    <ul className="loss-legend" data-testid="loss-legend">
      {view.curves.map((c) => {
        const st = curveStyle(c, c.chosen ? chosen++ : 0);
        return (
          <li key={c.id} className={c.chosen ? 'chosen' : ''}>
            <svg width="22" height="8" aria-hidden="true">
              <line
                x1="1"
                y1="4"
                x2="21"
                y2="4"
                stroke={st.color}
                strokeWidth={Math.min(st.width, 3)}
                strokeDasharray={st.dash?.join(' ')}
              />
            </svg>
            {c.label}
          </li>
        );
      })}
      {view.axis !== 'residual' &&
        labels.map((y) => (
          <li key={`y${y}`}>
            <svg width="22" height="10" aria-hidden="true">
              <circle cx="11" cy="5" r="4" fill={pointColor(view, y)} />
            </svg>
            examples with y = {y}
          </li>
        ))}
    </ul>
  );
}
