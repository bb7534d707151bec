import { openTraining } from './canvasHelpers';
import { expect, test } from './fixtures';

// Translate on the seq2seq-attention example, as a student reaches it: open the example from the
// welcome gallery, train it with its own settings (12 epochs of 840 words, seconds of work) from
// the Training tab, type a word, read the greedy decoding and the attention matrix. Waits are on
// work done (the run's state), never on the clock.

test.use({ viewport: { width: 1500, height: 950 } });

test('Translate on the trained seq2seq-attention example: the reversed word and its attention matrix', async ({
  app: page,
}) => {
  await expect(page.locator('html[data-ready="true"]')).toBeAttached();
  await expect(page.getByTestId('examples-dialog')).toContainText('Welcome to Backprop Studio');
  await page.getByTestId('example-seq2seq-attention').click();
  await expect(page.getByTestId('examples-dialog')).toHaveCount(0);
  await expect(page.getByTestId('example-explanation')).toContainText(/attention/i);

  await openTraining(page);
  await expect(page.getByTestId('translate')).toBeVisible();
  // The data set's samples read as words: the source, the decoder's input after <s>, the labels.
  const words = page.getByTestId('preview-words').locator('tbody tr').first().locator('td');
  await expect(words.nth(1)).toHaveText(/^<s> [a-h]{3,6}$/);
  await expect(words.nth(2)).toHaveText(/^[a-h]{3,6} <\/s>$/);

  // Before training the weights are the seed's: Translate works, but the decoding is noise.
  await page.getByTestId('translate-source').fill('abcdef');
  await page.getByTestId('translate-run').click();
  await expect(page.getByTestId('translate-result')).toBeVisible();

  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-state')).toHaveText('finished', { timeout: 150_000 });
  await expect(page.getByTestId('train-summary')).toContainText('after epoch 12');

  // The trained model reverses the word; each output letter attends to the letter it copies.
  await page.getByTestId('translate-run').click();
  await expect(page.getByTestId('translate-output')).toHaveText('f e d c b a </s>');
  await expect(page.getByTestId('translate-result')).toContainText('✓ right');
  const matrix = page.getByTestId('attention-matrix');
  await expect(matrix.locator('thead th.source')).toHaveText(['a', 'b', 'c', 'd', 'e', 'f']);
  await expect(matrix.locator('tbody th')).toHaveText(['f', 'e', 'd', 'c', 'b', 'a', '</s>']);
  const weights = await matrix
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => Number(td.dataset.weight))));
  expect(weights).toHaveLength(7);
  for (let t = 0; t < 6; t++) {
    const row = weights[t];
    expect(row).toHaveLength(6);
    expect(row.indexOf(Math.max(...row)), `output ${t + 1}`).toBe(5 - t);
  }
  await page.getByTestId('translate').screenshot({ path: 'test-results/screenshots/translate-attention.png' });
  await page.screenshot({ path: 'test-results/screenshots/translate-trained.png' });

  // A letter outside the alphabet is refused with a sentence, not a crash.
  await page.getByTestId('translate-source').fill('abz');
  await page.getByTestId('translate-run').click();
  await expect(page.locator('.translate-error')).toBeVisible();
});
