// Canvas frame times (issue 7): pan and zoom a 200-node graph in Chromium, browser mode, and
// report the median and 95th percentile of the intervals between animation frames.
//
//   npx electron-vite build && node --import tsx bench/canvas-frames.ts
//
// It starts the real browser-mode server (src/web/main.ts), loads a generated 200-node graph
// through the page's test handle, and drives the mouse as a user would: drags on the empty
// canvas to pan, wheel steps to zoom. Prints one JSON line per scenario.
import { chromium, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chromiumArgs, chromiumExecutable } from '../scripts/chromium.mjs';

export interface FrameStats {
  scenario: string;
  nodes: number;
  edges: number;
  frames: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Main-thread work per frame (CDP Performance metrics), independent of how busy the machine is. */
  scriptMsPerFrame: number;
  layoutStyleMsPerFrame: number;
  taskMsPerFrame: number;
}

/** A 200-node network: 20 columns of Linear → ReLU pairs wired in rows, each row a chain. */
function bigGraph(rows = 10, cols = 20): unknown {
  const nodes: unknown[] = [];
  const edges: unknown[] = [];
  for (let r = 0; r < rows; r++) {
    nodes.push({
      id: `in${r}`,
      type: 'Input',
      params: { shape: [16], kind: 'tensor' },
      position: { x: 0, y: r * 140 },
    });
    let prev = `in${r}`;
    for (let c = 1; c < cols; c++) {
      const id = `n${r}_${c}`;
      const type = c % 2 === 1 ? 'Linear' : 'ReLU';
      nodes.push({
        id,
        type,
        params: type === 'Linear' ? { in_features: null, out_features: 16, bias: true } : {},
        position: { x: c * 240, y: r * 140 },
      });
      edges.push({ id: `e${r}_${c}`, source: prev, sourcePort: 'out', target: id, targetPort: 'input' });
      prev = id;
    }
  }
  return { format: 'backprop-studio', version: 2, name: 'Frames', description: '', graph: { nodes, edges } };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

async function recordFrames(page: Page, drive: () => Promise<void>): Promise<number[]> {
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    const tick = () => {
      // performance.now() rather than the frame timestamp: headless Chromium can hand two
      // callbacks the same timestamp when it catches up, which would hide the long frame.
      window.__frames.push(performance.now());
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await drive();
  const stamps = (await page.evaluate('(window.__recording = false, window.__frames)')) as number[];
  const intervals: number[] = [];
  for (let i = 1; i < stamps.length; i++) intervals.push(stamps[i] - stamps[i - 1]);
  return intervals;
}

async function pan(page: Page, box: { x: number; y: number; width: number; height: number }): Promise<void> {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  for (let round = 0; round < 4; round++) {
    await page.mouse.move(cx - 200, cy);
    await page.mouse.down();
    await page.mouse.move(cx + 200, cy + 60, { steps: 40 });
    await page.mouse.move(cx - 200, cy, { steps: 40 });
    await page.mouse.up();
  }
}

async function zoom(page: Page, box: { x: number; y: number; width: number; height: number }): Promise<void> {
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 15; i++) {
      await page.mouse.wheel(0, -80);
      await page.waitForTimeout(16);
    }
    for (let i = 0; i < 15; i++) {
      await page.mouse.wheel(0, 80);
      await page.waitForTimeout(16);
    }
  }
}

export async function runCanvasFrames(): Promise<FrameStats[]> {
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/web/main.ts', '--port', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: server.stdout! }).once('line', resolve);
      server.once('exit', (code) =>
        reject(new Error(`the web server exited with ${code}; build the renderer first (npx electron-vite build)`)),
      );
    });
    const { url } = JSON.parse(line) as { url: string };
    const browser = await chromium.launch({ executablePath: chromiumExecutable() ?? undefined, args: chromiumArgs });
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(url);
      // String expressions throughout: this file is type-checked without the DOM library.
      await page.waitForFunction('"backpropStudio" in window');
      const doc = bigGraph();
      await page.evaluate(`window.backpropStudio.load(${JSON.stringify(doc)}, 'Frames')`);
      await page.waitForFunction('document.querySelectorAll(".react-flow__node").length >= 200', undefined, {
        timeout: 30_000,
      });
      await page.waitForTimeout(1000);
      const box = (await page.getByTestId('canvas').boundingBox())!;
      const results: FrameStats[] = [];
      const scenarios: [string, () => Promise<void>][] = [
        ['pan, whole graph in view', () => pan(page, box)],
        ['zoom, whole graph in view', () => zoom(page, box)],
      ];
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const metrics = async (): Promise<Record<string, number>> => {
        const r = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
        return Object.fromEntries(r.metrics.map((m) => [m.name, m.value]));
      };
      const measure = async (name: string, drive: () => Promise<void>): Promise<void> => {
        const before = await metrics();
        const intervals = (await recordFrames(page, drive)).sort((a, b) => a - b);
        const after = await metrics();
        const perFrame = (key: string): number =>
          +(((after[key] - before[key]) * 1000) / Math.max(1, intervals.length)).toFixed(2);
        const visible = (await page.evaluate('document.querySelectorAll(".react-flow__node").length')) as number;
        results.push({
          scenario: `${name} (${visible} nodes rendered)`,
          nodes: 200,
          edges: 190,
          frames: intervals.length,
          medianMs: +percentile(intervals, 50).toFixed(2),
          p95Ms: +percentile(intervals, 95).toFixed(2),
          maxMs: +intervals[intervals.length - 1].toFixed(2),
          scriptMsPerFrame: perFrame('ScriptDuration'),
          layoutStyleMsPerFrame: +(perFrame('LayoutDuration') + perFrame('RecalcStyleDuration')).toFixed(2),
          taskMsPerFrame: perFrame('TaskDuration'),
        });
      };
      for (const [name, drive] of scenarios) await measure(name, drive);
      // At 100 % zoom only part of the graph is on screen (React Flow renders visible elements only).
      await page.evaluate('window.backpropStudio.runAction("view.fit")');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -100);
      await page.waitForTimeout(500);
      await measure('pan at readable zoom', () => pan(page, box));
      // Dragging a node changes the document on every frame (positions are part of it).
      await measure('drag a node at readable zoom', async () => {
        const cx = box.x + box.width / 2;
        const cy = box.y + box.height / 2;
        const id = (await page.evaluate(`(() => {
          let best = null, bestD = Infinity;
          for (const el of document.querySelectorAll('.react-flow__node')) {
            const r = el.getBoundingClientRect();
            const d = Math.hypot(r.x + r.width / 2 - ${cx}, r.y + r.height / 2 - ${cy});
            if (d < bestD) { bestD = d; best = el.getAttribute('data-id'); }
          }
          return best;
        })()`)) as string;
        const b = (await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())!;
        await page.mouse.move(b.x + b.width / 2, b.y + 12);
        await page.mouse.down();
        for (let round = 0; round < 3; round++) {
          await page.mouse.move(b.x + b.width / 2 + 240, b.y + 80, { steps: 40 });
          await page.mouse.move(b.x + b.width / 2, b.y + 12, { steps: 40 });
        }
        await page.mouse.up();
      });
      return results;
    } finally {
      await browser.close();
    }
  } finally {
    server.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runCanvasFrames()) console.log(JSON.stringify({ bench: 'canvas-frames', ...r }));
}
