import { expect, test } from './fixtures';
import { appReady, loadDocument, selectNode } from './canvasHelpers';

/** A 15-node digits CNN with a prediction head: enough to judge density, labels and colours. */
function digitsCnn(): unknown {
  const n = (id: string, type: string, params: Record<string, unknown> = {}) => ({
    id,
    type,
    params,
    position: { x: 0, y: 0 },
  });
  const nodes = [
    n('image', 'Input', { shape: [1, 8, 8], kind: 'tensor' }),
    n('conv1', 'Conv2d', { in_channels: null, out_channels: 8, kernel_size: 3, stride: 1, padding: 1 }),
    n('relu1', 'ReLU'),
    n('pool1', 'MaxPool2d', { kernel_size: 2 }),
    n('conv2', 'Conv2d', { in_channels: null, out_channels: 16, kernel_size: 3, stride: 1, padding: 1 }),
    n('relu2', 'ReLU'),
    n('flat', 'Flatten'),
    n('fc1', 'Linear', { in_features: null, out_features: 64, bias: true }),
    n('relu3', 'ReLU'),
    n('drop', 'Dropout', { p: 0.2 }),
    n('fc2', 'Linear', { in_features: null, out_features: 10, bias: true }),
    n('labels', 'Target', { kind: 'class-labels', shape: [] }),
    n('loss', 'CrossEntropyLoss'),
    n('probs', 'SoftmaxProbability'),
    n('pred', 'Argmax'),
  ];
  const chain = ['image', 'conv1', 'relu1', 'pool1', 'conv2', 'relu2', 'flat', 'fc1', 'relu3', 'drop', 'fc2'];
  const edges = chain
    .slice(1)
    .map((t, i) => ({ id: `e${i + 1}`, source: chain[i], sourcePort: 'out', target: t, targetPort: 'input' }));
  edges.push({ id: 'e20', source: 'fc2', sourcePort: 'out', target: 'loss', targetPort: 'input' });
  edges.push({ id: 'e21', source: 'labels', sourcePort: 'out', target: 'loss', targetPort: 'target' });
  edges.push({ id: 'e22', source: 'fc2', sourcePort: 'out', target: 'probs', targetPort: 'input' });
  edges.push({ id: 'e23', source: 'probs', sourcePort: 'out', target: 'pred', targetPort: 'input' });
  return { format: 'backprop-studio', version: 2, name: 'Digits CNN', description: '', graph: { nodes, edges } };
}

test('a 15-node graph in the light and dark themes', async ({ app: page }) => {
  await appReady(page);
  await loadDocument(page, digitsCnn(), 'Digits CNN');
  await expect(page.getByTestId('status-counts')).toHaveText('15 nodes · 14 edges');
  await page.getByTestId('tool-edit.autoLayout').click();
  await page.waitForTimeout(600);
  await selectNode(page, 'fc1');
  await expect(page.getByTestId('formula')).toBeVisible();
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'test-results/screenshots/graph15-light.png' });

  await page.getByTestId('tool-view.toggleDarkMode').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('tab-code').click();
  await expect(page.locator('.monaco-editor')).toBeVisible();
  await page.waitForTimeout(500);
  await page.screenshot({ path: 'test-results/screenshots/graph15-dark.png' });
});

test('a course example opened from File → Open Example', async ({ app: page }) => {
  await appReady(page);
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menuitem-file.openExample').click();
  await expect(page.getByTestId('example-list')).toBeVisible();
  const first = page.getByTestId('example-list').locator('[data-testid^="example-"]').first();
  await page.screenshot({ path: 'test-results/screenshots/examples-light.png' });
  await first.click();
  await expect(page.getByTestId('examples-dialog')).toHaveCount(0);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await expect(page.getByTestId('status-validation')).toContainText('Valid');
  await page.waitForTimeout(400);
  await page.screenshot({ path: 'test-results/screenshots/example-opened-light.png' });
});
