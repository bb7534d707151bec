// The app's data sets are the engine's: everything datasets.list offers must resolve in the
// engine's resolver (the one the CLI and the session workers use) to the same data, with the
// defaults the list shows, so the app and `backprop-studio train` cannot drift apart again.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDataset } from '../../engine/train/datasets';
import { defaultTrainingSettings } from '../../engine/graph/schema';
import type { Project } from '../../engine/graph/schema';
import { featureSize, targetSize } from '../../engine/train/dataset';
import type { Dataset } from '../../engine/train/dataset';
import { MAX_CSV_BYTES, nodeDatasetFiles } from '../data/datasetFiles';
import { FileAccess } from '../files/fileAccess';
import { RecentFiles } from '../files/recentFiles';
import type { CallContext } from '../host';
import { loadProjectData } from '../workers/projectData';
import { datasetsHandlers } from './datasets';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bps-datasets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx: CallContext = { transport: 'direct', clientId: 'datasets' };
const access = new FileAccess({
  dataDir: dir,
  examplesDir: null,
  recent: new RecentFiles(path.join(dir, 'recent.json')),
});
const service = datasetsHandlers(dir, access);
const files = nodeDatasetFiles();

/** The first `m` rows as the preview shows them. */
function rowsOf(ds: Dataset, m: number) {
  const f = featureSize(ds);
  const t = targetSize(ds);
  return Array.from({ length: Math.min(m, ds.n) }, (_, i) => ({
    x: Array.from(ds.x.subarray(i * f, i * f + f)),
    y: Array.from(ds.y.subarray(i * t, i * t + t)),
  }));
}

function projectWith(dataset: Project['training']['dataset'], seed: number): Project {
  return { training: { ...defaultTrainingSettings(), dataset, seed } } as Project;
}

