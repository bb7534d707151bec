// The first step, as a student meets it (issue 16): in browser mode in Chromium, open the XOR
// example from the gallery, click Forward step and time until the first edge glyph is painted;
// then step forward and backward through every node and time the whole walk. Run twice in one
// sitting: with the host's spare session worker (the app's default) and without it
// (--no-spare-worker), so the saving is measured on one machine at one time.
//
//   npm run bench -- first-step
//
// It builds the renderer first (as the end-to-end tests do) and skips, saying why, where there is
// no Chromium.
import type { Browser, Page } from '@playwright/test';
import { chromium } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumExecutable } from '../scripts/chromium.mjs';
import { npx } from '../scripts/run.mjs';
import type { BenchLog } from './run';
import { withAppPage } from './webPage';

/** Rounds per configuration; each opens the example in a new browser profile (a new renderer). */
const ROUNDS = 5;
/**
 * What a student does between opening the example and the first click (reads its explanation):
 * the same pause in both configurations, and long enough for a spare to boot on a loaded machine.
 */
const READ_MS = 4000;

export interface FirstStepRound {
  /** Click on Forward step → the first edge glyph painted (ms). */
  firstStepMs: number;
  /** First click → every node stepped forward and backward, the last answer painted (ms). */
  stepThroughMs: number;
  /** Forward and backward steps taken in the walk. */
  steps: number;
}

/** Why the suite cannot run here, or null when it can. */
function missing(): string | null {
  try {
    if (chromiumExecutable() === null && !existsSync(chromium.executablePath()))
      return 'no Chromium: install one (Debian: apt-get install -y chromium) or set PLAYWRIGHT_CHROMIUM_EXECUTABLE';
  } catch (e) {
    return (e as Error).message;
  }
  return null;
}

/**
 * Runs in the page (a string: this file is type-checked without the DOM library): clicks the step
 * bar's buttons as a user does, each once the previous answer is on screen, and reads the times
 * with performance.now(), so no round trip to the test driver is counted.
 */
const walk = `(async () => {
  const bar = document.querySelector('[data-testid="step-toolbar"]');
  const button = (text) => [...bar.querySelectorAll('button')].find((b) => b.textContent.includes(text));
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const until = (cond) => new Promise((resolve) => {
    if (cond()) return resolve();
    const o = new MutationObserver(() => { if (cond()) { o.disconnect(); resolve(); } });
    o.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  const where = () => (document.querySelector('[data-testid="current-node"]')?.getAttribute('data-node') ?? '') + '/' + bar.getAttribute('data-phase');
  const step = async (text) => {
    const before = where();
    button(text).click();
    await until(() => bar.getAttribute('data-busy') === 'false' && where() !== before);
  };
  const t0 = performance.now();
  button('Forward step').click();
  await until(() => document.querySelector('[data-testid^="edge-glyph-"]') !== null);
  await frame();
  const firstStepMs = performance.now() - t0;
  await until(() => bar.getAttribute('data-busy') === 'false' && bar.getAttribute('data-phase') !== 'empty');
  let steps = 1;
  while (bar.getAttribute('data-phase') !== 'forwarded' && steps < 100) { await step('Forward step'); steps++; }
  while (bar.getAttribute('data-phase') !== 'backwarded' && steps < 200) { await step('Backward step'); steps++; }
  await frame();
  return { firstStepMs, stepThroughMs: performance.now() - t0, steps, phase: bar.getAttribute('data-phase') };
})()`;

async function openXorFromGallery(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // The step is the first computation: live preview (which would compute on opening) is off.
  await context.addInitScript(
    `try { localStorage.setItem('backprop.livePreview', '{"on":false,"gradients":false}'); } catch {}`,
  );
  const page = await context.newPage();
  await page.goto(url);
  const confirm = page.getByTestId('confirm-dialog');
  await page.locator('html[data-ready="true"]').or(confirm).first().waitFor({ state: 'attached', timeout: 60_000 });
  if (await confirm.isVisible()) await page.getByTestId('confirm-cancel').click();
  await page.locator('html[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
  const gallery = page.getByTestId('examples-dialog');
  if (!(await gallery.isVisible())) {
    await page.getByTestId('menu-file').click();
    await page.getByTestId('menuitem-file.openExample').click();
  }
  await page.getByTestId('example-xor-mlp').click();
  await gallery.waitFor({ state: 'detached', timeout: 30_000 });
  await page.getByTestId('tab-step').click();
  await page.getByTestId('step-toolbar').waitFor({ timeout: 30_000 });
  return page;
}

async function measure(spare: boolean): Promise<FirstStepRound[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bps-bench-data-'));
  try {
    return await withAppPage(
      async (first) => {
        const url = first.url();
        const browser = first.context().browser()!;
        const rounds: FirstStepRound[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          const page = await openXorFromGallery(browser, url);
          await page.waitForTimeout(READ_MS);
          const r = (await page.evaluate(walk)) as FirstStepRound & { phase: string };
          if (r.phase !== 'backwarded') throw new Error(`the step-through ended in phase ${r.phase}`);
          rounds.push({ firstStepMs: r.firstStepMs, stepThroughMs: r.stepThroughMs, steps: r.steps });
          await page.context().close();
        }
        return rounds;
      },
      ['--data-dir', dataDir, ...(spare ? [] : ['--no-spare-worker'])],
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function runFirstStepBench(log: BenchLog): Promise<void> {
  const why = missing();
  if (why !== null) {
    console.log(`first-step: skipped (${why})`);
    log({ skipped: why });
    return;
  }
  // The renderer the server serves, built as the end-to-end tests build it.
  process.env.RENDERER_VITE_TEST_HOOKS = '1';
  const built = await npx(['electron-vite', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (built !== 0) throw new Error('the renderer did not build (npx electron-vite build)');
  for (const spare of [false, true]) {
    const load = loadavg()[0]!.toFixed(2);
    const rounds = await measure(spare);
    log({
      bench: 'first-step',
      workload: 'XOR example from the gallery, browser mode (Chromium), live preview off',
      spareWorker: spare,
      rounds: rounds.length,
      firstStepMs: +median(rounds.map((r) => r.firstStepMs)).toFixed(0),
      stepThroughMs: +median(rounds.map((r) => r.stepThroughMs)).toFixed(0),
      steps: rounds[0]!.steps,
      allFirstStepMs: rounds.map((r) => +r.firstStepMs.toFixed(0)),
      allStepThroughMs: rounds.map((r) => +r.stepThroughMs.toFixed(0)),
      loadAverage: +load,
    });
  }
}
