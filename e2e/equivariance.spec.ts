import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { graphEdge, graphNode, loadDocument } from './canvasHelpers';
import { TestApi } from './stepApi';

/** A p4 CNN on the 8×8 digits (docs/engine.md's recipe, smaller): lifting, group conv, orientation pool, global average. */
const p4Digits = {
  format: 'backprop-studio',
  version: 2,
  name: 'p4 CNN on digits',
  graph: {
    nodes: [
      graphNode('x', 'Input', { shape: [1, 8, 8], kind: 'tensor' }, 0, 120),
      graphNode('lift', 'P4LiftingConv2d', { out_channels: 3 }, 200, 120),
      graphNode('act', 'ReLU', {}, 420, 120),
      graphNode('gconv', 'P4GroupConv2d', { out_channels: 3 }, 620, 120),
      graphNode('pool', 'P4OrientationPool', {}, 840, 120),
      graphNode('gap', 'AvgPool2d', { kernel_size: 8 }, 1060, 120),
      graphNode('flat', 'Flatten', {}, 1260, 120),
      graphNode('fc', 'Linear', { out_features: 10 }, 1440, 120),
      graphNode('y', 'Target', { kind: 'class-labels', shape: [] }, 1440, 300),
      graphNode('loss', 'CrossEntropyLoss', {}, 1640, 200),
    ],
    edges: [
      graphEdge('e1', 'x', 'lift'),
      graphEdge('e2', 'lift', 'act'),
      graphEdge('e3', 'act', 'gconv'),
      graphEdge('e4', 'gconv', 'pool'),
      graphEdge('e5', 'pool', 'gap'),
      graphEdge('e6', 'gap', 'flat'),
      graphEdge('e7', 'flat', 'fc'),
      graphEdge('e8', 'fc', 'loss'),
      graphEdge('e9', 'y', 'loss', 'target'),
    ],
  },
  training: {
    dataset: { name: 'digits', params: {} },
    split: { train: 0.6, dev: 0.2, test: 0.2 },
    optimizer: { type: 'adam', lr: 0.005 },
    batchSize: 32,
    epochs: 5,
    seed: 1,
  },
};

/** torch.rot90(x, 1, dims=(-2, -1)) of row-major values whose last two dimensions are n×n. */
function rot90(v: readonly number[], n: number): number[] {
  const out = new Array<number>(v.length);
  for (let b = 0; b < v.length / (n * n); b++)
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) out[b * n * n + i * n + j] = v[b * n * n + j * n + (n - 1 - i)]!;
  return out;
}

/** torch.roll(x, 1, dims=2) of an N×C×4×n×n map: orientation r takes what r − 1 held. */
function cycle(v: readonly number[], n: number): number[] {
  const out = new Array<number>(v.length);
  const tile = n * n;
  for (let nc = 0; nc < v.length / (4 * tile); nc++)
    for (let r = 0; r < 4; r++)
      for (let p = 0; p < tile; p++) out[(nc * 4 + r) * tile + p] = v[(nc * 4 + ((r + 3) % 4)) * tile + p]!;
  return out;
}

const maxDiff = (a: readonly number[], b: readonly number[]): number =>
  a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i]!)), 0);

async function idle(page: Page): Promise<void> {
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
}

async function runForward(page: Page): Promise<void> {
  await page.getByTestId('step-runForward').click();
  await idle(page);
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-phase', 'forwarded');
}

