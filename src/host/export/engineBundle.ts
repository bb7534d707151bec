// The engine as one ES module (engine.js) for exported TypeScript folders: codegen/exportApi.ts
// and everything it imports, bundled by esbuild, so the folder needs nothing from a registry.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';

const ENTRY = ['src', 'engine', 'codegen', 'exportApi.ts'];

/** The engine's export entry, found upwards from this file (src/host/export in the sources, out/main in the build). */
function entryFile(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const f = path.join(dir, ...ENTRY);
    if (existsSync(f)) return f;
    dir = path.dirname(dir);
  }
  throw new Error(
    'The engine sources (src/engine) are missing from this installation; a TypeScript folder cannot be exported.',
  );
}

let cached: Promise<string> | undefined;

/** engine.js: bundled once per process (about a second), then reused. */
export function engineBundle(): Promise<string> {
  cached ??= build({
    entryPoints: [entryFile()],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    legalComments: 'none',
    banner: { js: '// The Backprop Studio engine, bundled as one module for this exported folder.' },
  }).then((r) => r.outputFiles[0].text);
  cached.catch(() => (cached = undefined));
  return cached;
}

/** Strips a generated TypeScript file's types (no type check), giving the JavaScript `npm start` runs. */
export async function stripTypes(source: string): Promise<string> {
  return (await transform(source, { loader: 'ts', format: 'esm', target: 'es2022' })).code;
}
