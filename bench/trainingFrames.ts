// The renderer's frame times while a digits CNN trains (issue 13: p95 under 33 ms), `npm run bench
// -- app`. Browser mode in Chromium, driven as a student would: File → Open Example → the digits
// CNN, the Training tab, Train; once the first epoch is on the charts, the intervals between
// animation frames are sampled for a fixed number of frames while the curves, the progress bar and
// the edge glyphs update, then the run is stopped. Prints the frame statistics, the main thread's
// work per frame and how far training went meanwhile.
//
//   node --import tsx bench/trainingFrames.ts   (after RENDERER_VITE_TEST_HOOKS=1 npx electron-vite build)
//
// The suite builds the renderer itself (with its test hooks, as scripts/e2e.mjs does) unless
// BENCH_NO_BUILD is set, and is skipped with the reason printed where no Chromium exists.
import { chromium, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromiumExecutable } from '../scripts/chromium.mjs';
import { npx } from '../scripts/run.mjs';
import { percentile } from './frameTimes';
import { performanceMetrics, withAppPage, workPer } from './webPage';

type Rec = Record<string, unknown>;

/** Frames sampled while the CNN trains (about 10 s at 60 Hz). */
const FRAMES = Number(process.env.BENCH_FRAMES ?? 600);

/** Polls an expression with page.evaluate: waitForFunction's in-page polling is refused by the app's CSP. */
async function until(page: Page, expression: string, timeoutMs = 180_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression).catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await page.waitForTimeout(100);
  }
}

/** The epoch in progress, from the progress bar's text ("epoch 3/200 …"). */
async function epochShown(page: Page): Promise<number> {
  const text =
    (await page
      .getByTestId('train-progress-text')
      .textContent()
      .catch(() => '')) ?? '';
  return Number(/epoch (\d+)/.exec(text)?.[1] ?? 0);
}

/** Why the suite cannot run here, or null. */
function missingChromium(): string | null {
  try {
    if (chromiumExecutable() !== null || existsSync(chromium.executablePath())) return null;
  } catch (e) {
    return (e as Error).message;
  }
  return 'no Chromium (Debian: apt-get install -y chromium, or set PLAYWRIGHT_CHROMIUM_EXECUTABLE)';
}

export async function runTrainingFrames(): Promise<Rec> {
  // A data folder of its own: no recent files or work to recover from other runs.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bps-bench-'));
  const before = process.env.BACKPROP_STUDIO_DATA_DIR;
  process.env.BACKPROP_STUDIO_DATA_DIR = dataDir;
  try {
    return await measureFrames();
  } finally {
    if (before === undefined) delete process.env.BACKPROP_STUDIO_DATA_DIR;
    else process.env.BACKPROP_STUDIO_DATA_DIR = before;
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function measureFrames(): Promise<Rec> {
  return withAppPage(async (page) => {
    await until(page, 'document.documentElement.dataset.ready === "true"');
    // The gallery greets a first start (it is in the store before data-ready); else File → Open Example.
    if ((await page.evaluate('window.backpropStudio.state().dialog')) !== 'examples') {
      await page.getByTestId('menu-file').click();
      await page.getByTestId('menuitem-file.openExample').click();
    }
    await page.getByTestId('example-digits-cnn').click();
    await page.getByTestId('examples-dialog').waitFor({ state: 'detached' });
    await page.getByTestId('tab-training').click();
    await page.getByTestId('training-panel').waitFor();
    // Room for the charts, as a student drags the bottom panel up (the e2e does the same).
    await page.evaluate(`document.documentElement.style.setProperty('--bottom-h', '470px')`);
    // Enough epochs to outlast the sampling (the digits CNN trains an epoch in ~20 ms on an idle
    // machine: 500 epochs ended within it); the run is stopped after it.
    const epochs = page.getByTestId('setting-epochs');
    await epochs.fill('100000');
    await epochs.press('Enter');
    await page.getByTestId('train-start').click();
    await until(page, `document.querySelector('[data-testid=train-state]')?.textContent === 'running'`);
    // Sampling starts once the charts have an epoch to draw.
    const end = Date.now() + 300_000;
    while ((await epochShown(page)) < 2) {
      if (Date.now() > end) throw new Error('the digits CNN did not finish an epoch in 5 minutes');
      await page.waitForTimeout(200);
    }
    const epoch0 = await epochShown(page);
    const metrics = await performanceMetrics(page);
    const before = await metrics();
    const t0 = Date.now();
    // A string, not a function: this file is type-checked without the DOM library.
    await page.evaluate(`(() => {
      window.__frames = [];
      const tick = () => {
        window.__frames.push(performance.now());
        if (window.__frames.length <= ${FRAMES}) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    await until(page, `window.__frames.length > ${FRAMES}`, 600_000);
    const seconds = (Date.now() - t0) / 1000;
    const work = workPer(before, await metrics(), FRAMES);
    const epoch1 = await epochShown(page);
    const state = (await page.getByTestId('train-state').textContent()) ?? '';
    const stamps = (await page.evaluate('window.__frames')) as number[];
    // NOTE: a run that ended during the sampling measured idle frames at its end: say so.
    if (state === 'running' || state === 'paused') await page.getByTestId('train-stop').click();
    const intervals = stamps.slice(1).map((t, i) => t - stamps[i]!);
    const sorted = [...intervals].sort((a, b) => a - b);
    const round = (ms: number): number => +ms.toFixed(2);
    return {
      bench: 'app.trainingFrames',
      model: 'digits CNN example (Training tab, charts and edge glyphs live)',
      frames: intervals.length,
      medianMs: round(percentile(sorted, 50)),
      p95Ms: round(percentile(sorted, 95)),
      p99Ms: round(percentile(sorted, 99)),
      maxMs: round(sorted.at(-1) ?? NaN),
      over33Ms: intervals.filter((d) => d > 33).length,
      target: 'p95 < 33 ms',
      scriptMsPerFrame: work.scriptMs,
      layoutStyleMsPerFrame: work.layoutStyleMs,
      taskMsPerFrame: work.taskMs,
      sampledSeconds: +seconds.toFixed(1),
      epochsDuringSampling: epoch1 - epoch0,
      stateWhenSampled: state,
      loadAverage: +os.loadavg()[0].toFixed(2),
      cores: os.availableParallelism(),
    };
  });
}

/** The `app` suite: builds the renderer with its test hooks, then measures; skipped without Chromium. */
export async function runAppBench(log: (r: Rec) => void): Promise<void> {
  const missing = missingChromium();
  if (missing !== null) {
    log({ bench: 'app.trainingFrames', skipped: `${missing}; the app suite needs a Chromium` });
    return;
  }
  if (!process.env.BENCH_NO_BUILD) {
    const built = await npx(['electron-vite', 'build'], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, RENDERER_VITE_TEST_HOOKS: '1' },
    });
    if (built !== 0) throw new Error(`the renderer build failed (exit ${built})`);
  }
  log(await runTrainingFrames());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runAppBench((r) => console.log(JSON.stringify(r)));
}
