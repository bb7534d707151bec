import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { appReady, focusCanvas, loadDocument } from './canvasHelpers';

const xor = JSON.parse(readFileSync('resources/examples/xor-mlp.json', 'utf8')) as unknown;

test('browser mode: shortcuts the browser leaves to the page, listed in the app', async ({ app: page }) => {
  await appReady(page);
  await loadDocument(page, xor, 'XOR');
  await page.getByTestId('tab-step').click();
  await focusCanvas(page);
  // Records, after the app's own handler, whether each key press's browser default was prevented.
  await page.evaluate(() => {
    const w = window as unknown as { keptKeys: string[] };
    w.keptKeys = [];
    window.addEventListener('keydown', (e) => {
      if (e.defaultPrevented) w.keptKeys.push(e.key);
    });
  });

  // F5 runs the forward pass instead of reloading the page.
  await page.keyboard.press('F5');
  await expect(page.getByTestId('step-toolbar')).toHaveAttribute('data-busy', 'false');
  await expect(page.getByTestId('step-status')).toHaveText('Forward pass complete: step backward, or reset.');
  // Even from a field, where the command does not run, F5 does not reload the app.
  await page.getByTestId('batch-index').focus();
  await page.keyboard.press('F5');
  await focusCanvas(page);
  expect(await page.evaluate('window.keptKeys')).toEqual(['F5', 'F5']);

  // Ctrl+N belongs to the browser (a new window); New is Ctrl+Alt+N here.
  await page.keyboard.press('Control+Alt+n');
  await expect(page.getByTestId('canvas-empty')).toBeVisible();
  expect(await page.evaluate('window.backpropStudio.state().doc.graph.nodes.length')).toBe(0);

  // The menu and the shortcut sheet show the browser-mode keys and say why.
  await page.getByTestId('menu-file').click();
  await expect(page.getByTestId('menuitem-file.new')).toContainText('Ctrl+Alt+N');
  await page.keyboard.press('Escape');
  await page.getByTestId('menu-help').click();
  await page.getByTestId('menuitem-help.shortcuts').click();
  await expect(page.getByTestId('shortcuts-browser-note')).toContainText('Ctrl+Alt+N');
  await expect(page.getByRole('dialog')).toContainText('Presenter Mode');
});
