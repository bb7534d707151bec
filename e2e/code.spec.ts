import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { appReady, selectNode } from './canvasHelpers';
import { TestApi } from './stepApi';

const SHOTS = 'test-results/screenshots';

/** The text of the editor's lines that carry a decoration class, read from Monaco's DOM by their top offset. */
async function decoratedLines(page: Page, cls: string): Promise<string[]> {
  return page.getByTestId('code-editor').evaluate((root, c) => {
    const tops = new Set(
      [...root.querySelectorAll(`.view-overlays .${c}`)].map((el) => (el.parentElement as HTMLElement).style.top),
    );
    return [...root.querySelectorAll('.view-lines .view-line')]
      .filter((el) => tops.has((el as HTMLElement).style.top))
      .map((el) => (el.textContent ?? '').replace(/\u00a0/g, ' '));
  }, cls);
}

const editorText = (page: Page) => page.getByTestId('code-editor').locator('.view-lines');

test('the Code tab: the three languages, node ↔ lines both ways, Verify, and an exported folder', async ({
  app: page,
}) => {
  await appReady(page);
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menuitem-file.openExample').click();
  await page.getByTestId('example-xor-mlp').click();
  await expect(page.locator('.react-flow__node[data-id="fc1"]')).toBeVisible();
  await page.getByTestId('tab-code').click();

  // TypeScript over the engine: the model class, a field and a forward step per node.
  await expect(editorText(page)).toContainText('class Model extends Module');
  await page.screenshot({ path: `${SHOTS}/code-ts.png` });

  // Hovering a node on the canvas selects its lines; leaving it gives them back to the selection.
  await page.locator('.react-flow__node[data-id="act1"]').hover();
  await expect.poll(() => decoratedLines(page, 'code-node-line')).toContain('    const act1 = tanh(fc1);');
  await page.screenshot({ path: `${SHOTS}/code-node-hovered.png` });
  await page.locator('.react-flow__pane').hover({ position: { x: 5, y: 5 } });
  await expect.poll(() => decoratedLines(page, 'code-node-line')).toEqual([]);

  // Verify runs this program in the session's worker and compares it with the canvas.
  await page.getByTestId('code-verify').click();
  await expect(page.getByTestId('code-verify-result')).toContainText('Same loss and gradients as the canvas', {
    timeout: 120_000,
  });
  await expect(page.getByTestId('code-verify-result')).toContainText('bit for bit');
  await page.screenshot({ path: `${SHOTS}/code-verify.png` });

  // A node selected on the canvas selects the lines it wrote, scrolled into view.
  await selectNode(page, 'fc2');
  await expect.poll(() => decoratedLines(page, 'code-node-line')).toContain('    const fc2 = this.fc2.forward(act1);');
  const lines = await decoratedLines(page, 'code-node-line');
  expect(
    lines.every((l) => l.includes('fc2')),
    lines.join('\n'),
  ).toBe(true);
  await page.screenshot({ path: `${SHOTS}/code-node-selected.png` });

  // A click on a line selects its node.
  await page.getByTestId('code-editor').locator('.view-line', { hasText: 'const act1 = tanh(fc1);' }).click();
  await expect(page.locator('.react-flow__node[data-id="act1"]')).toHaveClass(/selected/);
  await expect(page.locator('.react-flow__node[data-id="fc2"]')).not.toHaveClass(/selected/);

  // PyTorch, with the same node selected; Verify runs TypeScript only and says so.
  await page.getByTestId('code-lang-python').click();
  await expect(editorText(page)).toContainText('def forward(self, x, y):');
  await expect(page.getByTestId('code-verify')).toBeDisabled();
  await expect(page.getByTestId('code-verify-result')).toContainText('Verify runs the TypeScript programs');
  await expect.poll(() => decoratedLines(page, 'code-node-line')).toContain('        act1 = torch.tanh(fc1)');
  await page.screenshot({ path: `${SHOTS}/code-python.png` });

  // TypeScript from scratch: the same node's backward step, one chain-rule line with its formula,
  // in the backward pass written out in reverse order.
  await page.getByTestId('code-lang-ts-scratch').click();
  await expect(editorText(page)).toContainText('Backward(');
  await expect
    .poll(() => decoratedLines(page, 'code-node-line'))
    .toContain('  tanhBackward(act1, d_act1, d_fc1); // ∂L/∂x = ∂L/∂z ⊙ (1 − tanh²(x))');
  await page.screenshot({ path: `${SHOTS}/code-scratch.png` });
  // A click on a backward line selects the node it belongs to.
  await page.getByTestId('code-editor').locator('.view-line', { hasText: 'linearBackwardWeight(d_fc2, act1' }).click();
  await expect(page.locator('.react-flow__node[data-id="fc2"]')).toHaveClass(/selected/);
  await expect(page.locator('.react-flow__node[data-id="act1"]')).not.toHaveClass(/selected/);
  await expect
    .poll(() => decoratedLines(page, 'code-node-line'))
    .toContain('  linearBackwardInput(d_fc2, P["fc2.weight"], N, 8, 1, d_act1); // ∂L/∂x = Aᵀ · ∂L/∂z');
  // Verify runs it in float64 against the float32 canvas, and says it compares within a tolerance.
  await expect(page.getByTestId('code-verify')).toBeEnabled();
  await page.getByTestId('code-verify').click();
  const verified = page.getByTestId('code-verify-result');
  await expect(verified).toContainText('Same loss and gradients as the canvas', { timeout: 120_000 });
  await expect(verified).toContainText('within 1.0e-5; the code computes in float64, the canvas in float32');
  await expect(verified).not.toContainText('bit for bit');
  // The long sentence is cut in its row, not pushing the Code tab's buttons under the inspector.
  const exportButton = (await page.getByTestId('code-export-folder').boundingBox())!;
  const middle = (await page.locator('.workspace > .center').boundingBox())!;
  expect(exportButton.x + exportButton.width).toBeLessThanOrEqual(middle.x + middle.width);
  await page.screenshot({ path: `${SHOTS}/code-scratch-verify.png` });
  await page.getByTestId('code-lang-python').click();

  // The exported folder downloads as one archive that Python's zipfile reads.
  const download = page.waitForEvent('download');
  await page.getByTestId('code-export-folder').click();
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bps-code-e2e-')), 'folder.zip');
  await (await download).saveAs(file);
  const py = spawnSync(
    'python3',
    [
      '-c',
      'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint("\\n".join(z.namelist()))',
      file,
    ],
    { encoding: 'utf8' },
  );
  expect(py.stderr).toBe('');
  const names = py.stdout
    .trim()
    .split('\n')
    .map((n) => n.split('/').slice(1).join('/'));
  expect(names).toEqual(expect.arrayContaining(['model.py', 'train.py', 'weights.json', 'data.json', 'README.md']));
});

