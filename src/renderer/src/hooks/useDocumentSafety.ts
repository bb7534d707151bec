import { useEffect } from 'react';
import { host } from '../api/connection';
import { documents } from '../documents/documents';
import { welcomeAtStartup } from '../gallery/welcome';
import { appStore, confirmDialog, isDirty, loadDocument, notify, setRecent } from '../state/store';

const AUTOSAVE_MS = 800;

/**
 * Keeps unsaved work safe: a recovery copy within a second of the last edit, the recovery
 * prompt at start-up after a crash, and the browser's prompt before closing over unsaved work.
 */
export function useDocumentSafety(): void {
  useEffect(() => {
    const svc = documents();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let started = false;

    const offerRecovery = async (): Promise<void> => {
      const rec = await svc.recoverable();
      if (rec && rec.doc.graph.nodes.length > 0) {
        const when = new Date(rec.savedAt).toLocaleString();
        const ok = await confirmDialog({
          title: 'Recover unsaved work?',
          message: `Backprop Studio closed while “${rec.name}” had unsaved changes (last stored ${when}). Recover them?`,
          confirmLabel: 'Recover',
          cancelLabel: 'Discard',
        });
        rec.discard();
        if (ok) {
          loadDocument(rec.doc, rec.handle, rec.name);
          // Recovered work is unsaved until the user saves it; keep it safe under this window's key.
          appStore.setState((s) => ({ file: { ...s.file, saved: { ...s.doc } } }));
          const cur = appStore.getState();
          svc.autosave(cur.doc, cur.file.handle, cur.file.name);
          notify(`Recovered “${rec.name}”. Save it to keep it.`, 'success');
        }
      }
    };
    void svc
      .recentFiles()
      .then((files) => files && setRecent(files))
      .catch(() => undefined);
    offerRecovery()
      .catch(() => undefined)
      .finally(() => {
        started = true;
        welcomeAtStartup();
        // Start-up is over (recovery offered or not): tests and the user may begin editing.
        document.documentElement.dataset.ready = 'true';
      });

    const unsubscribe = appStore.subscribe((s, prev) => {
      if (s.doc === prev.doc && s.file === prev.file) return;
      if (!started) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const cur = appStore.getState();
        if (isDirty(cur)) svc.autosave(cur.doc, cur.file.handle, cur.file.name);
        else svc.clearRecovery();
      }, AUTOSAVE_MS);
    });

    const beforeUnload = (e: BeforeUnloadEvent): void => {
      if (!isDirty(appStore.getState())) return;
      e.preventDefault();
      e.returnValue = '';
    };
    // Browser mode: the tab really goes (the user confirmed leaving, or it was clean), so the
    // recovery copy is not needed; a crash never gets here, so its copy survives. The desktop app
    // asks in the main process instead (and keeps the copy until the next start): a beforeunload
    // veto there would silently cancel the close the user just confirmed.
    const desktop = host().kind === 'electron';
    const pageHide = (e: PageTransitionEvent): void => {
      if (!e.persisted) {
        clearTimeout(timer);
        svc.clearRecovery();
      }
    };
    if (!desktop) {
      window.addEventListener('beforeunload', beforeUnload);
      window.addEventListener('pagehide', pageHide);
    }

    // The desktop window's title and its close prompt follow the document's name and unsaved mark.
    let reported = '';
    const report = (): void => {
      const s = appStore.getState();
      const state = { title: s.file.name, dirty: isDirty(s) };
      const key = JSON.stringify(state);
      if (key === reported || !host().has('app.setDocumentState')) return;
      reported = key;
      void host()
        .invoke('app.setDocumentState', state)
        .catch(() => undefined);
    };
    report();
    const unsubscribeTitle = appStore.subscribe(report);
    return () => {
      clearTimeout(timer);
      unsubscribe();
      unsubscribeTitle();
      window.removeEventListener('beforeunload', beforeUnload);
      window.removeEventListener('pagehide', pageHide);
    };
  }, []);
}
