import { lazy, Suspense, useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { ReactElement } from 'react';
import type { CodeLangId } from '../../../shared/api/export';
import { ApiError } from '../api/client';
import { host } from '../api/connection';
import type { LineRange } from '../code/codeLines';
import { linesOfNodes, nodeAtLine } from '../code/codeLines';
import { CodeActions } from '../code/CodeActions';
import { VerifyBar } from '../code/VerifyBar';
import { useHoveredNode } from '../code/hoveredNode';
import '../code/code.css';
import { setSelection } from '../state/store';
import { useApp } from '../state/useApp';

// Monaco is large: it loads with the Code tab, not with the app.
const MonacoView = lazy(() => import('./MonacoView'));

const LANGS: readonly { id: CodeLangId; title: string }[] = [
  { id: 'ts', title: 'TypeScript (engine)' },
  { id: 'ts-scratch', title: 'TypeScript (from scratch)' },
  { id: 'python', title: 'PyTorch' },
];

type Generated =
  | { kind: 'code'; lang: CodeLangId; files: { path: string; content: string }[]; sourceMap: LineRange[] }
  | { kind: 'unavailable'; reason: string; nodeId?: string }
  | { kind: 'loading' };

const DEBOUNCE_MS = 400;

/**
 * The Code tab: the program the host generates for the current graph, in each of its languages,
 * regenerated as the graph changes (debounced; the scroll position stays and the changed lines
 * flash). The selected nodes' lines are selected in the code, and a click on a line selects its
 * node. Where the graph cannot be exported, it says why and which node.
 */
export function CodePanel(): ReactElement {
  const {
    doc: liveDoc,
    theme,
    selectedNodes,
  } = useApp((s) => ({
    doc: s.doc,
    theme: s.ui.theme,
    selectedNodes: s.selection.nodes,
  }));
  // While a node is dragged the document changes every frame; the code can lag behind.
  const doc = useDeferredValue(liveDoc);
  const [lang, setLang] = useState<CodeLangId>('ts');
  const [generated, setGenerated] = useState<Generated>({ kind: 'loading' });
  const [file, setFile] = useState(0);

  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      host()
        .invoke('export.code', { document: doc as unknown as Record<string, unknown>, lang })
        .then((r) => live && setGenerated({ kind: 'code', lang, files: r.files, sourceMap: r.sourceMap }))
        .catch(
          (err: unknown) =>
            live &&
            setGenerated({
              kind: 'unavailable',
              reason: err instanceof ApiError || err instanceof Error ? err.message : String(err),
              ...(err instanceof ApiError && err.where ? { nodeId: err.where } : {}),
            }),
        );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [doc, lang]);

  const files = useMemo(() => (generated.kind === 'code' ? generated.files : []), [generated]);
  const current = files[Math.min(file, files.length - 1)];
  const sourceMap = useMemo(() => (generated.kind === 'code' ? generated.sourceMap : []), [generated]);
  // The node under the pointer on the canvas, else the selected ones.
  const hovered = useHoveredNode();
  const selected = useMemo(
    () => (current ? linesOfNodes(sourceMap, current.path, hovered ? [hovered] : selectedNodes) : []),
    [sourceMap, current, selectedNodes, hovered],
  );
  const onLineClick = useCallback(
    (line: number) => {
      if (!current) return;
      const id = nodeAtLine(sourceMap, current.path, line);
      if (id) setSelection({ nodes: [id], edges: [] });
    },
    [sourceMap, current],
  );

  return (
    <div className="code-panel">
      <div className="code-bar">
        <div className="segmented" role="group" aria-label="Language">
          {LANGS.map((l) => (
            <button
              key={l.id}
              type="button"
              className={lang === l.id ? 'active' : ''}
              aria-pressed={lang === l.id}
              data-testid={`code-lang-${l.id}`}
              onClick={() => {
                setLang(l.id);
                setFile(0);
              }}
            >
              {l.title}
            </button>
          ))}
        </div>
        {files.map((f, i) => (
          <button
            key={f.path}
            type="button"
            className={`code-file${current === f ? ' active' : ''}`}
            onClick={() => setFile(i)}
          >
            {f.path}
          </button>
        ))}
        {generated.kind === 'unavailable' && (
          <span className="code-note" data-testid="code-note" title={generated.reason}>
            {generated.reason}
            {generated.nodeId && (
              <button
                type="button"
                className="link-button"
                onClick={() => setSelection({ nodes: [generated.nodeId!], edges: [] })}
              >
                Show the node
              </button>
            )}
          </span>
        )}
        {generated.kind === 'loading' && <span className="code-note">Generating…</span>}
        <CodeActions doc={doc} lang={lang} file={current} />
      </div>
      <VerifyBar doc={doc} lang={lang} />
      <div className="code-body">
        {current ? (
          <Suspense fallback={<p className="muted pad">Loading the editor…</p>}>
            <MonacoView
              value={current.content}
              language={current.path.endsWith('.py') ? 'python' : 'typescript'}
              theme={theme}
              selected={selected}
              onLineClick={onLineClick}
            />
          </Suspense>
        ) : (
          generated.kind === 'unavailable' && (
            <p className="muted pad">No code for this graph in this language: {generated.reason}</p>
          )
        )}
      </div>
    </div>
  );
}
