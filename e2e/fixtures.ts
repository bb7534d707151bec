import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface WebApp {
  /** The app's URL, with its per-launch token. */
  readonly url: string;
  readonly port: number;
  /** The server's own data folder (recent files, recovery copies), removed after the run. */
  readonly dataDir: string;
}

/**
 * Starts the real browser-mode server (`src/web/main.ts`, the same one `npm run web` runs) once
 * per worker, on a free port, and hands tests its URL.
 */
export const test = base.extend<{ app: Page; livePreview: boolean }, { webApp: WebApp }>({
  /**
   * View → Live preview (on by default in the app) runs a forward pass after every edit. The
   * suites written before it count requests and step from an empty pass, so they turn it off;
   * e2e/livePreview.spec.ts keeps the app's default with `test.use({ livePreview: true })`.
   */
  livePreview: [false, { option: true }],
  webApp: [
    // Playwright reads a fixture's dependencies from its first parameter's pattern: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      // Each worker gets its own data folder, so recent files and recovery copies of other runs
      // (or of the user's own work on this machine) never leak into a test.
      const dataDir = mkdtempSync(path.join(tmpdir(), 'bps-e2e-data-'));
      const { child, info } = await launchWebServer(dataDir);
      await use({ ...info, dataDir });
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  app: async ({ page, webApp, livePreview }, use) => {
    if (!livePreview)
      await page.addInitScript(
        `try { localStorage.setItem('backprop.livePreview', '{"on":false,"gradients":false}'); } catch {}`,
      );
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(webApp.url);
    await use(page);
    expect(errors, 'the page logged errors').toEqual([]);
  },
});

/**
 * Starts `src/web/main.ts` as `npm run web` runs it (tsx, a free port, --json) with its own data
 * folder, and answers once it printed its URL: the child process (its stderr collected in
 * `stderr()`) and the URL and port.
 */
export async function launchWebServer(
  dataDir: string,
  extraArgs: readonly string[] = [],
): Promise<{ child: ChildProcess; info: Omit<WebApp, 'dataDir'>; stderr: () => string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/web/main.ts', '--port', '0', '--json', '--data-dir', dataDir, ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const info = await firstJsonLine(child, () => stderr);
  return { child, info, stderr: () => stderr };
}

function firstJsonLine(child: ChildProcess, stderr: () => string): Promise<Omit<WebApp, 'dataDir'>> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`the web server did not start: ${stderr()}`)), 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as Omit<WebApp, 'dataDir'>);
      } catch {
        reject(new Error(`unexpected output from the web server: ${line} ${stderr()}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the web server exited with ${code}: ${stderr()}`));
    });
  });
}

export { expect };