test('turning a digit a quarter turn turns the p4 feature maps and cycles their orientations; an ordinary pooled output stays the same', async ({
  app: page,
  webApp,
}) => {
  await expect(page.locator('html[data-ready="true"]')).toBeAttached();
  await loadDocument(page, p4Digits, 'p4 CNN on digits');
  await page.getByTestId('tab-step').click();
  await page.getByTestId('batch-index').fill('3');
  await runForward(page);
  await expect(page.getByTestId('edge-glyph-e2')).toBeVisible();
  await expect(page.getByTestId('lab-note')).toHaveText('as loaded');
  await page.screenshot({ path: 'test-results/screenshots/equivariance-p4-as-loaded.png' });
  // The lifting conv's edge in the inspector: one row per channel, its four orientation tiles side by side.
  await page.getByTestId('edge-glyph-e2').click();
  const inspector = page.getByTestId('step-inspector');
  await expect(inspector).toBeVisible();
  await inspector.screenshot({ path: 'test-results/screenshots/equivariance-p4-tiles-0.png' });

  const id = (await page.getByTestId('step-panel').getAttribute('data-session-id'))!;
  const api = await TestApi.open(webApp);
  try {
    const full = (edgeId: string) => api.edgeActivation(id, edgeId);
    const before = { x: await full('e1'), lift: await full('e2'), g: await full('e4'), gap: await full('e6') };

    // The step bar's button: the digit turns, the forward pass runs again.
    await page.getByTestId('lab-rotateInput').click();
    await idle(page);
    await expect(page.getByTestId('lab-note')).toHaveText('turned 90°');
    const after = { x: await full('e1'), lift: await full('e2'), g: await full('e4'), gap: await full('e6') };
    expect(maxDiff(after.x, rot90(before.x, 8))).toBe(0);
    // Every map turned, every row of four orientations cycled one to the right (float32: 1e-5).
    expect(maxDiff(after.lift, cycle(rot90(before.lift, 8), 8))).toBeLessThan(1e-5);
    expect(maxDiff(after.g, cycle(rot90(before.g, 8), 8))).toBeLessThan(1e-5);
    expect(maxDiff(after.lift, before.lift)).toBeGreaterThan(1e-2);
    // Pooled over orientations and space: the same numbers.
    expect(maxDiff(after.gap, before.gap)).toBeLessThan(1e-5);
    await page.screenshot({ path: 'test-results/screenshots/equivariance-p4-turned.png' });
    await expect(inspector).toBeVisible();
    await inspector.screenshot({ path: 'test-results/screenshots/equivariance-p4-tiles-90.png' });

    // The shortcut turns it once more; a shift moves the maps with it.
    await page
      .locator('.react-flow__pane')
      .first()
      .click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Alt+Q');
    await idle(page);
    await expect(page.getByTestId('lab-note')).toHaveText('turned 180°');
    expect(maxDiff(await full('e2'), cycle(cycle(rot90(rot90(before.lift, 8), 8), 8), 8))).toBeLessThan(1e-5);
    await page.getByTestId('lab-resetInput').click();
    await idle(page);
    await expect(page.getByTestId('lab-note')).toHaveText('as loaded');
    expect(maxDiff(await full('e2'), before.lift)).toBeLessThan(1e-6);
  } finally {
    api.close();
  }
});

test('an ordinary convolution’s maps shift with the digit but do not turn with it', async ({ app: page, webApp }) => {
  await expect(page.locator('html[data-ready="true"]')).toBeAttached();
  await page.getByTestId('example-digits-cnn').click();
  await expect(page.getByTestId('examples-dialog')).toHaveCount(0);
  await page.getByTestId('tab-step').click();
  await runForward(page);
  const id = (await page.getByTestId('step-panel').getAttribute('data-session-id'))!;
  const api = await TestApi.open(webApp);
  try {
    const full = (edgeId: string) => api.edgeActivation(id, edgeId);
    const conv = await full('e2');
    await page.getByTestId('lab-rotateInput').click();
    await idle(page);
    expect(maxDiff(await full('e2'), rot90(conv, 8))).toBeGreaterThan(1e-2);
    await page.screenshot({ path: 'test-results/screenshots/equivariance-conv-turned.png' });
    // Through the Step menu's name: one pixel right; the maps move one pixel right away from the border.
    await page.getByTestId('lab-resetInput').click();
    await idle(page);
    await page.getByTestId('lab-shiftInputRight').click();
    await idle(page);
    await expect(page.getByTestId('lab-note')).toHaveText('shifted 1 right');
    const shifted = await full('e2');
    // Columns 2..6 of each 8×8 map: away from the padded border and the wrapped column.
    let worst = 0;
    for (let m = 0; m < conv.length / 64; m++)
      for (let i = 0; i < 8; i++)
        for (let j = 2; j <= 6; j++)
          worst = Math.max(worst, Math.abs(shifted[m * 64 + i * 8 + j]! - conv[m * 64 + i * 8 + j - 1]!));
    expect(worst).toBeLessThan(1e-5);
  } finally {
    api.close();
  }
});
