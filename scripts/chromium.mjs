// The Chromium that Playwright drives: PLAYWRIGHT_CHROMIUM_EXECUTABLE, else Debian's
// /usr/bin/chromium, else Playwright's own if it was installed.
import { existsSync } from 'node:fs';

/** @returns {string | null} null means: use Playwright's own browser. */
export function chromiumExecutable() {
  const fromEnv = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new Error(`PLAYWRIGHT_CHROMIUM_EXECUTABLE points to ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return null;
}

/** Flags Chromium needs as root on a machine without a network or a GPU. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
