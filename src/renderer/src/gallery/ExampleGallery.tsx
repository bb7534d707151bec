import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { z } from 'zod';
import { loadProjectValue } from '../../../engine/graph/load';
import type { exampleInfoSchema } from '../../../shared/api/examples';
import { host } from '../api/connection';
import { confirmDiscard } from '../actions/fileActions';
import { appStore, loadDocument, notify, openDialog } from '../state/store';
import { Thumbnail } from './Thumbnail';
import { setShowGalleryAtStartup, showGalleryAtStartup } from './welcome';

type ExampleInfo = z.infer<typeof exampleInfoSchema>;

type ListState = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; examples: ExampleInfo[] };

/**
 * Opens a bundled example as a new, unsaved project: graph, data set and training settings, the
 * view fitted at a readable zoom (the store's loadDocument), and its explanation in the side panel.
 */
export async function openExample(info: Pick<ExampleInfo, 'id' | 'topic' | 'result'>): Promise<boolean> {
  openDialog(null);
  if (!(await confirmDiscard('Opening an example'))) return false;
  try {
    const r = await host().invoke('examples.open', { id: info.id });
    const loaded = loadProjectValue(r.document);
    if (!loaded.ok) throw new Error(loaded.error);
    loadDocument(loaded.project, null, r.title);
    appStore.setState((s) => ({
      ui: {
        ...s.ui,
        example: {
          id: info.id,
          title: loaded.project.name,
          topic: info.topic,
          result: info.result,
          explanation: loaded.project.description,
        },
      },
    }));
    return true;
  } catch (err) {
    notify(`Cannot open the example: ${err instanceof Error ? err.message : String(err)}`, 'error', 7000);
    return false;
  }
}

function Card({ e }: { e: ExampleInfo }): ReactElement {
  return (
    <li>
      <button
        type="button"
        className="gallery-card"
        data-testid={`example-${e.id}`}
        onClick={() => void openExample(e)}
        title={e.result ? `Result: ${e.result}` : e.name}
      >
        <Thumbnail graph={e.thumbnail} label={`The graph of ${e.name}`} />
        <span className="gallery-topic">{e.topic || 'Example'}</span>
        <span className="gallery-title">{e.name}</span>
        <span className="gallery-summary">{e.summary}</span>
      </button>
    </li>
  );
}

/** The course examples as cards, in course order (the host's examples.list). */
export function ExampleGallery({ welcome }: { welcome: boolean }): ReactElement {
  const [state, setState] = useState<ListState>({ kind: 'loading' });
  const [atStartup, setAtStartup] = useState(showGalleryAtStartup);
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
  return (
    <div className="gallery" data-testid="gallery">
      {welcome && (
        <p className="gallery-intro">
          Each example is a network from the course, ready to step through and train, with an explanation of what to
          look at. Or close this and start from an empty canvas.
        </p>
      )}
      {state.kind === 'loading' && <p className="muted">Loading the examples…</p>}
      {state.kind === 'error' && <p className="muted">The examples could not be listed: {state.message}</p>}
      {state.kind === 'ready' && state.examples.length === 0 && <p className="muted">No examples are installed.</p>}
      {state.kind === 'ready' && state.examples.length > 0 && (
        <ul className="gallery-grid" data-testid="example-list">
          {state.examples.map((e) => (
            <Card key={e.id} e={e} />
          ))}
        </ul>
      )}
      <div className="gallery-footer">
        <label className="gallery-startup">
          <input
            type="checkbox"
            data-testid="gallery-at-startup"
            checked={atStartup}
            onChange={(ev) => {
              setAtStartup(ev.target.checked);
              setShowGalleryAtStartup(ev.target.checked);
            }}
          />
          Show the examples at start-up
        </label>
        {welcome && (
          <button type="button" className="button" data-testid="gallery-empty" onClick={() => openDialog(null)}>
            Start with an empty project
          </button>
        )}
      </div>
    </div>
  );
}