/** A file of a downloaded archive, read with Python's zipfile. */
function readZipped(zipFile: string, name: string): string {
  const py = spawnSync(
    'python3',
    [
      '-c',
      'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nn = [x for x in z.namelist() if x.split("/", 1)[-1] == sys.argv[2]]\nsys.stdout.write(z.read(n[0]).decode())',
      zipFile,
      name,
    ],
    { encoding: 'utf8' },
  );
  expect(py.stderr).toBe('');
  return py.stdout;
}

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

test("the exported folder carries the session's weights after an update, and Verify checks them", async ({
  app: page,
  webApp,
}) => {
  await appReady(page);
  await page.getByTestId('menu-file').click();
  await page.getByTestId('menuitem-file.openExample').click();
  await page.getByTestId('example-xor-mlp').click();
  await expect(page.locator('.react-flow__node[data-id="fc1"]')).toBeVisible();

  // One step of gradient descent on the canvas.
  await page.getByTestId('tab-step').click();
  for (const step of ['step-runBackward', 'step-applyUpdate']) {
    await page.getByTestId(step).click();
    await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
  }
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-phase', 'updated');
  const sessionId = (await page.getByTestId('step-panel').getAttribute('data-session-id'))!;
  const api = await TestApi.open(webApp);
  let session: Record<string, { shape: number[]; data: number[] }>;
  try {
    session = (await api.call<{ weights: typeof session }>('session.weights', { sessionId })).weights;
  } finally {
    api.close();
  }
  const doc = await page.evaluate(
    () =>
      (window as unknown as { backpropStudio: { state(): { doc: { weights?: unknown } } } }).backpropStudio.state().doc,
  );
  expect(doc.weights, 'the project itself holds no trained weights').toBeUndefined();

  await page.getByTestId('tab-code').click();
  await expect(editorText(page)).toContainText('class Model extends Module');
  const download = page.waitForEvent('download');
  await page.getByTestId('code-export-folder').click();
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bps-code-e2e-')), 'folder.zip');
  await (await download).saveAs(file);
  const exported = JSON.parse(readZipped(file, 'weights.json')) as Record<string, unknown>;
  // By PyTorch name, exactly the session's current values (float32 through JSON).
  expect(Object.keys(exported).sort()).toEqual(Object.keys(session).sort());
  for (const [name, w] of Object.entries(session)) expect(flat(exported[name]), name).toEqual(w.data);

  // Verify after the update: the program with these weights computes what the canvas computes.
  await page.getByTestId('code-verify').click();
  await expect(page.getByTestId('code-verify-result')).toContainText('Same loss and gradients as the canvas', {
    timeout: 120_000,
  });
});
