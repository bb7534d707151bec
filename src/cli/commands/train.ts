import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { resolveDataset } from '../../engine/graph/runtime/datasets';
import { prepareTraining, trainGraph } from '../../engine/graph/runtime/train';
import { parseDigitsBytes } from '../../engine/train/digits';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { intOption } from '../args';
import type { Command } from '../command';
import { compileProject } from '../compileProject';
import { CliError } from '../errors';
import { readProject } from '../io';

/** The bundled digits set (resources/datasets), found from this file so that any working folder works. */
const DIGITS = fileURLToPath(new URL('../../../resources/datasets/digits.csv.gz', import.meta.url));

export const trainCommand: Command = {
  name: 'train',
  usage: 'train PROJECT [--epochs N] [--seed S]',
  summary: "train on the project's data set; one JSON line per epoch, then the final metrics",
  options: { epochs: { type: 'string' }, seed: { type: 'string' } },
  positionals: ['PROJECT'],
  run: (args, out) => {
    const path = args.positionals[0];
    const { project } = readProject(path);
    const epochs = intOption('train', args, 'epochs', project.training.epochs, 1);
    const seed = intOption('train', args, 'seed', project.training.seed);
    const settings = { ...project.training, seed, epochs };
    const model = compileProject(path, project, seed);
    let dataset;
    try {
      dataset = resolveDataset(settings.dataset, seed, {
        digits: () => parseDigitsBytes(new Uint8Array(gunzipSync(readFileSync(DIGITS)))),
        // A CSV path in a project is relative to the project file.
        readText: (p) => readFileSync(resolve(dirname(path), p), 'utf8'),
      });
    } catch (e) {
      throw new CliError(`${path}: ${(e as Error).message}`);
    }
    const data = prepareTraining(model, dataset, settings);
    if (typeof data === 'string') throw new CliError(`${path}: ${data}`);
    const gen = trainGraph(model, data, settings);
    for (;;) {
      const r = gen.next();
      if (r.done) {
        out.stdout(JSON.stringify({ final: true, ...r.value }));
        if (r.value.error) {
          out.stderr(`${path}: ${r.value.error}`);
          return 1;
        }
        return 0;
      }
      out.stdout(JSON.stringify(r.value));
    }
  },
};
