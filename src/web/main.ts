import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAppInfo } from '../host/appInfo';
import { closeHost, createHost } from '../host/createHost';
import { startWebServer } from './server';
import { STOP_GRACE_MS, stopWithin } from './shutdown';

/**
 * `npm run web`: the same app in a browser. Prints the URL (with its per-launch token) and,
 * with --json, one machine-readable line for test harnesses.
 */
const usage = 'Usage: npm run web -- [--port N] [--data-dir DIR] [--json] [--no-spare-worker] [--stop-grace MS]';

interface WebArgs {
  port: number;
  json: boolean;
  /** Recent files and autosaved work; defaults to BACKPROP_STUDIO_DATA_DIR or ~/.backprop-studio. */
  dataDir?: string;
  /**
   * Keep a session worker started ahead of need, so the first step of a project opened next is
   * quick (default); --no-spare-worker starts each session's thread when asked (less memory, and
   * how `npm run bench -- first-step` measures what the spare saves).
   */
  spareWorker: boolean;
  /**
   * How long Ctrl+C or SIGTERM waits for the clean close (sessions stopped, unsaved work written,
   * crash marker removed) before exiting regardless; STOP_GRACE_MS by default. The shutdown test
   * gives it minutes, so a loaded machine's slow close is not mistaken for a stuck one.
   */
  stopGraceMs: number;
}

function parseArgs(argv: readonly string[]): WebArgs {
  let port = 0;
  let json = false;
  let dataDir: string | undefined;
  let spareWorker = true;
  let stopGraceMs = STOP_GRACE_MS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--no-spare-worker') spareWorker = false;
    else if (arg === '--port') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0 || value > 65535)
        throw new Error(`--port takes a number from 0 to 65535. ${usage}`);
      port = value;
    } else if (arg === '--stop-grace') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0) throw new Error(`--stop-grace takes milliseconds. ${usage}`);
      stopGraceMs = value;
    } else if (arg === '--data-dir') {
      const value = argv[++i];
      if (value === undefined || value === '') throw new Error(`--data-dir takes a folder. ${usage}`);
      dataDir = path.resolve(value);
    } else throw new Error(`Unknown option ${JSON.stringify(arg)}. ${usage}`);
  }
  return dataDir === undefined
    ? { port, json, spareWorker, stopGraceMs }
    : { port, json, dataDir, spareWorker, stopGraceMs };
}

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const rendererDir = path.join(root, 'out/renderer');
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error('The renderer is not built; run `npm run web` (it builds first) or `npm run build`.');
  }
  const { port, json, dataDir, spareWorker, stopGraceMs } = parseArgs(process.argv.slice(2));
  const host = createHost({
    app: readAppInfo(path.join(root, 'package.json'), 'browser', null),
    ...(dataDir !== undefined ? { dataDir } : {}),
    studio: { sessions: { spareWorker } },
  });
  const server = await startWebServer({ host, rendererDir, port, token: randomBytes(24).toString('base64url') });
  if (json) console.log(JSON.stringify({ url: server.url, port: server.port }));
  else
    console.log(
      `Backprop Studio is running at ${server.url}\nOpen that address in your browser; press Ctrl+C to stop.`,
    );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    // Closing the host stops its session workers and marks a clean exit (no recovery prompt next time).
    // A worker stuck in a read cannot hold the process: it exits within the grace regardless.
    stopWithin(Promise.allSettled([server.close(), closeHost(host)]), (code) => process.exit(code), stopGraceMs);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