describe('datasets service and the engine resolver', () => {
  it('lists the bundled sets, each resolving in the engine with the listed defaults and the same data for a seed', async () => {
    const { datasets } = await service['datasets.list']({}, ctx);
    expect(datasets.map((d) => d.name)).toEqual([
      'xor',
      'linear',
      'blobs',
      'circles',
      'moons',
      'spiral',
      'sine',
      'sine-outliers',
      'bits',
      'translate',
      'scalar',
      'digits',
    ]);
    for (const info of datasets) {
      for (const seed of [0, 7]) {
        const engine = resolveDataset({ name: info.name, params: {} }, seed, files);
        // The listed defaults are the ones used: spelling them out gives the same data.
        const spelled = resolveDataset({ name: info.name, params: { ...info.params } }, seed, files);
        expect(spelled.x, info.name).toEqual(engine.x);
        expect(spelled.y, info.name).toEqual(engine.y);
        expect(engine.task, info.name).toBe(info.task);
        if ('n' in info.params) expect(engine.n, info.name).toBe(info.params.n);
        // What the app previews for the same settings and seed…
        const preview = await service['datasets.preview']({ name: info.name, params: { seed }, rows: 200 }, ctx);
        expect(preview, info.name).toEqual({
          name: engine.name,
          task: engine.task,
          n: engine.n,
          featureShape: engine.featureShape,
          targetShape: engine.targetShape,
          numClasses: engine.numClasses ?? null,
          featureNames: engine.featureNames ?? null,
          rows: rowsOf(engine, 200),
        });
        // …and what a session worker trains on.
        const session = loadProjectData(projectWith({ name: info.name, params: {} }, seed));
        expect(session.dataset.x, info.name).toEqual(engine.x);
        expect(session.dataset.y, info.name).toEqual(engine.y);
      }
    }
  });

  it('previews an imported CSV as the engine resolves it, label column and task included', async () => {
    const imported = await service['datasets.importCsv'](
      { content: 'a,b,y\n1,2,0.5\n3,4,1.5\n5,6,2.5\n', fileName: 'my data.csv', task: 'regression' },
      ctx,
    );
    expect(imported).toMatchObject({ n: 3, features: 2, numClasses: null, featureNames: ['a', 'b'] });
    const engine = resolveDataset(imported.dataset, 0, files);
    const preview = await service['datasets.preview']({ name: 'csv', params: imported.dataset.params }, ctx);
    expect(preview).toMatchObject({ name: engine.name, task: 'regression', n: 3, rows: rowsOf(engine, 20) });
    expect(engine.name).toMatch(/^my_data-[0-9a-f]{16}\.csv$/);
    const first = await service['datasets.preview'](
      { name: 'csv', params: { ...imported.dataset.params, labelColumn: 'first' } },
      ctx,
    );
    expect(first.rows[0]).toEqual({ x: [2, 0.5], y: [1] });
  });

  it('reads a relative CSV path from the given folder, and says which file it cannot read', () => {
    writeFileSync(path.join(dir, 'rel.csv'), 'x,y\n1,0\n2,1\n');
    expect(resolveDataset({ name: 'csv', params: { path: 'rel.csv' } }, 0, nodeDatasetFiles(dir))).toMatchObject({
      name: 'rel.csv',
      n: 2,
    });
    expect(() => resolveDataset({ name: 'csv', params: { path: 'nope.csv' } }, 0, nodeDatasetFiles(dir))).toThrow(
      'Cannot read the CSV data set "nope.csv": no such file',
    );
  });

  it('answers bad settings as invalid requests in a sentence', async () => {
    await expect(service['datasets.preview']({ name: 'spiral', params: { classes: 5 } }, ctx)).rejects.toMatchObject({
      code: 'invalid-request',
      message: 'The data set "spiral" needs "classes" to be 2 or 3, got 5.',
    });
    await expect(service['datasets.preview']({ name: 'mnist' }, ctx)).rejects.toMatchObject({
      code: 'invalid-request',
    });
  });

  it('previews no file outside the data folder: an arbitrary text file is refused without being read', async () => {
    const secret = path.join(dir, 'secret.csv');
    writeFileSync(secret, 'root,x\n0,0\n');
    for (const file of [secret, '/etc/passwd', `${dir}/datasets/../secret.csv`, 'secret.csv']) {
      const r = service['datasets.preview']({ name: 'csv', params: { path: file } }, ctx);
      await expect(r).rejects.toMatchObject({ code: 'unauthorized' });
      await expect(r).rejects.toThrow(/only from the data folder/);
      await expect(r).rejects.not.toThrow(/root/);
    }
    // Over the browser's WebSocket the refusal says how the browser brings data in.
    await expect(
      service['datasets.preview']({ name: 'csv', params: { path: secret } }, { transport: 'websocket', clientId: 'w' }),
    ).rejects.toThrow(/Import CSV/);
  });

  it('refuses /dev/zero and a FIFO as a CSV data set, in the preview and at session start, without reading them', async () => {
    mkdirSync(path.join(dir, 'datasets'), { recursive: true });
    const fifo = path.join(dir, 'datasets', 'data.fifo');
    execFileSync('mkfifo', [fifo]);
    const zero = path.join(dir, 'datasets', 'zero.csv');
    execFileSync('ln', ['-s', '/dev/zero', zero]);
    // A link in the data folder to a file outside it is outside it.
    for (const file of ['/dev/zero', zero])
      await expect(service['datasets.preview']({ name: 'csv', params: { path: file } }, ctx)).rejects.toMatchObject({
        code: 'unauthorized',
      });
    const message = `Cannot read the CSV data set "${fifo}": it is not a regular file (a device, a pipe or a socket).`;
    await expect(service['datasets.preview']({ name: 'csv', params: { path: fifo } }, ctx)).rejects.toMatchObject({
      code: 'invalid-request',
      message,
    });
    // What a session worker runs when Step or Train first needs the data (the host checked before).
    for (const file of ['/dev/zero', fifo]) {
      expect(() => loadProjectData(projectWith({ name: 'csv', params: { path: file } }, 0))).toThrow(
        `Cannot read the CSV data set "${file}": it is not a regular file (a device, a pipe or a socket)`,
      );
    }
  });

  it('refuses a CSV over the size limit, naming its size, in the preview and at session start', async () => {
    mkdirSync(path.join(dir, 'datasets'), { recursive: true });
    // A sparse file: 257 MB long, no disk used.
    const huge = path.join(dir, 'datasets', 'huge.csv');
    writeFileSync(huge, 'a,b,label\n');
    truncateSync(huge, MAX_CSV_BYTES + 1024 * 1024);
    const message = `Cannot read the CSV data set "${huge}": it is 257 MB; the limit is 256 MB.`;
    await expect(service['datasets.preview']({ name: 'csv', params: { path: huge } }, ctx)).rejects.toMatchObject({
      code: 'invalid-request',
      message,
    });
    expect(() => loadProjectData(projectWith({ name: 'csv', params: { path: huge } }, 0))).toThrow(
      message.slice(0, -1),
    );
  });

  it('locates a cell that is not a number without quoting it, in the preview and at session start', async () => {
    mkdirSync(path.join(dir, 'datasets'), { recursive: true });
    const leaky = path.join(dir, 'datasets', 'leaky.csv');
    writeFileSync(leaky, 'a,b,label\n0,1,1\nroot:x:0:0,1,0\n1,1,0\n');
    const r = service['datasets.preview']({ name: 'csv', params: { path: leaky } }, ctx);
    await expect(r).rejects.toMatchObject({
      code: 'invalid-request',
      message: 'CSV line 3, column 1: not a finite number.',
    });
    expect(() => loadProjectData(projectWith({ name: 'csv', params: { path: leaky } }, 0))).toThrow(
      /^(?!.*root).*CSV line 3, column 1: not a finite number\.$/,
    );
  });
});
