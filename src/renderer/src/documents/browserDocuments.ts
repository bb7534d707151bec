import { loadProject, saveProject } from '../../../engine/graph/load';
import type { GraphDoc } from '../state/docModel';
import { promptDialog } from '../state/store';
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
  return { doc: r.project, handle, name: baseName(name), issues: r.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)) };
}

/** Keeps a copy of the file's text so that "Open Recent" works in a browser, which cannot reopen files by path. */
function remember(name: string, text: string): void {
  try {
    localStorage.setItem(FILE_PREFIX + name, text);
    const keys = Object.keys(localStorage).filter((k) => k.startsWith(FILE_PREFIX));
    for (const k of keys.slice(0, Math.max(0, keys.length - MAX_STORED_FILES))) localStorage.removeItem(k);
  } catch {
    // Storage full or unavailable: recent files will just not reopen.
  }
}

function pickFile(): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.json,application/json';
    input.style.display = 'none';
    input.dataset.testid = 'open-file-input';
    let settled = false;
    const done = (f: File | null): void => {
      if (settled) return;
      settled = true;
      input.remove();
      resolve(f);
    };
    input.addEventListener('change', () => done(input.files?.[0] ?? null));
    input.addEventListener('cancel', () => done(null));
    document.body.append(input);
    input.click();
  });
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
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
      const name = handle.replace(/^browser:/, '');
      const text = localStorage.getItem(FILE_PREFIX + name);
      if (text === null) throw new Error(`"${name}" is no longer stored in this browser; open it with File → Open.`);
      return readDoc(text, handle, name);
    },
    save: (doc, handle, name) => save(doc, handle ? handle.replace(/^browser:/, '') : name),
    async saveAs(doc, name) {
      const answer = await promptDialog({ title: 'Save As', message: 'The project is downloaded as a JSON file with this name.', value: fileName(name), confirmLabel: 'Save' });
      if (!answer) return null;
      return save(doc, answer);
    },
    autosave(doc, handle, name) {
      try {
        localStorage.setItem(RECOVERY_KEY, JSON.stringify({ text: saveProject(doc), handle, name, savedAt: Date.now() }));
      } catch {
        // Nothing else to do: without storage there is no recovery copy.
      }
    },
    async recoverable(): Promise<RecoveredDocument | null> {
      const raw = localStorage.getItem(RECOVERY_KEY);
      if (!raw) return null;
      try {
        const r = JSON.parse(raw) as { text: string; handle: string | null; name: string; savedAt: number };
        return { ...readDoc(r.text, r.handle, r.name), savedAt: r.savedAt };
      } catch {
        localStorage.removeItem(RECOVERY_KEY);
        return null;
      }
    },
    clearRecovery() {
      try {
        localStorage.removeItem(RECOVERY_KEY);
      } catch {
        // Ignored: see autosave.
      }
    },
  };
}
