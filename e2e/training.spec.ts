import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  appReady,
  graphEdge as edge,
  graphNode as node,
  loadDocument,
  openTraining,
  selectNode,
  setParam,
  setSetting,
} from './canvasHelpers';

// Training from the Training tab, driven as a student does. Every wait is on work done (an epoch
// count, a state), never on the clock: CI machines are loaded.

/** An MLP built for the 2-D default data set (XOR): Input 2, hidden 32 ReLU, 2 class scores. */
function handBuiltMlp(): unknown {
  return {
    format: 'backprop-studio',
    version: 2,
    name: 'My MLP',
    description: '',
    graph: {
      nodes: [
        node('input1', 'Input', { shape: [2] }),
        node('linear1', 'Linear', { out_features: 32 }),
        node('relu1', 'ReLU'),
        node('linear2', 'Linear', { out_features: 2 }),
        node('target1', 'Target', { kind: 'class-labels', shape: [] }),
        node('loss1', 'CrossEntropyLoss'),
      ],
      edges: [
        edge('e1', 'input1', 'linear1'),
        edge('e2', 'linear1', 'relu1'),
        edge('e3', 'relu1', 'linear2'),
        edge('e4', 'linear2', 'loss1'),
        edge('e5', 'target1', 'loss1', 'target'),
      ],
    },
  };
}

const example = (name: string): unknown => JSON.parse(readFileSync(`resources/examples/${name}`, 'utf8'));

/** The epoch in progress, read from the progress bar's text. */
async function epochShown(page: Page): Promise<number> {
  const text = (await page.getByTestId('train-progress-text').textContent()) ?? '';
  return Number(/epoch (\d+)/.exec(text)?.[1] ?? 0);
}

/** A part of the open project, as the app holds it. */
async function docPart<T = unknown>(page: Page, path: string): Promise<T> {
  return (await page.evaluate(`window.backpropStudio.state().doc.${path}`)) as T;
}

const percent = (text: string, label: string): number =>
  Number(new RegExp(`${label} ([\\d.]+)%`).exec(text)?.[1] ?? NaN);

test.use({ viewport: { width: 1500, height: 950 } });

