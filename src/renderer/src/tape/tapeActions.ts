import { register } from '../actions/registry';
import type { AppState } from '../state/appState';
import { openTape, stepBackwardOp } from './tapeController';

/** The op-level graph reads a step session: a graph and a host to run it on. */
const canStep = (s: AppState): boolean => s.doc.graph.nodes.length > 0 && s.host.status === 'connected';
const oneNode = (s: AppState): string | null => (s.selection.nodes.length === 1 ? s.selection.nodes[0] : null);

register({
  name: 'step.expandOps',
  label: 'Expand into Ops',
  menu: 'step',
  shortcut: 'Alt+O',
  // By code, not key: Alt+O types 'ø' on a Mac keyboard.
  keyTest: (e) => e.code === 'KeyO' && e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey,
  enabled: (s) => canStep(s) && oneNode(s) !== null,
  perform: (s) => {
    const id = oneNode(s);
    if (id !== null) void openTape(id);
  },
});

register({
  name: 'step.showTape',
  label: 'Show as Tape',
  menu: 'step',
  shortcut: 'Alt+T',
  keyTest: (e) => e.code === 'KeyT' && e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey,
  enabled: canStep,
  perform: () => void openTape(null),
});

register({
  name: 'step.backwardOp',
  label: 'Backward Step (One Op)',
  menu: 'step',
  shortcut: 'Ctrl+F10',
  keyTest: (e) => e.key === 'F10' && (e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey,
  enabled: canStep,
  perform: () => void stepBackwardOp(),
});
