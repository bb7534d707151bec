import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { loadDocument } from './canvasHelpers';
import { TestApi } from './stepApi';
import type { ApiFull, ApiSummary } from './stepApi';

const xor = JSON.parse(readFileSync('resources/examples/xor-mlp.json', 'utf8')) as { graph: { nodes: { id: string }[] }; [k: string]: unknown };

/**
 * Another run of the app on this machine may have left unsaved work behind; its recovery prompt
 * is not what these tests are about, so decline it if it appears.
 */
async function dismissRecovery(page: Page): Promise<void> {
  const prompt = page.getByRole('dialog', { name: 'Recover unsaved work?' });
  await prompt.waitFor({ state: 'visible', timeout: 1500 }).catch(() => undefined);
  if (await prompt.isVisible()) await page.getByTestId('confirm-cancel').click();
}

async function openStepPanel(page: Page): Promise<void> {
  await dismissRecovery(page);
  await page.getByTestId('tab-step').click();
  await expect(page.getByTestId('step-toolbar')).toBeVisible();
}

/** Presses a step shortcut on the canvas and waits until the session has answered. */
async function press(page: Page, key: string): Promise<void> {
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(key);
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
}

async function sessionId(page: Page): Promise<string> {
  const id = await page.getByTestId('step-panel').getAttribute('data-session-id');
  expect(id, 'a step session was created').toBeTruthy();
  return id!;
}

/** Every exact value the inspector's table shows (its cells' titles), in row-major order. */
async function tableValues(page: Page): Promise<number[]> {
  await page.getByTestId('inspector-view-table').click();
  const cells = page.getByTestId('value-table').locator('td');
  await expect(cells.first()).toBeVisible();
  const pairs = await cells.evaluateAll((tds) => tds.map((td) => [Number(td.getAttribute('data-index')), Number(td.getAttribute('title'))]));
  return pairs.sort((a, b) => a[0]! - b[0]!).map((p) => p[1]!);
}

function statOf(page: Page, name: string): Promise<number> {
  return page
    .getByTestId('tensor-stats')
    .locator(`[data-stat="${name}"]`)
    .innerText()
    .then((t) => Number(t));
}

function close(a: number, b: number, rel: number, abs: number): boolean {
  return Math.abs(a - b) <= abs + rel * Math.max(Math.abs(a), Math.abs(b));
}

