import { useEffect, useMemo } from 'react';
import type { ReactElement } from 'react';
import { nodeFormula } from '../../../engine/graph/formula';
import { nodeTypes as registry } from '../../../engine/graph/registry/registerAll';
import { Formula } from '../components/Formula';
import { analyze } from '../state/analysis';
import { useApp } from '../state/useApp';
import { formatValue } from '../tensors/format';
import { TensorGlyph } from '../tensors/TensorGlyph';
import { fetchParameterValues, inspect } from './stepController';

const PARAM_HINT = { parameter: true } as const;

/** The node the last step evaluated: what it is, its formula with the actual shapes, its parameters. */
export function CurrentNode(): ReactElement {
  const { doc, nodeId, report, view, session, params, loss, phase } = useApp((s) => ({
    doc: s.doc,
    nodeId: s.run.steppingNode,
    report: s.run.lastReport,
    view: s.run.view,
    session: s.run.session,
    params: s.run.params,
    loss: s.run.loss,
    phase: s.run.phase,
  }));
  const node = nodeId ? doc.graph.nodes.find((n) => n.id === nodeId) : undefined;
  const def = node ? registry.get(node.type) : undefined;
  const analysis = analyze(doc);
  const latex = useMemo(
    () => (nodeId ? nodeFormula(doc.graph, analysis.result, nodeId) : undefined),
    [doc.graph, analysis, nodeId],
  );
  const names = useMemo(
    () =>
      session && nodeId ? session.parameters.filter((p) => p.name.startsWith(`${nodeId}.`)).map((p) => p.name) : [],
    [session, nodeId],
  );
  const missing = names.filter((n) => !params[n]?.value);
  useEffect(() => {
    if (missing.length > 0) void fetchParameterValues(missing);
    // `missing` is recomputed each render; its content is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [missing.join('\u0000')]);

  if (!node) {
    return (
      <div className="current-node empty" data-testid="current-node">
        <p className="muted">
          {phase === 'empty'
            ? 'Step forward (F10) to evaluate the first node on a batch of the project’s data set.'
            : 'Ready: step forward to evaluate the first node.'}
        </p>
      </div>
    );
  }
  const where =
    report && report.nodeId === node.id ? `${report.direction} step ${report.index + 1} of ${report.total}` : '';
  return (
    <div className="current-node" data-testid="current-node" data-node={node.id}>
      <div className="current-node-head">
        <span className={`step-dir ${report?.direction ?? ''}`}>{report?.direction === 'backward' ? '◂' : '▸'}</span>
        <b>{node.label ?? def?.title ?? node.type}</b>
        <span className="muted mono">{node.id}</span>
        <span className="muted">{where}</span>
        {loss !== null && (
          <span className="current-loss" data-testid="step-loss">
            loss <b className="mono">{formatValue(loss, 6)}</b>
          </span>
        )}
      </div>
      <div className="current-node-main">
        {latex && <Formula latex={latex} />}
        {names.length > 0 && (
          <div className="param-glyphs">
            {names.map((n) => {
              const p = params[n];
              const s = view === 'gradients' ? p?.gradient : p?.value;
              return (
                <div key={n} className="param-glyph" data-testid={`param-${n}`}>
                  <span className="mono">{n.slice(node.id.length + 1)}</span>
                  {s ? (
                    <TensorGlyph
                      summary={s}
                      hint={PARAM_HINT}
                      what={view === 'gradients' ? `∂loss/∂${n}` : n}
                      onClick={() => inspect({ type: 'parameter', name: n })}
                      maxWidth={120}
                      maxHeight={40}
                      testId={`param-glyph-${n}`}
                    />
                  ) : (
                    <span className="muted">{view === 'gradients' ? 'no gradient yet' : '…'}</span>
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
