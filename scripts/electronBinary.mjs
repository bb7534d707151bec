// Where the Electron binary is, or why there is none. Shared by `npm start` and the e2e runner.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** @returns {{ ok: true, path: string } | { ok: false, reason: string }} */
export function findElectronBinary() {
  let dir;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'the electron package is not installed' };
  }
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile))
    return {
      ok: false,
      reason: 'the Electron binary was not downloaded (offline install or ELECTRON_SKIP_BINARY_DOWNLOAD)',
    };
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary))
    return { ok: false, reason: `the Electron binary is missing from ${path.relative(process.cwd(), binary)}` };
  return { ok: true, path: binary };
}
