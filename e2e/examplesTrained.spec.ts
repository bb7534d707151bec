import type { Page } from '@playwright/test';
import { exampleCardIds, openTraining } from './canvasHelpers';
import { expect, test } from './fixtures';

// Every course example, opened from File → Open Example and trained from the Training tab with its
// own settings (each is seconds of work: its stated result is checked through the CLI in
// src/cli/examples.test.ts), then a screenshot of the canvas with the curves and plots, to be
// looked at. Waits are on work done (the run's state), never on the clock.

test.use({ viewport: { width: 1500, height: 950 } });

async function openExample(page: Page, id: string): Promise<void> {
  if ((await page.getByTestId('examples-dialog').count()) === 0) {
    await page.getByTestId('menu-file').click();
    await page.getByTestId('menuitem-file.openExample').click();
  }
  await page.getByTestId(`example-${id}`).click();
  // The trained example before it holds new weights: its changes are discarded.
  const confirm = page.getByTestId('confirm-dialog');
  await expect
    .poll(async () => (await confirm.isVisible()) || (await page.getByTestId('examples-dialog').count()) === 0)
    .toBe(true);
  if (await confirm.isVisible()) await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('examples-dialog')).toHaveCount(0);
  await expect(page.getByTestId('example-explanation')).toBeVisible();
}

test('each course example trains from the Training tab with its own settings; screenshots after training', async ({
  app: page,
}) => {
  test.setTimeout(600_000);
  await expect(page.locator('html[data-ready="true"]')).toBeAttached();
  await expect(page.getByTestId('examples-dialog')).toContainText('Welcome to Backprop Studio');
  const ids = await exampleCardIds(page);
  expect(ids.length).toBe(13);
  for (const id of ids) {
    await openExample(page, id);
    await expect(page.getByTestId('status-validation')).toContainText('Valid');
    await openTraining(page);
    // The whole graph in the canvas left above the panel, as View → Zoom to Fit puts it.
    await page.getByTestId('menu-view').click();
    await page.getByTestId('menuitem-view.fit').click();
    // An example is ready to train as it opens: nothing to fit to its data set.
    await expect(page.getByTestId('data-offer'), id).toHaveCount(0);
    const epochs = Number(await page.getByTestId('setting-epochs').inputValue());
    await page.getByTestId('train-start').click();
    await expect(page.getByTestId('train-state'), id).toHaveText('finished', { timeout: 150_000 });
    await expect(page.getByTestId('train-summary'), id).toContainText(`after epoch ${epochs}`);
    await expect(page.getByTestId('train-failure'), id).toHaveCount(0);
    await page.screenshot({ path: `test-results/screenshots/example-${id}-trained.png` });
  }
});
