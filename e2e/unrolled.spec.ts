import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { loadDocument, selectNode } from './canvasHelpers';
import { TestApi } from './stepApi';

interface UnrolledAnswer {
  steps: number;
  backward: boolean;
  gradNorms: number[] | null;
}

/** Presses a step shortcut on the canvas and waits until the session has answered. */
async function press(page: Page, key: string): Promise<void> {
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(key);
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
}

test('backpropagation through time, unrolled: the RNN opens into one cell per step, states forward, gradients and their norms per step backward', async ({
  app: page,
  webApp,
}) => {
  await expect(page.locator('html[data-ready="true"]')).toBeAttached();
  await page.getByTestId('example-rnn-bits').click();
  await expect(page.getByTestId('examples-dialog')).toHaveCount(0);
  await page.getByTestId('tab-step').click();

  // Its inspector offers the unrolled view; a Linear's does not.
  await selectNode(page, 'fc');
  await expect(page.getByTestId('unroll-node')).toHaveCount(0);
  await selectNode(page, 'rnn');
  await expect(page.getByTestId('unroll-node')).toBeVisible();

  // Two forward steps: the Input, then the RNN.
  await press(page, 'F10');
  await press(page, 'F10');
  await expect(page.getByTestId('current-node')).toContainText('rnn');

  // Alt+U opens the graph's only recurrent node.
  await page.keyboard.press('Alt+U');
  const view = page.getByTestId('unrolled-view');
  await expect(view).toBeVisible();
  await expect(view).toHaveAttribute('data-ran', 'true');
  await expect(view).toHaveAttribute('data-backward', 'false');
  // The bits sequence has 6 steps: a cell and a hidden-state glyph for each, no gradient yet.
  await expect(page.locator('[data-testid^="unrolled-step-"]')).toHaveCount(6);
  for (let t = 0; t < 6; t++) await expect(page.getByTestId(`unrolled-h-${t}`)).toBeVisible();
  await expect(page.locator('[data-testid^="unrolled-dh-"]')).toHaveCount(0);
  await expect(page.getByTestId('unrolled-note')).toContainText('Step backward until the RNN is done');
  await page.screenshot({ path: 'test-results/screenshots/unrolled-forward.png' });

  // The rest of the forward pass, then backward node by node from the view's own buttons: the
  // loss, then the head; the RNN is next.
  await page.getByTestId('unrolled-runForward').click();
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
  for (const node of ['loss', 'fc']) {
    await page.getByTestId('unrolled-backward').click();
    await expect(page.getByTestId('current-node')).toHaveAttribute('data-node', node);
  }
  await expect(view).toHaveAttribute('data-final', '0');
  await expect(page.locator('[data-testid^="unrolled-dh-"]')).toHaveCount(0);
  // Back through time, one step at a time: ∂L/∂h_5 first, then h_4 … h_0, each with its bar.
  for (let k = 1; k <= 6; k++) {
    await page.getByTestId('unrolled-back-in-time').click();
    await expect(view).toHaveAttribute('data-final', String(k));
    await expect(page.getByTestId(`unrolled-dh-${6 - k}`)).toBeVisible();
    await expect(page.locator('[data-testid^="unrolled-dh-"]')).toHaveCount(k);
    await expect(page.locator('[data-norm="pending"]')).toHaveCount(6 - k);
    await expect(page.getByTestId('current-node')).toHaveAttribute('data-node', 'rnn');
    await expect(view).toHaveAttribute('data-backward', 'false');
    if (k === 3) await view.screenshot({ path: 'test-results/screenshots/unrolled-back-in-time.png' });
  }
  // One more finishes the RNN's backward step (its weights' gradients, the input's edge).
  await page.getByTestId('unrolled-back-in-time').click();
  await expect(view).toHaveAttribute('data-backward', 'true');
  await expect(page.getByTestId('current-node')).toContainText('rnn');
  for (let t = 0; t < 6; t++) await expect(page.getByTestId(`unrolled-dh-${t}`)).toBeVisible();
  const bars = page.locator('[data-testid^="unrolled-bar-"]');
  await expect(bars).toHaveCount(6);
  await expect(page.getByTestId('unrolled-caption')).toContainText('smaller than at t = 5');

  // The bars are the engine's ‖∂L/∂h_t‖, as the session answers them; the first step's is the smallest.
  const id = (await page.getByTestId('step-panel').getAttribute('data-session-id'))!;
  const api = await TestApi.open(webApp);
  try {
    const answer = await api.call<UnrolledAnswer>('session.unrolled', { sessionId: id, nodeId: 'rnn' });
    expect(answer.backward).toBe(true);
    const shown = await Promise.all(
      Array.from({ length: 6 }, async (_, t) =>
        Number(await page.getByTestId(`unrolled-bar-${t}`).getAttribute('data-norm')),
      ),
    );
    expect(shown).toEqual(answer.gradNorms);
    expect(Math.min(...shown)).toBe(shown[0]);
    expect(shown[0]).toBeLessThan(shown[5]);
  } finally {
    api.close();
  }
  await page.screenshot({ path: 'test-results/screenshots/unrolled-backward.png' });
  await view.screenshot({ path: 'test-results/screenshots/unrolled-view.png' });

  // Esc closes it; a double-click on the node opens it again; the context menu offers it for the RNN only.
  await page.keyboard.press('Escape');
  await expect(view).toHaveCount(0);
  await page.locator('.react-flow__node[data-id="rnn"]').dblclick();
  await expect(view).toBeVisible();
  await expect(view).toHaveAttribute('data-backward', 'true');
  await page.getByTestId('unrolled-close').click();
  await expect(view).toHaveCount(0);
  await page.locator('.react-flow__node[data-id="rnn"]').click({ button: 'right' });
  await expect(page.getByTestId('context-view.unrollThroughTime')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.locator('.react-flow__node[data-id="fc"]').click({ button: 'right' });
  await expect(page.getByTestId('context-menu')).toBeVisible();
  await expect(page.getByTestId('context-view.unrollThroughTime')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await page.locator('.react-flow__node[data-id="rnn"]').click({ button: 'right' });
  await page.getByTestId('context-view.unrollThroughTime').click();
  await expect(view).toBeVisible();
});

test('an LSTM unrolls with its cell state, and a bidirectional one in each direction', async ({ app: page }) => {
  await expect(page.locator('html[data-ready="true"]')).toBeAttached();
  // The bits example with a bidirectional LSTM in place of its RNN.
  const doc = JSON.parse(readFileSync('resources/examples/rnn-bits.json', 'utf8')) as {
    graph: { nodes: { id: string; type: string; params: Record<string, unknown> }[] };
  };
  const rnn = doc.graph.nodes.find((n) => n.id === 'rnn')!;
  rnn.type = 'LSTM';
  rnn.params = { input_size: null, hidden_size: 8, num_layers: 1, bias: true, bidirectional: true };
  await loadDocument(page, doc, 'lstm-bits.json');
  await page.getByTestId('tab-step').click();
  await press(page, 'F5');
  await press(page, 'Shift+F5');

  await selectNode(page, 'rnn');
  await page.getByTestId('unroll-node').click();
  const view = page.getByTestId('unrolled-view');
  await expect(view).toHaveAttribute('data-backward', 'true');
  for (let t = 0; t < 6; t++) {
    await expect(page.getByTestId(`unrolled-c-${t}`)).toBeVisible();
    await expect(page.getByTestId(`unrolled-dc-${t}`)).toBeVisible();
  }
  await expect(page.getByTestId('unrolled-caption')).toContainText('‖∂L/∂c_t‖₂');
  const firstStep = page.locator('[data-testid^="unrolled-step-"]').first();
  await expect(firstStep).toHaveAttribute('data-testid', 'unrolled-step-0');
  await view.screenshot({ path: 'test-results/screenshots/unrolled-lstm.png' });

  // The reverse direction reads the sequence from its last step.
  await page.getByTestId('unrolled-direction').selectOption('1');
  await expect(firstStep).toHaveAttribute('data-testid', 'unrolled-step-5');
  await expect(page.getByTestId('unrolled-caption')).toContainText('At t = 5');
  await view.screenshot({ path: 'test-results/screenshots/unrolled-lstm-reverse.png' });

  // On a small screen in the dark theme the view still fits above the bottom panel (it scrolls inside).
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.keyboard.press('Control+Shift+D');
  await expect(page.locator('html[data-theme="dark"]')).toBeAttached();
  const box = (await view.boundingBox())!;
  const bottom = (await page.getByTestId('bottom-panel').boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(bottom.y);
  await page.screenshot({ path: 'test-results/screenshots/unrolled-lstm-dark-1280.png' });
});
