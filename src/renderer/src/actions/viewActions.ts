import { flowControls } from '../canvas/flowControls';
import { openDialog, setLivePreview, setPresenter, setTheme, updateUi } from '../state/store';
import { combo } from './keys';
import { register } from './registry';

register({
  name: 'view.zoomIn',
  label: 'Zoom In',
  menu: 'view',
  shortcut: 'Ctrl+=',
  keyTest: (e) =>
    combo('=', { mod: true })(e) || combo('+', { mod: true })(e) || combo('+', { mod: true, shift: true })(e),
  perform: () => flowControls()?.zoomIn(),
});

register({
  name: 'view.zoomOut',
  label: 'Zoom Out',
  menu: 'view',
  shortcut: 'Ctrl+-',
  keyTest: combo('-', { mod: true }),
  perform: () => flowControls()?.zoomOut(),
});

register({
  name: 'view.fit',
  label: 'Zoom to Fit',
  menu: 'view',
  shortcut: 'Shift+1',
  keyTest: (e) => e.code === 'Digit1' && e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey,
  perform: () => flowControls()?.fitView(),
});

register({
  name: 'view.togglePanels',
  label: 'Toggle Panels',
  menu: 'view',
  shortcut: 'Ctrl+B',
  keyTest: combo('b', { mod: true }),
  perform: (s) => updateUi({ panelsVisible: !s.ui.panelsVisible }),
});

register({
  name: 'view.toggleDarkMode',
  label: 'Toggle Dark Mode',
  menu: 'view',
  shortcut: 'Ctrl+Shift+D',
  keyTest: combo('d', { mod: true, shift: true }),
  perform: (s) => setTheme(s.ui.theme === 'dark' ? 'light' : 'dark'),
});

register({
  name: 'view.presenter',
  label: 'Presenter Mode',
  menu: 'view',
  // F11 is the browser's full screen; no browser binds F8, so it is the app's own in both shells.
  shortcut: 'F8',
  keyTest: (e) => e.key === 'F8' && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey,
  checked: (s) => s.ui.presenter,
  perform: (s) => setPresenter(!s.ui.presenter),
});

register({
  name: 'view.livePreview',
  label: 'Live Preview',
  menu: 'view',
  checked: (s) => s.ui.livePreview.on,
  perform: (s) => setLivePreview({ on: !s.ui.livePreview.on }),
});

register({
  name: 'view.livePreviewGradients',
  label: 'Live Preview Gradients',
  menu: 'view',
  checked: (s) => s.ui.livePreview.on && s.ui.livePreview.gradients,
  enabled: (s) => s.ui.livePreview.on,
  perform: (s) => setLivePreview({ gradients: !s.ui.livePreview.gradients }),
});

register({
  name: 'view.showTraining',
  label: 'Show Training Panel',
  perform: (s) => updateUi({ bottomTab: 'training', panelsVisible: s.ui.panelsVisible }),
});

register({
  name: 'view.showLosses',
  label: 'Losses Side by Side',
  menu: 'view',
  shortcut: 'Alt+L',
  // By code, not key: Alt+L types '¬' on a Mac keyboard.
  keyTest: (e) => e.code === 'KeyL' && e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey,
  perform: (s) => updateUi({ bottomTab: 'losses', panelsVisible: s.ui.panelsVisible }),
});

register({
  name: 'view.showCode',
  label: 'Show Code Panel',
  perform: () => updateUi({ bottomTab: 'code' }),
});

register({
  name: 'help.shortcuts',
  label: 'Keyboard Shortcuts',
  menu: 'help',
  shortcut: 'Ctrl+/',
  keyTest: (e) => combo('/', { mod: true })(e) || (e.key === '?' && !e.ctrlKey && !e.metaKey),
  perform: () => openDialog({ kind: 'shortcuts' }),
});

register({
  name: 'help.about',
  label: 'About Backprop Studio',
  menu: 'help',
  perform: () => openDialog({ kind: 'about' }),
});
