import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import config from '../../../electron.vite.config';
import { PREBUILT_ENGINE, prebuiltEngineFile, readEngineBundle } from './engineBundle';
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

describe('an installed app exports with the prebuilt engine.js', () => {
  it('finds the bundle the build emitted beside the main module, from out/main or out/main/chunks', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bps-installed-'));
    try {
      const main = path.join(dir, 'resources', 'app.asar', 'out', 'main');
      mkdirSync(path.join(main, 'chunks'), { recursive: true });
      expect(prebuiltEngineFile(main), 'nothing was built yet').toBeUndefined();
      writeFileSync(path.join(main, PREBUILT_ENGINE), '// prebuilt\n');
      expect(prebuiltEngineFile(main)).toBe(path.join(main, PREBUILT_ENGINE));
      expect(prebuiltEngineFile(path.join(main, 'chunks'))).toBe(path.join(main, PREBUILT_ENGINE));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses the prebuilt bundle when there is one, without the sources; bundles from them only without it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bps-installed-'));
    try {
      const prebuilt = path.join(dir, PREBUILT_ENGINE);
      writeFileSync(prebuilt, '// the prebuilt engine\nexport const prebuilt = true;\n');
      // A packaged app: no sources at all.
      expect(await readEngineBundle({ prebuilt })).toBe(readFileSync(prebuilt, 'utf8'));
      // The prebuilt file wins over the sources (this entry does not exist: bundling it would fail).
      expect(await readEngineBundle({ prebuilt, entry: path.join(dir, 'missing.ts') })).toBe(
        readFileSync(prebuilt, 'utf8'),
      );
      // Neither: the export says why it cannot be made.
      await expect(readEngineBundle({})).rejects.toThrow(
        `The engine bundle (${PREBUILT_ENGINE}) is missing from this installation; a TypeScript folder cannot be exported.`,
      );
      // Development: bundled from the sources.
      const dev = await readEngineBundle({ entry: path.resolve(__dirname, '../../engine/codegen/exportApi.ts') });
      expect(dev).toMatch(/^\/\/ The Backprop Studio engine, bundled as one module/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the packaging takes the main build’s output, engine bundle included', () => {
    // The plugin emits it into the main build's output folder, out/main (electron-vite's default).
    expect((config as { main?: { build?: { outDir?: string } } }).main?.build?.outDir).toBeUndefined();
    const builder = JSON.parse(readFileSync(path.resolve(__dirname, '../../../electron-builder.json'), 'utf8')) as {
      files: string[];
    };
    expect(builder.files).toContain('out/**/*');
    // The only files left out are source maps, so out/main/exportEngine.js is packaged.
    expect(builder.files.filter((f) => f.startsWith('!'))).toEqual(['!**/*.map']);
    expect(PREBUILT_ENGINE.endsWith('.map')).toBe(false);
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
