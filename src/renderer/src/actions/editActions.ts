import { nodeTypes as registry } from '../../../engine/graph/registry/registerAll';
import { flowControls } from '../canvas/flowControls';
import type { AppState } from '../state/appState';
import { addNode, extractFragment, moveNodes, parseFragment, pasteFragment, removeElements } from '../state/graphOps';
import type { Fragment } from '../state/graphOps';
import { getState, notify, redo, requestFit, setDoc, undo } from '../state/store';
import { combo, mod } from './keys';
import { register } from './registry';
import type { ActionResult } from './types';

const hasSelection = (s: AppState): boolean => s.selection.nodes.length > 0 || s.selection.edges.length > 0;

register({
  name: 'edit.undo',
  label: 'Undo',
  menu: 'edit',
  shortcut: 'Ctrl+Z',
  keyTest: combo('z', { mod: true }),
  enabled: (s) => s.history.past.length > 0,
  perform: () => void undo(),
});

register({
  name: 'edit.redo',
  label: 'Redo',
  menu: 'edit',
  shortcut: 'Ctrl+Shift+Z',
  keyTest: (e) => combo('z', { mod: true, shift: true })(e) || combo('y', { mod: true })(e),
  enabled: (s) => s.history.future.length > 0,
  perform: () => void redo(),
});

/** The last copied fragment, for when the system clipboard cannot be read (no permission). */
let localClipboard: string | null = null;

/** `arg` may carry the DataTransfer of a native copy/cut/paste event (keyboard shortcuts). */
function clipboardData(arg: unknown): DataTransfer | undefined {
  return arg && typeof arg === 'object' && 'clipboardData' in arg
    ? ((arg as { clipboardData: DataTransfer | null }).clipboardData ?? undefined)
    : undefined;
}

let lastNativeClipboardEvent = -Infinity;

/**
 * True for a menu command that repeats a clipboard shortcut the page already handled: where a
 * native menu also binds Ctrl+V, one key press could otherwise paste twice.
 */
function repeatsNativeEvent(arg: unknown): boolean {
  const now = performance.now();
  if (clipboardData(arg)) {
    lastNativeClipboardEvent = now;
    return false;
  }
  return now - lastNativeClipboardEvent < 250;
}

async function writeClipboard(text: string, data: DataTransfer | undefined): Promise<void> {
  localClipboard = text;
  if (data) {
    data.setData('text/plain', text);
    return;
  }
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Without clipboard permission the copy still works inside this window.
  }
}

async function readClipboard(data: DataTransfer | undefined): Promise<string | null> {
  if (data) return data.getData('text/plain') || localClipboard;
  try {
    return (await navigator.clipboard.readText()) || localClipboard;
  } catch {
    return localClipboard;
  }
}

function copySelection(s: AppState): Fragment | undefined {
  if (s.selection.nodes.length === 0) return undefined;
  return extractFragment(s.doc, s.selection.nodes);
}

register({
  name: 'edit.copy',
  label: 'Copy',
  menu: 'edit',
  shortcut: 'Ctrl+C',
  enabled: (s) => s.selection.nodes.length > 0,
  perform: async (s, arg) => {
    if (repeatsNativeEvent(arg)) return;
    const frag = copySelection(s);
    if (frag) await writeClipboard(JSON.stringify(frag), clipboardData(arg));
  },
});

register({
  name: 'edit.cut',
  label: 'Cut',
  menu: 'edit',
  shortcut: 'Ctrl+X',
  enabled: (s) => s.selection.nodes.length > 0,
  perform: async (s, arg): Promise<ActionResult | void> => {
    if (repeatsNativeEvent(arg)) return;
    const frag = copySelection(s);
    if (!frag) return;
    await writeClipboard(JSON.stringify(frag), clipboardData(arg));
    return { doc: removeElements(s.doc, s.selection.nodes, s.selection.edges), selection: { nodes: [], edges: [] } };
  },
});

let pasteCount = 0;

function insert(s: AppState, frag: Fragment): ActionResult {
  // Paste near the view's centre when the copied nodes are out of sight, else offset a little.
  pasteCount++;
  const center = flowControls()?.viewportCenter();
  const minX = Math.min(...frag.nodes.map((n) => n.position.x));
  const minY = Math.min(...frag.nodes.map((n) => n.position.y));
  const onScreen = s.doc.graph.nodes.some((n) => frag.nodes.some((f) => f.id === n.id));
  const offset =
    onScreen || !center
      ? { x: 30 * pasteCount, y: 30 * pasteCount }
      : { x: Math.round((center.x - minX) / 10) * 10, y: Math.round((center.y - minY) / 10) * 10 };
  const r = pasteFragment(s.doc, frag, offset);
  return { doc: r.doc, selection: { nodes: r.nodeIds, edges: r.edgeIds } };
}

