// The datasets service: the bundled sets, previews, and CSV import with line-numbered errors.
import { promises as fsp } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { parseNumericCsv } from '../../engine/train/csv';
import { featureSize, targetSize } from '../../engine/train/dataset';
import type { Dataset } from '../../engine/train/dataset';
import { listDatasets, resolveDataset } from '../../engine/train/datasets';
import type { DatasetFiles } from '../../engine/train/datasetCatalog';
import { MAX_CSV_BYTES, nodeDatasetFiles } from '../data/datasetFiles';
import { readTextBounded } from '../files/readBounded';
import { HostError } from '../errors';
import type { CallContext, Handlers } from '../host';
import type { FileAccess } from '../files/fileAccess';
import { writeFileAtomic } from '../files/atomicWrite';

/** A preview's read of a CSV file gives up after this long (a hung network share). */
const PREVIEW_READ_TIMEOUT_MS = 30_000;

/**
 * The files a preview resolves with. A CSV file is read here, asynchronously (off the thread that
 * serves the API) and bounded (a regular file under the cap, abandoned after a timeout), and the
 * engine's resolver is handed its text.
 */
async function previewFiles(
  name: string,
  params: Record<string, unknown>,
  access: FileAccess,
  ctx: CallContext,
): Promise<DatasetFiles> {
  const files = nodeDatasetFiles();
  const file = params['path'];
  if (name !== 'csv' || typeof file !== 'string' || file === '') return files;
  // Only the data folder's files (imported CSVs): never a path the client made up.
  const abs = await access.check(file, 'data', ctx);
  let text: string;
  try {
    text = await readTextBounded(abs, MAX_CSV_BYTES, AbortSignal.timeout(PREVIEW_READ_TIMEOUT_MS));
  } catch (err) {
    throw new HostError('invalid-request', `Cannot read the CSV data set "${file}": ${(err as Error).message}.`);
  }
  return { ...files, readText: () => text };
}

export function datasetsHandlers(
  dataDir: string,
  access: FileAccess,
): Pick<Handlers, 'datasets.list' | 'datasets.preview' | 'datasets.importCsv'> {
  return {
    'datasets.list': async () => ({ datasets: listDatasets() }),
    'datasets.preview': async ({ name, params, rows }, ctx) => {
      const files = await previewFiles(name, params ?? {}, access, ctx);
      let ds: Dataset;
      try {
        ds = resolveDataset({ name, params: params ?? {} }, 0, files);
      } catch (err) {
        throw new HostError('invalid-request', (err as Error).message);
      }
      const f = featureSize(ds);
      const t = targetSize(ds);
      const m = Math.min(ds.n, rows ?? 20);
      return {
        name: ds.name,
        task: ds.task,
        n: ds.n,
        featureShape: ds.featureShape,
        targetShape: ds.targetShape,
        numClasses: ds.numClasses ?? null,
        featureNames: ds.featureNames ?? null,
        rows: Array.from({ length: m }, (_, i) => ({
          x: Array.from(ds.x.subarray(i * f, i * f + f)),
          y: Array.from(ds.y.subarray(i * t, i * t + t)),
        })),
      };
    },
    'datasets.importCsv': async ({ content, fileName, task }) => {
      let ds: Dataset;
      try {
        ds = parseNumericCsv(content, { name: fileName, task: task ?? 'classification' });
      } catch (err) {
        const msg = (err as Error).message;
        const line = /line (\d+)/i.exec(msg)?.[1];
        throw new HostError(
          'invalid-request',
          `Cannot import "${fileName}": ${msg}`,
          line !== undefined ? `line ${line}` : undefined,
        );
      }
      // Kept under its content hash: importing the same file twice gives the same reference.
      const hash = createHash('sha256').update(content).digest('hex').slice(0, 16);
      const base =
        path
          .basename(fileName)
          .replace(/[^\w.-]+/g, '_')
          .replace(/\.csv$/i, '')
          .slice(0, 60) || 'data';
      const file = path.join(dataDir, 'datasets', `${base}-${hash}.csv`);
      await fsp.mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, content, { backup: false });
      return {
        dataset: { name: 'csv' as const, params: { path: file, task: ds.task } },
        n: ds.n,
        features: featureSize(ds),
        numClasses: ds.numClasses ?? null,
        featureNames: ds.featureNames ?? null,
      };
    },
  };
}
