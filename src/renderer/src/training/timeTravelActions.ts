import { register } from '../actions/registry';
import { toggleTravel } from './timeTravel';

register({
  name: 'view.timeTravel',
  label: 'Time Travel',
  menu: 'view',
  shortcut: 'Alt+R',
  // By code, not key: Alt+R types '®' on a Mac keyboard. (R for rewind.)
  keyTest: (e) => e.code === 'KeyR' && e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey,
  checked: (s) => s.training.travel.open,
  perform: () => toggleTravel(),
});
