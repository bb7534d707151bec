import { memo, useCallback } from 'react';
import type { ReactElement } from 'react';
import { nodeTypes as registry } from '../../../engine/graph/registry/registerAll';
import { nodeFormula } from '../../../engine/graph/formula';
import { formatShape } from '../../../engine/graph/shape';
import { NodeIcon, familyClass } from '../canvas/families';
import { runAction } from '../actions/registry';
import { ErrorIcon } from '../icons/Icons';
import { analyze, INCOMPLETE_CODES, withoutNodePrefix } from '../state/analysis';
import type { Analysis } from '../state/analysis';
import type { DocEdge, DocNode, GraphDoc } from '../state/docModel';
import { setNodeLabel, setNodeParams } from '../state/graphOps';
import { beginGesture, endGesture, getState, setDoc, updateUi } from '../state/store';
import { useApp } from '../state/useApp';
import { Formula } from './Formula';
import { openTape } from '../tape/tapeController';
import { CustomCodePanel } from './CustomCodePanel';
import { ParamField } from './ParamField';
import { ProblemsList } from './ProblemsList';
import { Splitter } from './Splitter';
import { isRecurrentType } from '../unrolled/recurrentNodes';

function NodeInspectorBody({
  node,
  analysis,
  latex,
}: {
  node: DocNode;
  analysis: Analysis;
  /** The node's formula (nodeFormula), computed where the whole graph is at hand. */
  latex: string | undefined;
}): ReactElement {
  const def = registry.get(node.type);
  const issues = analysis.nodeIssues.get(node.id) ?? [];
  const inputs = analysis.result.inputs[node.id] ?? {};
  const outputs = analysis.result.outputs[node.id] ?? {};

  const unknown = def ? Object.keys(node.params).filter((k) => !def.params.fields.some((f) => f.name === k)) : [];
  const removeUnknown = (): void => {
    const cur = getState().doc.graph.nodes.find((n) => n.id === node.id);
    if (!cur || !def) return;
    const kept = Object.fromEntries(
      Object.entries(cur.params).filter(([k]) => def.params.fields.some((f) => f.name === k)),
    );
    setDoc(setNodeParams(getState().doc, node.id, kept));
  };

  const change = useCallback(
    (name: string, value: unknown) => {
      const s = getState();
      const cur = s.doc.graph.nodes.find((n) => n.id === node.id);
      if (!cur || Object.is(cur.params[name], value)) return;
      beginGesture();
      setDoc(setNodeParams(s.doc, node.id, { ...cur.params, [name]: value }), { commit: false });
    },
    [node.id],
  );

  return (
    <div className="inspector-body" data-testid="inspector-node">
      <div className={`inspector-title ${familyClass(def?.family)}`}>
        <span className="gnode-icon">
          <NodeIcon type={node.type} family={def?.family} />
        </span>
        <div>
          <div className="inspector-name">{def?.title ?? node.type}</div>
          <div className="inspector-sub">{def?.family ?? 'Unknown type'}</div>
        </div>
      </div>
      {def && <p className="inspector-desc">{def.description}</p>}

      <section className="inspector-section">
        <div className="field">
          <label className="field-label" htmlFor="node-label">
            Name<span className="field-name">{node.id}</span>
          </label>
          <input
            id="node-label"
            className="text-input"
            data-testid="node-label-input"
            placeholder={node.id}
            defaultValue={node.label ?? ''}
            key={`${node.id}:${node.label ?? ''}`}
            onBlur={(e) => {
              const s = getState();
              if ((e.target.value.trim() || undefined) !== node.label)
                setDoc(setNodeLabel(s.doc, node.id, e.target.value));
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
            }}
          />
        </div>
      </section>

      {issues.length > 0 && (
        <section className="inspector-section">
          {issues.map((i, k) => (
            <div
              key={k}
              className={`issue ${i.severity === 'error' && INCOMPLETE_CODES.has(i.code) ? 'incomplete' : i.severity}`}
              data-testid="inspector-issue"
            >
              <ErrorIcon size={13} />
              <span>{withoutNodePrefix(i.message, def?.title ?? node.type, node.label ?? node.id)}</span>
            </div>
          ))}
        </section>
      )}

      {latex && (
        <section className="inspector-section">
          <h3>Formula</h3>
          <Formula latex={latex} display={false} />
          {def?.family === 'Losses' && (
            <button
              type="button"
              className="button small"
              data-testid="plot-loss"
              onClick={() => updateUi({ bottomTab: 'losses', lossNode: node.id })}
            >
              Plot this loss beside the others
            </button>
          )}
          {isRecurrentType(node.type) && (
            <button
              type="button"
              className="button small"
              data-testid="unroll-node"
              title="One cell per time step, with the hidden state on each arrow and its gradient backward (Alt+U, or double-click the node)"
              onClick={() => void runAction('view.unrollThroughTime', node.id)}
            >
              Unroll through time
            </button>
          )}
          <button
            type="button"
            className="button small"
            data-testid="expand-ops"
            title="The operations the engine recorded on its autograd tape for this node in the step's pass (Alt+O)"
            onClick={() => void openTape(node.id)}
          >
            Expand into ops
          </button>
        </section>
      )}

      {def && def.params.fields.some((f) => f.control !== 'code' && f.control !== 'derived') && (
        <section className="inspector-section">
          <h3>Parameters</h3>
          {unknown.length > 0 && (
            <button type="button" className="button small" data-testid="remove-unknown-params" onClick={removeUnknown}>
              Remove unknown parameter{unknown.length === 1 ? '' : 's'} ({unknown.join(', ')})
            </button>
          )}
          {def.params.fields
            .filter((f) => f.control !== 'code' && f.control !== 'derived')
            .map((f) => (
              <ParamField
                key={`${node.id}:${f.name}`}
                nodeId={node.id}
                field={f}
                value={Object.hasOwn(node.params, f.name) ? node.params[f.name] : f.default}
                onChange={(v) => change(f.name, v)}
                onCommit={endGesture}
              />
            ))}
        </section>
      )}

      {node.type === 'Custom' && <CustomCodePanel node={node} />}

      {def && (def.inputs.length > 0 || def.outputs.length > 0) && (
        <section className="inspector-section">
          <h3>Ports</h3>
          <table className="ports-table">
            <tbody>
              {def.inputs.map((p) => (
                <tr key={`in-${p.name}`}>
                  <td className="muted">in</td>
                  <td>{p.label}</td>
                  <td className="mono">{inputs[p.name] ? formatShape(inputs[p.name]!.shape) : '—'}</td>
                </tr>
              ))}
              {def.outputs.map((p) => (
                <tr key={`out-${p.name}`}>
                  <td className="muted">out</td>
                  <td>{p.label}</td>
                  <td className="mono">{outputs[p.name] ? formatShape(outputs[p.name].shape) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}

function endName(doc: GraphDoc, id: string): string {
  const n = doc.graph.nodes.find((x) => x.id === id);
  if (!n) return id;
  return `${n.label ?? registry.get(n.type)?.title ?? n.type} (${n.id})`;
}

/** Moving a node does not change what the inspector shows: skip those renders (drags are per frame). */
const NodeInspector = memo(
  NodeInspectorBody,
  (a, b) =>
    a.analysis === b.analysis &&
    a.latex === b.latex &&
    a.node.id === b.node.id &&
    a.node.type === b.node.type &&
    a.node.params === b.node.params &&
    a.node.label === b.node.label,
);

function EdgeInspector({ edge, doc, analysis }: { edge: DocEdge; doc: GraphDoc; analysis: Analysis }): ReactElement {
  const type = analysis.result.edgeTypes[edge.id];
  const issues = analysis.edgeIssues.get(edge.id) ?? [];
  return (
    <div className="inspector-body" data-testid="inspector-edge">
      <div className="inspector-title fam-other">
        <div>
          <div className="inspector-name">Connection {edge.id}</div>
          <div className="inspector-sub">{type ? `carries ${type.kind}` : 'type unknown'}</div>
        </div>
      </div>
      <section className="inspector-section">
        <h3>Shape</h3>
        <div className="edge-shape mono" data-testid="inspector-edge-shape">
          {type ? formatShape(type.shape) : 'unknown — an upstream node has no type yet'}
        </div>
      </section>
      <section className="inspector-section">
        <h3>Ends</h3>
        <table className="ports-table">
          <tbody>
            <tr>
              <td className="muted">from</td>
              <td>{endName(doc, edge.source)}</td>
              <td className="mono">{edge.sourcePort}</td>
            </tr>
            <tr>
              <td className="muted">to</td>
              <td>{endName(doc, edge.target)}</td>
              <td className="mono">{edge.targetPort}</td>
            </tr>
          </tbody>
        </table>
      </section>
      {issues.map((i, k) => (
        <div key={k} className={`issue ${i.severity}`}>
          <ErrorIcon size={13} />
          <span>{i.message}</span>
        </div>
      ))}
    </div>
  );
}

export function Inspector(): ReactElement {
  const { doc, selection, data } = useApp((s) => ({ doc: s.doc, selection: s.selection, data: s.training.data }));
  const analysis = analyze(doc, data);
  let body: ReactElement;
  const count = selection.nodes.length + selection.edges.length;
  if (selection.nodes.length === 1 && selection.edges.length === 0) {
    const node = doc.graph.nodes.find((n) => n.id === selection.nodes[0]);
    body = node ? (
      <NodeInspector node={node} analysis={analysis} latex={nodeFormula(doc.graph, analysis.result, node.id)} />
    ) : (
      <div />
    );
  } else if (selection.edges.length === 1 && selection.nodes.length === 0) {
    const edge = doc.graph.edges.find((e) => e.id === selection.edges[0]);
    body = edge ? <EdgeInspector edge={edge} doc={doc} analysis={analysis} /> : <div />;
  } else if (count > 1) {
    body = (
      <div className="inspector-empty">
        <p>
          {selection.nodes.length} node{selection.nodes.length === 1 ? '' : 's'} and {selection.edges.length} connection
          {selection.edges.length === 1 ? '' : 's'} selected.
        </p>
        <p className="muted">Select one node to edit its parameters.</p>
      </div>
    );
  } else {
    const { errorCount, warningCount } = analysis;
    body = (
      <div className="inspector-empty" data-testid="inspector-empty">
        <p>Select a node to see its formula and parameters, or a connection to see its shape.</p>
        {doc.graph.nodes.length > 0 && (
          <p className="muted">
            {errorCount === 0
              ? 'The graph is valid.'
              : `The graph has ${errorCount} error${errorCount === 1 ? '' : 's'}.`}
            {warningCount > 0 ? ` ${warningCount} warning${warningCount === 1 ? '' : 's'}.` : ''}
          </p>
        )}
        <ProblemsList doc={doc} analysis={analysis} />
      </div>
    );
  }
  return (
    <aside className="side right inspector" data-testid="inspector">
      <Splitter
        cssVar="--right-w"
        axis="x"
        invert
        min={220}
        max={560}
        label="Resize the inspector"
        testId="splitter-right"
      />
      <div className="panel-header">Inspector</div>
      <div className="panel-scroll">{body}</div>
    </aside>
  );
}
