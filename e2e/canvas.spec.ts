import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures';
import {
  appReady,
  connectHandles,
  dragFromPalette,
  focusCanvas,
  graphOf,
  inHandle,
  outHandle,
  selectNode,
  setParam,
} from './canvasHelpers';

test('build the XOR network by drag and drop, see shapes, break and fix a shape, undo/redo, save and reopen', async ({
  app: page,
}, testInfo) => {
  await appReady(page);
  await expect(page.getByTestId('status-host')).toContainText('Host connected');

  // Build: Input → Linear → Tanh → Linear → BCEWithLogits, with a Target.
  await dragFromPalette(page, 'Input', 90, 70);
  await dragFromPalette(page, 'Linear', 330, 70);
  await dragFromPalette(page, 'Tanh', 570, 70);
  await dragFromPalette(page, 'Linear', 90, 250);
  await dragFromPalette(page, 'Target', 330, 330);
  await dragFromPalette(page, 'BCEWithLogitsLoss', 570, 250);
  for (const id of ['input1', 'linear1', 'tanh1', 'linear2', 'target1', 'bcewithlogitsloss1'])
    await expect(page.getByTestId(`node-${id}`)).toBeVisible();
  await expect(page.getByTestId('status-counts')).toHaveText('6 nodes · 0 edges');

  // The output layer has one unit, and the labels are 0/1 values, one per sample.
  await selectNode(page, 'linear2');
  await setParam(page, 'linear2', 'out_features', '1');
  await selectNode(page, 'target1');
  await page.getByTestId('param-target1-kind').selectOption('binary-labels');
  await setParam(page, 'target1', 'shape', '1');
  await expect(page.getByTestId('node-summary-target1')).toContainText('0/1');

  await connectHandles(page, outHandle(page, 'input1'), inHandle(page, 'linear1'));
  await connectHandles(page, outHandle(page, 'linear1'), inHandle(page, 'tanh1'));
  await connectHandles(page, outHandle(page, 'tanh1'), inHandle(page, 'linear2'));
  await connectHandles(page, outHandle(page, 'linear2'), inHandle(page, 'bcewithlogitsloss1'));
  await connectHandles(page, outHandle(page, 'target1'), inHandle(page, 'bcewithlogitsloss1', 'target'));
  await expect(page.getByTestId('status-counts')).toHaveText('6 nodes · 5 edges');

  // Shapes are inferred on every edge as we wire.
  const labels = page.locator('.edge-label');
  await expect(labels).toHaveText(['N×2', 'N×8', 'N×8', 'N×1', 'N×1']);
  await expect(page.getByTestId('status-validation')).toContainText('Valid');

  // A wrong wire is refused with its reason: labels cannot feed a layer.
  await connectHandles(page, outHandle(page, 'target1'), inHandle(page, 'linear1'));
  await expect(page.getByTestId('toast').last()).toContainText('takes');
  await expect(page.getByTestId('status-counts')).toHaveText('6 nodes · 5 edges');

  // A shape error shows on the node with the validator's message.
  await selectNode(page, 'linear1');
  await setParam(page, 'linear1', 'in_features', '3');
  await expect(page.getByTestId('node-error-linear1')).toContainText('expects 3 input features');
  await expect(page.getByTestId('node-error-badge-linear1')).toBeVisible();
  await expect(page.getByTestId('status-validation')).toContainText('error');
  await page.screenshot({ path: 'test-results/screenshots/xor-shape-error-light.png' });

  // Fix it: back to "inferred from the input".
  await setParam(page, 'linear1', 'in_features', '');
  await expect(page.getByTestId('node-error-linear1')).toHaveCount(0);

  // Undo brings the error back; redo removes it again.
  await focusCanvas(page);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-error-linear1')).toBeVisible();
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('node-error-linear1')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+y');
  await expect(page.getByTestId('node-error-linear1')).toHaveCount(0);
  await expect(page.getByTestId('dirty-mark')).toBeVisible();

  // Save (browser mode downloads the project), reload, open the file: the same graph.
  const before = await graphOf(page);
  const download = page.waitForEvent('download');
  await page.keyboard.press('Control+s');
  await page.getByTestId('prompt-input').fill('xor-net.json');
  await page.getByTestId('prompt-ok').click();
  const file = testInfo.outputPath('xor-net.json');
  await (await download).saveAs(file);
  await expect(page.getByTestId('dirty-mark')).toHaveCount(0);
  await expect(page.getByTestId('doc-title')).toContainText('xor-net');
  expect(JSON.parse(await readFile(file, 'utf8')).graph.nodes).toHaveLength(6);

  await page.reload();
  await appReady(page);
  await expect(page.getByTestId('canvas-empty')).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menuitem-file.open').click();
  await (await chooser).setFiles(file);
  await expect(page.getByTestId('status-counts')).toHaveText('6 nodes · 5 edges');
  await expect(page.locator('.edge-label')).toHaveText(['N×2', 'N×8', 'N×8', 'N×1', 'N×1']);
  expect(await graphOf(page)).toEqual(before);
  await expect(page.getByTestId('dirty-mark')).toHaveCount(0);

  // File → New, then File → Open Recent brings it back too.
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menuitem-file.new').click();
  await expect(page.getByTestId('canvas-empty')).toBeVisible();
  await page.getByTestId('menu-file').click();
  await page.getByRole('menuitem', { name: 'xor-net' }).click();
  await expect(page.getByTestId('status-counts')).toHaveText('6 nodes · 5 edges');
  expect(await graphOf(page)).toEqual(before);
});

