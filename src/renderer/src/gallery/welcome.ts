// Whether the example gallery greets the user at start-up (a preference kept in this browser
// profile), and opening it then.
import { appStore, openDialog } from '../state/store';

const KEY = 'backprop-studio.welcome';

export function showGalleryAtStartup(): boolean {
  try {
    return localStorage.getItem(KEY) !== 'off';
  } catch {
    return true;
  }
}

export function setShowGalleryAtStartup(show: boolean): void {
  try {
    localStorage.setItem(KEY, show ? 'on' : 'off');
  } catch {
    // A preference that cannot be stored only means the gallery shows again next time.
  }
}

/** At start-up, once no recovered work was taken up: the gallery, unless a graph is already open or it was turned off. */
export function welcomeAtStartup(): void {
  const s = appStore.getState();
  if (!showGalleryAtStartup() || s.doc.graph.nodes.length > 0 || s.ui.dialog !== null) return;
  openDialog({ kind: 'examples', welcome: true });
}
