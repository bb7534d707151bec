import { expect, test } from './fixtures';
import {
  appReady,
  connectHandles,
  dragFromPalette,
  focusCanvas,
  inHandle,
  outHandle,
  selectNode,
  setParam,
} from './canvasHelpers';

test.use({ livePreview: true });

test('custom node: a swish written in code previews, passes the gradient check, and a broken line is flagged', async ({
  app: page,
}) => {
  test.setTimeout(300_000);
  await appReady(page);
  await expect(page.getByTestId('status-host')).toContainText('Host connected');
  await expect(page.getByTestId('palette-item-Custom')).toContainText('Custom (code)');

  // Input → Linear(4) → Custom (swish, its default code) → Linear(1) → BCE-with-logits ← Target, on XOR.
  await dragFromPalette(page, 'Input', 90, 70);
  await dragFromPalette(page, 'Linear', 330, 70);
  await dragFromPalette(page, 'Custom', 570, 70);
  await dragFromPalette(page, 'Linear', 90, 280);
  await dragFromPalette(page, 'Target', 330, 400);
  await dragFromPalette(page, 'BCEWithLogitsLoss', 570, 300);
  await selectNode(page, 'linear1');
  await setParam(page, 'linear1', 'out_features', '4');
  await selectNode(page, 'linear2');
  await setParam(page, 'linear2', 'out_features', '1');
  await selectNode(page, 'target1');
  await page.getByTestId('param-target1-kind').selectOption('binary-labels');
  await setParam(page, 'target1', 'shape', '1');
  await connectHandles(page, outHandle(page, 'input1'), inHandle(page, 'linear1'));
  await connectHandles(page, outHandle(page, 'linear1'), inHandle(page, 'custom1', 'x'));
  await connectHandles(page, outHandle(page, 'custom1'), inHandle(page, 'linear2'));
  await connectHandles(page, outHandle(page, 'linear2'), inHandle(page, 'bcewithlogitsloss1'));
  await connectHandles(page, outHandle(page, 'target1'), inHandle(page, 'bcewithlogitsloss1', 'target'));

  // The worker ran the code on a dummy batch: the shapes are known and the graph is valid.
  await selectNode(page, 'custom1');
  await expect(page.getByTestId('custom-code-status')).toContainText('Runs: x N×4 → N×4, 2 ops');
  await expect(page.getByTestId('status-validation')).toContainText('Valid');
  const edges = (await page.evaluate('window.backpropStudio.state().doc.graph.edges')) as {
    id: string;
    source: string;
  }[];
  const out = edges.find((e) => e.source === 'custom1')!.id;
  await expect(page.getByTestId(`edge-glyph-${out}`)).toBeVisible();
  await expect(page.getByTestId(`edge-tensor-${out}`)).toHaveAttribute('data-stale', 'false');
  await expect(page.getByTestId(`edge-glyph-${out}`)).toHaveAttribute('title', /^activation 1×4\n/);

  // Check gradient: autograd's gradient at the node's input against finite differences.
  await page.getByTestId('custom-grad-check').click();
  const result = page.getByTestId('custom-grad-check-result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  const err = Number(await result.getAttribute('data-max-rel-error'));
  console.log(`custom swish node: gradient check max relative error ${err}`);
  expect(err).toBeLessThan(1e-6);
  await page.screenshot({ path: 'test-results/screenshots/custom-node.png' });

  // Break line 5 (a misspelt op): the worker's error is on the node and marked on that line in the editor.
  const editor = page.getByTestId('custom-code-editor');
  // Edit → Replace in the editor (Ctrl+H), as a student renames a call.
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+H');
  await editor.getByRole('textbox', { name: 'Find' }).fill('sigmoid(x)');
  await editor.getByRole('textbox', { name: 'Replace' }).fill('sigmoidd(x)');
  await editor.getByRole('button', { name: /^Replace All/ }).click();
  await expect(page.getByTestId('custom-code-error')).toHaveAttribute('data-line', '5');
  await expect(page.getByTestId('custom-code-error')).toContainText('sigmoidd is not defined');
  await expect(page.getByTestId('inspector-issue')).toContainText('Line 5 of its code: sigmoidd is not defined');
  await expect(page.getByTestId('status-validation')).not.toContainText('Valid');
  await expect(editor.locator('.squiggly-error').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/custom-node-error.png' });

  // Undo brings back the working code, and with it what running it found.
  await focusCanvas(page);
  await page.keyboard.press('ControlOrMeta+Z');
  await expect(page.getByTestId('status-validation')).toContainText('Valid');
  await selectNode(page, 'custom1');
  await expect(page.getByTestId('custom-code-editor')).toContainText('sigmoid(x)');
  await expect(page.getByTestId('custom-code-status')).toContainText('Runs: x N×4 → N×4');
  await expect(page.getByTestId('status-validation')).toContainText('Valid');
});