test('the XOR network up close, with an edge selected', async ({ app: page }) => {
  await appReady(page);
  await dragFromPalette(page, 'Input', 90, 90);
  await dragFromPalette(page, 'Linear', 330, 90);
  await dragFromPalette(page, 'Tanh', 570, 250);
  await connectHandles(page, outHandle(page, 'input1'), inHandle(page, 'linear1'));
  await connectHandles(page, outHandle(page, 'linear1'), inHandle(page, 'tanh1'));
  await page.getByTestId('edge-label-e1').click();
  await expect(page.getByTestId('inspector-edge-shape')).toHaveText('N×2');
  // While a wire is dragged to a port that cannot take it, the reason shows at the cursor.
  const from = await outHandle(page, 'tanh1').boundingBox();
  const to = await inHandle(page, 'linear1').boundingBox();
  await page.mouse.move(from!.x + 5, from!.y + 5);
  await page.mouse.down();
  await page.mouse.move(to!.x + 5, to!.y + 5, { steps: 8 });
  await expect(page.getByTestId('connection-hint')).toContainText('loop');
  await page.screenshot({ path: 'test-results/screenshots/xor-wiring-light.png' });
  await page.mouse.up();
});

test("while a wire is dragged from a Target, both losses' target ports stay lit (the Target takes the labels of the loss it is wired to); from a Linear's output, the label ports fade", async ({
  app: page,
}) => {
  await appReady(page);
  await dragFromPalette(page, 'Target', 90, 90);
  await dragFromPalette(page, 'CrossEntropyLoss', 420, 90);
  await dragFromPalette(page, 'BCEWithLogitsLoss', 420, 300);
  const from = (await outHandle(page, 'target1').boundingBox())!;
  await page.mouse.move(from.x + 5, from.y + 5);
  await page.mouse.down();
  await page.mouse.move(from.x + 120, from.y + 60, { steps: 5 });
  // A Target has no fixed kind while unwired: class indices for cross-entropy, 0/1 labels for BCE.
  await expect(page.getByTestId('canvas')).not.toHaveAttribute('data-connecting-kind', /.*/);
  await expect(inHandle(page, 'crossentropyloss1', 'target')).toHaveCSS('opacity', '1');
  await expect(inHandle(page, 'bcewithlogitsloss1', 'target')).toHaveCSS('opacity', '1');
  await page.mouse.up();
  await expect(page.getByTestId('canvas')).not.toHaveAttribute('data-connecting-kind', /.*/);

  // A wire of a settled kind: Linear's output, once an Input feeds it, is a tensor of scores. The
  // losses' score ports stay lit (and ringed); their label ports cannot take it and fade.
  await dragFromPalette(page, 'Input', 90, 260);
  await dragFromPalette(page, 'Linear', 90, 430);
  await connectHandles(page, outHandle(page, 'input1'), inHandle(page, 'linear1'));
  await expect(page.getByTestId('status-counts')).toHaveText('5 nodes · 1 edge');
  const linearOut = (await outHandle(page, 'linear1').boundingBox())!;
  await page.mouse.move(linearOut.x + 5, linearOut.y + 5);
  await page.mouse.down();
  await page.mouse.move(linearOut.x + 150, linearOut.y - 40, { steps: 5 });
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-connecting-kind', 'tensor');
  await expect(inHandle(page, 'crossentropyloss1')).toHaveCSS('opacity', '1');
  await expect(inHandle(page, 'bcewithlogitsloss1')).toHaveCSS('opacity', '1');
  await expect(inHandle(page, 'crossentropyloss1', 'target')).toHaveCSS('opacity', '0.2');
  await expect(inHandle(page, 'bcewithlogitsloss1', 'target')).toHaveCSS('opacity', '0.2');
  await page.screenshot({ path: 'test-results/screenshots/wire-kinds-light.png' });
  await page.mouse.up();
  await expect(page.getByTestId('canvas')).not.toHaveAttribute('data-connecting-kind', /.*/);
});
