import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import { nodeTypes as registry } from '../../../engine/graph/registry/registerAll';
import type { UnrolledView as View } from '../../../shared/api/unrolled';
import { runAction } from '../actions/registry';
import { stepBackwardTime } from '../step/stepController';
import { updateUi } from '../state/store';
import { useApp } from '../state/useApp';
import { formatValue } from '../tensors/format';
import { StepGradBars } from './StepGradBars';
import { UnrolledChain } from './UnrolledChain';
import { useUnrolledView } from './useUnrolledView';
import './unrolled.css';

/**
 * Backpropagation through time, unrolled, over the canvas: the recurrent node the student opened
 * (View → Unroll Through Time, the inspector, the node's context menu or a double-click) as one
 * cell per time step with the engine's own states and gradients, and ‖∂L/∂h_t‖ per step as bars.
 * The step bar keeps working underneath; every step refreshes the view.
 */
export function UnrolledPanel(): ReactElement | null {
  const { nodeId, exists } = useApp((s) => ({
    nodeId: s.ui.unrolledNode,
    exists: s.ui.unrolledNode !== null && s.doc.graph.nodes.some((n) => n.id === s.ui.unrolledNode),
  }));
  // A node deleted (or a document closed) while its view is open closes the view.
  useEffect(() => {
    if (nodeId !== null && !exists) updateUi({ unrolledNode: null });
  }, [nodeId, exists]);
  if (nodeId === null || !exists) return null;
  return <UnrolledBody key={nodeId} nodeId={nodeId} />;
}

