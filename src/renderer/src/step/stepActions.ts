import { register } from '../actions/registry';
import type { AppState } from '../state/appState';
import { setRun, updateUi } from '../state/store';
import { shiftInput, turnInput } from './batchChoice';
import {
  applyUpdate,
  resetSession,
  runBackward,
  runForward,
  stepBackward,
  stepForward,
  transformInput,
} from './stepController';
import { NO_INPUT_TRANSFORM } from './stepTypes';
// The live preview follows the store from here on, as the step commands do.
import './livePreview';

/** Stepping needs a graph and a host to run it on. */
const canStep = (s: AppState): boolean => s.doc.graph.nodes.length > 0 && s.host.status === 'connected';

const fkey =
  (key: string, opts: { shift?: boolean; ctrl?: boolean } = {}) =>
  (e: KeyboardEvent): boolean =>
    e.key === key && e.shiftKey === !!opts.shift && (e.ctrlKey || e.metaKey) === !!opts.ctrl && !e.altKey;

register({
  name: 'step.forward',
  label: 'Forward Step',
  menu: 'step',
  shortcut: 'F10',
  keyTest: fkey('F10'),
  enabled: canStep,
  perform: () => void stepForward(),
});

register({
  name: 'step.backward',
  label: 'Backward Step',
  menu: 'step',
  shortcut: 'Shift+F10',
  keyTest: fkey('F10', { shift: true }),
  enabled: canStep,
  perform: () => void stepBackward(),
});

register({
  name: 'step.runForward',
  label: 'Run Forward',
  menu: 'step',
  shortcut: 'F5',
  keyTest: fkey('F5'),
  enabled: canStep,
  perform: () => void runForward(),
});

register({
  name: 'step.runBackward',
  label: 'Run Backward',
  menu: 'step',
  shortcut: 'Shift+F5',
  keyTest: fkey('F5', { shift: true }),
  enabled: canStep,
  perform: () => void runBackward(),
});

register({
  name: 'step.applyUpdate',
  label: 'Apply Update',
  menu: 'step',
  shortcut: 'F9',
  keyTest: fkey('F9'),
  enabled: (s) => canStep(s) && s.run.phase === 'backwarded',
  perform: () => void applyUpdate(),
});

register({
  name: 'step.reset',
  label: 'Reset Step Session',
  menu: 'step',
  shortcut: 'Ctrl+Shift+F5',
  keyTest: fkey('F5', { shift: true, ctrl: true }),
  perform: () => void resetSession(),
});

register({
  name: 'step.toggleView',
  label: 'Show Activations / Gradients',
  menu: 'step',
  shortcut: 'Alt+G',
  // By code, not key: Alt+G types '©' on a Mac keyboard.
  keyTest: (e) => e.code === 'KeyG' && e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey,
  perform: (s) => setRun({ view: s.run.view === 'activations' ? 'gradients' : 'activations' }),
});

register({
  name: 'step.showPanel',
  label: 'Show Step Panel',
  perform: (s) => updateUi({ bottomTab: 'step', panelsVisible: s.ui.panelsVisible }),
});

// The equivariance lab: turn or shift the batch's images and run the forward pass again.
const altCode =
  (code: string, shift = false) =>
  (e: KeyboardEvent): boolean =>
    e.code === code && e.altKey && !e.ctrlKey && !e.metaKey && e.shiftKey === shift;

register({
  name: 'step.rotateInput',
  label: 'Rotate Input 90°',
  menu: 'step',
  shortcut: 'Alt+Q',
  keyTest: altCode('KeyQ'),
  enabled: canStep,
  perform: () => void transformInput(turnInput),
});

register({
  name: 'step.shiftInputRight',
  label: 'Shift Input Right',
  menu: 'step',
  shortcut: 'Alt+S',
  keyTest: altCode('KeyS'),
  enabled: canStep,
  perform: () => void transformInput((t) => shiftInput(t, 0, 1)),
});

register({
  name: 'step.shiftInputDown',
  label: 'Shift Input Down',
  menu: 'step',
  shortcut: 'Alt+Shift+S',
  keyTest: altCode('KeyS', true),
  enabled: canStep,
  perform: () => void transformInput((t) => shiftInput(t, 1, 0)),
});

register({
  name: 'step.resetInput',
  label: 'Input as Loaded',
  menu: 'step',
  enabled: canStep,
  perform: () => void transformInput(() => NO_INPUT_TRANSFORM),
});
