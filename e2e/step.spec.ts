import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { deepMlp } from '../bench/deepMlp';
import { recordFrames, summarizeFrames } from '../bench/frameTimes';
import { expect, test } from './fixtures';
import { appReady, loadDocument as loadIntoPage, selectNode } from './canvasHelpers';
import { SessionCalls, TestApi } from './stepApi';
import type { ApiFull, ApiSummary } from './stepApi';

/** The XOR example; the documents built below take their format and training settings from it. */
const xor = JSON.parse(readFileSync('resources/examples/xor-mlp.json', 'utf8')) as {
  format: unknown;
  version: unknown;
  graph: { nodes: { id: string }[] };
  training: Record<string, unknown>;
  [k: string]: unknown;
};

/** A node of a generated document, at (x, y) on the canvas. */
function node(id: string, type: string, params: Record<string, unknown>, x: number, y = 80) {
  return { id, type, params, position: { x, y } };
}

/** An edge of a generated document, from `source`'s output `sourcePort` to `target`'s input `targetPort`. */
function edge(id: string, source: string, sourcePort: string, target: string, targetPort = 'input') {
  return { id, source, sourcePort, target, targetPort };
}

/** Loads a project once the app's test handle exists (the page's script may still be starting). */
async function loadDocument(page: Page, doc: unknown, name: string): Promise<void> {
  // Polled with evaluate: waitForFunction's in-page polling is refused by the app's CSP.
  await expect.poll(() => page.evaluate('window.backpropStudio !== undefined')).toBe(true);
  // Start-up (and its offer to recover unsaved work) ends before the document is replaced.
  await appReady(page);
  await loadIntoPage(page, doc, name);
}

async function openStepPanel(page: Page): Promise<void> {
  await appReady(page);
  await page.getByTestId('tab-step').click();
  await expect(page.getByTestId('step-toolbar')).toBeVisible();
}

/** Batches of the first `size` examples (rather than one) for the next pass. */
async function useBatchOf(page: Page, size: number): Promise<void> {
  await page.getByTestId('batch-mode').selectOption('range');
  await page.getByTestId('batch-size').fill(String(size));
}

/** Loads `doc` and opens the step panel on it, with a batch of `batchSize` examples when given. */
async function stepDocument(page: Page, doc: unknown, name: string, batchSize?: number): Promise<void> {
  await loadDocument(page, doc, name);
  await openStepPanel(page);
  if (batchSize !== undefined) await useBatchOf(page, batchSize);
}

/** Presses a step shortcut on the canvas and waits until the session has answered. */
async function press(page: Page, key: string): Promise<void> {
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(key);
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
}

async function sessionId(page: Page): Promise<string> {
  const id = await page.getByTestId('step-panel').getAttribute('data-session-id');
  expect(id, 'a step session was created').toBeTruthy();
  return id!;
}

/** Every exact value the inspector's table shows (its cells' titles), in row-major order. */
async function tableValues(page: Page): Promise<number[]> {
  await page.getByTestId('inspector-view-table').click();
  const cells = page.getByTestId('value-table').locator('td');
  await expect(cells.first()).toBeVisible();
  const pairs = await cells.evaluateAll((tds) =>
    tds.map((td) => [Number(td.getAttribute('data-index')), Number(td.getAttribute('title'))]),
  );
  return pairs.sort((a, b) => a[0]! - b[0]!).map((p) => p[1]!);
}

function statOf(page: Page, name: string): Promise<number> {
  return page
    .getByTestId('tensor-stats')
    .locator(`[data-stat="${name}"]`)
    .innerText()
    .then((t) => Number(t));
}

function close(a: number, b: number, rel: number, abs: number): boolean {
  return Math.abs(a - b) <= abs + rel * Math.max(Math.abs(a), Math.abs(b));
}

