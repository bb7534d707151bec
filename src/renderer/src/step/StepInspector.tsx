import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import type { TensorRef } from '../../../shared/api/session';
import type { FullTensor, TensorSummary } from '../../../shared/api/tensor';
import { host } from '../api/connection';
import { useApp } from '../state/useApp';
import { formatDims } from '../tensors/format';
import type { GlyphHint } from '../tensors/glyphLayout';
import { TensorInspector } from '../tensors/TensorInspector';
import { edgeHint } from './edgeHint';
import { GradCheckView } from './GradCheckView';
import { inspect } from './stepController';
import { UpdateComparison } from './UpdateComparison';
import { useParamSummary } from './useParamSummary';
import type { ParamKind } from './useParamSummary';
import { useInspectorFrame } from './useInspectorFrame';
import './step.css';

const PARAM_HINT: GlyphHint = { parameter: true };

/**
 * Every value of a tensor. `shown` is the summary on screen: a new summary object means a new
 * pass, so the inspector asks again (and never fetches for a tensor that is not there yet).
 */
function fetchFull(sessionId: string, ref: TensorRef, shown: TensorSummary | null | undefined): Promise<FullTensor> {
  if (!shown) return Promise.reject(new Error('nothing has been computed here yet'));
  return host()
    .invoke('session.fullTensor', { sessionId, ref })
    .then((r) => {
      if (!r.tensor) throw new Error('the host has no such tensor in this pass any more');
      return r.tensor;
    });
}

