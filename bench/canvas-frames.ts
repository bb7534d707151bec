// Canvas frame times (issue 7): pan and zoom a 200-node graph in Chromium, browser mode, and
// report the median and 95th percentile of the intervals between animation frames.
//
//   RENDERER_VITE_TEST_HOOKS=1 npx electron-vite build && node --import tsx bench/canvas-frames.ts
//
// It starts the real browser-mode server (src/web/main.ts), loads a generated 200-node graph
// through the page's test handle, and drives the mouse as a user would: drags on the empty
// canvas to pan, wheel steps to zoom. Prints one JSON line per scenario.
import type { Page } from '@playwright/test';
import { recordFrames, summarizeFrames } from './frameTimes';
import { performanceMetrics, withAppPage, workPer } from './webPage';

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
  return withAppPage(async (page) => {
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
    const metrics = await performanceMetrics(page);
    const measure = async (name: string, drive: () => Promise<void>): Promise<void> => {
      const before = await metrics();
      const frames = summarizeFrames(await recordFrames(page, drive));
      const work = workPer(before, await metrics(), frames.frames);
      const visible = (await page.evaluate('document.querySelectorAll(".react-flow__node").length')) as number;
      results.push({
        scenario: `${name} (${visible} nodes rendered)`,
        nodes: 200,
        edges: 190,
        ...frames,
        scriptMsPerFrame: work.scriptMs,
        layoutStyleMsPerFrame: work.layoutStyleMs,
        taskMsPerFrame: work.taskMs,
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
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runCanvasFrames()) console.log(JSON.stringify({ bench: 'canvas-frames', ...r }));
}