/** Pairs of an edge glyph and a node whose boxes on screen intersect (none, when placement works). */
async function glyphsOverNodes(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const boxes = (sel) => [...document.querySelectorAll(sel)].map((el) => [el, el.getBoundingClientRect()]);
    const nodes = boxes('.react-flow__node');
    const glyphs = boxes('[data-testid^="edge-tensor-"]');
    const out = nodes.length && glyphs.length ? [] : ['no nodes or no glyphs on the canvas'];
    for (const [g, a] of glyphs)
      for (const [n, b] of nodes)
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
          out.push(g.dataset.testid + ' over ' + n.dataset.id);
    return out;
  })()`);
}

test('steps the XOR network forward and backward node by node, showing what the API computed', async ({
  app,
  webApp,
}) => {
  const api = await TestApi.open(webApp);
  try {
    await stepDocument(app, xor, 'XOR');

    // Forward, one node at a time: the node is highlighted and its outgoing edges get their tensor.
    const order: string[] = [];
    for (let i = 0; i < xor.graph.nodes.length; i++) {
      await press(app, 'F10');
      const node = await app.getByTestId('current-node').getAttribute('data-node');
      expect(node).toBeTruthy();
      order.push(node!);
      await expect(app.getByTestId(`node-${node}`)).toHaveClass(/stepping/);
      // The step view and the inspector write one formula: an activation fed by a Linear is z = tanh(Ax + b).
      if (node === 'act1')
        await expect(app.getByTestId('current-node').locator('.formula')).toContainText(/tanh\s*\(\s*Ax\s*\+\s*b\s*\)/);
    }
    expect(new Set(order).size).toBe(xor.graph.nodes.length);
    expect(order.indexOf('fc1')).toBeLessThan(order.indexOf('act1'));
    expect(order.indexOf('act1')).toBeLessThan(order.indexOf('fc2'));
    for (const e of ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'])
      await expect(app.getByTestId(`edge-glyph-${e}`)).toBeVisible();
    await expect(app.getByTestId('edge-glyph-e2')).toHaveAttribute('data-glyph-kind', 'strip');
    await selectNode(app, 'act1');
    await expect(app.getByTestId('inspector-node').locator('.formula')).toContainText(/tanh\s*\(\s*Ax\s*\+\s*b\s*\)/);
    await app.screenshot({ path: 'test-results/step-forward.png' });

    // The numbers the UI shows for the hidden layer's input equal what the API returns for it.
    const sid = await sessionId(app);
    const summary = (
      await api.call<{ summary: ApiSummary }>('session.edgeSummary', {
        sessionId: sid,
        edgeId: 'e2',
        kind: 'activation',
      })
    ).summary;
    const full = (
      await api.call<{ tensor: ApiFull }>('session.fullTensor', {
        sessionId: sid,
        ref: { type: 'edge', edgeId: 'e2', kind: 'activation' },
      })
    ).tensor;
    await app.getByTestId('edge-glyph-e2').click();
    await expect(app.getByTestId('step-inspector')).toBeVisible();
    for (const k of ['min', 'max', 'mean', 'std'] as const)
      expect(close(await statOf(app, k), summary[k]!, 1e-5, 1e-12), k).toBe(true);
    expect(close(await statOf(app, '‖·‖₂'), summary.l2!, 1e-5, 1e-12)).toBe(true);
    // The heat map's hover read-out shows a value at full precision.
    await app.getByTestId('inspector-view-heatmap').click();
    const canvas = app.getByTestId('value-heatmap-canvas');
    const box = (await canvas.boundingBox())!;
    const cols = full.shape.at(-1)!;
    await app.mouse.move(box.x + (box.width / cols) * 2.5, box.y + box.height / 2);
    await expect(app.getByTestId('value-readout-value')).toHaveText(String(full.values[2]));
    expect(await tableValues(app)).toEqual(full.values);

    // Backward, one node at a time, down to the first layer.
    const backOrder: string[] = [];
    for (
      let i = 0;
      i < xor.graph.nodes.length && (await app.getByTestId('step-toolbar').getAttribute('data-phase')) !== 'backwarded';
      i++
    ) {
      await press(app, 'Shift+F10');
      const node = (await app.getByTestId('current-node').getAttribute('data-node'))!;
      await expect(app.getByTestId(`node-${node}`)).toHaveClass(/stepping/);
      backOrder.push(node);
    }
    expect(backOrder.indexOf('loss')).toBeLessThan(backOrder.indexOf('fc2'));
    expect(backOrder.indexOf('fc2')).toBeLessThan(backOrder.indexOf('fc1'));
    await expect(app.getByTestId('step-toolbar')).toHaveAttribute('data-phase', 'backwarded');
    await expect(app.getByTestId('view-gradients')).toHaveAttribute('aria-selected', 'true');
    await expect(app.getByTestId('edge-glyph-e2')).toBeVisible();
    await expect(app.getByTestId('grad-bar-fc1')).toBeVisible();
    await app.getByTestId('step-inspector-close').click();
    // In the crowded right-hand column no glyph covers a node; a hovered one comes above them all.
    await expect.poll(() => glyphsOverNodes(app)).toEqual([]);
    await app.getByTestId('edge-glyph-e6').hover();
    await expect(app.getByTestId('edge-tensor-e6')).toHaveCSS('z-index', '2000');
    await app.mouse.move(5, 5);
    await app.screenshot({ path: 'test-results/step-backward.png' });

    // The gradient of one weight, as the inspector shows it, equals a central finite difference
    // computed here through the API on sessions whose only difference is that weight ± ε.
    await app.getByTestId('grad-bar-fc1').click();
    await expect(app.getByTestId('inspect-tab-gradient')).toHaveAttribute('aria-selected', 'true');
    const shownGrad = await tableValues(app);
    const apiGrad = (
      await api.call<{ tensor: ApiFull }>('session.fullTensor', {
        sessionId: sid,
        ref: { type: 'parameter', name: 'fc1.weight', kind: 'gradient' },
      })
    ).tensor;
    expect(shownGrad).toEqual(apiGrad.values);

    const weights: Record<string, { shape: number[]; data: number[] }> = {};
    const info = await api.call<{ sessionId: string; parameters: { name: string }[] }>('session.create', {
      project: xor,
    });
    await api.call('session.close', { sessionId: info.sessionId });
    for (const { name } of info.parameters) {
      const t = (
        await api.call<{ tensor: ApiFull }>('session.fullTensor', {
          sessionId: sid,
          ref: { type: 'parameter', name, kind: 'value' },
        })
      ).tensor;
      weights[name] = { shape: t.shape, data: t.values as number[] };
    }
    const k = 3; // fc1.weight[1, 1]
    const eps = 1e-2;
    const lossWith = async (delta: number): Promise<number> => {
      const w = structuredClone(weights);
      w['fc1.weight']!.data[k]! += delta;
      const s = await api.call<{ sessionId: string }>('session.create', { project: { ...xor, weights: w } });
      try {
        await api.call('session.loadBatch', { sessionId: s.sessionId, split: 'train', indices: [0] });
        const r = await api.call<{ loss: number }>('session.runForward', { sessionId: s.sessionId });
        return r.loss;
      } finally {
        await api.call('session.close', { sessionId: s.sessionId });
      }
    };
    const fd = ((await lossWith(eps)) - (await lossWith(-eps))) / (2 * eps);
    expect(close(shownGrad[k]!, fd, 2e-3, 2e-4), `backprop ${shownGrad[k]} vs finite difference ${fd}`).toBe(true);

    // The host's own check agrees too, and says so in the inspector.
    await app.getByTestId('grad-check-button').click();
    await expect(app.getByTestId('grad-check-result')).toBeVisible({ timeout: 20_000 });
    const rel = Number(await app.getByTestId('grad-check-result').getAttribute('data-max-rel-error'));
    expect(rel).toBeLessThan(1e-2);
    await app.screenshot({ path: 'test-results/step-inspector.png' });

    // Apply the update: the inspector shows the weight before and after, and the change, which
    // is after − before as the API reports both.
    await press(app, 'F9');
    await expect(app.getByTestId('step-toolbar')).toHaveAttribute('data-phase', 'updated');
    await expect(app.getByTestId('update-comparison')).toBeVisible();
    await app.getByTestId('update-glyph-update').click();
    await expect(app.getByTestId('inspect-tab-update')).toHaveAttribute('aria-selected', 'true');
    const shownUpdate = await tableValues(app);
    const ref = (kind: string) => ({ sessionId: sid, ref: { type: 'parameter', name: 'fc1.weight', kind } });
    const before = (await api.call<{ tensor: ApiFull }>('session.fullTensor', ref('previous'))).tensor
      .values as number[];
    const after = (await api.call<{ tensor: ApiFull }>('session.fullTensor', ref('value'))).tensor.values as number[];
    expect(after).not.toEqual(before);
    shownUpdate.forEach((u, i) => expect(close(u, after[i]! - before[i]!, 1e-5, 1e-7), `update[${i}]`).toBe(true));
    await app.getByTestId('inspect-tab-previous').click();
    expect(await tableValues(app)).toEqual(before);
    await app.getByTestId('inspect-tab-value').click();
    expect(await tableValues(app)).toEqual(after);
    await app.getByTestId('inspector-view-heatmap').click();
    await app.screenshot({ path: 'test-results/step-inspector-update.png' });

    // Reset forgets the pass (the batch and the updated weights stay): no tensor on any edge.
    await app.getByTestId('step-inspector-close').click();
    await press(app, 'Control+Shift+F5');
    await expect(app.getByTestId('step-toolbar')).toHaveAttribute('data-phase', 'ready');
    await expect(app.locator('[data-testid^="edge-glyph-"]')).toHaveCount(0);
    await expect(app.getByTestId('edge-label-e2')).toBeVisible();
  } finally {
    api.close();
  }
});

/** Drags with the mouse from the middle of `handle` by (dx, dy). */
async function dragBy(page: Page, handle: string, dx: number, dy: number): Promise<void> {
  const b = (await page.getByTestId(handle).boundingBox())!;
  const [x, y] = [b.x + Math.min(b.width / 2, 60), b.y + b.height / 2];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 4 });
  await page.mouse.move(x + dx, y + dy, { steps: 4 });
  await page.mouse.up();
}

/** The open inspector moves by its title bar, resizes from its corner and never leaves the canvas. */
async function moveAndResizeInspector(page: Page): Promise<void> {
  const panel = page.getByTestId('step-inspector');
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const inside = async (): Promise<void> => {
    const b = (await panel.boundingBox())!;
    expect(b.x).toBeGreaterThanOrEqual(canvas.x - 0.5);
    expect(b.y).toBeGreaterThanOrEqual(canvas.y - 0.5);
    expect(b.x + b.width).toBeLessThanOrEqual(canvas.x + canvas.width + 0.5);
    expect(b.y + b.height).toBeLessThanOrEqual(canvas.y + canvas.height + 0.5);
  };
  // Resized smaller from the corner: the top-left corner stays where it was.
  const a = (await panel.boundingBox())!;
  await dragBy(page, 'step-inspector-resize', -120, -60);
  const smaller = (await panel.boundingBox())!;
  expect(smaller.width).toBeCloseTo(a.width - 120, 0);
  expect(smaller.height).toBeCloseTo(a.height - 60, 0);
  expect(smaller.x).toBeCloseTo(a.x, 0);
  expect(smaller.y).toBeCloseTo(a.y, 0);
  // Moved by its title bar, at the same size.
  await dragBy(page, 'step-inspector-head', -150, 30);
  const moved = (await panel.boundingBox())!;
  expect(moved.x).toBeCloseTo(smaller.x - 150, 0);
  expect(moved.y).toBeCloseTo(smaller.y + 30, 0);
  expect(moved.width).toBeCloseTo(smaller.width, 0);
  await inside();
  // Dragged and grown far past the canvas's edges: it stops at them.
  await dragBy(page, 'step-inspector-head', 2000, 2000);
  await inside();
  const corner = (await panel.boundingBox())!;
  expect(corner.x + corner.width).toBeCloseTo(canvas.x + canvas.width, 0);
  expect(corner.y + corner.height).toBeCloseTo(canvas.y + canvas.height, 0);
  await dragBy(page, 'step-inspector-head', -3000, -3000);
  await inside();
  await dragBy(page, 'step-inspector-resize', 3000, 3000);
  await inside();
  const big = (await panel.boundingBox())!;
  expect(big.width).toBeCloseTo(canvas.width, 0);
  expect(big.height).toBeCloseTo(canvas.height, 0);
  // Back to a comfortable size for the picture; the values inside still show.
  await dragBy(page, 'step-inspector-resize', -(canvas.width - 520), -(canvas.height - 380));
  await expect(page.getByTestId('value-heatmap')).toBeVisible();
}

/** A small digits CNN, built here because the bundled examples may not include one yet. */
function digitsCnn(template: typeof xor): unknown {
  return {
    format: template.format,
    version: template.version,
    name: 'Digits CNN',
    description: '',
    graph: {
      nodes: [
        node('x', 'Input', { shape: [1, 8, 8], kind: 'tensor' }, 0),
        node('conv1', 'Conv2d', { out_channels: 6, kernel_size: 3, padding: 1 }, 260),
        node('relu1', 'ReLU', {}, 520),
        node('pool1', 'MaxPool2d', { kernel_size: 2 }, 780),
        node('flat', 'Flatten', {}, 1040),
        node('fc', 'Linear', { out_features: 10 }, 1300),
        node('y', 'Target', { kind: 'class-labels', shape: [] }, 1300, 300),
        node('loss', 'CrossEntropyLoss', { reduction: 'mean' }, 1560, 180),
      ],
      edges: [
        edge('e1', 'x', 'out', 'conv1'),
        edge('e2', 'conv1', 'out', 'relu1'),
        edge('e3', 'relu1', 'out', 'pool1'),
        edge('e4', 'pool1', 'out', 'flat'),
        edge('e5', 'flat', 'out', 'fc'),
        edge('e6', 'fc', 'out', 'loss'),
        edge('e7', 'y', 'out', 'loss', 'target'),
      ],
    },
    training: {
      ...template.training,
      dataset: { name: 'digits', params: {} },
      split: { train: 0.8, dev: 0.1, test: 0.1 },
    },
  };
}

test('every step is one API round trip: its answer carries the summaries it touched (counted, printed)', async ({
  app,
}) => {
  const calls = await SessionCalls.attach(app);
  // 24 Linear + Sigmoid layers: 49 edges, so a run forward touches about 50 at once.
  await stepDocument(app, deepMlp(xor, 24), 'Deep MLP');
  // The first step also creates the session and loads the batch.
  const first = await calls.during(app, () => press(app, 'F10'));
  const clicks: [string, string][] = [
    ['F10', 'forward step'],
    ['F10', 'forward step'],
    ['F5', 'run forward'],
    ['Shift+F10', 'backward step'],
    ['Shift+F10', 'backward step'],
    ['Shift+F5', 'run backward'],
    ['F9', 'apply update'],
  ];
  const counted: { what: string; sent: string[] }[] = [];
  for (const [key, what] of clicks) counted.push({ what, sent: await calls.during(app, () => press(app, key)) });
  const channels = (sent: string[]) => [...new Set(sent)].map((c) => `${c} ×${sent.filter((x) => x === c).length}`);
  console.log(
    `API round trips per click (the first: ${first.join(', ')}):\n${counted.map((c) => `  ${c.what}: ${c.sent.length} (${channels(c.sent).join(', ')})`).join('\n')}`,
  );
  expect(first).toEqual(['session.create', 'session.loadBatch', 'session.stepForward']);
  for (const { what, sent } of counted) expect(sent, what).toHaveLength(1);
  await expect(app.getByTestId('step-toolbar')).toHaveAttribute('data-phase', 'updated');
  // What the one answer carried is on the canvas: the gradients of the hidden layers' edges.
  for (const e of ['b1', 'a2', 'b2']) await expect(app.getByTestId(`edge-glyph-${e}`)).toBeVisible();
});

test('a backward command before any forward step is one round trip too: the forward it needs rides in its answer', async ({
  app,
}) => {
  const calls = await SessionCalls.attach(app);
  await stepDocument(app, deepMlp(xor, 3), 'Deep MLP');
  const toolbar = app.getByTestId('step-toolbar');
  const reset = async () => {
    await app.getByTestId('step-reset').click();
    await expect(toolbar).toHaveAttribute('data-phase', 'ready');
  };
  // The very first click creates the session and loads the batch, as a first forward step does.
  const first = await calls.during(app, () => press(app, 'Shift+F10'));
  await expect(toolbar).toHaveAttribute('data-phase', 'backward');
  await reset();
  const counted: { what: string; sent: string[] }[] = [];
  counted.push({
    what: 'backward step before any forward step',
    sent: await calls.during(app, () => press(app, 'Shift+F10')),
  });
  await expect(toolbar).toHaveAttribute('data-phase', 'backward');
  await reset();
  counted.push({
    what: 'run backward before any forward step',
    sent: await calls.during(app, () => press(app, 'Shift+F5')),
  });
  await expect(toolbar).toHaveAttribute('data-phase', 'backwarded');
  console.log(
    `API round trips per click before any forward step (the first: ${first.join(', ')}):\n${counted.map((c) => `  ${c.what}: ${c.sent.length} (${c.sent.join(', ')})`).join('\n')}`,
  );
  expect(first).toEqual(['session.create', 'session.loadBatch', 'session.stepBackward']);
  for (const { what, sent } of counted) expect(sent, what).toHaveLength(1);
  expect(counted.map((c) => c.sent[0])).toEqual(['session.stepBackward', 'session.runBackward']);
  // Both passes the one answer carried are on the canvas: the gradients, and the activations of
  // the forward pass the session completed first (the input's edge has no gradient, only a value).
  for (const e of ['b1', 'a2', 'b2']) await expect(app.getByTestId(`edge-glyph-${e}`)).toBeVisible();
  await app.getByTestId('view-activations').click();
  for (const e of ['a1', 'b1', 'a2', 'b2', 'a3']) await expect(app.getByTestId(`edge-glyph-${e}`)).toBeVisible();
  await app.screenshot({ path: 'test-results/step-backward-before-forward.png' });
});

test('steps a digits CNN forward and shows the images and the feature maps as tiles', async ({ app }) => {
  // Four examples, so that the tiles have rows of examples.
  await stepDocument(app, digitsCnn(xor), 'Digits CNN', 4);
  for (let i = 0; i < 3; i++) await press(app, 'F10');
  await expect(app.getByTestId('edge-glyph-e1')).toHaveAttribute('data-glyph-kind', 'images');
  await expect(app.getByTestId('edge-glyph-e2')).toHaveAttribute('data-glyph-kind', 'tiles');
  await expect(app.getByTestId('edge-glyph-e2')).toHaveAttribute('title', /4×6×8×8/);
  await press(app, 'F5');
  await expect(app.getByTestId('edge-glyph-e4')).toHaveAttribute('data-glyph-kind', 'tiles');
  await expect(app.getByTestId('edge-glyph-e5')).toHaveAttribute('data-glyph-kind', 'heatmap');
  await expect(app.getByTestId('step-loss')).toBeVisible();
  await app.getByTestId('edge-glyph-e2').click();
  await expect(app.getByTestId('value-heatmap')).toBeVisible();
  await app.screenshot({ path: 'test-results/step-cnn-inspector.png' });
  await moveAndResizeInspector(app);
  await app.screenshot({ path: 'test-results/step-cnn-inspector-moved.png' });
  // Escape closes it (the focus went into it when it opened).
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('step-inspector')).toHaveCount(0);
  await expect.poll(() => glyphsOverNodes(app)).toEqual([]);
  await app.getByTestId('canvas').screenshot({ path: 'test-results/step-cnn.png' });
  // The same in the dark theme, backward: gradients on every edge, the gradient-norm chart filled.
  await app.evaluate(`window.backpropStudio.runAction('view.toggleDarkMode')`);
  await press(app, 'Shift+F5');
  await expect(app.getByTestId('grad-bar-conv1')).toBeVisible();
  await app.screenshot({ path: 'test-results/step-cnn-dark.png' });
  await app.evaluate(`window.backpropStudio.runAction('view.toggleDarkMode')`);
});

test('repaints more than 50 edge glyphs at once (measured, printed)', async ({ app }) => {
  // A deep, narrow MLP: more than 50 edges, and a gradient that vanishes on its way back (σ′ ≤ 1/4).
  await stepDocument(app, deepMlp(xor, 26), 'Deep MLP');
  await press(app, 'Shift+F5'); // runs forward, then backward: every edge has an activation and a gradient
  const glyphs = app.locator('[data-testid^="edge-glyph-"]');
  expect(await glyphs.count()).toBeGreaterThanOrEqual(50);
  // The gradient vanishes towards the input: those edges are flagged, with the reason on hover.
  const flags = app.locator('[data-testid^="edge-flag-"]');
  expect(await flags.count()).toBeGreaterThan(0);
  await expect(app.getByTestId('edge-flag-b1')).toHaveAttribute('title', /vanishes: ‖g‖₂ = .* < 1e-7/);
  await expect(app.getByTestId('grad-bar-fc1')).toHaveClass(/status-vanishing/);
  await app.screenshot({ path: 'test-results/step-vanishing.png' });
  // Flip every glyph between gradients and activations: each one repaints its canvas.
  // Frames are counted while it happens and for half a second after it.
  const frames = summarizeFrames(
    await recordFrames(
      app,
      async () => {
        await press(app, 'Alt+G');
        await expect(app.getByTestId('view-activations')).toHaveAttribute('aria-selected', 'true');
      },
      500,
    ),
  );
  console.log(
    `glyph repaint of ${await glyphs.count()} edges: ${frames.frames} frames, median ${frames.medianMs.toFixed(1)} ms, p95 ${frames.p95Ms.toFixed(1)} ms, max ${frames.maxMs.toFixed(1)} ms`,
  );
  await app.screenshot({ path: 'test-results/step-deep.png' });
});

test('shows sequences as time × features on an RNN', async ({ app }) => {
  const doc = {
    ...xor,
    name: 'Parity RNN',
    graph: {
      nodes: [
        node('x', 'Input', { shape: [8, 1], kind: 'sequence' }, 0),
        node('rnn', 'RNN', { hidden_size: 6 }, 300),
        node('flat', 'Flatten', {}, 600),
        node('fc', 'Linear', { out_features: 2 }, 900),
        node('y', 'Target', { kind: 'class-labels', shape: [] }, 900, 300),
        node('loss', 'CrossEntropyLoss', { reduction: 'mean' }, 1200, 180),
      ],
      edges: [
        edge('e1', 'x', 'out', 'rnn'),
        edge('e2', 'rnn', 'output', 'flat'),
        edge('e3', 'flat', 'out', 'fc'),
        edge('e4', 'fc', 'out', 'loss'),
        edge('e5', 'y', 'out', 'loss', 'target'),
      ],
    },
    training: { ...xor.training, dataset: { name: 'bits', params: { n: 200, length: 8 } } },
  };
  await stepDocument(app, doc, 'Parity RNN', 3);
  await press(app, 'F5');
  await expect(app.getByTestId('edge-glyph-e1')).toHaveAttribute('data-glyph-kind', 'sequence');
  await expect(app.getByTestId('edge-glyph-e2')).toHaveAttribute('data-glyph-kind', 'sequence');
  await expect(app.getByTestId('edge-glyph-e2')).toHaveAttribute('title', /3×8×6[\s\S]*time →, features ↓/);
  await app.getByTestId('canvas').screenshot({ path: 'test-results/step-rnn.png' });
});

test('shows attention weights as the matrix itself', async ({ app }) => {
  const doc = {
    ...xor,
    name: 'Attention',
    graph: {
      nodes: [
        node('x', 'Input', { shape: [8, 1], kind: 'sequence' }, 0),
        node('proj', 'Linear', { out_features: 4 }, 260),
        node('attn', 'ScaledDotProductAttention', {}, 520),
        node('flat', 'Flatten', {}, 820),
        node('fc', 'Linear', { out_features: 2 }, 1080),
        node('flatw', 'Flatten', {}, 820, 320),
        node('fcw', 'Linear', { out_features: 2 }, 1080, 320),
        node('y', 'Target', { kind: 'class-labels', shape: [] }, 1080, 520),
        node('loss', 'CrossEntropyLoss', { reduction: 'mean' }, 1340, 80),
        node('lossw', 'CrossEntropyLoss', { reduction: 'mean' }, 1340, 320),
      ],
      edges: [
        edge('e1', 'x', 'out', 'proj'),
        edge('q', 'proj', 'out', 'attn', 'query'),
        edge('k', 'proj', 'out', 'attn', 'key'),
        edge('v', 'proj', 'out', 'attn', 'value'),
        edge('o', 'attn', 'output', 'flat'),
        edge('w', 'attn', 'weights', 'flatw'),
        edge('f1', 'flat', 'out', 'fc'),
        edge('f2', 'flatw', 'out', 'fcw'),
        edge('l1', 'fc', 'out', 'loss'),
        edge('l2', 'fcw', 'out', 'lossw'),
        edge('t1', 'y', 'out', 'loss', 'target'),
        edge('t2', 'y', 'out', 'lossw', 'target'),
      ],
    },
    training: { ...xor.training, dataset: { name: 'bits', params: { n: 200, length: 8 } } },
  };
  await stepDocument(app, doc, 'Attention');
  await press(app, 'F5');
  await expect(app.getByTestId('edge-glyph-w')).toHaveAttribute('data-glyph-kind', 'matrix');
  await expect(app.getByTestId('edge-glyph-w')).toHaveAttribute('title', /1×8×8[\s\S]*queries ↓, keys →/);
  await expect(app.getByTestId('edge-glyph-o')).toHaveAttribute('data-glyph-kind', 'sequence');
  await app.getByTestId('edge-glyph-w').click();
  await expect(app.getByTestId('value-readout')).toContainText('attention weights');
  await app.screenshot({ path: 'test-results/step-attention.png' });
});

/**
 * A chain of Linear layers (no activation between them) whose weights are all ±3: each layer
 * multiplies the gradient by 8·3 = 24 on its way back, so it explodes long before the input.
 */
function explodingChain(template: typeof xor, weight: number): unknown {
  const widths = [2, 8, 8, 8, 8, 1];
  const nodes: { id: string; type: string; params: Record<string, unknown>; position: { x: number; y: number } }[] = [
    { id: 'x', type: 'Input', params: { shape: [2], kind: 'tensor' }, position: { x: 0, y: 80 } },
  ];
  const edges: { id: string; source: string; sourcePort: string; target: string; targetPort: string }[] = [];
  const weights: Record<string, { shape: number[]; data: number[] }> = {};
  let prev = 'x';
  for (let i = 1; i < widths.length; i++) {
    const [inF, outF] = [widths[i - 1]!, widths[i]!];
    nodes.push({ id: `fc${i}`, type: 'Linear', params: { out_features: outF }, position: { x: 240 * i, y: 80 } });
    edges.push({ id: `a${i}`, source: prev, sourcePort: 'out', target: `fc${i}`, targetPort: 'input' });
    // Positive everywhere except the last layer, so that every logit is hugely negative and
    // each positive example contributes a gradient of −1/B at the output.
    const w = i === widths.length - 1 ? -weight : weight;
    weights[`fc${i}.weight`] = { shape: [outF, inF], data: new Array<number>(outF * inF).fill(w) };
    weights[`fc${i}.bias`] = { shape: [outF], data: new Array<number>(outF).fill(1) };
    prev = `fc${i}`;
  }
  const n = widths.length;
  nodes.push({
    id: 'y',
    type: 'Target',
    params: { kind: 'binary-labels', shape: [1] },
    position: { x: 240 * n, y: 300 },
  });
  nodes.push({
    id: 'loss',
    type: 'BCEWithLogitsLoss',
    params: { reduction: 'mean' },
    position: { x: 240 * (n + 1), y: 180 },
  });
  edges.push({ id: 'out', source: prev, sourcePort: 'out', target: 'loss', targetPort: 'input' });
  edges.push({ id: 'lab', source: 'y', sourcePort: 'out', target: 'loss', targetPort: 'target' });
  return { ...template, name: 'Exploding chain', graph: { nodes, edges }, weights };
}

test('flags an exploding gradient on its edge and past the 1e3 line of the gradient-norm chart', async ({ app }) => {
  // Sixteen examples, so that some have the label 1 and the output's gradient is not zero.
  await stepDocument(app, explodingChain(xor, 3), 'Exploding chain', 16);
  await press(app, 'Shift+F5');
  await expect(app.getByTestId('step-toolbar')).toHaveAttribute('data-phase', 'backwarded');

  // The gradient entering fc2 from fc1 has been multiplied by 24 three times: flagged, with the reason.
  const flag = app.getByTestId('edge-flag-a2');
  await expect(flag).toBeVisible();
  await expect(flag).toHaveText(/exploding/);
  await expect(app.getByTestId('edge-tensor-a2')).toHaveClass(/exploding/);
  await flag.hover();
  await expect(flag).toHaveAttribute('title', /explodes: ‖g‖₂ = .* > 1e3/);
  // Near the output the gradient is still small: not every edge is flagged.
  await expect(app.getByTestId('edge-flag-out')).toHaveCount(0);

  // The chart: fc1's bar is flagged and reaches past the exploding threshold's line.
  await expect(app.getByTestId('grad-bar-fc1')).toHaveClass(/status-exploding/);
  const line = (await app.getByTestId('grad-threshold-exploding').boundingBox())!;
  const bar = (await app.getByTestId('grad-bar-rect-fc1').boundingBox())!;
  expect(bar.x + bar.width, 'the bar ends right of the 1e3 line').toBeGreaterThan(line.x + line.width);
  await app.screenshot({ path: 'test-results/step-exploding.png' });

  // Weights of 1e30 overflow float32 on the way forward: the gradients hold Inf/NaN and say so.
  await loadDocument(app, explodingChain(xor, 1e30), 'Overflowing chain');
  await useBatchOf(app, 16);
  await press(app, 'Shift+F5');
  // fc5's weight gradient is (∂L/∂z)·h⁴ with h⁴ = ∞: NaN where ∂L/∂z = 0, ∞ elsewhere.
  await expect(app.getByTestId('grad-bar-fc5')).toHaveClass(/status-nonfinite/);
  await expect(app.getByTestId('grad-bar-fc5')).toContainText('NaN/Inf');
  const bad = app.locator('.edge-tensor.nonfinite [data-testid^="edge-flag-"]').first();
  await expect(bad).toHaveText(/NaN\/Inf/);
  await expect(bad).toHaveAttribute('title', /NaN|infinite/);
  await app.screenshot({ path: 'test-results/step-nonfinite.png' });
});
