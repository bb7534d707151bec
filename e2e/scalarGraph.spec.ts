import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Presses a step shortcut on the canvas and waits until the session has answered. */
async function press(page: Page, key: string): Promise<void> {
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(key);
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
}

test('the scalar computational graph opens from the gallery and steps forward, backward and through an update', async ({
  app: page,
}) => {
  await expect(page.locator('html[data-ready="true"]')).toBeAttached();
  const gallery = page.getByTestId('examples-dialog');
  await expect(gallery).toContainText('Welcome to Backprop Studio');
  await page.getByTestId('example-scalar-graph').click();
  await expect(gallery).toHaveCount(0);
  await expect(page.getByTestId('example-explanation')).toContainText('f(x, y, z) = (x + y)·z');
  await expect(page.locator('.react-flow__node')).toHaveCount(7);
  await page.getByTestId('tab-step').click();
  await expect(page.getByTestId('step-toolbar')).toBeVisible();
  await press(page, 'F5');
  await press(page, 'Shift+F5');
  await expect(page.locator('[data-testid^="edge-glyph-"]').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/example-scalar-graph-backward.png' });
  // The last backward step is the Parameter y, whose gradient is reported.
  const current = page.getByTestId('current-node');
  await expect(current).toContainText('backward step 5 of 5');
  await expect(current).toHaveAttribute('data-node', 'y');
  await expect(page.getByTestId('param-y.value')).toBeVisible();
  await expect(page.getByTestId('step-loss')).toContainText('0.25');
  await press(page, 'F9');
  await page.screenshot({ path: 'test-results/screenshots/example-scalar-graph-updated.png' });
});
