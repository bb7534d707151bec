import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { readFileSync } from 'node:fs';
import {
  appReady,
  connectHandles,
  dragFromPalette,
  exampleCardIds,
  focusCanvas,
  graphOf,
  inHandle,
  loadDocument,
  outHandle,
} from './canvasHelpers';

const xor = JSON.parse(readFileSync('resources/examples/xor-mlp.json', 'utf8')) as unknown;

/** The canvas's zoom, read from the transform React Flow puts on its viewport. */
async function canvasZoom(page: Page): Promise<number> {
  const transform = await page.locator('.react-flow__viewport').evaluate((el) => (el as HTMLElement).style.transform);
  const m = /scale\(([\d.]+)\)/.exec(transform);
  if (!m) throw new Error(`no zoom in the viewport's transform "${transform}"`);
  return Number(m[1]);
}

/** Whether every node lies within the canvas's width (the graph's width fits, the rest scrolls). */
async function widthFits(page: Page): Promise<boolean> {
  const canvas = await page.getByTestId('canvas').boundingBox();
  if (!canvas) throw new Error('no canvas');
  const boxes = await page.locator('.react-flow__node').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right };
    }),
  );
  return boxes.every((b) => b.left >= canvas.x - 1 && b.right <= canvas.x + canvas.width + 1);
}

async function openExamplesDialog(page: Page): Promise<void> {
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menuitem-file.openExample').click();
  await expect(page.getByTestId('example-list')).toBeVisible();
}

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('every bundled example opens at a readable zoom (≥ 75%) or fits its width', async ({ app: page }) => {
      await appReady(page);
      await openExamplesDialog(page);
      const ids = await page
        .getByTestId('example-list')
        .locator('[data-testid^="example-"]')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')!));
      expect(ids.length).toBeGreaterThan(0);
      await page.keyboard.press('Escape');
      for (const id of ids) {
        const fits = Number((await page.getByTestId('canvas').getAttribute('data-fits')) ?? 0);
        await openExamplesDialog(page);
        await page.getByTestId(id).click();
        // A project opened before may prompt to discard it: the examples are never edited here.
        await expect(page.getByTestId('example-list')).toHaveCount(0);
        await expect(page.locator('.react-flow__node').first()).toBeVisible();
        // The fit runs once every node is measured.
        await expect(page.getByTestId('canvas')).toHaveAttribute('data-fits', String(fits + 1));
        const zoom = await canvasZoom(page);
        expect(zoom >= 0.75 || (await widthFits(page)), `${id} opened at ${Math.round(zoom * 100)}%`).toBe(true);
        await page.screenshot({ path: `test-results/screenshots/readable-${id}-${viewport.width}.png` });
      }
    });

    test('auto-layout fits the view after it lays out, and the minimap covers no node', async ({ app: page }) => {
      await appReady(page);
      for (const id of ['example-spiral3-mlp', 'example-digits-cnn']) {
        let fits = Number((await page.getByTestId('canvas').getAttribute('data-fits')) ?? 0);
        await openExamplesDialog(page);
        await page.getByTestId(id).click();
        // The layout of the example before is an unsaved change: discard it.
        if (id !== 'example-spiral3-mlp') await page.getByTestId('confirm-ok').click();
        await expect(page.getByTestId('example-list')).toHaveCount(0);
        await expect(page.getByTestId('canvas')).toHaveAttribute('data-fits', String(fits + 1));
        // Zoomed in and panned away, as a student leaves it before asking for a layout.
        await page.locator('.react-flow__controls-zoomin').click();
        await page.locator('.react-flow__controls-zoomin').click();
        fits = Number(await page.getByTestId('canvas').getAttribute('data-fits'));
        await page.getByTestId('tool-edit.autoLayout').click();
        await expect(page.getByTestId('canvas')).toHaveAttribute('data-fits', String(fits + 1));
        const zoom = await canvasZoom(page);
        expect(await widthFits(page), `${id}: a node is cut at the sides after auto-layout`).toBe(true);
        expect(zoom >= 0.75 || (await widthFits(page))).toBe(true);
        const minimap = page.locator('.react-flow__minimap');
        if ((await minimap.count()) > 0) {
          const m = (await minimap.boundingBox())!;
          const covered = await page.locator('.react-flow__node').evaluateAll(
            (els, box) =>
              els
                .map((el) => ({ id: el.getAttribute('data-id'), r: el.getBoundingClientRect() }))
                .filter(
                  ({ r }) =>
                    r.right > box.x && r.left < box.x + box.width && r.bottom > box.y && r.top < box.y + box.height,
                )
                .map(({ id }) => id),
            m,
          );
          expect(covered, `${id}: nodes under the minimap`).toEqual([]);
        }
        await page.screenshot({ path: `test-results/screenshots/autolayout-${id}-${viewport.width}.png` });
      }
    });
  });
}

