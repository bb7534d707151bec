import { dirname, resolve } from 'node:path';
import { resolveDataset } from '../../engine/train/datasets';
import { dumpWeights } from '../../engine/runtime/compile';
import { trainGraph } from '../../engine/train/train';
import { prepareTraining } from '../../engine/train/trainingData';
import { nodeDatasetFiles } from '../../host/data/datasetFiles';
import { dtypeOption, intOption } from '../args';
import type { Command } from '../command';
import { projectModel } from '../projectModel';
import { CliError } from '../errors';
import { readProject, writeJson } from '../io';

export const trainCommand: Command = {
  name: 'train',
  usage: 'train PROJECT [--epochs N] [--seed S] [--dtype float32|float64] [--save-weights W.json]',
  summary: "train on the project's data set; one JSON line per epoch, then the final metrics",
  options: {
    epochs: { type: 'string' },
    seed: { type: 'string' },
    dtype: { type: 'string' },
    'save-weights': { type: 'string' },
  },
  positionals: ['PROJECT'],
  run: (args, out) => {
    const path = args.positionals[0];
    const { project } = readProject(path);
    const epochs = intOption('train', args, 'epochs', project.training.epochs, 1);
    const seed = intOption('train', args, 'seed', project.training.seed);
    const settings = { ...project.training, seed, epochs };
    const dtype = dtypeOption('train', args);
    const model = projectModel(path, project, seed, undefined, dtype, settings.batchSize);
    let dataset;
    try {
      // A CSV path in a project is relative to the project file.
      dataset = resolveDataset(settings.dataset, seed, nodeDatasetFiles(dirname(resolve(path))));
    } catch (e) {
      throw new CliError(`${path}: ${(e as Error).message}`);
    }
    const data = prepareTraining(model, dataset, settings);
    if (typeof data === 'string') throw new CliError(`${path}: ${data}`);
    // The app's session workers drive the same loop; the CLI prints its epochs and the end.
    const run = trainGraph(model, data, settings);
    for (;;) {
      const r = run.next();
      if (!r.done) {
        if (r.value.type === 'epoch') out.stdout(JSON.stringify(r.value.report));
        continue;
      }
      const { epochs: done, stoppedEarly, train, dev, test, seconds, error } = r.value;
      out.stdout(
        JSON.stringify({
          final: true,
          epochs: done,
          stoppedEarly,
          train,
          dev,
          test,
          seconds,
          ...(error ? { error } : {}),
        }),
      );
      if (error) {
        out.stderr(`${path}: ${error}`);
        return 1;
      }
      // The trained weights, in the format `run --weights` reads (e.g. to evaluate on chosen inputs).
      const weightsPath = args.options['save-weights'];
      if (typeof weightsPath === 'string')
        writeJson(weightsPath, { format: 'backprop-studio-weights', version: 1, seed, weights: dumpWeights(model) });
      return 0;
    }
  },
};