function UnrolledBody({ nodeId }: { nodeId: string }): ReactElement {
  const { node, busy, phase } = useApp((s) => ({
    node: s.doc.graph.nodes.find((n) => n.id === nodeId)!,
    busy: s.run.busy,
    phase: s.run.phase,
  }));
  const [layer, setLayer] = useState<number | null>(null);
  const [direction, setDirection] = useState(0);
  const [focus, setFocus] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const state = useUnrolledView(nodeId, layer, direction, tick);
  const view = state.status === 'ready' ? state.view : null;
  // Time travel: the view shows a recorded training step; the step buttons act on the step session, not on it.
  const travelStep = state.status === 'ready' ? state.travelStep : null;
  const scroller = useRef<HTMLDivElement>(null);
  const title = registry.get(node.type)?.title ?? node.type;
  const close = (): void => updateUi({ unrolledNode: null });
  useEffect(() => {
    const key = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && !e.defaultPrevented) updateUi({ unrolledNode: null });
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, []);
  const order = view ? stepOrder(view) : [];
  const scrollTo = useCallback((t: number): void => {
    scroller.current
      ?.querySelector(`[data-testid="unrolled-step-${t}"]`)
      ?.scrollIntoView({ block: 'nearest', inline: 'center', behavior: 'smooth' });
  }, []);
  const pick = (t: number): void => {
    setFocus(t);
    scrollTo(t);
  };
  // Stepping back in time: the step whose gradient just became final is marked and brought into view.
  const frontier =
    view && !view.backward && view.gradNorms ? order.find((t) => view.gradNorms![t] !== null) : undefined;
  useEffect(() => {
    if (frontier !== undefined) scrollTo(frontier);
  }, [frontier, scrollTo]);
  return (
    <section
      className="unrolled-view"
      data-testid="unrolled-view"
      data-node={nodeId}
      data-ran={view?.ran ?? false}
      data-backward={view?.backward ?? false}
      data-final={view?.gradNorms?.filter((g) => g !== null).length ?? 0}
      data-travel-step={travelStep ?? undefined}
      aria-label={`${title} ${node.label ?? node.id} unrolled through time`}
    >
      <header className="unrolled-head">
        <h2>
          {title} <span className="unrolled-id">{node.label ?? node.id}</span> unrolled through time
          {view && view.ran && (
            <span className="unrolled-dims">
              {' '}
              · {view.steps} step{view.steps === 1 ? '' : 's'} · hidden {view.hiddenSize}
            </span>
          )}
          {travelStep !== null && (
            <span className="unrolled-travel" data-testid="unrolled-travel">
              {' '}
              · training step {travelStep}
            </span>
          )}
        </h2>
        {view && view.layers > 1 && (
          <label>
            Layer{' '}
            <select value={view.layer} onChange={(e) => setLayer(Number(e.target.value))} data-testid="unrolled-layer">
              {Array.from({ length: view.layers }, (_, l) => (
                <option key={l} value={l}>
                  {l + 1} of {view.layers}
                </option>
              ))}
            </select>
          </label>
        )}
        {view && view.directions > 1 && (
          <label>
            Direction{' '}
            <select
              value={direction}
              onChange={(e) => setDirection(Number(e.target.value))}
              data-testid="unrolled-direction"
            >
              <option value={0}>forward (t = 0 → T−1)</option>
              <option value={1}>reverse (t = T−1 → 0)</option>
            </select>
          </label>
        )}
        {travelStep !== null ? (
          <div className="unrolled-buttons unrolled-dims">
            Move the time-travel slider for another step; Step from here to step through this one.
          </div>
        ) : (
          <div className="unrolled-buttons">
            <StepButton action="step.forward" label="Forward step" keys="F10" busy={busy !== null} />
            <StepButton action="step.backward" label="Backward step" keys="Shift+F10" busy={busy !== null} />
            <button
              type="button"
              className="btn"
              disabled={busy !== null || phase === 'backwarded' || phase === 'updated'}
              title={`Backward through time: one time step of the ${title} at a time, from the last step to the first, once the backward pass has reached it (before it, a backward step)`}
              data-testid="unrolled-back-in-time"
              onClick={() => void stepBackwardTime(nodeId).then(() => setTick((k) => k + 1))}
            >
              ◂ One time step
            </button>
            <StepButton action="step.runForward" label="Run forward" keys="F5" busy={busy !== null} />
            <StepButton action="step.runBackward" label="Run backward" keys="Shift+F5" busy={busy !== null} />
          </div>
        )}
        <button
          type="button"
          className="unrolled-close"
          title="Close (Esc)"
          data-testid="unrolled-close"
          onClick={close}
        >
          ×
        </button>
      </header>
      <p className="unrolled-note" data-testid="unrolled-note">
        {state.status === 'no-session'
          ? `Take a forward step (F10) or run forward (F5): the ${title}'s state at every time step appears here.`
          : state.status === 'error'
            ? state.message
            : state.status === 'loading'
              ? 'Asking the engine…'
              : travelStep !== null
                ? `Training step ${travelStep}, replayed at its weights on its batch (time travel). ${view!.note}`
                : view!.note}
        {travelStep === null &&
          phase === 'updated' &&
          ' The weights were just updated: run forward to see the new states.'}
      </p>
      {view && view.ran && (
        <div className="unrolled-body">
          <div className="unrolled-scroll" ref={scroller}>
            <UnrolledChain view={view} order={order} focus={frontier ?? focus} />
          </div>
          <figure className="unrolled-bars">
            {view.gradNorms ? (
              <>
                <StepGradBars norms={view.gradNorms} cellNorms={view.cellGradNorms} order={order} onPick={pick} />
                <figcaption data-testid="unrolled-caption">
                  <span className="swatch h" /> ‖∂L/∂h_t‖₂
                  {view.cellGradNorms && (
                    <>
                      {' '}
                      <span className="swatch c" /> ‖∂L/∂c_t‖₂
                    </>
                  )}{' '}
                  per time step, log scale. {ratioSentence(view.gradNorms, order)}
                </figcaption>
              </>
            ) : (
              <p className="unrolled-bars-empty">
                The gradient norm of every step appears here once the backward pass has gone through the {title}.
              </p>
            )}
          </figure>
        </div>
      )}
    </section>
  );
}

/** A step bar command, from the view. */
function StepButton({
  action,
  label,
  keys,
  busy,
}: {
  action: string;
  label: string;
  keys: string;
  busy: boolean;
}): ReactElement {
  return (
    <button
      type="button"
      className="btn"
      disabled={busy}
      title={`${label} (${keys})`}
      data-testid={`unrolled-${action.slice(5)}`}
      onClick={() => void runAction(action)}
    >
      {label}
    </button>
  );
}

/** The steps in the order the direction reads them. */
function stepOrder(view: View): number[] {
  const ts = view.states.map((s) => s.t);
  const all = view.gradNorms ? view.gradNorms.map((_, t) => t) : ts;
  return view.direction === 1 ? [...all].reverse() : all;
}

/** How much smaller the gradient is at the step read first than at the step read last. */
function ratioSentence(norms: readonly (number | null)[], order: readonly number[]): string {
  if (order.length < 2) return '';
  const first = norms[order[0]];
  const last = norms[order[order.length - 1]];
  if (first === null || last === null || !(first > 0) || !(last > 0)) return '';
  const r = last / first;
  return r >= 1
    ? `At t = ${order[0]} it is ${formatValue(r, 3)}× smaller than at t = ${order[order.length - 1]}.`
    : `At t = ${order[0]} it is ${formatValue(1 / r, 3)}× larger than at t = ${order[order.length - 1]}.`;
}