function Tabs<T extends string>({
  value,
  options,
  onChange,
}: {
  value: T;
  options: readonly (readonly [T, string, boolean])[];
  onChange: (v: T) => void;
}): ReactElement {
  return (
    <div className="segmented" role="tablist">
      {options.map(([v, label, enabled]) => (
        <button
          key={v}
          type="button"
          role="tab"
          aria-selected={value === v}
          className={value === v ? 'active' : ''}
          disabled={!enabled}
          onClick={() => onChange(v)}
          data-testid={`inspect-tab-${v}`}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

function EdgeInspector({ sessionId, edgeId }: { sessionId: string; edgeId: string }): ReactElement {
  const { tensors, view, edge, hint } = useApp((s) => {
    const e = s.doc.graph.edges.find((x) => x.id === edgeId);
    return {
      tensors: s.run.edges[edgeId],
      view: s.run.view,
      edge: e,
      hint: edgeHint(s.doc, edgeId),
    };
  });
  const [kind, setKind] = useState<'activation' | 'gradient'>(view === 'gradients' ? 'gradient' : 'activation');
  // Follow the activations/gradients toggle when it flips (adjusting state while rendering, as React recommends).
  const [seenView, setSeenView] = useState(view);
  if (seenView !== view) {
    setSeenView(view);
    setKind(view === 'gradients' ? 'gradient' : 'activation');
  }
  const summary = kind === 'gradient' ? tensors?.gradient : tensors?.activation;
  // A new summary object means a new pass: fetch the values again.
  const load = useCallback(
    () => fetchFull(sessionId, { type: 'edge', edgeId, kind }, summary),
    [sessionId, edgeId, kind, summary],
  );
  return (
    <>
      <div className="step-inspector-sub">
        <span className="mono">
          {edge ? `${edge.source}.${edge.sourcePort} → ${edge.target}.${edge.targetPort}` : edgeId}
        </span>
        <Tabs
          value={kind}
          onChange={setKind}
          options={[
            ['activation', 'Activation', !!tensors?.activation],
            ['gradient', 'Gradient ∂loss/∂x', !!tensors?.gradient],
          ]}
        />
      </div>
      {summary ? (
        <TensorInspector summary={summary} hint={hint} loadFull={load}>
          {kind === 'gradient' && (
            <GradCheckView key={`${edgeId}`} target={{ type: 'edge', edgeId }} shape={summary.shape} />
          )}
        </TensorInspector>
      ) : (
        <p className="muted">
          {kind === 'gradient'
            ? 'No gradient on this edge yet: step backward until it is reached.'
            : 'Not evaluated yet: step forward until its source node has run.'}
        </p>
      )}
    </>
  );
}

function ParameterInspector({ sessionId, name }: { sessionId: string; name: string }): ReactElement {
  const { p, updates, view, phase } = useApp((s) => ({
    p: s.run.params[name],
    updates: s.run.updates,
    view: s.run.view,
    phase: s.run.phase,
  }));
  const updated = updates > 0;
  const [kind, setKind] = useState<ParamKind>(view === 'gradients' ? 'gradient' : 'value');
  const stored = kind === 'value' ? p?.value : kind === 'gradient' ? p?.gradient : undefined;
  const summary = useParamSummary(sessionId, name, kind, stored, updates);
  const load = useCallback(
    () => fetchFull(sessionId, { type: 'parameter', name, kind }, summary),
    [sessionId, name, kind, summary],
  );
  return (
    <>
      <div className="step-inspector-sub">
        <Tabs
          value={kind}
          onChange={setKind}
          options={[
            ['previous', 'Before update', updated],
            ['value', updated ? 'After update' : 'Value', true],
            ['update', 'Update (after − before)', updated],
            ['gradient', 'Gradient ∂loss/∂θ', !!p?.gradient || phase === 'backwarded'],
          ]}
        />
      </div>
      {updated && (
        <UpdateComparison sessionId={sessionId} name={name} updates={updates} value={p?.value} onPick={setKind} />
      )}
      {summary === undefined && <p className="muted">Loading…</p>}
      {summary === null && (
        <p className="muted">
          {kind === 'gradient' ? 'No gradient yet: run the backward pass.' : 'Nothing to show yet.'}
        </p>
      )}
      {summary && (
        <TensorInspector summary={summary} hint={PARAM_HINT} loadFull={load}>
          {kind === 'gradient' && (
            <GradCheckView key={name} target={{ type: 'parameter', name }} shape={summary.shape} />
          )}
        </TensorInspector>
      )}
    </>
  );
}

/**
 * The tensor inspector for the edge or parameter the user clicked, floating over the canvas:
 * moved by its title bar, resized from its bottom-right corner, kept inside the canvas area,
 * closed by ✕ or Escape.
 */
export function StepInspector(): ReactElement | null {
  const { target, session, shape } = useApp((s) => {
    const t = s.run.inspect;
    const paramShape =
      t?.type === 'parameter' ? s.run.session?.parameters.find((p) => p.name === t.name)?.shape : undefined;
    return { target: t, session: s.run.session, shape: paramShape };
  });
  const panel = useRef<HTMLElement>(null);
  const { style, startMove, startResize } = useInspectorFrame(panel);
  const open = !!target && !!session;
  const key = target ? (target.type === 'edge' ? `edge:${target.edgeId}` : `param:${target.name}`) : '';
  // Focus moves into the inspector when it opens on a new tensor, so that Escape closes it at once.
  useEffect(() => {
    if (open) panel.current?.focus({ preventScroll: true });
  }, [open, key]);
  if (!target || !session) return null;
  const title =
    target.type === 'edge'
      ? `Edge ${target.edgeId}`
      : `Parameter ${target.name}${shape ? ` (${formatDims(shape)})` : ''}`;
  return (
    <aside
      ref={panel}
      className="step-inspector"
      style={style}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        inspect(null);
      }}
      data-testid="step-inspector"
      aria-label="Tensor inspector"
    >
      <header
        className="step-inspector-head"
        onPointerDown={startMove}
        title="Drag to move the inspector"
        data-testid="step-inspector-head"
      >
        <span className="step-inspector-title">{title}</span>
        <button
          type="button"
          className="icon-button"
          onClick={() => inspect(null)}
          aria-label="Close the inspector"
          data-testid="step-inspector-close"
        >
          ✕
        </button>
      </header>
      <div className="step-inspector-body">
        {target.type === 'edge' ? (
          <EdgeInspector key={target.edgeId} sessionId={session.id} edgeId={target.edgeId} />
        ) : (
          <ParameterInspector key={target.name} sessionId={session.id} name={target.name} />
        )}
      </div>
      <div
        className="step-inspector-resize"
        onPointerDown={startResize}
        title="Drag to resize the inspector"
        aria-hidden
        data-testid="step-inspector-resize"
      />
    </aside>
  );
}
