import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Presses a step shortcut on the canvas and waits until the session has answered. */
async function press(page: Page, key: string): Promise<void> {
  await page
    .locator('.react-flow__pane')
    .first()
    .click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(key);
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
}

/** The record id of the op the last backward op step highlighted. */
async function currentOp(page: Page): Promise<string | null> {
  const cur = page.locator('[data-testid^="tape-op-"][data-backward="current"]');
  await expect(cur).toHaveCount(1);
  return cur.getAttribute('data-testid');
}

test('a Linear of XOR expands into the MatMul and Add the engine recorded, and backward steps walk the tape op by op', async ({
  app: page,
}) => {
  await expect(page.locator('html[data-ready="true"]')).toBeAttached();
  await page.getByTestId('example-xor-mlp').click();
  await expect(page.getByTestId('examples-dialog')).toHaveCount(0);
  await page.getByTestId('tab-step').click();
  await page.getByTestId('batch-mode').selectOption('range');
  await page.getByTestId('batch-size').fill('4');

  // Forward through x and fc1, then expand fc1 from its context menu.
  await press(page, 'F10');
  await press(page, 'F10');
  await page.getByTestId('node-fc1').locator('.gnode-header').click({ button: 'right' });
  await page.getByTestId('context-step.expandOps').click();
  const view = page.getByTestId('tape-view');
  await expect(view).toBeVisible();
  await expect(view).toHaveAttribute('data-node', 'fc1');
  const ops = view.locator('[data-testid^="tape-op-"][data-kernel]');
  await expect(ops).toHaveCount(2);
  // What the engine records for a Linear: x·Wᵀ (MatMul with transposeB), then + b (Add).
  await expect(ops.nth(0)).toHaveAttribute('data-kernel', 'MatMul');
  await expect(ops.nth(1)).toHaveAttribute('data-kernel', 'Add');
  await expect(ops.nth(0)).toContainText('transposeB');
  await expect(ops.nth(0)).toContainText('4×8');
  // Each op shows its value; no gradient before the backward pass.
  for (const i of [0, 1]) {
    const id = (await ops.nth(i).getAttribute('data-testid'))!;
    await expect(page.getByTestId(`${id}-value`).locator('canvas, svg').first()).toBeVisible();
    await expect(page.getByTestId(`${id}-gradient`)).toHaveAttribute('data-has', 'false');
  }
  // The tensors they read: the batch and fc1's parameters.
  await expect(page.getByTestId('tape-leaf-x')).toBeVisible();
  await expect(page.getByTestId('tape-leaf-fc1.weight')).toContainText('8×2');
  await expect(page.getByTestId('tape-leaf-fc1.bias')).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/tape-linear-ops.png' });
  await page.keyboard.press('Escape');
  await expect(view).toHaveCount(0);

  // The whole network as its tape, after the forward pass; then backward one op at a time.
  await press(page, 'F5');
  await press(page, 'Alt+T');
  await expect(view).toBeVisible();
  await expect(view).toHaveAttribute('data-node', '');
  await expect.poll(() => ops.count()).toBeGreaterThan(6);
  await expect(view.locator('[data-kernel="Tanh"]')).toHaveCount(1);
  await expect(view.locator('[data-backward="current"]')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/tape-network.png' });

  const seen: string[] = [];
  for (let k = 0; k < 4; k++) {
    await page.getByTestId('tape-backward-op').click();
    await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
    await expect.poll(() => currentOp(page)).not.toBe(seen.at(-1) ?? null);
    const id = (await currentOp(page))!;
    seen.push(id);
    // The op just backpropagated: its output's gradient is shown, and the ops after it are done.
    await expect(page.getByTestId(`${id}-gradient`)).toHaveAttribute('data-has', 'true');
    await expect(view.locator('[data-backward="done"]')).toHaveCount(k);
    if (k === 1) await page.screenshot({ path: 'test-results/screenshots/tape-backward-op.png' });
  }
  // Each step highlighted another op, walking the tape from its end (higher record ids first).
  expect(new Set(seen).size).toBe(4);
  const ids = seen.map((s) => Number(s.replace('tape-op-', '')));
  expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  // The shortcut steps too.
  await view.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+F10');
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
  await expect.poll(() => currentOp(page)).not.toBe(seen.at(-1));
  await expect(page.getByTestId('tape-status')).toContainText('Backprop:');

  // The glyph of an op writing a node's output opens the tensor inspector on that node's edge
  // (fc2's Add, beside the loss's ops now in view), above the tape.
  const fc2Add = (await view.locator('[data-kernel="Add"][data-node="fc2"]').getAttribute('data-testid'))!;
  await page.getByTestId(`${fc2Add}-value-glyph`).click();
  await expect(page.getByTestId('step-inspector')).toBeVisible();
  await expect(page.getByTestId('step-inspector')).toContainText('e4');
  await page.screenshot({ path: 'test-results/screenshots/tape-inspect-edge.png' });
});
