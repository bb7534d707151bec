import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../shared/api/app';

/**
 * The application menu. Every item except Quit runs one of the renderer's registered actions,
 * so the menu, the shortcuts and the in-app buttons do exactly the same thing.
 */
export function buildMenu(run: (command: MenuCommand) => void, isDev: boolean): Menu {
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => run(command),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        item('New', 'file.new', 'CmdOrCtrl+N'),
        item('Open…', 'file.open', 'CmdOrCtrl+O'),
        item('Open Example…', 'file.openExample', 'CmdOrCtrl+Shift+E'),
        { type: 'separator' },
        item('Save', 'file.save', 'CmdOrCtrl+S'),
        item('Save As…', 'file.saveAs', 'CmdOrCtrl+Shift+S'),
        { type: 'separator' },
        { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => app.quit() },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        item('Undo', 'edit.undo', 'CmdOrCtrl+Z'),
        item('Redo', 'edit.redo', 'CmdOrCtrl+Shift+Z'),
        { type: 'separator' },
        item('Cut', 'edit.cut', 'CmdOrCtrl+X'),
        item('Copy', 'edit.copy', 'CmdOrCtrl+C'),
        item('Paste', 'edit.paste', 'CmdOrCtrl+V'),
        item('Delete', 'edit.delete', 'Delete'),
        { type: 'separator' },
        item('Select All', 'edit.selectAll', 'CmdOrCtrl+A'),
      ],
    },
    {
      label: 'View',
      submenu: [
        item('Zoom In', 'view.zoomIn', 'CmdOrCtrl+='),
        item('Zoom Out', 'view.zoomOut', 'CmdOrCtrl+-'),
        item('Fit', 'view.fit', 'Shift+1'),
        { type: 'separator' },
        item('Presenter Mode', 'view.presenter', 'F8'),
        item('Live Preview', 'view.livePreview'),
        item('Live Preview Gradients', 'view.livePreviewGradients'),
        item('Unroll Through Time', 'view.unrollThroughTime', 'Alt+U'),
        item('Time Travel', 'view.timeTravel', 'Alt+R'),
        item('Toggle Panels', 'view.togglePanels', 'CmdOrCtrl+B'),
        item('Toggle Dark Mode', 'view.toggleDarkMode', 'CmdOrCtrl+Shift+D'),
        ...(isDev ? [{ type: 'separator' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    {
      label: 'Help',
      submenu: [
        item('Keyboard Shortcuts', 'help.shortcuts', 'CmdOrCtrl+/'),
        item('About Backprop Studio', 'help.about'),
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
