import { documents } from '../documents/documents';
import type { OpenedDocument } from '../documents/documentService';
import { emptyDoc } from '../state/docModel';
import {
  addRecent,
  confirmDialog,
  getState,
  isDirty,
  loadDocument,
  markSaved,
  notify,
  openDialog,
} from '../state/store';
import { combo } from './keys';
import { register } from './registry';

/** Asks before throwing away unsaved work; true when it is fine to go on. */
export async function confirmDiscard(what: string): Promise<boolean> {
  const s = getState();
  if (!isDirty(s)) return true;
  return confirmDialog({
    title: 'Discard unsaved changes?',
    message: `“${s.file.name}” has changes that are not saved. ${what} will discard them.`,
    confirmLabel: 'Discard Changes',
    cancelLabel: 'Keep Editing',
  });
}

function show(opened: OpenedDocument): void {
  loadDocument(opened.doc, opened.handle, opened.name);
  documents().clearRecovery();
  if (opened.handle) addRecent(opened.handle, opened.name);
  if (opened.issues.length > 0) {
    notify(
      `Opened “${opened.name}” with ${opened.issues.length} repair${opened.issues.length === 1 ? '' : 's'}: ${opened.issues.slice(0, 2).join('; ')}${opened.issues.length > 2 ? '; …' : ''}`,
      'info',
      9000,
    );
  }
}

register({
  name: 'file.new',
  label: 'New',
  menu: 'file',
  shortcut: 'Ctrl+N',
  // Chromium keeps Ctrl+N (a new window) from every page; Ctrl+Alt+N works in both shells.
  webShortcut: 'Ctrl+Alt+N',
  keyTest: (e) => combo('n', { mod: true })(e) || combo('n', { mod: true, alt: true })(e),
  perform: async () => {
    if (!(await confirmDiscard('Creating a new project'))) return;
    loadDocument(emptyDoc(), null, 'Untitled');
    documents().clearRecovery();
  },
});

register({
  name: 'file.open',
  label: 'Open…',
  menu: 'file',
  shortcut: 'Ctrl+O',
  keyTest: combo('o', { mod: true }),
  perform: async () => {
    if (!(await confirmDiscard('Opening another project'))) return;
    const opened = await documents().open();
    if (opened) show(opened);
  },
});

register({
  name: 'file.openRecent',
  label: 'Open Recent',
  perform: async (_s, arg) => {
    const handle = arg && typeof arg === 'object' ? (arg as { handle?: unknown }).handle : undefined;
    if (typeof handle !== 'string') return;
    if (!(await confirmDiscard('Opening another project'))) return;
    const opened = await documents().openRecent(handle);
    if (opened) show(opened);
  },
});

register({
  name: 'file.openExample',
  label: 'Open Example…',
  menu: 'file',
  shortcut: 'Ctrl+Shift+E',
  keyTest: combo('e', { mod: true, shift: true }),
  perform: () => openDialog({ kind: 'examples' }),
});

async function save(as: boolean): Promise<void> {
  const s = getState();
  const svc = documents();
  const doc = s.doc;
  const saved =
    as || !s.file.handle ? await svc.saveAs(doc, s.file.name) : await svc.save(doc, s.file.handle, s.file.name);
  if (!saved) return;
  // Mark exactly the document that was written as saved, even if edits arrived meanwhile.
  markSaved(saved.handle, saved.name, doc);
  svc.clearRecovery();
  addRecent(saved.handle, saved.name);
  notify(`Saved “${saved.name}”.`, 'success', 2500);
}

register({
  name: 'file.save',
  label: 'Save',
  menu: 'file',
  shortcut: 'Ctrl+S',
  keyTest: combo('s', { mod: true }),
  perform: () => save(false),
});

register({
  name: 'file.saveAs',
  label: 'Save As…',
  menu: 'file',
  shortcut: 'Ctrl+Shift+S',
  keyTest: combo('s', { mod: true, shift: true }),
  perform: () => save(true),
});
