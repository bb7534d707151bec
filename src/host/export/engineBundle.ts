// The engine as one ES module (engine.js) for exported TypeScript folders: codegen/exportApi.ts
// and everything it imports, bundled by esbuild, so the folder needs nothing from a registry.
// `npm run build` makes it once (electron.vite.config.ts emits it as out/main/exportEngine.js), so
// a built or packaged app reads that file; from the sources (tests, browser mode) it is bundled
// on first use.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { esbuildApi } from './esbuildApi';

const ENTRY = ['src', 'engine', 'codegen', 'exportApi.ts'];

/** The file name of the prebuilt bundle, next to the main process's index.js. */
export const PREBUILT_ENGINE = 'exportEngine.js';

const HERE = () => path.dirname(fileURLToPath(import.meta.url));

/** The engine's export entry, found upwards from this file (src/host/export in the sources). */
function entryFile(): string | undefined {
  let dir = HERE();
  for (let i = 0; i < 6; i++) {
    const f = path.join(dir, ...ENTRY);
    if (existsSync(f)) return f;
    dir = path.dirname(dir);
  }
  return undefined;
}

/**
 * The bundle the build emitted, beside this module: it sits in out/main, and this module is either
 * bundled into a file there or into out/main/chunks (`here`: the folder of the running module).
 */
export function prebuiltEngineFile(here?: string): string | undefined {
  if (here === undefined) {
    if (!import.meta.url.startsWith('file:')) return undefined;
    here = HERE();
  }
  return [here, path.dirname(here)].map((d) => path.join(d, PREBUILT_ENGINE)).find((f) => existsSync(f));
}

/** Bundles the engine's export entry (`entry`: the path of codegen/exportApi.ts) into one ES module's text. */
export async function bundleEngine(entry: string): Promise<string> {
  const r = await (
    await esbuildApi()
  ).build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    banner: { js: '// The Backprop Studio engine, bundled as one module for this exported folder.' },
  });
  return r.outputFiles[0].text;
}

let cached: Promise<string> | undefined;

/**
 * engine.js from `where`: the build's prebuilt file when there is one (a built or packaged app,
 * which has no sources), else bundled from the sources' export entry (development, tests).
 */
export async function readEngineBundle(where: {
  prebuilt?: string | undefined;
  entry?: string | undefined;
}): Promise<string> {
  if (where.prebuilt !== undefined) return readFileSync(where.prebuilt, 'utf8');
  if (where.entry === undefined)
    throw new Error(
      `The engine bundle (${PREBUILT_ENGINE}) is missing from this installation; a TypeScript folder cannot be exported.`,
    );
  return bundleEngine(where.entry);
}

/** engine.js: the build's prebuilt file, else bundled from the sources once per process (about a second). */
export function engineBundle(): Promise<string> {
  cached ??= (async () => {
    const prebuilt = prebuiltEngineFile();
    return readEngineBundle(prebuilt !== undefined ? { prebuilt } : { entry: entryFile() });
  })();
  cached.catch(() => (cached = undefined));
  return cached;
}

/** Strips a generated TypeScript file's types (no type check), giving the JavaScript `npm start` runs. */
export async function stripTypes(source: string): Promise<string> {
  return (await (await esbuildApi()).transform(source, { loader: 'ts', format: 'esm', target: 'es2022' })).code;
}
