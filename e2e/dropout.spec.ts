import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { selectNode, setParam } from './canvasHelpers';
import { TestApi } from './stepApi';

/** Presses a step shortcut on the canvas and waits until the session has answered. */
async function press(page: Page, key: string): Promise<void> {
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(key);
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
}

test('a Dropout node’s mask is drawn on its edge in training mode, new at every pass, and absent in evaluation mode', async ({
  app: page,
  webApp,
}) => {
  await expect(page.locator('html[data-ready="true"]')).toBeAttached();
  await page.getByTestId('example-overfitting').click();
  await expect(page.getByTestId('examples-dialog')).toHaveCount(0);
  // The example's dropout is off (p = 0); the student turns it on.
  await selectNode(page, 'drop');
  await setParam(page, 'drop', 'p', '0.5');
  await page.getByTestId('tab-step').click();
  await page.getByTestId('batch-mode').selectOption('range');
  await page.getByTestId('batch-size').fill('2');

  await press(page, 'F5');
  const mask = page.getByTestId('edge-mask-e4');
  await expect(mask).toBeVisible();
  // 2 examples × 256 units, about half kept and scaled by 1/(1 − 0.5) = 2.
  await expect(mask).toHaveAttribute('data-total', '512');
  const kept = Number(await mask.getAttribute('data-kept'));
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThan(512);
  await expect(mask).toContainText('×2');
  // Only the edge leaving the Dropout node carries a mask.
  await expect(page.locator('[data-testid^="edge-mask-"]')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/screenshots/dropout-mask-training.png' });
  // Hovered, the glyph rises to its full size.
  await mask.hover();
  await page.getByTestId('edge-tensor-e4').screenshot({ path: 'test-results/screenshots/dropout-mask-glyph.png' });

  // The activation after dropout is the one before it, times the mask: zero where dropped,
  // doubled where kept (read through the API the page uses).
  const id = (await page.getByTestId('step-panel').getAttribute('data-session-id'))!;
  const api = await TestApi.open(webApp);
  try {
    const full = (edgeId: string) => api.edgeActivation(id, edgeId);
    const before = await full('e3');
    const after = await full('e4');
    const pattern = (await mask.getAttribute('data-pattern'))!;
    for (let i = 0; i < pattern.length; i++) {
      expect(after[i]).toBeCloseTo(pattern[i] === '1' ? 2 * before[i]! : 0, 5);
    }

    // A new pass draws a new mask.
    await press(page, 'Shift+F5');
    await press(page, 'F5');
    await expect(mask).toBeVisible();
    await expect.poll(() => mask.getAttribute('data-pattern')).not.toBe(pattern);

    // Evaluation mode: no mask, and dropout passes its input through unchanged.
    await page.getByTestId('mode-eval').click();
    await expect(page.getByTestId('mode-eval')).toHaveAttribute('aria-checked', 'true');
    await press(page, 'F5');
    await expect(page.getByTestId('edge-glyph-e4')).toBeVisible();
    await expect(page.locator('[data-testid^="edge-mask-"]')).toHaveCount(0);
    expect(await full('e4')).toEqual(await full('e3'));
    await page.screenshot({ path: 'test-results/screenshots/dropout-evaluation-mode.png' });

    // Back in training mode the mask returns.
    await page.getByTestId('mode-train').click();
    await press(page, 'F5');
    await expect(mask).toBeVisible();
  } finally {
    api.close();
  }
});
