// `npm run test:e2e`: build the app once, then run the Playwright suites (browser mode in
// Chromium; the Electron window where an Electron binary exists).
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { chromiumExecutable } from './chromium.mjs';
import { npx } from './run.mjs';

let executable;
try {
  executable = chromiumExecutable();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
if (executable === null && !existsSync(chromium.executablePath())) {
  console.error(
    'No Chromium for the end-to-end tests: install one (Debian: `apt-get install -y chromium`), or set PLAYWRIGHT_CHROMIUM_EXECUTABLE to a Chromium binary, or run `npx playwright install chromium` where downloads are allowed.',
  );
  process.exit(1);
}
// A test build: the renderer exposes window.backpropStudio (src/renderer/src/testHooks.ts), which
// the specs and the page benchmarks drive; `npm run build` leaves it out.
process.env.RENDERER_VITE_TEST_HOOKS = '1';
const built = await npx(['electron-vite', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (built !== 0) process.exit(built);
process.exit(await npx(['playwright', 'test', ...process.argv.slice(2)]));