/** Every node lies wholly inside the canvas: the ids of those that do not. */
async function nodesOutOfView(page: Page): Promise<string[]> {
  const canvas = await page.getByTestId('canvas').boundingBox();
  if (!canvas) throw new Error('no canvas');
  const boxes = await page.locator('.react-flow__node').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { id: el.getAttribute('data-id') ?? '?', left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    }),
  );
  return boxes
    .filter(
      (b) =>
        b.left < canvas.x - 1 ||
        b.top < canvas.y - 1 ||
        b.right > canvas.x + canvas.width + 1 ||
        b.bottom > canvas.y + canvas.height + 1,
    )
    .map((b) => b.id);
}

// The window sizes students use most: a 13" laptop and a 15" one (both side panels open). An
// example opens whole there, at a zoom its glyphs read at, so nothing is off-screen at first sight.
for (const viewport of [
  { width: 1280, height: 800 },
  { width: 1500, height: 950 },
]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('every bundled example opens whole: every node in view, at a readable zoom (≥ 75%)', async ({ app: page }) => {
      await appReady(page);
      // The Step tab: its panel is the tallest of the bottom tabs, so the canvas the smallest.
      await page.getByTestId('tab-step').click();
      await openExamplesDialog(page);
      const ids = await exampleCardIds(page);
      expect(ids.length).toBeGreaterThan(0);
      await page.keyboard.press('Escape');
      // Every example is looked at before the verdict: one report names all that fail.
      const problems: string[] = [];
      for (const id of ids) {
        const fits = Number((await page.getByTestId('canvas').getAttribute('data-fits')) ?? 0);
        await openExamplesDialog(page);
        await page.getByTestId(`example-${id}`).click();
        await expect(page.getByTestId('example-list')).toHaveCount(0);
        await expect(page.getByTestId('canvas')).toHaveAttribute('data-fits', String(fits + 1));
        await page.screenshot({ path: `test-results/screenshots/opened-${id}-${viewport.width}.png` });
        const out = await nodesOutOfView(page);
        const zoom = await canvasZoom(page);
        if (out.length > 0) problems.push(`${id}: ${out.join(', ')} off-screen at ${Math.round(zoom * 100)}%`);
        if (zoom < 0.75) problems.push(`${id}: opened at ${Math.round(zoom * 100)}%`);
      }
      expect(problems).toEqual([]);
    });
  });
}

test('clicks on Forward step while the session starts are refused: one click, one step', async ({ app: page }) => {
  await appReady(page);
  await loadDocument(page, xor, 'XOR');
  await page.getByTestId('tab-step').click();
  const toolbar = page.getByTestId('step-toolbar');
  const status = page.getByTestId('step-status');
  // Five clicks in one task, before the first can have started the session: only the first runs.
  await page.getByTestId('step-forward').evaluate((button) => {
    for (let i = 0; i < 5; i++) (button as HTMLButtonElement).click();
  });
  await expect(toolbar).toHaveAttribute('data-busy', 'false');
  await expect(status).toHaveText(/^Forward: node 1 of (\d+)\.$/);
  const total = Number(/of (\d+)/.exec(await status.innerText())![1]);
  expect(total).toBeGreaterThan(3);
  // Once the session is ready, every click advances exactly one node.
  for (let k = 2; k <= 3; k++) {
    await page.getByTestId('step-forward').click();
    await expect(toolbar).toHaveAttribute('data-busy', 'false');
    await expect(status).toHaveText(`Forward: node ${k} of ${total}.`);
  }
  // The emphasised button is the one the status line names next.
  await expect(page.getByTestId('step-forward')).toHaveClass(/\bprimary\b/);
  // The end of a pass is said in the step bar, never as a toast over the buttons.
  await page.getByTestId('step-runBackward').click();
  await expect(toolbar).toHaveAttribute('data-busy', 'false');
  await expect(status).toHaveText('Backward pass complete: apply the update, or reset.');
  await expect(page.getByTestId('step-applyUpdate')).toHaveClass(/\bprimary\b/);
  await expect(page.getByTestId('step-forward')).not.toHaveClass(/\bprimary\b/);
  await page.getByTestId('step-backward').click();
  await expect(toolbar).toHaveAttribute('data-busy', 'false');
  await expect(page.getByTestId('toast')).toHaveCount(0);
});

test('a stray node is greyed with its warning and Run forward runs the rest', async ({ app: page }) => {
  await appReady(page);
  const doc = structuredClone(xor) as { graph: { nodes: unknown[] } };
  doc.graph.nodes.push({
    id: 'linear1',
    type: 'Linear',
    params: { in_features: null, out_features: 4, bias: true },
    position: { x: 0, y: 400 },
  });
  await loadDocument(page, doc, 'XOR with a stray node');
  const stray = page.getByTestId('node-linear1');
  await expect(stray).toHaveClass(/ignored/);
  await expect(page.getByTestId('node-ignored-linear1')).toHaveText('Not connected to the loss; ignored.');
  await page.getByTestId('tab-step').click();
  await page.getByTestId('step-runForward').click();
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
  await expect(page.getByTestId('step-status')).toHaveText('Forward pass complete: step backward, or reset.');
  await expect(page.getByTestId('step-error')).toHaveCount(0);
  await expect(page.getByTestId('node-ignored-linear1')).toBeVisible();
});

