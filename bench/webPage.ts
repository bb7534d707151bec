// The browser-mode app in headless Chromium for the frame benchmarks: starts the real web server
// (src/web/main.ts, which serves the built renderer), opens a page on it, and reads Chromium's
// main-thread work counters (CDP Performance metrics).
import { chromium, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chromiumArgs, chromiumExecutable } from '../scripts/chromium.mjs';

/**
 * Runs `use` on a 1440×900 page showing the app (its server started with `serverArgs` too), then closes the browser and stops the server,
 * also when `use` throws. The renderer must have been built with its test hooks (RENDERER_VITE_TEST_HOOKS=1 npx electron-vite build).
 */
export async function withAppPage<T>(use: (page: Page) => Promise<T>, serverArgs: readonly string[] = []): Promise<T> {
  const server = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/web/main.ts', '--port', '0', '--json', ...serverArgs],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: server.stdout! }).once('line', resolve);
      server.once('exit', (code) =>
        reject(
          new Error(
            `the web server exited with ${code}; build the renderer first (RENDERER_VITE_TEST_HOOKS=1 npx electron-vite build)`,
          ),
        ),
      );
    });
    const { url } = JSON.parse(line) as { url: string };
    const browser = await chromium.launch({ executablePath: chromiumExecutable() ?? undefined, args: chromiumArgs });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(url);
      return await use(page);
    } finally {
      await browser.close();
    }
  } finally {
    server.kill('SIGTERM');
  }
}

/** A function that reads the page's CDP Performance metrics (cumulative seconds, counts) by name. */
export async function performanceMetrics(page: Page): Promise<() => Promise<Record<string, number>>> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return async () => {
    const r = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    return Object.fromEntries(r.metrics.map((m) => [m.name, m.value]));
  };
}

/**
 * Main-thread milliseconds per unit (frame, flip…) between two metric snapshots: script, layout
 * plus style recalculation, and all tasks.
 */
export function workPer(
  before: Record<string, number>,
  after: Record<string, number>,
  units: number,
): { scriptMs: number; layoutStyleMs: number; taskMs: number } {
  const per = (key: string): number =>
    +((((after[key] ?? 0) - (before[key] ?? 0)) * 1000) / Math.max(1, units)).toFixed(2);
  return {
    scriptMs: per('ScriptDuration'),
    layoutStyleMs: +(per('LayoutDuration') + per('RecalcStyleDuration')).toFixed(2),
    taskMs: per('TaskDuration'),
  };
}
