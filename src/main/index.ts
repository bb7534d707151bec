import { app, BrowserWindow, dialog, ipcMain, Menu, session } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readAppInfo } from '../host/appInfo';
import { closeHost, createHost } from '../host/createHost';
import { bindIpc } from '../host/ipcBinding';
import { DocumentStates } from '../host/services/app';
import { eventChannel } from '../shared/rpc';
import { CONTENT_SECURITY_POLICY } from '../shared/security';
import { electronDialogs } from './dialogs';
import { buildMenu } from './menu';
import { appOrigins, isAppUrl, type AppOrigins } from './urlPolicy';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '../renderer');
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const origins: AppOrigins = appOrigins(pathToFileURL(rendererDir + path.sep).href, devServerUrl, app.isPackaged);

// Every renderer is sandboxed, whatever a window's own options say.
app.enableSandbox();

const documents = new DocumentStates();
const host = createHost({
  app: readAppInfo(path.join(here, '../../package.json'), 'electron', process.versions.electron),
  dialogs: electronDialogs,
  documents,
  dataDir: app.getPath('userData'),
  // A session worker waits, started, for the next project: its first step is then quick.
  studio: { sessions: { spareWorker: true } },
});

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Backprop Studio',
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#1e1e1e',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      // Middle-click must not open links in new windows.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  const clientId = `webContents:${win.webContents.id}`;
  // The page's <title> is not the window title: the document's name and its unsaved mark are.
  win.on('page-title-updated', (event) => event.preventDefault());
  const unwatch = documents.onChange((id, state) => {
    if (id === clientId && !win.isDestroyed())
      win.setTitle(`${state.dirty ? '● ' : ''}${state.title} — Backprop Studio`);
  });
  win.on('close', (event) => {
    const state = documents.get(clientId);
    if (!state?.dirty) return;
    const choice = dialog.showMessageBoxSync(win, {
      type: 'warning',
      buttons: ['Cancel', 'Close Without Saving'],
      defaultId: 0,
      cancelId: 0,
      message: `“${state.title}” has unsaved changes.`,
      detail:
        'If you close the window now, the changes since the last save are lost (a recovery copy is kept until the next start).',
    });
    if (choice === 0) event.preventDefault();
  });
  win.on('closed', unwatch);
  if (origins.devServerUrl !== undefined) void win.loadURL(origins.devServerUrl);
  else void win.loadFile(path.join(rendererDir, 'index.html'));
  return win;
}

function harden(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url, origins)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url, origins)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // No page of this app opens windows; links to the outside world are not followed either.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

void app.whenReady().then(() => {
  harden();
  bindIpc({
    ipcMain,
    host,
    isTrustedUrl: (url) => isAppUrl(url, origins),
    targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  });
  Menu.setApplicationMenu(
    buildMenu((command) => {
      const target = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      target?.webContents.send(eventChannel('menu.command'), { command });
    }, origins.devServerUrl !== undefined),
  );
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Stop the session workers and record a clean exit before quitting, so the next start does not
// offer to recover work that was closed on purpose.
let hostClosed = false;
app.on('will-quit', (event) => {
  if (hostClosed) return;
  event.preventDefault();
  void closeHost(host)
    .catch(() => undefined)
    .finally(() => {
      hostClosed = true;
      app.quit();
    });
});
