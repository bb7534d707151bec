import { lazy, Suspense, useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { ReactElement } from 'react';
import { saveProject } from '../../../engine/graph/load';
import { ApiError } from '../api/client';
import { host } from '../api/connection';
import { useApp } from '../state/useApp';

// Monaco is large: it loads with the Code tab, not with the app.
const MonacoView = lazy(() => import('./MonacoView'));

type Lang = 'ts' | 'python';
type Generated =
  | { kind: 'code'; files: { path: string; content: string }[] }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'loading' };

const DEBOUNCE_MS = 400;

/**
 * The Code tab: the model code the host generates for the current graph, regenerated as the
 * graph changes. Where the host cannot generate code (no code generator yet, or an invalid
 * graph), it says why and shows the project document itself, labelled as such.
 */
export function CodePanel(): ReactElement {
  const { doc: liveDoc, theme } = useApp((s) => ({ doc: s.doc, theme: s.ui.theme }));
  // While a node is dragged the document changes every frame; the code can lag behind.
  const doc = useDeferredValue(liveDoc);
  const [lang, setLang] = useState<Lang>('ts');
  const [generated, setGenerated] = useState<Generated>({ kind: 'loading' });
  const [file, setFile] = useState(0);
  const json = useMemo(() => saveProject(doc), [doc]);

  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      host()
        .invoke('export.code', { document: doc as unknown as Record<string, unknown>, lang })
        .then((r) => live && setGenerated({ kind: 'code', files: r.files }))
        .catch(
          (err: unknown) =>
            live &&
            setGenerated({
              kind: 'unavailable',
              reason: err instanceof ApiError || err instanceof Error ? err.message : String(err),
            }),
        );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [doc, lang]);

  const files = generated.kind === 'code' ? generated.files : [];
  const current = files[Math.min(file, files.length - 1)];
  return (
    <div className="code-panel">
      <div className="code-bar">
        <div className="segmented" role="group" aria-label="Language">
          {(['ts', 'python'] as const).map((l) => (
            <button
              key={l}
              type="button"
              className={lang === l ? 'active' : ''}
              data-testid={`code-lang-${l}`}
              onClick={() => setLang(l)}
            >
              {l === 'ts' ? 'TypeScript' : 'PyTorch'}
            </button>
          ))}
        </div>
        {generated.kind === 'code' &&
          files.map((f, i) => (
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
          <span className="code-note" data-testid="code-note">
            No generated code: {generated.reason} Showing the project document (read-only).
          </span>
        )}
        {generated.kind === 'loading' && <span className="code-note">Generating…</span>}
      </div>
      <div className="code-body">
        <Suspense fallback={<p className="muted pad">Loading the editor…</p>}>
          {current ? (
            <MonacoView value={current.content} language={lang === 'ts' ? 'typescript' : 'python'} theme={theme} />
          ) : (
            <MonacoView value={json} language="json" theme={theme} />
          )}
        </Suspense>
      </div>
    </div>
  );
}
