import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import type { CustomSignature } from '../../../engine/graph/customApi';
import type { CustomCodeProblem } from '../../../engine/graph/registry/custom';
import { formatShape } from '../../../engine/graph/shape';
import { host } from '../api/connection';
import { setCustomCode } from '../state/customChecks';
import type { DocNode } from '../state/docModel';
import { useApp } from '../state/useApp';
import { enqueue } from '../step/stepQueue';
import { ensureReady } from '../step/stepSession';
import { formatValue } from '../tensors/format';

/** Whether a node's output can carry a gradient back (the data and fixed numbers cannot). */
const DIFFERENTIABLE_SOURCES = (type: string): boolean => !['Input', 'Target', 'Constant'].includes(type);

const CustomCodeEditor = lazy(() => import('./CustomCodeEditor'));

/** Typing settles for this long before the code becomes one edit (one undo step) of the document. */
const SETTLE_MS = 400;
/** Below this, backprop and finite differences agree (float64 central differences). */
const AGREE = 1e-6;

type Check =
  | { readonly s: 'idle' }
  | { readonly s: 'running' }
  | { readonly s: 'done'; readonly maxRelError: number; readonly checked: string[] }
  | { readonly s: 'failed'; readonly message: string };

/**
 * The custom node's code in the inspector: the editor, what running it found (or its error and
 * line), and "Check gradient" — the session's finite-difference check of the gradient at the
 * node's input and at each of its parameters; the largest relative error is shown.
 */
export function CustomCodePanel({ node }: { node: DocNode }): ReactElement {
  const theme = useApp((s) => s.ui.theme);
  const code = String(node.params['code'] ?? '');
  const signature = (node.params['signature'] ?? null) as CustomSignature | null;
  const error = (node.params['error'] ?? null) as CustomCodeProblem | null;
  const edges = useApp((s) => s.doc.graph.edges);
  const nodes = useApp((s) => s.doc.graph.nodes);
  // A result belongs to the code it checked: an edit leaves the button ready again.
  const [checked, setCheck] = useState<{ code: string; check: Check }>({ code, check: { s: 'idle' } });
  const check: Check = checked.code === code ? checked.check : { s: 'idle' };
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const typed = useRef<string | null>(null);

  // Pending typing is committed when the node changes or the panel closes.
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      if (typed.current !== null) setCustomCode(node.id, typed.current);
      typed.current = null;
    },
    [node.id],
  );

  const onChange = (next: string): void => {
    if (next === code && typed.current === null) return;
    typed.current = next;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const t = typed.current;
      typed.current = null;
      if (t !== null) setCustomCode(node.id, t);
    }, SETTLE_MS);
  };

  const runCheck = (): void => {
    const at = code;
    const set = (c: Check): void => setCheck({ code: at, check: c });
    set({ s: 'running' });
    // A wire from the data carries no gradient: only what a layer before the node computed does.
    const data = new Set(nodes.filter((n) => !DIFFERENTIABLE_SOURCES(n.type)).map((n) => n.id));
    const inEdges = edges.filter((e) => e.target === node.id && !data.has(e.source)).map((e) => e.id);
    const params = Object.keys(signature?.params ?? {}).map((p) => `${node.id}.${p}`);
    enqueue(async () => {
      if (inEdges.length === 0 && params.length === 0)
        throw new Error(
          'No gradient reaches this node: it learns nothing and what comes in is data. Put it after a layer with weights (a Linear) to check its backward pass.',
        );
      const session = await ensureReady();
      let worst = 0;
      const checked: string[] = [];
      for (const ref of [
        ...inEdges.map((edgeId) => ({ type: 'edge' as const, edgeId })),
        ...params.map((name) => ({ type: 'parameter' as const, name })),
      ]) {
        const r = await host().invoke('session.gradCheck', { sessionId: session.id, ref, samples: 16 });
        worst = Math.max(worst, r.maxRelError);
        checked.push(ref.type === 'edge' ? 'its input' : ref.name);
      }
      return { worst, checked };
    }).then(
      (r) => set({ s: 'done', maxRelError: r.worst, checked: r.checked }),
      (err: unknown) => set({ s: 'failed', message: err instanceof Error ? err.message : String(err) }),
    );
  };

  return (
    <section className="inspector-section custom-code" data-testid="custom-code">
      <h3>Code</h3>
      <Suspense fallback={<p className="muted">Loading the editor…</p>}>
        <CustomCodeEditor nodeId={node.id} value={code} theme={theme} error={error} onChange={onChange} />
      </Suspense>
      {error ? (
        <p className="issue error" data-testid="custom-code-error" data-line={error.line ?? ''}>
          {error.line !== undefined ? `Line ${error.line}: ` : ''}
          {error.message}
        </p>
      ) : signature ? (
        <p className="muted" data-testid="custom-code-status">
          Runs:{' '}
          {Object.entries(signature.inputs)
            .map(([p, s]) => `${p} ${formatShape(s)}`)
            .join(', ')}{' '}
          → {formatShape(signature.output)}, {signature.trace.steps.length} op
          {signature.trace.steps.length === 1 ? '' : 's'}
          {Object.keys(signature.params).length > 0 &&
            `, learns ${Object.entries(signature.params)
              .map(([n, s]) => `${n} ${s.join('×')}`)
              .join(', ')}`}
        </p>
      ) : (
        <p className="muted" data-testid="custom-code-status">
          Running the code on a dummy batch…
        </p>
      )}
      <div className="grad-check-head">
        <button
          type="button"
          className="button"
          data-testid="custom-grad-check"
          disabled={check.s === 'running' || signature === null}
          onClick={runCheck}
          title="Compares autograd's gradient at the node's input and parameters with central finite differences"
        >
          {check.s === 'running' ? 'Checking…' : 'Check gradient'}
        </button>
        {check.s === 'done' && (
          <span
            className={`grad-check-verdict ${check.maxRelError <= AGREE ? 'agree' : 'disagree'}`}
            data-testid="custom-grad-check-result"
            data-max-rel-error={check.maxRelError}
          >
            {check.maxRelError <= AGREE ? '✓' : '✗'} max error{' '}
            <b className="mono">{formatValue(check.maxRelError, 3)}</b> ({check.checked.join(', ')})
          </span>
        )}
      </div>
      {check.s === 'failed' && (
        <p className="tensor-error" role="alert">
          {check.message}
        </p>
      )}
    </section>
  );
}
