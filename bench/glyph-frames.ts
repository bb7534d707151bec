// Tensor glyph repaint (issue 8): a 26-layer MLP stepped forward and backward in Chromium, browser
// mode, then the edges flipped between activations and gradients, which repaints every glyph
// (53 canvases) at once. Reports frame intervals and the main thread's work per flip.
//
//   npx electron-vite build && node --import tsx bench/glyph-frames.ts
//
// It starts the real browser-mode server (src/web/main.ts) and loads the graph through the page's
// test handle; the tensors on the edges are what the host's step session computed.
import { chromium, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chromiumArgs, chromiumExecutable } from '../scripts/chromium.mjs';

/** Linear(8) + Sigmoid, `depth` times, on the XOR example's training settings: 2·depth + 1 edges. */
function deepMlp(depth: number): unknown {
  const template = JSON.parse(readFileSync('resources/examples/xor-mlp.json', 'utf8')) as Record<string, unknown>;
  const nodes: unknown[] = [];
  const edges: unknown[] = [];
  const at = (i: number) => ({ x: (i % 10) * 260, y: Math.floor(i / 10) * 220 });
  nodes.push({ id: 'x', type: 'Input', params: { shape: [2], kind: 'tensor' }, position: at(0) });
  let prev = 'x';
  for (let i = 1; i <= depth; i++) {
    nodes.push({
      id: `fc${i}`,
      type: 'Linear',
      params: { out_features: i === depth ? 1 : 8 },
      position: at(2 * i - 1),
    });
    edges.push({ id: `a${i}`, source: prev, sourcePort: 'out', target: `fc${i}`, targetPort: 'input' });
    prev = `fc${i}`;
    if (i === depth) break;
    nodes.push({ id: `t${i}`, type: 'Sigmoid', params: {}, position: at(2 * i) });
    edges.push({ id: `b${i}`, source: prev, sourcePort: 'out', target: `t${i}`, targetPort: 'input' });
    prev = `t${i}`;
  }
  nodes.push({ id: 'y', type: 'Target', params: { kind: 'binary-labels', shape: [1] }, position: at(2 * depth + 1) });
  nodes.push({ id: 'loss', type: 'BCEWithLogitsLoss', params: { reduction: 'mean' }, position: at(2 * depth + 2) });
  edges.push({ id: 'out', source: prev, sourcePort: 'out', target: 'loss', targetPort: 'input' });
  edges.push({ id: 'lab', source: 'y', sourcePort: 'out', target: 'loss', targetPort: 'target' });
  return { ...template, name: 'Deep MLP', graph: { nodes, edges } };
}

/** Polls an expression with page.evaluate: waitForFunction's in-page polling is refused by the app's CSP. */
async function until(page: Page, expression: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression).catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await page.waitForTimeout(100);
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function recordFrames(page: Page, drive: () => Promise<void>): Promise<number[]> {
  // String expressions: this file is type-checked without the DOM library.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    const tick = () => {
      window.__frames.push(performance.now());
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await drive();
  const stamps = (await page.evaluate('(window.__recording = false, window.__frames)')) as number[];
  const intervals: number[] = [];
  for (let i = 1; i < stamps.length; i++) intervals.push(stamps[i]! - stamps[i - 1]!);
  return intervals;
}

export interface GlyphFrameStats {
  glyphs: number;
  flips: number;
  frames: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Main-thread work per flip (CDP Performance metrics), independent of how busy the machine is. */
  scriptMsPerFlip: number;
  layoutStyleMsPerFlip: number;
  taskMsPerFlip: number;
}

export async function runGlyphFrames(flips = 20): Promise<GlyphFrameStats> {
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
      await until(page, '"backpropStudio" in window');
      await page.evaluate(`window.backpropStudio.load(${JSON.stringify(deepMlp(26))}, 'Deep MLP')`);
      await page.evaluate('window.backpropStudio.runAction("step.runBackward")');
      await until(page, 'document.querySelector("[data-testid=step-toolbar]")?.dataset.phase === "backwarded"');
      await page.waitForTimeout(500);
      const glyphs = (await page.evaluate('document.querySelectorAll("[data-testid^=edge-glyph-]").length')) as number;
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const metrics = async (): Promise<Record<string, number>> => {
        const r = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
        return Object.fromEntries(r.metrics.map((m) => [m.name, m.value]));
      };
      const before = await metrics();
      const intervals = (
        await recordFrames(page, async () => {
          for (let i = 0; i < flips; i++) {
            await page.evaluate('window.backpropStudio.runAction("step.toggleView")');
            await page.waitForTimeout(100);
          }
        })
      ).sort((a, b) => a - b);
      const after = await metrics();
      const perFlip = (key: string): number => +(((after[key]! - before[key]!) * 1000) / flips).toFixed(2);
      return {
        glyphs,
        flips,
        frames: intervals.length,
        medianMs: +percentile(intervals, 50).toFixed(2),
        p95Ms: +percentile(intervals, 95).toFixed(2),
        maxMs: +intervals[intervals.length - 1]!.toFixed(2),
        scriptMsPerFlip: perFlip('ScriptDuration'),
        layoutStyleMsPerFlip: +(perFlip('LayoutDuration') + perFlip('RecalcStyleDuration')).toFixed(2),
        taskMsPerFlip: perFlip('TaskDuration'),
      };
    } finally {
      await browser.close();
    }
  } finally {
    server.kill('SIGTERM');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify({ bench: 'glyph-frames', ...(await runGlyphFrames()) }));
}
