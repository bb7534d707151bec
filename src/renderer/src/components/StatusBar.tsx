import type { ReactElement } from 'react';
import { CheckIcon, ErrorIcon } from '../icons/Icons';
import { analyze } from '../state/analysis';
import { setSelection } from '../state/store';
import { useApp } from '../state/useApp';

export function StatusBar(): ReactElement {
  const { doc, zoom, status, version, mode, data } = useApp((s) => ({
    doc: s.doc,
    zoom: s.ui.zoom,
    status: s.host.status,
    version: s.host.version,
    mode: s.host.mode,
    data: s.training.data,
  }));
  const a = analyze(doc, data);
  const firstError = a.result.issues.find((i) => i.severity === 'error');
  const empty = doc.graph.nodes.length === 0;
  return (
    <footer className="statusbar" data-testid="statusbar">
      {empty ? (
        <span className="status-item muted">Empty graph</span>
      ) : a.errorCount > 0 ? (
        <button
          type="button"
          className="status-item status-button error"
          data-testid="status-validation"
          title={firstError?.message}
          onClick={() => firstError?.nodeId && setSelection({ nodes: [firstError.nodeId], edges: [] })}
        >
          <ErrorIcon size={12} />
          {a.errorCount} error{a.errorCount === 1 ? '' : 's'}
          {firstError ? ` — ${firstError.message}` : ''}
        </button>
      ) : (
        <span
          className="status-item ok"
          data-testid="status-validation"
          title={a.result.issues.map((i) => i.message).join('\n')}
        >
          <CheckIcon size={12} />
          Valid{a.warningCount > 0 ? ` · ${a.warningCount} warning${a.warningCount === 1 ? '' : 's'}` : ''}
        </span>
      )}
      <span className="spacer" />
      <span className="status-item" data-testid="status-counts">
        {count(doc.graph.nodes.length, 'node')} · {count(doc.graph.edges.length, 'edge')}
      </span>
      <span className="status-item" data-testid="status-zoom">
        {Math.round(zoom * 100)}%
      </span>
      <span className="status-item" data-testid="status-host" title={mode ? `${mode} mode` : undefined}>
        <span className={`dot ${status}`} />
        {status === 'connected' ? 'Host connected' : status === 'connecting' ? 'Connecting…' : 'Host disconnected'}
      </span>
      <span className="status-item" data-testid="status-version">
        {version ? `v${version}` : ''}
      </span>
    </footer>
  );
}

/** "1 edge", "0 edges", "14 edges". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
