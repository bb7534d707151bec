import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import config from '../../../electron.vite.config';
import { PREBUILT_ENGINE } from './engineBundle';
import { unpackedPath } from './esbuildApi';

/**
 * `npm run build` (and so `npm run dist`) emits the engine bundle of exported TypeScript folders
 * next to the main process, so a built or packaged app exports TypeScript without its sources.
 */
describe('the build emits engine.js for exported folders', () => {
  it('the main build has the plugin, and it emits a self-contained module with the engine API', async () => {
    const main = (config as { main?: { plugins?: unknown[] } }).main;
    const plugin = (main?.plugins ?? [])
      .flat()
      .find((p) => (p as { name?: string }).name === 'backprop-export-engine') as
      { apply?: string; generateBundle: (this: unknown) => Promise<void> } | undefined;
    expect(plugin, 'the main build runs the engine-bundle plugin').toBeDefined();
    expect(plugin!.apply).toBe('build');
    const emitted: { type: string; fileName: string; source: string }[] = [];
    await plugin!.generateBundle.call({ emitFile: (f: (typeof emitted)[number]) => emitted.push(f) });
    expect(emitted.map((f) => [f.type, f.fileName])).toEqual([['asset', PREBUILT_ENGINE]]);
    // One module with no imports of its own: it runs from any folder.
    expect(emitted[0].source).not.toMatch(/^\s*import\s/m);
    const dir = mkdtempSync(path.join(tmpdir(), 'bps-engine-'));
    try {
      const file = path.join(dir, 'engine.mjs');
      writeFileSync(file, emitted[0].source);
      const m = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const name of ['Module', 'Rng', 'backward', 'createOptimizer', 'tidy', 'resolveDataset', 'batchTensors'])
        expect(typeof m[name], name).toBe('function');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('esbuild in a packaged app', () => {
  it('runs the binary unpacked next to app.asar (a child process cannot start inside it)', () => {
    expect(
      unpackedPath('/opt/Backprop Studio/resources/app.asar/node_modules/@esbuild/linux-x64/bin/esbuild', '/'),
    ).toBe('/opt/Backprop Studio/resources/app.asar.unpacked/node_modules/@esbuild/linux-x64/bin/esbuild');
    expect(unpackedPath('C:\\BPS\\resources\\app.asar\\node_modules\\@esbuild\\win32-x64\\esbuild.exe', '\\')).toBe(
      'C:\\BPS\\resources\\app.asar.unpacked\\node_modules\\@esbuild\\win32-x64\\esbuild.exe',
    );
    expect(unpackedPath('/repo/node_modules/@esbuild/linux-x64/bin/esbuild', '/')).toBeUndefined();
  });

  it('the packaging unpacks esbuild’s platform binaries', () => {
    const builder = JSON.parse(readFileSync(path.resolve(__dirname, '../../../electron-builder.json'), 'utf8')) as {
      asarUnpack: string[];
    };
    expect(builder.asarUnpack).toContain('node_modules/@esbuild/**');
  });
});
