import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { appReady, dragFromPalette, exampleCardIds, graphOf } from './canvasHelpers';

interface Box {
  readonly id: string;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** The ids of the bundled examples, as File → Open Example lists them. */
async function exampleIds(page: Page): Promise<string[]> {
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menuitem-file.openExample').click();
  const ids = await exampleCardIds(page);
  await page.keyboard.press('Escape');
  return ids;
}

async function openExample(page: Page, id: string): Promise<void> {
  const fits = Number((await page.getByTestId('canvas').getAttribute('data-fits')) ?? 0);
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menuitem-file.openExample').click();
  await page.getByTestId(`example-${id}`).click();
  await expect(page.getByTestId('example-list')).toHaveCount(0);
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-fits', String(fits + 1));
}

/** Screen boxes of the elements `selector` matches, named by `attribute`. */
function boxes(page: Page, selector: string, attribute: string): Promise<Box[]> {
  return page.locator(selector).evaluateAll(
    (els, attr) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        return { id: el.getAttribute(attr) ?? '?', left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      }),
    attribute,
  );
}

/** The boxes of `selector` (named by their test id) once every one has been measured and placed: when they stop changing. */
async function settledBoxes(page: Page, selector: string): Promise<Box[]> {
  let last = '';
  await expect
    .poll(async () => {
      const now = JSON.stringify(await boxes(page, selector, 'data-testid'));
      const settled = now === last;
      last = now;
      return settled;
    })
    .toBe(true);
  return JSON.parse(last) as Box[];
}

/** Pairs of boxes that share more than a hairline (half a pixel either way). */
function intersecting(a: readonly Box[], b: readonly Box[], same: boolean): string[] {
  const hits: string[] = [];
  a.forEach((p, i) => {
    b.forEach((q, j) => {
      if (same && j <= i) return;
      const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (w > 0.5 && h > 0.5) hits.push(`${p.id} × ${q.id} (${Math.round(w)}×${Math.round(h)} px)`);
    });
  });
  return hits;
}

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('no shape label or edge glyph is cut by a node or covers another (a batch of four), in every example', async ({
      app: page,
    }) => {
      // A cap, not a measure: a session starts per example, slowly on a loaded machine.
      test.setTimeout(20 * 60_000);
      await appReady(page);
      const ids = await exampleIds(page);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) {
        await openExample(page, id);
        // Shape labels: on their wires, or beside them where the gap is short; never under a node.
        const edges = (await graphOf(page)).edges.length;
        await expect(page.locator('.react-flow__edge')).toHaveCount(edges);
        await expect(page.locator('.edge-label')).toHaveCount(edges);
        const labels = await settledBoxes(page, '.edge-label');
        const shapes = await boxes(page, '.react-flow__node', 'data-id');
        expect(intersecting(labels, labels, true), `${id}: label over label`).toEqual([]);
        expect(intersecting(labels, shapes, false), `${id}: label under a node`).toEqual([]);
        // Every label shows its whole text.
        const cut = await page
          .locator('.edge-label')
          .evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth).map((el) => el.textContent));
        expect(cut, `${id}: labels cut`).toEqual([]);
        await page.screenshot({ path: `test-results/screenshots/labels-${id}-${viewport.width}.png` });

        await page.getByTestId('tab-step').click();
        await page.getByTestId('batch-mode').selectOption('range');
        await page.getByTestId('batch-size').fill('4');
        await page.getByTestId('step-runForward').click();
        await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false', { timeout: 180_000 });
        await expect(page.getByTestId('step-status')).toHaveText('Forward pass complete: step backward, or reset.');
        await expect(page.locator('.edge-tensor')).toHaveCount(edges);
        // Away from every glyph: a hovered one is raised at its full size on purpose.
        await page.mouse.move(1, 1);
        const glyphs = await settledBoxes(page, '.edge-tensor');
        const nodes = await boxes(page, '.react-flow__node', 'data-id');
        expect(intersecting(glyphs, glyphs, true), `${id}: glyph over glyph`).toEqual([]);
        expect(intersecting(glyphs, nodes, false), `${id}: glyph over node`).toEqual([]);
        await page.screenshot({ path: `test-results/screenshots/glyphs-${id}-${viewport.width}.png` });
        await page.getByTestId('step-reset').click();
        await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
      }
    });
  });
}

test.describe('formulas', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('every node type’s formula is read whole in the inspector at 1280×720 (the LSTM’s four lines too)', async ({
    app: page,
  }) => {
    test.setTimeout(10 * 60_000);
    await appReady(page);
    const types = await page
      .locator('[data-testid^="palette-item-"]')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')!.slice('palette-item-'.length)));
    expect(types).toContain('LSTM');
    let formulas = 0;
    for (const type of types) {
      await page.getByTestId('menu-file').click();
      await page.getByTestId('menuitem-file.new').click();
      // The node dropped before is an unsaved change: discard it.
      const discard = page.getByTestId('confirm-dialog');
      await expect(discard.or(page.getByTestId('canvas-empty')).first()).toBeVisible();
      if (await discard.isVisible()) await page.getByTestId('confirm-ok').click();
      await expect(page.getByTestId('canvas-empty')).toBeVisible();
      await dragFromPalette(page, type, 200, 150);
      await page.locator('.react-flow__node .gnode-header').first().click();
      await expect(page.getByTestId('inspector-node')).toBeVisible();
      const formula = page.getByTestId('inspector-node').getByTestId('formula');
      if ((await formula.count()) === 0) continue;
      formulas++;
      // Wider than its panel, a formula would scroll sideways and show only its start.
      const cut = await formula.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
      expect(cut, `${type}'s formula is cut`).toBe(false);
      if (type === 'LSTM') await page.screenshot({ path: 'test-results/screenshots/formula-lstm-1280.png' });
    }
    expect(formulas).toBeGreaterThan(types.length / 2);
  });
});
