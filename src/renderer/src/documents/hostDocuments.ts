import { loadProjectValue } from '../../../engine/graph/load';
import type { ApiClient } from '../api/client';
import type { GraphDoc } from '../state/docModel';
import { promptDialog } from '../state/store';
import type { DocumentService, OpenedDocument, RecoveredDocument, SavedDocument } from './documentService';
import { remember, rememberedText } from './browserDocuments';
import { download, pickFile } from './fileTransfer';

interface HostOpened {
  path: string | null;
  title: string;
  document: Record<string, unknown>;
  issues: { path: string; message: string }[];
}

/** Types a document the host has already loaded (and repaired); never throws on a bad one. */
function toOpened(r: HostOpened): OpenedDocument {
  const loaded = loadProjectValue(r.document);
  if (!loaded.ok) throw new Error(loaded.error);
  const issues = [...r.issues, ...loaded.issues].map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  return { doc: loaded.project, handle: r.path, name: r.title, issues };
}

const asDocument = (doc: GraphDoc): Record<string, unknown> => doc as unknown as Record<string, unknown>;

/** Every open window autosaves under its own key. */
function newRecoveryKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Outside a secure context randomUUID is missing; 16 random bytes in hex serve the same purpose.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Documents through the host's project service. In the desktop app files are opened and saved
 * by path with native dialogs (atomic writes, backups, recent files); in browser mode the user
 * uploads and downloads, and the host still parses, repairs, formats and autosaves.
 */
export function createHostDocuments(api: ApiClient): DocumentService {
  const desktop = api.kind === 'electron';
  const key = newRecoveryKey();
  let lastAutosave: Promise<unknown> = Promise.resolve();

  const saveAs = async (doc: GraphDoc, name: string): Promise<SavedDocument | null> => {
    if (desktop) {
      const { path } = await api.invoke('dialog.saveProject', { suggestedName: `${name}.json` });
      if (!path) return null;
      const r = await api.invoke('projects.saveAs', {
        path,
        document: asDocument(doc),
        recoveryKey: key,
        overwrite: true,
      });
      return { handle: r.path, name: r.title };
    }
    const answer = await promptDialog({
      title: 'Save As',
      message: 'The project is downloaded as a JSON file with this name.',
      value: `${name}.json`,
      confirmLabel: 'Save',
    });
    if (!answer) return null;
    const title = answer.replace(/\.json$/i, '') || 'Untitled';
    return downloadAs(doc, title);
  };

  const downloadAs = async (doc: GraphDoc, title: string): Promise<SavedDocument> => {
    const r = await api.invoke('projects.saveContent', { document: asDocument({ ...doc, name: title }) });
    download(`${title}.json`, r.content);
    remember(`${title}.json`, r.content);
    return { handle: `browser:${title}.json`, name: title };
  };

  return {
    kind: 'host',
    async open() {
      if (desktop) {
        const { path } = await api.invoke('dialog.openProject', {});
        return path ? toOpened(await api.invoke('projects.open', { path })) : null;
      }
      const file = await pickFile();
      if (!file) return null;
      const content = await file.text();
      const r = await api.invoke('projects.openContent', { content, fileName: file.name });
      remember(file.name, content);
      return { ...toOpened(r), handle: `browser:${file.name}` };
    },
    async openRecent(handle) {
      if (desktop) return toOpened(await api.invoke('projects.open', { path: handle }));
      const r = await api.invoke('projects.openContent', {
        content: rememberedText(handle),
        fileName: handle.replace(/^browser:/, ''),
      });
      return { ...toOpened(r), handle };
    },
    async save(doc, handle, name) {
      if (!handle) return saveAs(doc, name);
      if (!desktop) return downloadAs(doc, handle.replace(/^browser:/, '').replace(/\.json$/i, ''));
      const r = await api.invoke('projects.save', { path: handle, document: asDocument(doc), recoveryKey: key });
      return { handle: r.path, name: r.title };
    },
    saveAs,
    autosave(doc, handle, name) {
      const path = desktop ? handle : null;
      lastAutosave = lastAutosave.then(() =>
        api
          .invoke('projects.autosave', { key, path, title: name.slice(0, 200), document: asDocument(doc) })
          .catch(() => undefined),
      );
    },
    async recoverable(): Promise<RecoveredDocument | null> {
      const r = await api.invoke('projects.recoverable', {});
      const latest = r.entries.filter((e) => e.key !== key).sort((a, b) => b.savedAt.localeCompare(a.savedAt))[0];
      if (!latest) return null;
      try {
        const rec = await api.invoke('projects.recover', { key: latest.key });
        const discard = (): void =>
          void api.invoke('projects.discardRecovery', { key: latest.key }).catch(() => undefined);
        return { ...toOpened(rec), savedAt: Date.parse(latest.savedAt), discard };
      } catch {
        return null;
      }
    },
    async recentFiles() {
      if (!desktop) return null;
      const r = await api.invoke('projects.recent', {});
      return r.files.filter((f) => f.exists).map((f) => ({ handle: f.path, name: f.title }));
    },
    clearRecovery() {
      lastAutosave = lastAutosave.then(() => api.invoke('projects.discardRecovery', { key }).catch(() => undefined));
    },
  };
}