test('steps the XOR network forward and backward node by node, showing what the API computed', async ({ app, webApp }) => {
  const api = await TestApi.open(webApp);
  try {
    await loadDocument(app, xor, 'XOR');
    await openStepPanel(app);

    // Forward, one node at a time: the node is highlighted and its outgoing edges get their tensor.
    const order: string[] = [];
    for (let i = 0; i < xor.graph.nodes.length; i++) {
      await press(app, 'F10');
      const node = await app.getByTestId('current-node').getAttribute('data-node');
      expect(node).toBeTruthy();
      order.push(node!);
      await expect(app.getByTestId(`node-${node}`)).toHaveClass(/stepping/);
    }
    expect(new Set(order).size).toBe(xor.graph.nodes.length);
    expect(order.indexOf('fc1')).toBeLessThan(order.indexOf('act1'));
    expect(order.indexOf('act1')).toBeLessThan(order.indexOf('fc2'));
    for (const e of ['e1', 'e2', 'e3', 'e4', 'e5', 'e6']) await expect(app.getByTestId(`edge-glyph-${e}`)).toBeVisible();
    await expect(app.getByTestId('edge-glyph-e2')).toHaveAttribute('data-glyph-kind', 'strip');
    await expect(app.getByTestId('formula')).toBeVisible();
    await app.screenshot({ path: 'test-results/step-forward.png' });

    // The numbers the UI shows for the hidden layer's input equal what the API returns for it.
    const sid = await sessionId(app);
    const summary = (await api.call<{ summary: ApiSummary }>('session.edgeSummary', { sessionId: sid, edgeId: 'e2', kind: 'activation' })).summary;
    const full = (await api.call<{ tensor: ApiFull }>('session.fullTensor', { sessionId: sid, ref: { type: 'edge', edgeId: 'e2', kind: 'activation' } })).tensor;
    await app.getByTestId('edge-glyph-e2').click();
    await expect(app.getByTestId('step-inspector')).toBeVisible();
    for (const k of ['min', 'max', 'mean', 'std'] as const) expect(close(await statOf(app, k), summary[k]!, 1e-5, 1e-12), k).toBe(true);
    expect(close(await statOf(app, '‖·‖₂'), summary.l2!, 1e-5, 1e-12)).toBe(true);
    // The heat map's hover read-out shows a value at full precision.
    await app.getByTestId('inspector-view-heatmap').click();
    const canvas = app.getByTestId('value-heatmap-canvas');
    const box = (await canvas.boundingBox())!;
    const cols = full.shape.at(-1)!;
    await app.mouse.move(box.x + (box.width / cols) * 2.5, box.y + box.height / 2);
    await expect(app.getByTestId('value-readout-value')).toHaveText(String(full.values[2]));
    expect(await tableValues(app)).toEqual(full.values);

    // Backward, one node at a time, down to the first layer.
    const backOrder: string[] = [];
    for (let i = 0; i < xor.graph.nodes.length && (await app.getByTestId('step-toolbar').getAttribute('data-phase')) !== 'backwarded'; i++) {
      await press(app, 'Shift+F10');
      const node = (await app.getByTestId('current-node').getAttribute('data-node'))!;
      await expect(app.getByTestId(`node-${node}`)).toHaveClass(/stepping/);
      backOrder.push(node);
    }
    expect(backOrder.indexOf('loss')).toBeLessThan(backOrder.indexOf('fc2'));
    expect(backOrder.indexOf('fc2')).toBeLessThan(backOrder.indexOf('fc1'));
    await expect(app.getByTestId('step-toolbar')).toHaveAttribute('data-phase', 'backwarded');
    await expect(app.getByTestId('view-gradients')).toHaveAttribute('aria-selected', 'true');
    await expect(app.getByTestId('edge-glyph-e2')).toBeVisible();
    await expect(app.getByTestId('grad-bar-fc1')).toBeVisible();
    await app.getByTestId('step-inspector-close').click();
    await app.screenshot({ path: 'test-results/step-backward.png' });

    // The gradient of one weight, as the inspector shows it, equals a central finite difference
    // computed here through the API on sessions whose only difference is that weight ± ε.
    await app.getByTestId('grad-bar-fc1').click();
    await expect(app.getByTestId('inspect-tab-gradient')).toHaveAttribute('aria-selected', 'true');
    const shownGrad = await tableValues(app);
    const apiGrad = (await api.call<{ tensor: ApiFull }>('session.fullTensor', { sessionId: sid, ref: { type: 'parameter', name: 'fc1.weight', kind: 'gradient' } })).tensor;
    expect(shownGrad).toEqual(apiGrad.values);

    const weights: Record<string, { shape: number[]; data: number[] }> = {};
    const info = await api.call<{ sessionId: string; parameters: { name: string }[] }>('session.create', { project: xor });
    await api.call('session.close', { sessionId: info.sessionId });
    for (const { name } of info.parameters) {
      const t = (await api.call<{ tensor: ApiFull }>('session.fullTensor', { sessionId: sid, ref: { type: 'parameter', name, kind: 'value' } })).tensor;
      weights[name] = { shape: t.shape, data: t.values as number[] };
    }
    const k = 3; // fc1.weight[1, 1]
    const eps = 1e-2;
    const lossWith = async (delta: number): Promise<number> => {
      const w = structuredClone(weights);
      w['fc1.weight']!.data[k]! += delta;
      const s = await api.call<{ sessionId: string }>('session.create', { project: { ...xor, weights: w } });
      try {
        await api.call('session.loadBatch', { sessionId: s.sessionId, split: 'train', indices: [0] });
        const r = await api.call<{ loss: number }>('session.runForward', { sessionId: s.sessionId });
        return r.loss;
      } finally {
        await api.call('session.close', { sessionId: s.sessionId });
      }
    };
    const fd = ((await lossWith(eps)) - (await lossWith(-eps))) / (2 * eps);
    expect(close(shownGrad[k]!, fd, 2e-3, 2e-4), `backprop ${shownGrad[k]} vs finite difference ${fd}`).toBe(true);

    // The host's own check agrees too, and says so in the inspector.
    await app.getByTestId('grad-check-button').click();
    await expect(app.getByTestId('grad-check-result')).toBeVisible({ timeout: 20_000 });
    const rel = Number(await app.getByTestId('grad-check-result').getAttribute('data-max-rel-error'));
    expect(rel).toBeLessThan(1e-2);
    await app.screenshot({ path: 'test-results/step-inspector.png' });
  } finally {
    api.close();
  }
});
