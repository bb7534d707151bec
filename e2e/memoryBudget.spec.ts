// A network that fits at one batch size and not at a larger one: the student sees why, in the
// status bar, the Problems list and when pressing Train (the host refuses the session with the
// same sentence), and undoing the batch size makes the graph valid again.
import { expect, test } from './fixtures';
import {
  appReady,
  graphEdge as edge,
  graphNode as node,
  loadDocument,
  openTraining,
  setSetting,
} from './canvasHelpers';

/**
 * The digits MLP with a hidden layer of 2^18 units: about 20 M parameters (300 MB with their
 * gradients and two optimizer moments) and 4 MB of activations a sample, so batch 32 fits the 2 GB limit
 * and batch 512 does not.
 */
const wideDigits = {
  format: 'backprop-studio',
  version: 2,
  name: 'Wide digits MLP',
  description: '',
  graph: {
    nodes: [
      node('x', 'Input', { shape: [64] }, 0, 80),
      node('fc1', 'Linear', { out_features: 1 << 18 }, 200, 80),
      node('act1', 'ReLU', {}, 400, 80),
      node('fc2', 'Linear', { out_features: 10 }, 600, 80),
      node('y', 'Target', { kind: 'class-labels', shape: [] }, 600, 240),
      node('loss', 'CrossEntropyLoss', {}, 800, 160),
    ],
    edges: [
      edge('e1', 'x', 'fc1'),
      edge('e2', 'fc1', 'act1'),
      edge('e3', 'act1', 'fc2'),
      edge('e4', 'fc2', 'loss'),
      edge('e5', 'y', 'loss', 'target'),
    ],
  },
  training: {
    dataset: { name: 'digits', params: {} },
    batchSize: 32,
    epochs: 1,
  },
};

const tooLarge =
  /^This network needs [\d.]+ GB; the limit is 2\.0 GB \(.* batch 512\)\. Use smaller layers or a smaller batch\.$/;

test('a batch size the memory limit cannot hold is refused with what the network needs, in the editor and by the host', async ({
  app: page,
}) => {
  await appReady(page);
  await loadDocument(page, wideDigits, 'Wide digits MLP');
  const status = page.getByTestId('status-validation');
  await expect(status).toHaveText(/^Valid/);

  await openTraining(page);
  await setSetting(page, 'batchSize', '512');

  // The editor counts the network at the training batch: one error, said in the status bar and
  // listed under Problems.
  await expect(status).toHaveText(/^1 error — This network needs [\d.]+ GB; the limit is 2\.0 GB/);
  const sentence = ((await status.textContent()) ?? '').replace(/^1 error — /, '');
  expect(sentence).toMatch(tooLarge);
  await expect(page.getByTestId('problems')).toContainText(sentence);

  // Train asks the host for a session; it refuses it before a worker allocates anything, with the
  // same sentence, and the app stays connected.
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-failure')).toHaveText(sentence);
  await expect(page.getByTestId('status-host')).toHaveText('Host connected');
  await page.screenshot({ path: 'test-results/memory-budget.png' });

  // Undo puts batch 32 back, and the network fits again.
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('setting-batchSize')).toHaveValue('32');
  await expect(status).toHaveText(/^Valid/);
});
