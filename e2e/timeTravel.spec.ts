import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { appReady, focusCanvas, loadDocument } from './canvasHelpers';

// Time travel through training, as a student uses it: train the spiral, open the scrubber (Alt+R),
// go back 50 steps, watch the glyphs and the decision boundary follow, and step from there.
// Every wait is on work done, never on the clock.

const example = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`../resources/examples/${file}`, import.meta.url), 'utf8'));

interface Hooks {
  run: { loss: number | null; updates: number; phase: string; loaded: { split: string; indices: number[] } | null };
  training: { state: string; travelAt: number | null; boundary: number[] | null };
}
const hooks = async (page: Page): Promise<Hooks> => (await page.evaluate('window.backpropStudio.state()')) as Hooks;

/** The decision boundary's pixels, to compare two pictures of it. */
const boundaryPixels = async (page: Page): Promise<number[]> =>
  (await page.evaluate(
    `(() => { const c = document.querySelector('[data-testid="decision-boundary"] canvas');
      return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data); })()`,
  )) as number[];

const differing = (a: readonly number[], b: readonly number[]): number => a.filter((v, i) => v !== b[i]).length;

test('scrub back 50 steps of a spiral run: the boundary changes; step from there at those weights', async ({
  app: page,
}) => {
  await appReady(page);
  await loadDocument(page, example('spiral3-mlp.json'), 'Spiral');
  await page.getByTestId('tab-training').click();
  await page.evaluate(() => document.documentElement.style.setProperty('--bottom-h', '330px'));
  const epochs = page.getByTestId('setting-epochs');
  await epochs.fill('30');
  await epochs.press('Enter');
  // Before any training there is nothing to travel through, and the scrubber says so.
  await page.getByTestId('train-travel').click();
  await expect(page.getByTestId('travel-status')).toContainText('Train the network');
  await expect(page.getByTestId('travel-slider')).toBeDisabled();
  await page.getByTestId('travel-close').click();
  await expect(page.getByTestId('travel-bar')).toHaveCount(0);
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-state')).toHaveText('finished', { timeout: 150_000 });
  await expect(page.getByTestId('decision-boundary')).toBeVisible();
  // The plot of the trained weights, once it has been drawn.
  await expect.poll(async () => (await hooks(page)).training.boundary !== null).toBe(true);
  const nowLabels = (await hooks(page)).training.boundary!;
  const nowPixels = await boundaryPixels(page);

  // View → Time Travel by its shortcut: 30 epochs of 8 batches, all 240 steps recorded.
  await focusCanvas(page);
  await page.keyboard.press('Alt+KeyR');
  const bar = page.getByTestId('travel-bar');
  await expect(bar).toBeVisible();
  await expect(page.getByTestId('travel-status')).toContainText('Now: the weights after step 240. 240 steps recorded');

  // Back 50 steps with the keyboard, one step at a time as a student drags.
  const slider = page.getByTestId('travel-slider');
  await slider.focus();
  await slider.press('End');
  for (let i = 0; i < 50; i++) await slider.press('ArrowLeft');
  await expect(page.getByTestId('travel-status')).toContainText('Step 191 · 50 back');
  await expect.poll(async () => (await hooks(page)).training.travelAt).toBe(191);
  // The boundary of the weights step 191 computed with: another picture than the present's.
  await expect
    .poll(async () => differing((await hooks(page)).training.boundary ?? nowLabels, nowLabels))
    .toBeGreaterThan(0);
  await expect.poll(async () => differing(await boundaryPixels(page), nowPixels)).toBeGreaterThan(100);
  const pastLabels = (await hooks(page)).training.boundary!;
  // The replayed step's glyphs are on the canvas: its scores and their gradient.
  await expect(page.getByTestId('edge-tensor-e6')).toBeVisible();
  const status = (await page.getByTestId('travel-status').textContent()) ?? '';
  const recordedLoss = Number(/loss ([\d.e-]+)/.exec(status)![1]);
  await page.screenshot({ path: 'test-results/screenshots/time-travel.png' });
  await bar.screenshot({ path: 'test-results/screenshots/time-travel-bar.png' });
  // The Step tab's gradient bars show that step's gradient norm per layer.
  await page.getByTestId('tab-step').click();
  for (const layer of ['fc1', 'fc2', 'fc3']) await expect(page.getByTestId(`grad-bar-${layer}`)).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/time-travel-gradients.png' });

  // Step from here: the step session has that step's weights (190 updates) and its batch of 32.
  await page.getByTestId('travel-step-from').click();
  await expect(page.getByTestId('step-toolbar')).toBeVisible();
  await expect.poll(async () => (await hooks(page)).run.updates).toBe(190);
  expect((await hooks(page)).run.loaded?.indices).toHaveLength(32);
  // Its boundary is the one replayed, and a forward pass on its batch gives the loss recorded.
  await expect.poll(async () => (await hooks(page)).training.boundary).toEqual(pastLabels);
  await page.getByTestId('step-runForward').click();
  await expect.poll(async () => (await hooks(page)).run.phase).toBe('forwarded');
  expect(Math.abs((await hooks(page)).run.loss! - recordedLoss)).toBeLessThan(1e-4);
  // The steps after it are another future now: the scrubber ends at step 190.
  await expect(page.getByTestId('travel-status')).toContainText('Now: the weights after step 190');
  await page.screenshot({ path: 'test-results/screenshots/time-travel-step-from.png' });

  // A step command while a recorded step is shown acts on the step session: the scrubber goes back
  // to the present first, so the step's glyphs are not drawn over the replayed ones.
  await slider.focus();
  await slider.press('End');
  for (let i = 0; i < 5; i++) await slider.press('ArrowLeft');
  await expect.poll(async () => (await hooks(page)).training.travelAt).toBe(186);
  await focusCanvas(page);
  await page.keyboard.press('Shift+F10');
  await expect.poll(async () => (await hooks(page)).training.travelAt).toBeNull();
  await expect(page.getByTestId('travel-status')).toContainText('Now: the weights after step 190');
  // The backward step ran on the step session's forward pass (the one run after Step from here).
  await expect.poll(async () => (await hooks(page)).run.phase).toBe('backward');
  await page.screenshot({ path: 'test-results/screenshots/time-travel-step-command.png' });

  // Back in time and to Now again: the canvas shows the step session's pass as it left it.
  const stepped = await hooks(page);
  const scores = page.getByTestId('edge-tensor-e6');
  await expect(scores).toBeVisible();
  const scoresGlyph = await scores.innerHTML();
  await slider.focus();
  for (let i = 0; i < 5; i++) await slider.press('ArrowLeft');
  await expect.poll(async () => (await hooks(page)).training.travelAt).toBe(186);
  await expect.poll(async () => await scores.innerHTML()).not.toBe(scoresGlyph);
  await slider.press('End');
  await expect.poll(async () => (await hooks(page)).training.travelAt).toBeNull();
  await expect.poll(async () => await scores.innerHTML()).toBe(scoresGlyph);
  const back = await hooks(page);
  expect([back.run.phase, back.run.loss, back.run.updates]).toEqual([
    stepped.run.phase,
    stepped.run.loss,
    stepped.run.updates,
  ]);
  await page.screenshot({ path: 'test-results/screenshots/time-travel-now.png' });

  // Closed by its shortcut again.
  await focusCanvas(page);
  await page.keyboard.press('Alt+KeyR');
  await expect(bar).toHaveCount(0);
});

