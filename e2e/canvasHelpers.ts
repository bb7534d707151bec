import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/**
 * Waits until the app has finished starting. Work left unsaved by an earlier run that ended
 * abruptly is offered back at start-up; these tests start from an empty project, so they decline,
 * and close the example gallery that greets a first start.
 */
export async function appReady(page: Page): Promise<void> {
  const dialog = page.getByTestId('confirm-dialog');
  await expect(page.locator('html[data-ready="true"]').or(dialog).first()).toBeAttached();
  if (await dialog.isVisible()) await page.getByTestId('confirm-cancel').click();
  await expect(page.locator('html[data-ready="true"]')).toBeAttached();
  // The gallery is in the store before data-ready is set; the state says whether it is up.
  if ((await page.evaluate('window.backpropStudio.state().dialog')) === 'examples') {
    await page.getByTestId('examples-dialog').getByRole('button', { name: 'Close' }).click();
    await expect(page.getByTestId('examples-dialog')).toHaveCount(0);
  }
}

/** Drags a node type from the palette onto the canvas at (x, y) relative to the canvas's top-left corner. */
export async function dragFromPalette(page: Page, type: string, x: number, y: number): Promise<void> {
  const canvas = page.getByTestId('canvas');
  await page.getByTestId(`palette-item-${type}`).dragTo(canvas, { targetPosition: { x, y } });
}

/** Drags a wire from an output handle to an input handle, as a user does with the mouse. */
export async function connectHandles(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('a handle is not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

export const outHandle = (page: Page, node: string, port = 'out'): Locator =>
  page.getByTestId(`handle-${node}-out-${port}`);
export const inHandle = (page: Page, node: string, port = 'input'): Locator =>
  page.getByTestId(`handle-${node}-in-${port}`);

/** Selects a node by clicking its header. */
export async function selectNode(page: Page, id: string): Promise<void> {
  await page.getByTestId(`node-${id}`).locator('.gnode-header').click();
  await expect(page.getByTestId('inspector-node')).toBeVisible();
}

/** Types a parameter value in the inspector and commits it (Enter blurs the field). */
export async function setParam(page: Page, node: string, name: string, value: string): Promise<void> {
  const field = page.getByTestId(`param-${node}-${name}`);
  await field.fill(value);
  await field.press('Enter');
}

/** Clicks an empty spot of the canvas so keyboard shortcuts go to the editor, not a field. */
export async function focusCanvas(page: Page): Promise<void> {
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
}

/** The graph as the app holds it, for comparing before and after a reload. */
export async function graphOf(page: Page): Promise<{ nodes: unknown[]; edges: unknown[] }> {
  // A string expression: this file is type-checked without the DOM library.
  return (await page.evaluate('window.backpropStudio.state().doc.graph')) as { nodes: unknown[]; edges: unknown[] };
}

/** Loads a project document into the page through its test handle, as File → Open would. */
export async function loadDocument(page: Page, doc: unknown, name: string): Promise<void> {
  await page.evaluate(`window.backpropStudio.load(${JSON.stringify(doc)}, ${JSON.stringify(name)})`);
}

/** A node of a project document, for a test that builds its graph by hand. */
export const graphNode = (id: string, type: string, params: Record<string, unknown> = {}, x = 0, y = 0) => ({
  id,
  type,
  params,
  position: { x, y },
});

/** An edge of a project document, from a node's output to `target`'s `targetPort`. */
export const graphEdge = (id: string, source: string, target: string, targetPort = 'input') => ({
  id,
  source,
  sourcePort: 'out',
  target,
  targetPort,
});

/** Opens the Training tab, with the bottom panel made tall enough for its charts (a user resizes it). */
export async function openTraining(page: Page): Promise<void> {
  await page.getByTestId('tab-training').click();
  await expect(page.getByTestId('training-panel')).toBeVisible();
  await page.evaluate(() => document.documentElement.style.setProperty('--bottom-h', '470px'));
}

/** Types `value` into the Training tab's setting `id` and confirms it with Enter, as a student does. */
export async function setSetting(page: Page, id: string, value: string): Promise<void> {
  const field = page.getByTestId(`setting-${id}`);
  await field.fill(value);
  await field.press('Enter');
  await expect(field).toHaveValue(value);
}

/**
 * The ids of the example cards in the open gallery, in course order. The list arrives from the
 * host after the dialog opens, so this waits for it (it renders whole, or not at all).
 */
export async function exampleCardIds(page: Page): Promise<string[]> {
  const list = page.getByTestId('example-list');
  await expect(list).toBeVisible();
  return list
    .locator('[data-testid^="example-"]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')!.slice('example-'.length)));
}
