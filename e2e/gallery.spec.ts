import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { exampleCardIds } from './canvasHelpers';
import { TestApi } from './stepApi';

async function openFromMenu(page: Page, id: string, title: RegExp): Promise<void> {
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menuitem-file.openExample').click();
  await expect(page.getByTestId('examples-dialog')).toContainText('Open Example');
  await page.getByTestId(`example-${id}`).click();
  await expect(page.getByTestId('examples-dialog')).toHaveCount(0);
  await expect(page.getByTestId('example-explanation')).toContainText(title);
}

/** Presses a step shortcut on the canvas and waits until the session has answered. */
async function press(page: Page, key: string): Promise<void> {
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(key);
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
}

/** Trains the open document's step session through the host's training API until it ends. */
async function trainThroughApi(page: Page, api: TestApi): Promise<{ accuracy: number | null }> {
  await page.getByTestId('tab-step').click();
  await expect(page.getByTestId('step-panel')).toHaveAttribute('data-session-id', /.+/);
  const sessionId = (await page.getByTestId('step-panel').getAttribute('data-session-id'))!;
  await api.call('training.start', { sessionId });
  let status: { state: string; trainSeries: { accuracy: number | null }[] };
  await expect
    .poll(
      async () => {
        status = await api.call('training.status', { sessionId });
        return status.state;
      },
      { timeout: 150_000, intervals: [500] },
    )
    .toBe('finished');
  return { accuracy: status!.trainSeries.at(-1)?.accuracy ?? null };
}

test('the gallery greets a first start; examples open with their explanation, step and train', async ({
  app: page,
  webApp,
}) => {
  await expect(page.locator('html[data-ready="true"]')).toBeAttached();
  const gallery = page.getByTestId('examples-dialog');
  await expect(gallery).toContainText('Welcome to Backprop Studio');
  const ids = await exampleCardIds(page);
  expect(ids.slice(0, 3)).toEqual(['perceptron', 'xor-mlp', 'activations']);
  expect(ids.length).toBeGreaterThanOrEqual(10);
  // Each card: a thumbnail drawn from the graph, the course topic, the title and one line.
  const card = page.getByTestId('example-perceptron');
  await expect(card.locator('svg.thumbnail rect.thumbnail-node')).toHaveCount(5);
  await expect(card.locator('.gallery-topic')).toHaveText('Perceptron');
  await expect(card.locator('.gallery-summary')).not.toBeEmpty();
  await page.screenshot({ path: 'test-results/screenshots/gallery.png' });

  // First example from the welcome screen.
  await card.click();
  await expect(gallery).toHaveCount(0);
  const explanation = page.getByTestId('example-explanation');
  await expect(explanation).toContainText('Perceptron on linearly separable points');
  await expect(explanation.getByTestId('example-result')).toContainText('100% training accuracy');
  await expect(page.locator('.react-flow__node')).toHaveCount(5);

  // Two more through File → Open Example; each replaces the graph and the explanation.
  await openFromMenu(page, 'digits-cnn', /small CNN/);
  await expect(page.getByTestId('node-conv1')).toBeVisible();
  await openFromMenu(page, 'rnn-bits', /Recurrent network on bit sequences/);
  await expect(page.getByTestId('node-rnn')).toBeVisible();

  // Step one: forward through the RNN, edge glyphs appear.
  await page.getByTestId('tab-step').click();
  await expect(page.getByTestId('step-toolbar')).toBeVisible();
  for (let i = 0; i < 3; i++) await press(page, 'F10');
  await expect(page.locator('[data-testid^="edge-glyph-"]').first()).toBeVisible();

  // Train one (through the host's training API; the training panel is another piece of work).
  const api = await TestApi.open(webApp);
  try {
    const r = await trainThroughApi(page, api);
    expect(r.accuracy!).toBeGreaterThan(0.8);
  } finally {
    api.close();
  }
  await press(page, 'F5');
  await page.screenshot({ path: 'test-results/screenshots/example-rnn-bits-trained.png' });

  // Closing the explanation leaves the inspector; the gallery can be turned off at start-up.
  await explanation.getByRole('button', { name: 'Close the explanation' }).click();
  await expect(explanation).toHaveCount(0);
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menuitem-file.openExample').click();
  await page.getByTestId('gallery-at-startup').uncheck();
  await page.keyboard.press('Escape');
  await page.reload();
  await expect(page.locator('html[data-ready="true"]')).toBeAttached();
  await expect(page.getByTestId('canvas-empty')).toBeVisible();
  await expect(page.getByTestId('examples-dialog')).toHaveCount(0);
});
