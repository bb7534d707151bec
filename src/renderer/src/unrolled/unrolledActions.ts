import { register } from '../actions/registry';
import { updateUi } from '../state/store';
import { closeTape } from '../tape/tapeController';
import { unrollTarget } from './recurrentNodes';

register({
  name: 'view.unrollThroughTime',
  label: 'Unroll Through Time',
  menu: 'view',
  shortcut: 'Alt+U',
  // By code, not key: Alt+U is a dead key (¨) on a Mac keyboard.
  keyTest: (e) => e.code === 'KeyU' && e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey,
  enabled: (s) => unrollTarget(s) !== null,
  perform: (s, arg) => {
    const nodeId = typeof arg === 'string' ? arg : unrollTarget(s);
    if (nodeId === null) return;
    // One view over the canvas at a time: the op-level graph would cover this one.
    closeTape();
    updateUi({ unrolledNode: nodeId });
  },
});
