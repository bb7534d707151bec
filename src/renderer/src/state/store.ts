import { createStore } from 'zustand/vanilla';
import type { AppState, Dialog, LivePreviewSetting, Selection, Theme, Toast } from './appState';
import { emptyDoc } from './docModel';
import type { GraphDoc } from './docModel';
import { spreadToFit } from './spread';
import { emptyHistory, record, redo as redoHistory, undo as undoHistory } from './history';
import { initialStepRun } from '../step/stepTypes';
import { sameComputation } from '../step/sameComputation';
import { initialTrainingRun } from '../training/trainingTypes';

const THEME_KEY = 'backprop.theme';
const RECENT_KEY = 'backprop.recent';
const PRESENTER_KEY = 'backprop.presenter';
const PREVIEW_KEY = 'backprop.livePreview';

function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // Storage can be unavailable (private mode); fall through to the system preference.
  }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function initialPresenter(): boolean {
  try {
    return localStorage.getItem(PRESENTER_KEY) === 'true';
  } catch {
    return false;
  }
}

/** Live preview is on unless turned off; its gradients are off unless turned on. */
function initialLivePreview(): LivePreviewSetting {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(PREVIEW_KEY) ?? 'null');
    if (saved && typeof saved === 'object') {
      const { on, gradients } = saved as Record<string, unknown>;
      return { on: on !== false, gradients: gradients === true };
    }
  } catch {
    // Unreadable or unavailable storage: the defaults.
  }
  return { on: true, gradients: false };
}

function initialRecent(): AppState['recent'] {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]');
    if (!Array.isArray(raw)) return [];
    return raw
      .filter(
        (r): r is { handle: string; name: string } => !!r && typeof r.handle === 'string' && typeof r.name === 'string',
      )
      .slice(0, 10);
  } catch {
    return [];
  }
}

export function initialState(): AppState {
  const doc = emptyDoc();
  const presenter = initialPresenter();
  return {
    doc,
    history: emptyHistory(),
    file: { handle: null, name: 'Untitled', saved: doc },
    recent: initialRecent(),
    selection: { nodes: [], edges: [] },
    measured: {},
    ui: {
      theme: initialTheme(),
      presenter,
      livePreview: initialLivePreview(),
      panelsVisible: true,
      // Presenter mode is for stepping in front of a room: the Step tab is what it enlarges.
      bottomTab: presenter ? 'step' : 'training',
      zoom: 1,
      paletteQuery: '',
      dialog: null,
      toasts: [],
      fitRequest: 0,
      example: null,
      lossNode: null,
      unrolledNode: null,
    },
    host: { status: 'connecting', version: null, mode: null },
    run: initialStepRun(),
    training: initialTrainingRun(),
  };
}

/** The one store of the renderer. Components read it through `useApp`; code outside React through `appStore`. */
export const appStore = createStore<AppState>()(() => initialState());

export const getState = (): AppState => appStore.getState();

/**
 * Replaces the document. `commit` records the previous document for undo; a drag in progress
 * passes `commit: false` and commits once when the drag ends (see `beginGesture`).
 */
export function setDoc(doc: GraphDoc, opts: { commit?: boolean; selection?: Selection } = {}): void {
  const s = appStore.getState();
  if (doc === s.doc && !opts.selection) return;
  if (refusedWhileTraining(s, doc)) return;
  const commit = opts.commit ?? true;
  let history = s.history;
  if (commit && doc !== s.doc) history = record(history, gestureStart ?? s.doc);
  if (commit) gestureStart = undefined;
  appStore.setState({ doc, history, selection: opts.selection ?? pruneSelection(s.selection, doc) });
}

let gestureStart: GraphDoc | undefined;

/**
 * While a run trains (or is paused) the network it trains cannot change under it: an edit that
 * computes something else (a node, a wire, a parameter, a setting) is refused with a notice.
 * Moving, renaming and selecting nodes go on; stopping the run keeps its weights in the project.
 */
