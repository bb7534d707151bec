import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import { loadProjectValue } from '../../../engine/graph/load';
import { host } from '../api/connection';
import { confirmDiscard } from '../actions/fileActions';
import { loadDocument, notify, openDialog } from '../state/store';

interface ExampleInfo {
  id: string;
  name: string;
  description: string;
}

type ListState = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; examples: ExampleInfo[] };

async function openExample(id: string): Promise<void> {
  openDialog(null);
  if (!(await confirmDiscard('Opening an example'))) return;
  try {
    const r = await host().invoke('examples.open', { id });
    const loaded = loadProjectValue(r.document);
    if (!loaded.ok) throw new Error(loaded.error);
    // An example opens as a new project: saving asks where to put the copy.
    loadDocument(loaded.project, null, r.title);
  } catch (err) {
    notify(`Cannot open the example: ${err instanceof Error ? err.message : String(err)}`, 'error', 7000);
  }
}

/** The course examples the host serves (resources/examples), in course order. */
export function ExamplesDialog(): ReactElement {
  const [state, setState] = useState<ListState>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    host()
      .invoke('examples.list', {})
      .then((r) => live && setState({ kind: 'ready', examples: r.examples }))
      .catch(
        (err: unknown) =>
          live && setState({ kind: 'error', message: err instanceof Error ? err.message : String(err) }),
      );
    return () => {
      live = false;
    };
  }, []);
  if (state.kind === 'loading') return <p className="muted">Loading the examples…</p>;
  if (state.kind === 'error') return <p className="muted">The examples could not be listed: {state.message}</p>;
  if (state.examples.length === 0) return <p className="muted">No examples are installed.</p>;
  return (
    <ul className="example-list" data-testid="example-list">
      {state.examples.map((e) => (
        <li key={e.id}>
          <button
            type="button"
            className="example-item"
            data-testid={`example-${e.id}`}
            onClick={() => void openExample(e.id)}
          >
            <span className="example-name">{e.name}</span>
            <span className="example-desc">{e.description}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
