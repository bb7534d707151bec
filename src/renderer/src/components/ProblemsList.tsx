import type { ReactElement } from 'react';
import { ErrorIcon } from '../icons/Icons';
import type { Analysis } from '../state/analysis';
import { INCOMPLETE_CODES } from '../state/analysis';
import type { GraphDoc } from '../state/docModel';
import { removeElements } from '../state/graphOps';
import { getState, setDoc, setSelection } from '../state/store';

const LIMIT = 12;

/**
 * The graph's problems, VS Code-style: click one to select the node or connection at fault. A
 * connection whose end no longer exists is not drawn on the canvas, so it gets a remove button.
 */
export function ProblemsList({ doc, analysis }: { doc: GraphDoc; analysis: Analysis }): ReactElement | null {
  const issues = analysis.result.issues;
  if (issues.length === 0) return null;
  const edgeIds = new Set(doc.graph.edges.map((e) => e.id));
  return (
    <section className="inspector-section problems" data-testid="problems">
      <h3>Problems</h3>
      {issues.slice(0, LIMIT).map((i, k) => {
        const target = i.nodeId
          ? { nodes: [i.nodeId], edges: [] }
          : i.edgeId && edgeIds.has(i.edgeId)
            ? { nodes: [], edges: [i.edgeId] }
            : null;
        const cls = i.severity === 'error' && INCOMPLETE_CODES.has(i.code) ? 'incomplete' : i.severity;
        return (
          <div
            key={k}
            className={`issue ${cls}${target ? ' clickable' : ''}`}
            onClick={() => target && setSelection(target)}
          >
            <ErrorIcon size={13} />
            <span>{i.message}</span>
            {i.code === 'dangling-edge' && i.edgeId && (
              <button
                type="button"
                className="link-button"
                data-testid={`remove-edge-${i.edgeId}`}
                onClick={(e) => {
                  e.stopPropagation();
                  setDoc(removeElements(getState().doc, [], [i.edgeId!]));
                }}
              >
                Remove
              </button>
            )}
          </div>
        );
      })}
      {issues.length > LIMIT && <p className="muted">…and {issues.length - LIMIT} more.</p>}
    </section>
  );
}