test('the unrolled view of the bits RNN follows the scrubber: each recorded step its own gradient norms through time', async ({
  app: page,
}) => {
  await appReady(page);
  await loadDocument(page, example('rnn-bits.json'), 'Bits');
  await page.getByTestId('tab-training').click();
  const epochs = page.getByTestId('setting-epochs');
  await epochs.fill('1');
  await epochs.press('Enter');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-state')).toHaveText('finished', { timeout: 150_000 });

  // Time travel and the RNN unrolled, both open.
  await focusCanvas(page);
  await page.keyboard.press('Alt+KeyR');
  await expect(page.getByTestId('travel-bar')).toBeVisible();
  await focusCanvas(page);
  await page.keyboard.press('Alt+KeyU');
  const view = page.getByTestId('unrolled-view');
  await expect(view).toBeVisible();
  const norms = async (): Promise<string[]> =>
    Promise.all(
      Array.from(
        { length: 6 },
        (_, t) => page.getByTestId(`unrolled-bar-${t}`).getAttribute('data-norm') as Promise<string>,
      ),
    );

  // The last recorded step: its pass, replayed, with every ∂L/∂hₜ final.
  const slider = page.getByTestId('travel-slider');
  await slider.focus();
  await slider.press('End');
  await slider.press('ArrowLeft');
  const last = (await hooks(page)).training.travelAt!;
  await expect(view).toHaveAttribute('data-travel-step', String(last));
  await expect(view).toHaveAttribute('data-backward', 'true');
  await expect(page.getByTestId('unrolled-travel')).toContainText(`training step ${last}`);
  await expect(page.getByTestId('unrolled-note')).toContainText(`Training step ${last}, replayed`);
  const atLast = await norms();
  expect(atLast.every((n) => Number(n) > 0)).toBe(true);

  // Ten steps earlier: other weights, another batch, other bars.
  for (let i = 0; i < 10; i++) await slider.press('ArrowLeft');
  await expect(view).toHaveAttribute('data-travel-step', String(last - 10));
  await expect.poll(async () => (await norms()).join(' ')).not.toBe(atLast.join(' '));
  await page.screenshot({ path: 'test-results/screenshots/time-travel-unrolled.png' });
  await view.screenshot({ path: 'test-results/screenshots/time-travel-unrolled-view.png' });

  // Back to now: the view is the step session's again.
  await slider.press('End');
  await expect(view).not.toHaveAttribute('data-travel-step', /.*/);
  await expect(page.getByTestId('unrolled-travel')).toHaveCount(0);
});

