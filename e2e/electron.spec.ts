import { _electron as electron, expect, test } from '@playwright/test';
import path from 'node:path';
import { findElectronBinary } from '../scripts/electronBinary.mjs';

const binary = findElectronBinary();
if (!binary.ok) console.log(`Skipping the Electron window tests: ${binary.reason}. Browser mode is tested instead.`);

test.describe('Electron window', () => {
  test.skip(!binary.ok, binary.ok ? '' : `no Electron binary: ${binary.reason}`);

  test('opens one secure window whose API answers', async () => {
    const app = await electron.launch({
      executablePath: binary.ok ? binary.path : undefined,
      args: [path.resolve('out/main/index.js')],
    });
    try {
      const window = await app.firstWindow();
      await expect(window).toHaveTitle('Backprop Studio');
      const count = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
      expect(count).toBe(1);
      // What the page can reach shows the webPreferences: no Node (nodeIntegration off, sandbox on),
      // no Electron internals in the main world (contextIsolation on), only the typed bridge.
      const reach = await window.evaluate(() => {
        const g = globalThis as Record<string, unknown>;
        return {
          require: typeof g.require,
          process: typeof g.process,
          ipc: typeof g.ipcRenderer,
          bridge: Object.keys(g.backprop as object).sort(),
        };
      });
      expect(reach).toEqual({
        require: 'undefined',
        process: 'undefined',
        ipc: 'undefined',
        bridge: ['invoke', 'subscribe'],
      });
      const version = await window.evaluate(() =>
        (window as unknown as { backprop: { invoke(c: string, p: unknown): Promise<unknown> } }).backprop.invoke(
          'app.version',
          {},
        ),
      );
      expect(version).toMatchObject({ ok: true, value: { mode: 'electron' } });
      const hasRequire = await window.evaluate(() => typeof (globalThis as { require?: unknown }).require);
      expect(hasRequire).toBe('undefined');
    } finally {
      await app.close();
    }
  });
});
