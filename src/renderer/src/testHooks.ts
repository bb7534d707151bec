import { runAction } from './actions/registry';
import { loadProjectValue } from '../../engine/graph/load';
import { getState, loadDocument } from './state/store';

/**
 * A small, read-mostly handle for end-to-end tests and benchmarks: run a registered command by
 * name (exactly what a menu does), read the state, or load a document value. It grants nothing
 * the UI does not already allow.
 */
export function exposeTestHooks(): void {
  (window as unknown as { backpropStudio: unknown }).backpropStudio = {
    runAction,
    state: () => {
      const s = getState();
      return {
        doc: s.doc,
        selection: s.selection,
        dirty: s.doc !== s.file.saved,
        file: { handle: s.file.handle, name: s.file.name },
        dialog: s.ui.dialog?.kind ?? null,
        example: s.ui.example?.id ?? null,
        run: { loss: s.run.loss, updates: s.run.updates, phase: s.run.phase, loaded: s.run.loaded },
        training: {
          state: s.training.state,
          travelAt: s.training.travel.at,
          boundary: s.training.boundary?.labels ?? null,
        },
      };
    },
    load(value: unknown, name = 'Loaded') {
      const r = loadProjectValue(value);
      if (!r.ok) throw new Error(r.error);
      loadDocument(r.project, null, name);
    },
  };
}