test('digits for a hand-built MLP: the shape offer, Adam to ≥ 90% dev accuracy, pause, resume, stop', async ({
  app: page,
}) => {
  await appReady(page);
  await loadDocument(page, handBuiltMlp(), 'My MLP');
  await openTraining(page);
  await expect(page.getByTestId('status-validation')).toContainText('Valid');

  // Choosing digits: the graph no longer fits, on its Input, and the tab offers the fix.
  await page.getByTestId('dataset-picker').selectOption('digits');
  await expect(page.getByTestId('preview-images')).toBeVisible();
  await expect(page.getByTestId('status-validation')).toContainText(
    'takes 2 = 2 features, but the data set "digits" has 64',
  );
  await expect(page.getByTestId('node-error-input1')).toBeVisible();
  await expect(page.getByTestId('data-offer')).toContainText('Input “input1” takes 64');
  await expect(page.getByTestId('data-offer')).toContainText('Linear “linear2” has 10 outputs');
  await page.getByTestId('data-offer-apply').click();
  await expect(page.getByTestId('status-validation')).toContainText('Valid');
  await expect(page.getByTestId('data-offer')).toHaveCount(0);
  // One undo step puts the old shapes back; redo applies the offer again.
  await page.getByTestId('menu-edit').click();
  await page.getByTestId('menuitem-edit.undo').click();
  await expect(page.getByTestId('status-validation')).toContainText('error');
  await page.getByTestId('menu-edit').click();
  await page.getByTestId('menuitem-edit.redo').click();
  await expect(page.getByTestId('status-validation')).toContainText('Valid');

  // Adam, lr 0.01, many epochs: we pause, resume and stop it ourselves.
  await page.getByTestId('setting-optimizer.type').selectOption('adam');
  await setSetting(page, 'optimizer.lr', '0.01');
  await setSetting(page, 'epochs', '500');
  await expect(page.getByTestId('setting-optimizer.beta1')).toHaveValue('0.9');
  await expect(page.getByTestId('setting-optimizer.momentum')).toHaveCount(0);
  const saved = await docPart<{ optimizer: unknown; epochs: number }>(page, 'training');
  expect(saved.optimizer).toMatchObject({ type: 'adam', lr: 0.01 });
  expect(saved.epochs).toBe(500);

  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-state')).toHaveText('running');
  await expect.poll(() => epochShown(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('train-state')).toHaveText('paused');
  const pausedAt = await epochShown(page);
  // The settings are locked while a run is in progress.
  await expect(page.getByTestId('setting-optimizer.lr')).toBeDisabled();
  await page.getByTestId('train-resume').click();
  await expect(page.getByTestId('train-state')).toHaveText('running');
  await expect.poll(() => epochShown(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(pausedAt + 12);
  await expect(page.getByTestId('train-progress-text')).toContainText('examples/s');
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-state')).toHaveText('stopped');
  const summary = (await page.getByTestId('train-summary').textContent()) ?? '';
  expect(percent(summary, 'dev')).toBeGreaterThanOrEqual(90);

  // The weights are in the project; the confusion matrices of dev and test are drawn.
  const weights = Object.keys((await docPart<Record<string, unknown> | undefined>(page, 'weights')) ?? {});
  expect(weights).toEqual(expect.arrayContaining(['linear1.weight', 'linear2.bias']));
  await confusionLayout(page);
});

/** The whole of an element is in the window: nothing to scroll to see it. */
async function inWindow(page: Page, testId: string): Promise<void> {
  const box = await page.getByTestId(testId).boundingBox();
  const { width, height } = page.viewportSize()!;
  expect(box, testId).not.toBeNull();
  expect(Math.min(box!.x, box!.y), `${testId}'s top left`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${testId}'s right edge`).toBeLessThanOrEqual(width);
  expect(box!.y + box!.height, `${testId}'s bottom edge`).toBeLessThanOrEqual(height);
}

async function chartWidths(page: Page): Promise<number[]> {
  return Promise.all(
    ['chart-loss', 'chart-accuracy'].map(async (id) => (await page.getByTestId(id).boundingBox())?.width ?? 0),
  );
}

/**
 * After a classification run with dev and test sets, at three window sizes: the curves keep a
 * useful width and each confusion matrix can be seen whole without scrolling.
 */
async function confusionLayout(page: Page): Promise<void> {
  // 1500×950: a plots column beside the curves, one matrix at a time under a Dev/Test switch.
  await expect(page.getByTestId('confusion-dev')).toBeVisible();
  await expect(page.getByTestId('confusion-test')).toHaveCount(0);
  await inWindow(page, 'confusion-dev');
  for (const w of await chartWidths(page)) expect(w).toBeGreaterThanOrEqual(220);
  await page.screenshot({ path: 'test-results/screenshots/training-digits.png' });
  await page.getByTestId('confusion-dev').screenshot({ path: 'test-results/screenshots/training-confusion.png' });
  await page.getByTestId('train-charts').screenshot({ path: 'test-results/screenshots/training-charts.png' });
  await expect(page.getByTestId('confusion-show-test')).toContainText(/Test \d+\.\d%/);
  await page.getByTestId('confusion-show-test').click();
  await expect(page.getByTestId('confusion-dev')).toHaveCount(0);
  await inWindow(page, 'confusion-test');
  await page.getByTestId('confusion-show-dev').click();

  // 1280×800: the plots take turns with the curves, which keep the middle's whole width; the two
  // matrices side by side in their view.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByTestId('training-view-plots')).toHaveText('Confusion');
  await expect(page.getByTestId('confusion-dev')).toHaveCount(0);
  await expect.poll(async () => Math.min(...(await chartWidths(page)))).toBeGreaterThanOrEqual(220);
  await page.screenshot({ path: 'test-results/screenshots/training-digits-1280.png' });
  await page.getByTestId('training-view-plots').click();
  await expect(page.getByTestId('confusion-show-test')).toHaveCount(0);
  await inWindow(page, 'confusion-dev');
  await inWindow(page, 'confusion-test');
  await page.screenshot({ path: 'test-results/screenshots/training-digits-1280-confusion.png' });
  await page.getByTestId('training-view-curves').click();

  // A wide window: both matrices side by side in the plots column, no switch.
  await page.setViewportSize({ width: 1920, height: 1080 });
  await expect(page.getByTestId('confusion-show-test')).toHaveCount(0);
  await inWindow(page, 'confusion-dev');
  await inWindow(page, 'confusion-test');
  await expect.poll(async () => Math.min(...(await chartWidths(page)))).toBeGreaterThanOrEqual(300);
  await page.screenshot({ path: 'test-results/screenshots/training-digits-wide.png' });
  await page.setViewportSize({ width: 1500, height: 950 });
}

test('the Dev/Test and Curves | Confusion choices outlive a window resized across layouts', async ({ app: page }) => {
  await appReady(page);
  // The XOR example for three epochs, with a test split: dev and test matrices at the end.
  const xor = example('xor-mlp.json') as { training: Record<string, unknown> };
  const training = { ...xor.training, split: { train: 0.7, dev: 0.15, test: 0.15 }, epochs: 3 };
  await loadDocument(page, { ...xor, training }, 'XOR');
  await openTraining(page);
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-state')).toHaveText('finished', { timeout: 120_000 });

  // 1500×950: one matrix at a time; the student picks Test.
  await page.getByTestId('confusion-show-test').click();
  await expect(page.getByTestId('confusion-dev')).toHaveCount(0);
  await expect(page.getByTestId('confusion-test')).toBeVisible();

  // 1280×800 moves the matrices under the curves' switch; the student picks the matrices there.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByTestId('training-view-plots')).toBeVisible();
  await page.getByTestId('training-view-plots').click();
  await expect(page.getByTestId('confusion-test')).toBeVisible();

  // Back to 1500×950: still Test, not the default Dev.
  await page.setViewportSize({ width: 1500, height: 950 });
  await expect(page.getByTestId('training-view-plots')).toHaveCount(0);
  await expect(page.getByTestId('confusion-show-test')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('confusion-test')).toBeVisible();
  await expect(page.getByTestId('confusion-dev')).toHaveCount(0);

  // And 1280×800 again: still the matrices, not the curves.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(page.getByTestId('training-view-plots')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('training-plots-inline')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/training-choices-kept-1280.png' });

  // A visit to the Step tab (the Training tab is built anew on return) keeps both choices too.
  await page.getByTestId('tab-step').click();
  await expect(page.getByTestId('training-panel')).toHaveCount(0);
  await page.getByTestId('tab-training').click();
  await expect(page.getByTestId('training-view-plots')).toHaveAttribute('aria-selected', 'true');
  await page.setViewportSize({ width: 1500, height: 950 });
  await expect(page.getByTestId('confusion-show-test')).toHaveAttribute('aria-selected', 'true');
});

test('the spiral example reaches 95% train accuracy with its decision boundary; runs compare', async ({
  app: page,
}) => {
  await appReady(page);
  await loadDocument(page, example('spiral3-mlp.json'), 'Spiral');
  await openTraining(page);
  await expect(page.getByTestId('preview-scatter')).toBeVisible();
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-state')).toHaveText('finished', { timeout: 150_000 });
  const summary = (await page.getByTestId('train-summary').textContent()) ?? '';
  expect(percent(summary, 'train accuracy')).toBeGreaterThanOrEqual(95);
  await expect(page.getByTestId('decision-boundary')).toBeVisible();
  await page.getByTestId('decision-boundary').screenshot({ path: 'test-results/screenshots/training-boundary.png' });
  // One more epoch, continuing from the trained weights.
  await page.getByTestId('train-epoch').click();
  await expect(page.getByTestId('train-summary')).toContainText('after epoch 201');

  // A second run with another optimizer, from fresh weights, overlaid on the first.
  await page.getByTestId('train-reset').click();
  await page.getByTestId('setting-optimizer.type').selectOption('sgd');
  await setSetting(page, 'optimizer.lr', '0.1');
  await setSetting(page, 'epochs', '60');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-state')).toHaveText('finished', { timeout: 150_000 });
  await page.getByTestId('chart-compare').check();
  await expect(page.getByTestId('chart-legend')).toContainText('run 1: Tanh · Adam lr 0.01');
  await expect(page.getByTestId('chart-legend')).toContainText('this run: Tanh · SGD lr 0.1');
  await page.getByTestId('chart-log').check();
  await page.screenshot({ path: 'test-results/screenshots/training-compare.png' });
  await page.getByTestId('train-charts').screenshot({ path: 'test-results/screenshots/training-compare-charts.png' });
});

test('a CSV with an error is refused with its line number, and nothing is loaded', async ({ app: page }) => {
  await appReady(page);
  await loadDocument(page, example('xor-mlp.json'), 'XOR');
  await openTraining(page);
  const before = await docPart(page, 'training.dataset');
  await page.getByTestId('dataset-picker').selectOption('csv');
  await page.getByTestId('csv-file').setInputFiles({
    name: 'broken.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('a,b,label\n0.1,0.2,0\n0.3,oops,1\n0.5,0.6,1\n'),
  });
  await expect(page.getByTestId('csv-error')).toContainText('line 3');
  const after = await docPart(page, 'training.dataset');
  expect(after).toEqual(before);
});

test('an uploaded CSV is previewed and trained on: the host reads it from its data folder, by no other path', async ({
  app: page,
}) => {
  await appReady(page);
  await loadDocument(page, example('xor-mlp.json'), 'XOR');
  await openTraining(page);
  await page.getByTestId('dataset-picker').selectOption('csv');
  const rows = ['a,b,label'];
  for (let i = 0; i < 40; i++) rows.push(`${i % 2},${(i >> 1) % 2},${(i % 2) ^ ((i >> 1) % 2)}`);
  await page.getByTestId('csv-file').setInputFiles({
    name: 'my xor.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${rows.join('\n')}\n`),
  });
  await expect(page.getByTestId('csv-error')).toHaveCount(0);
  await expect(page.getByText('40 samples')).toBeVisible();
  await expect.poll(() => docPart<string>(page, 'training.dataset.name')).toBe('csv');
  const dataset = await docPart<{ name: string; params: { path: string } }>(page, 'training.dataset');
  expect(dataset.params.path).toMatch(/datasets[\\/]my_xor-[0-9a-f]{16}\.csv$/);
  await setSetting(page, 'epochs', '3');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-state')).toHaveText('finished', { timeout: 60_000 });
  await expect(page.getByTestId('train-summary')).toContainText('after epoch 3');
});

/** A ReLU network regressing the noisy sine with squared error: with a huge step its weights blow up. */
function sineRegression(): unknown {
  return {
    format: 'backprop-studio',
    version: 2,
    name: 'Sine',
    description: '',
    graph: {
      nodes: [
        node('x', 'Input', { shape: [1] }),
        node('fc1', 'Linear', { out_features: 16 }),
        node('relu', 'ReLU'),
        node('fc2', 'Linear', { out_features: 1 }),
        node('y', 'Target', { kind: 'real-targets', shape: [1] }),
        node('mse', 'MSELoss'),
      ],
      edges: [
        edge('e1', 'x', 'fc1'),
        edge('e2', 'fc1', 'relu'),
        edge('e3', 'relu', 'fc2'),
        edge('e4', 'fc2', 'mse'),
        edge('e5', 'y', 'mse', 'target'),
      ],
    },
    training: { dataset: { name: 'sine', params: {} } },
  };
}

test('a learning rate of 1e3 stops on NaN/Inf naming the node, with a remedy', async ({ app: page }) => {
  await appReady(page);
  await loadDocument(page, sineRegression(), 'Sine');
  await openTraining(page);
  await expect(page.getByTestId('status-validation')).toContainText('Valid');
  await setSetting(page, 'optimizer.lr', '1000');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-state')).toHaveText('failed', { timeout: 150_000 });
  const failure = page.getByTestId('train-failure');
  await expect(failure).toContainText(/NaN|Inf/);
  await expect(failure).toContainText(/appeared in .*"(fc1|fc2|relu|mse)"/);
  await expect(failure).toContainText('Lower the learning rate');
  await page.screenshot({ path: 'test-results/screenshots/training-nan.png' });
});

/** Runs a forward pass from the Step tab (a fresh batch when the last pass went stale) and reads its loss. */
async function forwardLoss(page: Page): Promise<number> {
  await page.getByTestId('tab-step').click();
  await page.getByTestId('step-runForward').click();
  await expect(page.getByTestId('step-status')).toContainText('Forward pass complete');
  // The loss as the Step tab shows it next to the current node.
  return Number(/loss\s*([-\d.e+]+)/.exec((await page.getByTestId('step-loss').textContent()) ?? '')?.[1] ?? NaN);
}

test('a 1-D regression draws its fitted curve while training; stepping reads the paused and the trained weights; edits wait for the run', async ({
  app: page,
}) => {
  await appReady(page);
  await loadDocument(page, example('regression.json'), 'Regression');
  await openTraining(page);
  const untrained = await forwardLoss(page);

  await openTraining(page);
  // Small batches and far more epochs (millions of steps) than the test waits for: it pauses and
  // stops the run itself.
  await setSetting(page, 'batchSize', '4');
  await setSetting(page, 'epochs', '100000');
  await page.getByTestId('train-start').click();
  // The curve is drawn (and redrawn) while the run goes on; a regression has no decision boundary.
  await expect(page.getByTestId('fitted-curve')).toBeVisible();
  await expect(page.getByTestId('train-state')).toHaveText('running');
  await expect(page.getByTestId('decision-boundary')).toHaveCount(0);

  // An edit that changes the network is refused while it trains, and says why.
  await selectNode(page, 'fc1');
  await setParam(page, 'fc1', 'out_features', '8');
  await expect(page.getByTestId('toast').filter({ hasText: 'stop the run to change it' })).toBeVisible();
  const fc1 = async () =>
    (await docPart<{ id: string; params: { out_features: number } }[]>(page, 'graph.nodes')).find(
      (n) => n.id === 'fc1',
    )!.params.out_features;
  expect(await fc1()).toBe(32);
  await page.getByTestId('tab-step').click();
  await expect(page.getByTestId('step-forward')).toBeDisabled();
  await expect(page.getByTestId('step-status')).toContainText('Training is running');

  // Paused, the step tools run the paused weights (an update stays the run's to make).
  await openTraining(page);
  await expect.poll(() => epochShown(page), { timeout: 120_000 }).toBeGreaterThanOrEqual(10);
  await page.getByTestId('train-pause').click();
  await expect(page.getByTestId('train-state')).toHaveText('paused');
  const paused = await forwardLoss(page);
  expect(paused).toBeLessThan(untrained * 0.7);
  await page.getByTestId('step-runBackward').click();
  await expect(page.getByTestId('step-status')).toContainText('Backward pass complete');
  await expect(page.getByTestId('step-applyUpdate')).toBeDisabled();

  // Resumed and stopped: the weights go into the project and stepping starts from them.
  await openTraining(page);
  await page.getByTestId('train-resume').click();
  await expect(page.getByTestId('train-state')).toHaveText('running');
  await page.getByTestId('train-stop').click();
  await expect(page.getByTestId('train-state')).toHaveText('stopped');
  await expect.poll(() => docPart(page, 'weights')).toBeTruthy();
  await page.getByTestId('fitted-curve').screenshot({ path: 'test-results/screenshots/training-fitted-curve.png' });
  const trained = await forwardLoss(page);
  expect(trained).toBeLessThan(untrained * 0.7);
  await expect(page.getByTestId('step-applyUpdate')).toHaveCount(1);
  // Once stopped, the network can change again.
  await setParam(page, 'fc1', 'out_features', '8');
  await expect.poll(fc1).toBe(8);
});
