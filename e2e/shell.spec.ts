import { expect, test } from './fixtures';

test('the app answers over the WebSocket API in browser mode', async ({ app }) => {
  await expect(app).toHaveTitle(/Backprop Studio/);
  await app.screenshot({ path: 'test-results/shell.png' });
});