register({
  name: 'edit.paste',
  label: 'Paste',
  menu: 'edit',
  shortcut: 'Ctrl+V',
  perform: async (s, arg): Promise<ActionResult | void> => {
    if (repeatsNativeEvent(arg)) return;
    const text = await readClipboard(clipboardData(arg));
    const frag = text ? parseFragment(text) : undefined;
    if (!frag || frag.nodes.length === 0) {
      notify('The clipboard holds no Backprop Studio nodes to paste.');
      return;
    }
    return insert(s, frag);
  },
});

register({
  name: 'edit.duplicate',
  label: 'Duplicate',
  menu: 'edit',
  shortcut: 'Ctrl+D',
  keyTest: combo('d', { mod: true }),
  enabled: (s) => s.selection.nodes.length > 0,
  perform: (s) => {
    const frag = copySelection(s);
    if (!frag) return;
    const r = pasteFragment(s.doc, frag, { x: 30, y: 30 });
    return { doc: r.doc, selection: { nodes: r.nodeIds, edges: r.edgeIds } };
  },
});

register({
  name: 'edit.delete',
  label: 'Delete',
  menu: 'edit',
  shortcut: 'Delete',
  keyTest: (e) => (e.key === 'Delete' || e.key === 'Backspace') && !mod(e) && !e.altKey,
  enabled: hasSelection,
  perform: (s) => ({
    doc: removeElements(s.doc, s.selection.nodes, s.selection.edges),
    selection: { nodes: [], edges: [] },
  }),
});

register({
  name: 'edit.selectAll',
  label: 'Select All',
  menu: 'edit',
  shortcut: 'Ctrl+A',
  keyTest: combo('a', { mod: true }),
  perform: (s) => ({
    selection: { nodes: s.doc.graph.nodes.map((n) => n.id), edges: s.doc.graph.edges.map((e) => e.id) },
  }),
});

register({
  name: 'edit.autoLayout',
  label: 'Auto-Layout',
  menu: 'edit',
  shortcut: 'Ctrl+Shift+L',
  keyTest: combo('l', { mod: true, shift: true }),
  enabled: (s) => s.doc.graph.nodes.length > 0,
  perform: async (s): Promise<void> => {
    // ELK is large; it loads the first time the user asks for a layout.
    const { layoutLeftToRight } = await import('../canvas/autoLayout');
    const positions = await layoutLeftToRight(
      s.doc.graph.nodes.map((n) => ({
        id: n.id,
        width: s.measured[n.id]?.width ?? 180,
        height: s.measured[n.id]?.height ?? 80,
      })),
      s.doc.graph.edges,
      flowControls()?.viewportSize(),
    );
    // The new positions first, then the fit: it measures the graph where it now is.
    setDoc(moveNodes(getState().doc, positions));
    requestFit();
  },
});

const NEW_W = 180;
const NEW_H = 90;

/** The first spot near the view's centre where a new node covers no other (left to right, then down). */
function freeSpotNearCentre(s: AppState): { x: number; y: number } {
  const c = flowControls()?.viewportCenter() ?? { x: 0, y: 0 };
  const rects = s.doc.graph.nodes.map((n) => ({
    x: n.position.x,
    y: n.position.y,
    w: s.measured[n.id]?.width ?? NEW_W,
    h: s.measured[n.id]?.height ?? NEW_H,
  }));
  const free = (x: number, y: number): boolean =>
    rects.every((r) => x + NEW_W + 20 <= r.x || r.x + r.w + 20 <= x || y + NEW_H + 20 <= r.y || r.y + r.h + 20 <= y);
  for (let row = 0; row < 6; row++) {
    for (let col = 0; col < 6; col++) {
      const x = c.x - NEW_W / 2 + col * (NEW_W + 60);
      const y = c.y - NEW_H / 2 + row * (NEW_H + 40);
      if (free(x, y)) return { x, y };
    }
  }
  return { x: c.x - NEW_W / 2 + 20, y: c.y - NEW_H / 2 + 20 };
}

register({
  name: 'graph.addNode',
  label: 'Add Node',
  perform: (s, arg): ActionResult | void => {
    const a = (arg ?? {}) as { type?: unknown; position?: { x: number; y: number } };
    const def = typeof a.type === 'string' ? registry.get(a.type) : undefined;
    if (!def) {
      notify(`There is no node type "${String(a.type)}".`, 'error');
      return;
    }
    const position = a.position ?? freeSpotNearCentre(s);
    const snapped = { x: Math.round(position.x / 10) * 10, y: Math.round(position.y / 10) * 10 };
    const r = addNode(s.doc, def.type, structuredClone(def.params.defaults) as Record<string, unknown>, snapped);
    return { doc: r.doc, selection: { nodes: [r.id], edges: [] } };
  },
});
