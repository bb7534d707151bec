import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { appReady } from './canvasHelpers';

async function openExample(page: Page, id: string): Promise<void> {
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menuitem-file.openExample').click();
  await page.getByTestId(`example-${id}`).click();
  await expect(page.getByTestId('example-list')).toHaveCount(0);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
}

/** Steps forward `n` nodes on a batch of the first four training examples. */
async function stepFourExamples(page: Page, n: number): Promise<void> {
  const toolbar = page.getByTestId('step-toolbar');
  await page.getByTestId('batch-mode').selectOption('range');
  for (let k = 1; k <= n; k++) {
    await page.getByTestId('step-forward').click();
    await expect(toolbar).toHaveAttribute('data-busy', 'false');
    await expect(page.getByTestId('step-status')).toHaveText(new RegExp(`^Forward: node ${k} of \\d+\\.$`));
  }
}

const fontSize = (page: Page, selector: string): Promise<number> =>
  page
    .locator(selector)
    .first()
    .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

test.use({ viewport: { width: 1280, height: 720 } });

test('presenter mode: large type, thick wires, the current node and formula large at the bottom; remembered', async ({
  app: page,
}) => {
  await appReady(page);
  await openExample(page, 'xor-mlp');
  await page.getByTestId('tab-step').click();
  await stepFourExamples(page, 3);
  const formulaBefore = await fontSize(page, '.current-node .formula .katex');
  const titleBefore = await fontSize(page, '.gnode-title');
  await expect(page.getByTestId('palette')).toBeVisible();

  // View → Presenter Mode, from the in-app menu.
  await page.getByTestId('menu-view').click();
  await expect(page.getByTestId('menuitem-view.presenter')).toHaveAttribute('aria-checked', 'false');
  const fits = Number(await page.getByTestId('canvas').getAttribute('data-fits'));
  await page.getByTestId('menuitem-view.presenter').click();
  await expect(page.locator('html')).toHaveAttribute('data-presenter', 'true');
  await expect(page.getByTestId('tool-view.presenter')).toHaveAttribute('aria-pressed', 'true');
  // The canvas takes the width; the step bar stays at the bottom.
  await expect(page.getByTestId('palette')).toBeHidden();
  await expect(page.getByTestId('step-toolbar')).toBeVisible();
  expect(await fontSize(page, '.current-node .formula .katex')).toBeGreaterThan(formulaBefore * 1.5);
  expect(await fontSize(page, '.gnode-title')).toBeGreaterThan(titleBefore);
  const wire = await page
    .locator('.react-flow__edge-path')
    .first()
    .evaluate((el) => parseFloat(getComputedStyle(el).strokeWidth));
  expect(wire).toBeGreaterThanOrEqual(3);
  const glyphScale = Number(await page.locator('.edge-tensor').first().getAttribute('data-scale'));
  expect(glyphScale).toBeGreaterThan(1);
  // The canvas was fitted again for its new size, and nothing is wider than the window.
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-fits', String(fits + 1));
  const overflow = await page.evaluate(() =>
    ['.app', '.bottom-panel', '.step-body', '.step-toolbar']
      .map((sel) => document.querySelector(sel)!)
      .filter((el) => el.scrollWidth > el.clientWidth || el.getBoundingClientRect().right > window.innerWidth)
      .map((el) => el.className),
  );
  expect(overflow).toEqual([]);
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'test-results/screenshots/presenter-xor-1280.png' });

  // Remembered as a view setting.
  await page.reload();
  await appReady(page);
  await expect(page.locator('html')).toHaveAttribute('data-presenter', 'true');

  await openExample(page, 'digits-cnn');
  await expect(page.getByTestId('step-toolbar')).toBeVisible();
  await stepFourExamples(page, 4);
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'test-results/screenshots/presenter-cnn-1280.png' });

  // F8, the app's own key (F11 is the browser's full screen), turns it off again.
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('F8');
  await expect(page.locator('html')).toHaveAttribute('data-presenter', 'false');
  await expect(page.getByTestId('palette')).toBeVisible();
});
