// Where a worker's entry file is, from source (tsx, vitest) and from the electron-vite build.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WorkerOptions } from 'node:worker_threads';

export interface WorkerEntry {
  /** What to pass to `new Worker(...)`: a file URL, or bootstrap code when `eval` is set. */
  spec: URL | string;
  eval: boolean;
}

/**
 * Resolves worker entry `name` (e.g. 'kernelWorker').
 *
 * From source the entry is `./name.ts` beside this module. Node 20 does not apply a parent's
 * `--import tsx` hooks to a worker's entry file, so the worker starts from a one-line
 * bootstrap that loads the .ts entry through tsx's `tsImport` (which also covers every module
 * it imports). This is how the host runs under tsx, vitest and the CLI.
 *
 * In the electron-vite build every worker is an extra input of the main bundle, emitted as
 * `out/main/name.js` next to `index.js`; this module may itself sit in `out/main/chunks/`, hence
 * the `../` candidate.
 */
export function resolveWorkerEntry(name: string): WorkerEntry {
  const source = new URL(`./${name}.ts`, import.meta.url);
  if (source.protocol === 'file:' && existsSync(fileURLToPath(source))) {
    const api = tsxApiUrl();
    const code =
      `import(${JSON.stringify(api)}).then((m) => m.tsImport(${JSON.stringify(source.href)}, ` +
      `${JSON.stringify(import.meta.url)}));`;
    return { spec: code, eval: true };
  }
  for (const rel of [`./${name}.js`, `../${name}.js`, `./${name}.mjs`, `../${name}.mjs`]) {
    const url = new URL(rel, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return { spec: url, eval: false };
  }
  throw new Error(
    `The worker file "${name}" is missing next to ${fileURLToPath(import.meta.url)}; ` +
      'the build must emit it as an extra input (see docs/host.md, "Worker entry files").',
  );
}

function tsxApiUrl(): string {
  // require.resolve picks the CommonJS build (index.cjs); the ESM build sits beside it.
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const mjs = cjs.replace(/\.cjs$/, '.mjs');
  if (!existsSync(mjs)) throw new Error(`tsx's ESM API was not found beside ${cjs}; reinstall dependencies.`);
  return pathToFileURL(mjs).href;
}

/** Options shared by every worker the host starts. */
export function baseWorkerOptions(entry: WorkerEntry): WorkerOptions {
  // Inspector flags would make every worker try to open the debugger port.
  return { eval: entry.eval, execArgv: process.execArgv.filter((a) => !a.startsWith('--inspect')) };
}
