import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAppInfo } from '../host/appInfo';
import { createHost } from '../host/createHost';
import { startWebServer } from './server';

/**
 * `npm run web`: the same app in a browser. Prints the URL (with its per-launch token) and,
 * with --json, one machine-readable line for test harnesses.
 */
const usage = 'Usage: npm run web -- [--port N] [--json]';

function parseArgs(argv: readonly string[]): { port: number; json: boolean } {
  let port = 0;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--port') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`--port takes a number from 0 to 65535. ${usage}`);
      port = value;
    } else throw new Error(`Unknown option ${JSON.stringify(arg)}. ${usage}`);
  }
  return { port, json };
}

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const rendererDir = path.join(root, 'out/renderer');
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error('The renderer is not built; run `npm run web` (it builds first) or `npm run build`.');
  }
  const { port, json } = parseArgs(process.argv.slice(2));
  const host = createHost({ app: readAppInfo(path.join(root, 'package.json'), 'browser', null) });
  const server = await startWebServer({ host, rendererDir, port, token: randomBytes(24).toString('base64url') });
  if (json) console.log(JSON.stringify({ url: server.url, port: server.port }));
  else console.log(`Backprop Studio is running at ${server.url}\nOpen that address in your browser; press Ctrl+C to stop.`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
