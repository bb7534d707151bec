import { loadProject, saveProject } from '../../../engine/graph/load';
import type { GraphDoc } from '../state/docModel';
import { promptDialog } from '../state/store';
import { download, pickFile } from './fileTransfer';
import type { DocumentService, OpenedDocument, RecoveredDocument, SavedDocument } from './documentService';

const RECOVERY_KEY = 'backprop.recovery';
const FILE_PREFIX = 'backprop.file:';
const MAX_STORED_FILES = 10;

function baseName(name: string): string {
  return name.replace(/\.(bps\.)?json$/i, '') || 'Untitled';
}

function fileName(name: string): string {
  return `${baseName(name)}.json`;
}

function readDoc(text: string, handle: string | null, name: string): OpenedDocument {
  const r = loadProject(text);
  if (!r.ok) throw new Error(r.error);
  return {
    doc: r.project,
    handle,
    name: baseName(name),
    issues: r.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)),
  };
}

/** Keeps a copy of the file's text so that "Open Recent" works in a browser, which cannot reopen files by path. */
export function remember(name: string, text: string): void {
  try {
    localStorage.setItem(FILE_PREFIX + name, text);
    const keys = Object.keys(localStorage).filter((k) => k.startsWith(FILE_PREFIX));
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_STORED_FILES))) localStorage.removeItem(k);
  } catch {
    // Storage full or unavailable: recent files will just not reopen.
  }
}

/** The stored text of a recent browser file (`browser:<file name>`). */
export function rememberedText(handle: string): string {
  const name = handle.replace(/^browser:/, '');
  const text = localStorage.getItem(FILE_PREFIX + name);
  if (text === null) throw new Error(`"${name}" is no longer stored in this browser; open it with File → Open.`);
  return text;
}

/**
 * Browser mode without the host's file service: Open reads a file the user picks, Save downloads
 * the project as JSON. Recovery and recent files live in the page's local storage.
 */
export function createBrowserDocuments(): DocumentService {
  const save = async (doc: GraphDoc, name: string): Promise<SavedDocument> => {
    const file = fileName(name);
    const text = saveProject({ ...doc, name: baseName(name) });
    download(file, text);
    remember(file, text);
    return { handle: `browser:${file}`, name: baseName(name) };
  };
  return {
    kind: 'browser',
    async open() {
      const file = await pickFile();
      if (!file) return null;
      const text = await file.text();
      const opened = readDoc(text, `browser:${file.name}`, file.name);
      remember(file.name, text);
      return opened;
    },
    async openRecent(handle) {
      return readDoc(rememberedText(handle), handle, handle.replace(/^browser:/, ''));
    },
    save: (doc, handle, name) => save(doc, handle ? handle.replace(/^browser:/, '') : name),
    async saveAs(doc, name) {
      const answer = await promptDialog({
        title: 'Save As',
        message: 'The project is downloaded as a JSON file with this name.',
        value: fileName(name),
        confirmLabel: 'Save',
      });
      if (!answer) return null;
      return save(doc, answer);
    },
    autosave(doc, handle, name) {
      try {
        localStorage.setItem(
          RECOVERY_KEY,
          JSON.stringify({ text: saveProject(doc), handle, name, savedAt: Date.now() }),
        );
      } catch {
        // Nothing else to do: without storage there is no recovery copy.
      }
    },
    async recoverable(): Promise<RecoveredDocument | null> {
      const raw = localStorage.getItem(RECOVERY_KEY);
      if (!raw) return null;
      try {
        const r = JSON.parse(raw) as { text: string; handle: string | null; name: string; savedAt: number };
        const discard = (): void => localStorage.removeItem(RECOVERY_KEY);
        return { ...readDoc(r.text, r.handle, r.name), savedAt: r.savedAt, discard };
      } catch {
        localStorage.removeItem(RECOVERY_KEY);
        return null;
      }
    },
    recentFiles: async () => null,
    clearRecovery() {
      try {
        localStorage.removeItem(RECOVERY_KEY);
      } catch {
        // Ignored: see autosave.
      }
    },
  };
}
