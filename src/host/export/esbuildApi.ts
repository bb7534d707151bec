// esbuild for the running app (engine.js, types stripped at export, Verify). esbuild runs its
// platform binary as a child process, and a child process cannot start from inside a packaged
// app's app.asar: the packaging unpacks @esbuild/* (electron-builder.json asarUnpack), and here
// esbuild is pointed at the unpacked copy before it is first loaded (it reads
// ESBUILD_BINARY_PATH once, when its module loads).
import type * as Esbuild from 'esbuild';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The unpacked twin of a file inside app.asar, or undefined for a file that is not in one. */
export function unpackedPath(file: string, sep = path.sep): string | undefined {
  const inside = `${sep}app.asar${sep}`;
  return file.includes(inside) ? file.replace(inside, `${sep}app.asar.unpacked${sep}`) : undefined;
}

function pointAtUnpackedBinary(): void {
  if (process.env['ESBUILD_BINARY_PATH']) return;
  const win = process.platform === 'win32';
  let bin: string;
  try {
    bin = createRequire(import.meta.url).resolve(
      `@esbuild/${process.platform}-${process.arch}/${win ? 'esbuild.exe' : 'bin/esbuild'}`,
    );
  } catch {
    return; // esbuild finds its binary (or says why it cannot) itself.
  }
  const unpacked = unpackedPath(bin);
  if (unpacked !== undefined) process.env['ESBUILD_BINARY_PATH'] = unpacked;
}

let api: Promise<typeof Esbuild> | undefined;

/** The esbuild module, loaded on first use. */
export function esbuildApi(): Promise<typeof Esbuild> {
  api ??= (pointAtUnpackedBinary(), import('esbuild'));
  return api;
}

/**
 * The esbuild module loaded synchronously, for code that cannot wait (a custom node's code is
 * transpiled while a session compiles its graph, which is synchronous).
 */
export function esbuildSync(): typeof Esbuild {
  pointAtUnpackedBinary();
  return createRequire(import.meta.url)('esbuild') as typeof Esbuild;
}
