import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { appReady } from './canvasHelpers';

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

test('browser mode shows the IDE layout and talks to the host over the WebSocket API', async ({ app }) => {
  await expect(app).toHaveTitle(/Backprop Studio/);
  // The status bar's version and connection state come from the host's app.version answer.
  await expect(app.getByTestId('status-host')).toContainText('connected');
  await expect(app.getByTestId('status-version')).toContainText(version);
  for (const region of ['Nodes', 'Inspector', 'Training', 'Code']) {
    await expect(app.getByText(region, { exact: true }).first()).toBeVisible();
  }
  await app.screenshot({ path: 'test-results/shell.png' });
});

test('Help → About names the version and credits the digits data set under its licence', async ({ app }) => {
  await appReady(app);
  await app.getByTestId('menu-help').click();
  await app.getByTestId('menuitem-help.about').click();
  const about = app.getByTestId('about-dialog');
  await expect(about).toContainText(version);
  await expect(app.getByTestId('about-digits')).toContainText('Optical Recognition of Handwritten Digits');
  await expect(app.getByTestId('about-digits')).toContainText('Creative Commons Attribution 4.0');
  await about.screenshot({ path: 'test-results/screenshots/about.png' });
});

test('a page without the launch token gets no API', async ({ page, webApp }) => {
  const url = new URL(webApp.url);
  url.searchParams.set('token', 'wrong');
  await page.goto(url.href);
  // The server refuses the socket (403), so the client ends up disconnected and never learns the version.
  await expect(page.getByTestId('status-host')).toHaveText('Host disconnected', { timeout: 10_000 });
  await expect(page.getByTestId('status-version')).toHaveText('');
});