test('after File → New a dropped node lands where it is dropped, at the same zoom', async ({ app: page }) => {
  await appReady(page);
  for (const from of ['empty', 'example'] as const) {
    if (from === 'example') await loadDocument(page, xor, 'XOR');
    await page.getByTestId('menu-file').click();
    await page.getByTestId('menuitem-file.new').click();
    await expect(page.getByTestId('canvas-empty')).toBeVisible();
    const zoom = await canvasZoom(page);
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    await dragFromPalette(page, 'Linear', 300, 200);
    const node = page.locator('.react-flow__node').first();
    await expect(node).toBeVisible();
    // Let any fit that would wrongly follow the drop happen before measuring.
    await page.waitForTimeout(400);
    expect(await canvasZoom(page), `zoom after the drop (${from})`).toBe(zoom);
    const box = (await node.boundingBox())!;
    // The node's header is under the pointer: it lands 80 × 20 flow pixels up-left of it (snapped to 10).
    expect(Math.abs(box.x - (canvas.x + 300 - 80 * zoom))).toBeLessThanOrEqual(10 * zoom + 1);
    expect(Math.abs(box.y - (canvas.y + 200 - 20 * zoom))).toBeLessThanOrEqual(10 * zoom + 1);
  }
});

test('a new Target wired to binary cross-entropy gives 0/1 labels of the output’s shape: XOR runs with no manual edit, and one undo takes both back', async ({
  app: page,
}) => {
  await appReady(page);
  // XOR without its Target: the student adds one from the palette and wires it to the loss.
  const doc = structuredClone(xor) as {
    graph: { nodes: { id: string }[]; edges: { target: string; targetPort: string }[] };
  };
  doc.graph.nodes = doc.graph.nodes.filter((n) => n.id !== 'y');
  doc.graph.edges = doc.graph.edges.filter((e) => !(e.target === 'loss' && e.targetPort === 'target'));
  await loadDocument(page, doc, 'XOR without its Target');
  await expect(page.getByTestId('node-loss')).toBeVisible();
  const targetParams = async (): Promise<unknown> =>
    ((await graphOf(page)).nodes as { id: string; params: unknown }[]).find((n) => n.id === 'target1')?.params;
  const wired = async (): Promise<boolean> =>
    ((await graphOf(page)).edges as { source: string; target: string }[]).some(
      (e) => e.source === 'target1' && e.target === 'loss',
    );
  // The Training tab's offer to fit the data has made the canvas shorter since the graph was
  // fitted: fitted again, the loss's ports are in view. The Target goes where the file had it, left
  // of the loss.
  const fits = Number(await page.getByTestId('canvas').getAttribute('data-fits'));
  await page.getByTestId('menu-view').click();
  await page.getByTestId('menuitem-view.fit').click();
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-fits', String(fits + 1));
  // The fit glides there: the loss is measured once it stands still.
  let last = '';
  await expect
    .poll(async () => {
      const now = JSON.stringify(await page.getByTestId('node-loss').boundingBox());
      const still = now === last;
      last = now;
      return still;
    })
    .toBe(true);
  const loss = (await page.getByTestId('node-loss').boundingBox())!;
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  await dragFromPalette(page, 'Target', loss.x - canvas.x - loss.width - 60, loss.y - canvas.y + 10);
  await expect(page.getByTestId('node-target1')).toBeVisible();
  expect(await targetParams()).toEqual({ kind: 'class-labels', shape: [] });

  await connectHandles(page, outHandle(page, 'target1'), inHandle(page, 'loss', 'target'));
  await expect.poll(targetParams).toEqual({ kind: 'binary-labels', shape: [1] });
  expect(await wired()).toBe(true);
  await expect(page.getByTestId('node-error-target1')).toHaveCount(0);
  await expect(page.getByTestId('node-error-loss')).toHaveCount(0);

  // One undo takes back the wire and the labels it brought; redo brings both.
  await focusCanvas(page);
  await page.keyboard.press('Control+z');
  await expect.poll(targetParams).toEqual({ kind: 'class-labels', shape: [] });
  expect(await wired()).toBe(false);
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(targetParams).toEqual({ kind: 'binary-labels', shape: [1] });
  expect(await wired()).toBe(true);

  await page.getByTestId('tab-step').click();
  await page.getByTestId('step-runForward').click();
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
  await expect(page.getByTestId('step-status')).toHaveText('Forward pass complete: step backward, or reset.');
  await expect(page.getByTestId('step-error')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/target-fit-bce.png' });
});
