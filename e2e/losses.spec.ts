import { expect, test } from './fixtures';
import { TestApi } from './stepApi';

interface LossViewAnswer {
  axis: string;
  points: { x: number; loss: number; slope: number; label: number }[] | null;
  curves: { id: string; chosen: boolean }[];
}

test('losses side by side: the hinge example’s batch on the hinge, its slope and the other losses', async ({
  app: page,
  webApp,
}) => {
  await expect(page.locator('html[data-ready="true"]')).toBeAttached();
  await page.getByTestId('example-binary-losses').click();
  await expect(page.getByTestId('examples-dialog')).toHaveCount(0);
  // A batch of 24 training examples, chosen in the Step tab.
  await page.getByTestId('tab-step').click();
  await page.getByTestId('batch-mode').selectOption('range');
  await page.getByTestId('batch-size').fill('24');

  // The loss node's inspector opens the Losses tab on it.
  await page.locator('.react-flow__node[data-id="loss"]').click();
  await page.getByTestId('plot-loss').click();
  await expect(page.getByTestId('tab-losses')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('loss-status')).toContainText('Run forward to start the step session');

  await page.getByTestId('loss-run-forward').click();
  const charts = page.getByTestId('loss-charts');
  await expect(charts).toHaveAttribute('data-points', '24');
  await expect(charts).toHaveAttribute('data-axis', 'margin');
  // Stepping from the Losses tab keeps it in view.
  await expect(page.getByTestId('tab-losses')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('loss-status')).toContainText('24 examples');
  const legend = page.getByTestId('loss-legend');
  for (const name of ['Hinge loss (±1)', '0/1 loss', 'perceptron', 'logistic', 'squared'])
    await expect(legend).toContainText(name);
  // Room for the curves: the bottom panel is dragged taller, as a student would.
  const bar = (await page.getByTestId('splitter-bottom').boundingBox())!;
  await page.mouse.move(bar.x + 200, bar.y + bar.height / 2);
  await page.mouse.down();
  await page.mouse.move(bar.x + 200, bar.y - 140, { steps: 5 });
  await page.mouse.up();
  await page.screenshot({ path: 'test-results/screenshots/losses-hinge-forward.png' });

  // What the dots say is what the engine computed: their mean is the session's loss, and an
  // example pushes (slope −1) exactly when its margin is below 1.
  await page.getByTestId('tab-step').click();
  const id = await page.getByTestId('step-panel').getAttribute('data-session-id');
  expect(id).toBeTruthy();
  // The step bar's loss, to 6 significant digits.
  const loss = Number((await page.getByTestId('step-loss').locator('b').innerText()).trim());
  expect(Number.isFinite(loss)).toBe(true);
  const api = await TestApi.open(webApp);
  try {
    const view = await api.call<LossViewAnswer>('session.lossView', { sessionId: id });
    expect(view.points).toHaveLength(24);
    const mean = view.points!.reduce((a, p) => a + p.loss, 0) / 24;
    expect(Math.abs(mean - loss)).toBeLessThan(1e-5 * Math.max(1, loss));
    for (const p of view.points!) {
      expect(p.slope).toBe(p.x < 1 ? -1 : 0);
      expect(p.loss).toBeCloseTo(Math.max(0, 1 - p.x), 5);
    }
    const pushing = view.points!.filter((p) => p.slope !== 0).length;
    await page.getByTestId('tab-losses').click();
    await expect(page.getByTestId('loss-status')).toContainText(`${pushing} push the weights`);

    // A training step later the dots have moved: the same examples, new margins.
    await page.getByTestId('loss-run-backward').click();
    await expect(page.getByTestId('loss-apply-update')).toBeEnabled();
    await page.getByTestId('loss-apply-update').click();
    await expect(page.getByTestId('loss-apply-update')).toBeDisabled();
    await page.getByTestId('loss-run-forward').click();
    await expect(charts).toHaveAttribute('data-points', '24');
    await expect
      .poll(async () => {
        const after = await api.call<LossViewAnswer>('session.lossView', { sessionId: id });
        return after.points?.some((p, i) => p.x !== view.points![i]!.x) ?? false;
      })
      .toBe(true);
    await page.screenshot({ path: 'test-results/screenshots/losses-hinge-after-update.png' });
  } finally {
    api.close();
  }
});
