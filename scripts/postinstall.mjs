// Fetches Electron's binary through Electron's own installer where that is possible.
// npm's allowScripts keeps electron's install script from running on its own (offline it
// would fail the whole install), so the project runs it here and never fails the install:
// without the binary the app still runs in browser mode.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const browserHint =
  'Backprop Studio: the Electron binary is not installed; run the same app in your browser with `npm run web`.';

function electronDir() {
  try {
    return path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

const dir = electronDir();
if (!dir) {
  console.log(browserHint);
} else if (existsSync(path.join(dir, 'path.txt'))) {
  // Already installed.
} else if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log(browserHint);
} else {
  const result = spawnSync(process.execPath, [path.join(dir, 'install.js')], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'ignore'],
    timeout: 300_000,
  });
  if (result.status !== 0 || !existsSync(path.join(dir, 'path.txt'))) console.log(browserHint);
}