test('the tape view follows the scrubber: each recorded step its own weights and gradients on the tape', async ({
  app: page,
}) => {
  await appReady(page);
  const xor = example('xor-mlp.json') as { training: Record<string, unknown> };
  await loadDocument(page, { ...xor, training: { ...xor.training, epochs: 2 } }, 'XOR');
  await page.getByTestId('tab-training').click();
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-state')).toHaveText('finished', { timeout: 150_000 });

  // Time travel to the last recorded step, then the whole network as its tape (Alt+T): that step's.
  await focusCanvas(page);
  await page.keyboard.press('Alt+KeyR');
  await expect(page.getByTestId('travel-bar')).toBeVisible();
  const slider = page.getByTestId('travel-slider');
  await slider.focus();
  await slider.press('End');
  await slider.press('ArrowLeft');
  const last = (await hooks(page)).training.travelAt!;
  await focusCanvas(page);
  await page.keyboard.press('Alt+KeyT');
  const view = page.getByTestId('tape-view');
  await expect(view).toHaveAttribute('data-travel-step', String(last));
  await expect(page.getByTestId('tape-travel-note')).toContainText(`Training step ${last}, replayed`);
  await expect(page.getByTestId('tape-backward-op')).toHaveCount(0);
  // Its forward and backward pass: the weight's gradient is there, complete.
  const gradient = page.getByTestId('tape-leaf-fc1.weight-gradient');
  const value = page.getByTestId('tape-leaf-fc1.weight-value');
  await expect(gradient).toHaveAttribute('data-final', 'true');
  const atLast = [await value.getAttribute('data-l2'), await gradient.getAttribute('data-l2')];
  expect(Number(atLast[1])).toBeGreaterThan(0);

  // Ten steps earlier: other weights, another batch, another gradient on the tape.
  await slider.focus();
  for (let i = 0; i < 10; i++) await slider.press('ArrowLeft');
  await expect(view).toHaveAttribute('data-travel-step', String(last - 10));
  await expect(value).not.toHaveAttribute('data-l2', atLast[0]!);
  await expect(gradient).not.toHaveAttribute('data-l2', atLast[1]!);
  await page.screenshot({ path: 'test-results/screenshots/time-travel-tape.png' });

  // Now: the step session's own tape again (no pass yet since training, so no gradient), and
  // its Backward op button back.
  await slider.press('End');
  await expect(view).not.toHaveAttribute('data-travel-step', /.*/);
  await expect(page.getByTestId('tape-backward-op')).toBeVisible();
  await expect(page.getByTestId('tape-travel-note')).toHaveCount(0);
});
