import { useState } from 'react';
import type { ReactElement } from 'react';
import type { CodeLangId } from '../../../shared/api/export';
import { host } from '../api/connection';
import { download } from '../documents/fileTransfer';
import type { GraphDoc } from '../state/docModel';
import { getState, notify } from '../state/store';
import { zip } from './zip';

interface Props {
  doc: GraphDoc;
  lang: CodeLangId;
  file: { path: string; content: string } | undefined;
}

const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/**
 * The document to export: with the step session's current weights when there is a session (after
 * stepping, updating or training), else as it is (its saved weights, or the seed's initialisation).
 */
async function withSessionWeights(doc: GraphDoc): Promise<{ document: GraphDoc; updates: number | null }> {
  const session = getState().run.session;
  if (!session) return { document: doc, updates: null };
  const { step, weights } = await host().invoke('session.weights', { sessionId: session.id });
  return { document: { ...doc, weights }, updates: step };
}

/** The Code tab's Copy, Save as… and Export project folder…. */
export function CodeActions({ doc, lang, file }: Props): ReactElement {
  const [exporting, setExporting] = useState(false);

  const exportFolder = async () => {
    setExporting(true);
    try {
      const { document, updates } = await withSessionWeights(doc);
      const r = await host().invoke('export.folder', {
        document: document as unknown as Record<string, unknown>,
        lang,
      });
      const entries = r.files.map((f) => ({
        path: f.path,
        data: f.encoding === 'base64' ? fromBase64(f.content) : new TextEncoder().encode(f.content),
      }));
      download(`${r.name}.zip`, zip(entries, r.name), 'application/zip');
      const weights = updates === null ? '' : ` with the session's weights (after ${updates} updates)`;
      notify(
        `Exported ${r.name}.zip${weights}: unzip it and run ${lang === 'python' ? 'python3 train.py' : 'npm install && npm start'}.`,
        'success',
      );
    } catch (e) {
      notify(`Could not export the folder: ${(e as Error).message}`, 'error', 8000);
    } finally {
      setExporting(false);
    }
  };

  return (
    <div className="code-actions">
      <button
        type="button"
        className="code-action"
        disabled={!file}
        data-testid="code-copy"
        onClick={() => {
          if (!file) return;
          void navigator.clipboard.writeText(file.content).then(
            () => notify(`Copied ${file.path}.`, 'success', 2000),
            () => notify('The clipboard is not available here; use Save as… instead.', 'error'),
          );
        }}
      >
        Copy
      </button>
      <button
        type="button"
        className="code-action"
        disabled={!file}
        data-testid="code-save"
        onClick={() => file && download(file.path, file.content, 'text/plain')}
      >
        Save as…
      </button>
      <button
        type="button"
        className="code-action"
        disabled={!file || exporting}
        data-testid="code-export-folder"
        onClick={() => void exportFolder()}
      >
        {exporting ? 'Exporting…' : 'Export project folder…'}
      </button>
    </div>
  );
}
