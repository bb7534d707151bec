// Tensor glyph repaint (issue 8): a 26-layer MLP stepped forward and backward in Chromium, browser
// mode, then the edges flipped between activations and gradients, which repaints every glyph
// (53 canvases) at once. Reports frame intervals and the main thread's work per flip.
//
//   RENDERER_VITE_TEST_HOOKS=1 npx electron-vite build && node --import tsx bench/glyph-frames.ts
//
// It starts the real browser-mode server (src/web/main.ts) and loads the graph through the page's
// test handle; the tensors on the edges are what the host's step session computed.
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { deepMlp, type ProjectTemplate } from './deepMlp';
import { recordFrames, summarizeFrames } from './frameTimes';
import { performanceMetrics, withAppPage, workPer } from './webPage';

/** Polls an expression with page.evaluate: waitForFunction's in-page polling is refused by the app's CSP. */
async function until(page: Page, expression: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(expression).catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await page.waitForTimeout(100);
  }
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
  const template = JSON.parse(readFileSync('resources/examples/xor-mlp.json', 'utf8')) as ProjectTemplate;
  return withAppPage(async (page) => {
    // String expressions: this file is type-checked without the DOM library.
    await until(page, '"backpropStudio" in window');
    await page.evaluate(`window.backpropStudio.load(${JSON.stringify(deepMlp(template, 26))}, 'Deep MLP')`);
    await page.evaluate('window.backpropStudio.runAction("step.runBackward")');
    await until(page, 'document.querySelector("[data-testid=step-toolbar]")?.dataset.phase === "backwarded"');
    await page.waitForTimeout(500);
    const glyphs = (await page.evaluate('document.querySelectorAll("[data-testid^=edge-glyph-]").length')) as number;
    const metrics = await performanceMetrics(page);
    const before = await metrics();
    const frames = summarizeFrames(
      await recordFrames(page, async () => {
        for (let i = 0; i < flips; i++) {
          await page.evaluate('window.backpropStudio.runAction("step.toggleView")');
          await page.waitForTimeout(100);
        }
      }),
    );
    const work = workPer(before, await metrics(), flips);
    return {
      glyphs,
      flips,
      ...frames,
      scriptMsPerFlip: work.scriptMs,
      layoutStyleMsPerFlip: work.layoutStyleMs,
      taskMsPerFlip: work.taskMs,
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify({ bench: 'glyph-frames', ...(await runGlyphFrames()) }));
}