function refusedWhileTraining(s: AppState, doc: GraphDoc): boolean {
  const st = s.training.state;
  if ((st !== 'running' && st !== 'paused') || sameComputation(s.doc, doc)) return false;
  notify(
    `The network is ${st === 'running' ? 'training' : 'paused in training'}: stop the run to change it (its weights are kept in the project).`,
    'info',
    6000,
  );
  return true;
}

/** Starts a continuous change (a drag): the document before it becomes the undo point. */
export function beginGesture(): void {
  gestureStart ??= appStore.getState().doc;
}

/** Ends a continuous change, recording one undo step if the document changed. */
export function endGesture(): void {
  const start = gestureStart;
  gestureStart = undefined;
  const s = appStore.getState();
  if (start && start !== s.doc) appStore.setState({ history: record(s.history, start) });
}

function pruneSelection(sel: Selection, doc: GraphDoc): Selection {
  const nodeIds = new Set(doc.graph.nodes.map((n) => n.id));
  const edgeIds = new Set(doc.graph.edges.map((e) => e.id));
  const nodes = sel.nodes.filter((id) => nodeIds.has(id));
  const edges = sel.edges.filter((id) => edgeIds.has(id));
  return nodes.length === sel.nodes.length && edges.length === sel.edges.length ? sel : { nodes, edges };
}

export function undo(): boolean {
  const s = appStore.getState();
  const r = undoHistory(s.history, s.doc);
  if (!r || refusedWhileTraining(s, r.state)) return false;
  appStore.setState({ doc: r.state, history: r.history, selection: pruneSelection(s.selection, r.state) });
  return true;
}

export function redo(): boolean {
  const s = appStore.getState();
  const r = redoHistory(s.history, s.doc);
  if (!r || refusedWhileTraining(s, r.state)) return false;
  appStore.setState({ doc: r.state, history: r.history, selection: pruneSelection(s.selection, r.state) });
  return true;
}

/** Loads a document as a fresh file: history cleared, nothing selected, clean. */
export function loadDocument(loaded: GraphDoc, handle: string | null, name: string): void {
  const doc = spreadToFit(loaded);
  gestureStart = undefined;
  appStore.setState({
    doc,
    history: emptyHistory(),
    file: { handle, name, saved: doc },
    selection: { nodes: [], edges: [] },
    run: initialStepRun(),
    training: { ...initialTrainingRun(), data: appStore.getState().training.data },
    // Another document: its explanation (if it is an example) is set by whoever opened it; the gallery gives way.
    ui: { ...appStore.getState().ui, example: null, dialog: dropGallery(appStore.getState().ui.dialog) },
  });
  requestFit();
}

const dropGallery = (d: AppState['ui']['dialog']) => (d?.kind === 'examples' ? null : d);

/** Asks the canvas to show the graph at a readable zoom once its nodes are measured (canvas/readableFit.ts). */
export function requestFit(): void {
  appStore.setState((s) => ({ ui: { ...s.ui, fitRequest: s.ui.fitRequest + 1 } }));
}

/** Records that `doc` (by default the current document) is what the file now holds. */
export function markSaved(handle: string | null, name: string, doc: GraphDoc = appStore.getState().doc): void {
  appStore.setState({ file: { handle, name, saved: doc } });
}

export function isDirty(s: AppState): boolean {
  return s.doc !== s.file.saved;
}

/** Replaces the recent list with the host's (desktop), keeping this store's format. */
export function setRecent(recent: AppState['recent']): void {
  appStore.setState({ recent: recent.slice(0, 10) });
}

export function addRecent(handle: string, name: string): void {
  const s = appStore.getState();
  const recent = [{ handle, name }, ...s.recent.filter((r) => r.handle !== handle)].slice(0, 10);
  appStore.setState({ recent });
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(recent));
  } catch {
    // Recent files are a convenience; losing them is harmless.
  }
}

