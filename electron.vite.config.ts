import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { bundleEngine, PREBUILT_ENGINE } from './src/host/export/engineBundle';

/**
 * Emits the engine bundle of exported TypeScript folders (engine.js in the folder) as
 * out/main/exportEngine.js, so a built or packaged app exports TypeScript without its sources.
 */
export function exportEnginePlugin(): Plugin {
  return {
    name: 'backprop-export-engine',
    apply: 'build',
    async generateBundle() {
      const source = await bundleEngine(resolve('src/engine/codegen/exportApi.ts'));
      this.emitFile({ type: 'asset', fileName: PREBUILT_ENGINE, source });
    },
  };
}

export default defineConfig({
  main: {
    plugins: [exportEnginePlugin()],
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // Worker threads of the host (src/host/workers/workerEntry.ts finds them next to index.js).
          sessionWorker: resolve('src/host/workers/sessionWorker.ts'),
          kernelWorker: resolve('src/host/workers/kernelWorker.ts'),
          customCodeWorker: resolve('src/host/workers/customCodeWorker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': everything else is bundled in.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        // A sandboxed preload cannot be an ES module: one self-contained CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react()],
    build: {
      // electron-vite leaves the renderer unminified; Monaco alone is then 5 MB of parse time at start.
      minify: true,
      // Monaco's editor API is one 2.7 MB module and cannot be split further; warn only past that.
      chunkSizeWarningLimit: 3000,
      rollupOptions: {
        input: resolve('src/renderer/index.html'),
      },
    },
    worker: { format: 'es' },
  },
});
