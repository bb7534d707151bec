import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  appReady,
  connectHandles,
  dragFromPalette,
  focusCanvas,
  inHandle,
  outHandle,
  selectNode,
  setParam,
} from './canvasHelpers';

// The app's default: live preview on.
test.use({ livePreview: true });

/** The wires of the document as the app holds them, as "source→target" → edge id. */
async function edgeIds(page: Page): Promise<Record<string, string>> {
  const edges = (await page.evaluate('window.backpropStudio.state().doc.graph.edges')) as {
    id: string;
    source: string;
    target: string;
  }[];
  return Object.fromEntries(edges.map((e) => [`${e.source}→${e.target}`, e.id]));
}

test('live preview: an XOR built by drag and drop shows its glyphs before any step, follows an edit, greys out while the graph cannot run', async ({
  app: page,
}) => {
  // A long story on a shared machine: building, editing, stepping and reloading.
  test.setTimeout(360_000);
  await appReady(page);
  await expect(page.getByTestId('status-host')).toContainText('Host connected');
  await page.getByTestId('menu-view').click();
  await expect(page.getByTestId('menuitem-view.livePreview')).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('Escape');

  // Build: Input → Linear → Tanh → Linear → BCEWithLogits, with a Target (a new project's data set is XOR).
  await dragFromPalette(page, 'Input', 90, 70);
  await dragFromPalette(page, 'Linear', 330, 70);
  await dragFromPalette(page, 'Tanh', 570, 70);
  await dragFromPalette(page, 'Linear', 90, 280);
  await dragFromPalette(page, 'Target', 330, 380);
  await dragFromPalette(page, 'BCEWithLogitsLoss', 570, 280);
  await selectNode(page, 'linear2');
  await setParam(page, 'linear2', 'out_features', '1');
  await selectNode(page, 'target1');
  await page.getByTestId('param-target1-kind').selectOption('binary-labels');
  await setParam(page, 'target1', 'shape', '1');
  await connectHandles(page, outHandle(page, 'input1'), inHandle(page, 'linear1'));
  await connectHandles(page, outHandle(page, 'linear1'), inHandle(page, 'tanh1'));
  // A graph still being wired cannot run: the preview says why instead of showing anything.
  await expect(page.getByTestId('preview-notice')).toHaveAttribute('data-state', 'blocked');
  await connectHandles(page, outHandle(page, 'tanh1'), inHandle(page, 'linear2'));
  await connectHandles(page, outHandle(page, 'linear2'), inHandle(page, 'bcewithlogitsloss1'));
  await connectHandles(page, outHandle(page, 'target1'), inHandle(page, 'bcewithlogitsloss1', 'target'));
  await expect(page.getByTestId('status-validation')).toContainText('Valid');
  await page.getByTestId('menu-edit').click();
  await page.getByTestId('menuitem-edit.autoLayout').click();
  const ids = await edgeIds(page);
  expect(Object.keys(ids)).toHaveLength(5);

  // No step was taken, and every edge shows its activation on the first example.
  await expect(page.getByTestId('preview-notice')).toHaveText('Live preview of example 0 (train)');
  for (const id of Object.values(ids)) {
    await expect(page.getByTestId(`edge-glyph-${id}`)).toBeVisible();
    await expect(page.getByTestId(`edge-tensor-${id}`)).toHaveAttribute('data-stale', 'false');
  }
  const hidden = page.getByTestId(`edge-glyph-${ids['linear1→tanh1']}`);
  await expect(hidden).toHaveAttribute('title', /^activation 1×8\n/);
  await page.screenshot({ path: 'test-results/screenshots/live-preview-xor.png' });

  // What the preview showed is what stepping computes: Run forward on the same example agrees.
  await page.getByTestId('tab-step').click();
  await expect(page.getByTestId('step-status')).toContainText('Live preview of the batch');
  const previewed = await hidden.getAttribute('title');
  await focusCanvas(page);
  await page.keyboard.press('F5');
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
  await expect(page.getByTestId('step-status')).toHaveText('Forward pass complete: step backward, or reset.');
  await expect(hidden).toHaveAttribute('title', previewed!);

  // Change the hidden layer's size: the glyphs follow. The page times it from the typing (the
  // field commits as it is typed) to the new glyph (printed, not asserted: the machine may be loaded).
  await selectNode(page, 'linear1');
  await page.evaluate(`window.__previewLatency = new Promise((resolve) => {
    let t0 = null;
    addEventListener('input', () => { if (t0 === null) t0 = performance.now(); }, true);
    const seen = new MutationObserver(() => {
      const el = document.querySelector('[data-testid="edge-glyph-${ids['linear1→tanh1']}"]');
      if (t0 === null || !el || !/^activation 1×5\\n/.test(el.getAttribute('title') || '')) return;
      seen.disconnect();
      resolve(performance.now() - t0);
    });
    seen.observe(document.body, { subtree: true, childList: true, attributes: true });
  }); 0`);
  await setParam(page, 'linear1', 'out_features', '5');
  await expect(hidden).toHaveAttribute('title', /^activation 1×5\n/);
  const latency = (await page.evaluate('window.__previewLatency')) as number;
  console.log(`live preview: the glyphs showed the edit ${latency.toFixed(0)} ms after it was typed`);
  await expect(page.getByTestId(`edge-glyph-${ids['tanh1→linear2']}`)).toHaveAttribute('title', /^activation 1×5\n/);
  await expect(page.getByTestId(`edge-tensor-${ids['linear1→tanh1']}`)).toHaveAttribute('data-stale', 'false');

  // A graph that cannot run shows nothing as current: the glyphs grey out and the reason is said.
  await setParam(page, 'linear1', 'in_features', '3');
  await expect(page.getByTestId('preview-notice')).toContainText('expects 3 input features');
  await expect(page.getByTestId('preview-notice')).toHaveAttribute('data-state', 'blocked');
  for (const id of Object.values(ids))
    await expect(page.getByTestId(`edge-tensor-${id}`)).toHaveAttribute('data-stale', 'true');
  await page.screenshot({ path: 'test-results/screenshots/live-preview-blocked.png' });
  await setParam(page, 'linear1', 'in_features', '');
  await expect(page.getByTestId('preview-notice')).toHaveText('Live preview of example 0 (train)');
  for (const id of Object.values(ids))
    await expect(page.getByTestId(`edge-tensor-${id}`)).toHaveAttribute('data-stale', 'false');

  // With gradients: one backward pass too, so the gradient view has its glyphs before any step.
  await page.getByTestId('menu-view').click();
  await page.getByTestId('menuitem-view.livePreviewGradients').click();
  await page.getByTestId('view-gradients').click();
  for (const wire of ['linear1→tanh1', 'tanh1→linear2', 'linear2→bcewithlogitsloss1'])
    await expect(page.getByTestId(`edge-glyph-${ids[wire]}`)).toHaveAttribute('title', /^gradient 1×/);
  // Nothing flows back into the data.
  await expect(page.getByTestId(`edge-glyph-${ids['input1→linear1']}`)).toHaveCount(0);
  await expect(page.getByTestId('step-status')).toContainText('Live preview of the batch');
  await page.screenshot({ path: 'test-results/screenshots/live-preview-gradients.png' });

  // A forward step starts the pass again at the first node: the edges fill one by one.
  await page.getByTestId('view-activations').click();
  await focusCanvas(page);
  await page.keyboard.press('F10');
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
  await expect(page.getByTestId('step-status')).toContainText('Forward: node 1 of');
  await expect(page.locator('[data-testid^="edge-glyph-"]')).toHaveCount(1);

  // Turned off, it stays off after a reload (a remembered view setting) and an edit previews nothing.
  await page.getByTestId('menu-view').click();
  await page.getByTestId('menuitem-view.livePreview').click();
  await page.reload();
  await appReady(page);
  await page.getByTestId('menu-view').click();
  await expect(page.getByTestId('menuitem-view.livePreview')).toHaveAttribute('aria-checked', 'false');
});