export function setSelection(selection: Selection): void {
  const cur = appStore.getState().selection;
  if (sameIds(cur.nodes, selection.nodes) && sameIds(cur.edges, selection.edges)) return;
  appStore.setState({ selection });
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function setMeasured(updates: Record<string, { width: number; height: number }>): void {
  const s = appStore.getState();
  appStore.setState({ measured: { ...s.measured, ...updates } });
}

export function setTheme(theme: Theme): void {
  appStore.setState((s) => ({ ui: { ...s.ui, theme } }));
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Not fatal: the theme just will not persist.
  }
}

/** View → Live preview (and its gradients): a view setting, remembered like the theme. */
export function setLivePreview(change: Partial<LivePreviewSetting>): void {
  const livePreview = { ...appStore.getState().ui.livePreview, ...change };
  appStore.setState((s) => ({ ui: { ...s.ui, livePreview } }));
  try {
    localStorage.setItem(PREVIEW_KEY, JSON.stringify(livePreview));
  } catch {
    // Not fatal: the setting just will not persist.
  }
}

/**
 * Turns presenter mode on or off (a view setting, remembered like the theme). Turning it on shows
 * the Step tab, whose current node and formula it draws large; the canvas changes size, so the
 * graph is fitted again.
 */
export function setPresenter(presenter: boolean): void {
  appStore.setState((s) => ({
    ui: { ...s.ui, presenter, bottomTab: presenter ? 'step' : s.ui.bottomTab, panelsVisible: true },
  }));
  try {
    localStorage.setItem(PRESENTER_KEY, String(presenter));
  } catch {
    // Not fatal: the mode just will not persist.
  }
  requestFit();
}

export function updateUi(patch: Partial<AppState['ui']>): void {
  appStore.setState((s) => ({ ui: { ...s.ui, ...patch } }));
}

export function setHost(patch: Partial<AppState['host']>): void {
  appStore.setState((s) => ({ host: { ...s.host, ...patch } }));
}

export function setTraining(patch: Partial<AppState['training']>): void {
  appStore.setState((s) => ({ training: { ...s.training, ...patch } }));
}

export function setRun(patch: Partial<AppState['run']>): void {
  appStore.setState((s) => ({ run: { ...s.run, ...patch } }));
}

export function openDialog(dialog: Dialog | null): void {
  updateUi({ dialog });
}

/** Shows a modal confirmation and resolves with the user's answer. */
export function confirmDialog(opts: {
  title: string;
  message: string;
  confirmLabel: string;
  cancelLabel?: string;
}): Promise<boolean> {
  return new Promise((resolve) => {
    openDialog({
      kind: 'confirm',
      title: opts.title,
      message: opts.message,
      confirmLabel: opts.confirmLabel,
      cancelLabel: opts.cancelLabel ?? 'Cancel',
      resolve: (ok) => {
        openDialog(null);
        resolve(ok);
      },
    });
  });
}

/** Asks the user for a line of text (e.g. a file name); resolves with null when cancelled. */
export function promptDialog(opts: {
  title: string;
  message: string;
  value: string;
  confirmLabel: string;
}): Promise<string | null> {
  return new Promise((resolve) => {
    openDialog({
      kind: 'prompt',
      ...opts,
      resolve: (value) => {
        openDialog(null);
        resolve(value);
      },
    });
  });
}

let toastId = 0;

/** Shows a notification; it replaces the one of the same kind shown before (never a stack of them). */
export function notify(message: string, kind: Toast['kind'] = 'info', ms = 4000): void {
  const id = ++toastId;
  appStore.setState((s) => ({
    ui: { ...s.ui, toasts: [...s.ui.toasts.filter((t) => t.kind !== kind), { id, kind, message }] },
  }));
  setTimeout(() => dismissToast(id), ms);
}

export function dismissToast(id: number): void {
  appStore.setState((s) => ({ ui: { ...s.ui, toasts: s.ui.toasts.filter((t) => t.id !== id) } }));
}
