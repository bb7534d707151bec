import { dirname, resolve } from 'node:path';
import { greedyDecode, sequenceAccuracy, translationTask } from '../../engine/train/greedyDecode';
import { resolveDataset } from '../../engine/train/datasets';
import { encodeToySource } from '../../engine/train/toyTranslation';
import { splitData } from '../../engine/train/trainingData';
import { nodeDatasetFiles } from '../../host/data/datasetFiles';
import { dtypeOption, intOption } from '../args';
import type { Command } from '../command';
import { parseWeights, projectModel } from '../projectModel';
import { CliError } from '../errors';
import { readJson, readProject } from '../io';

const SPLITS = ['train', 'dev', 'test'] as const;

export const translateCommand: Command = {
  name: 'translate',
  usage:
    'translate PROJECT [--weights W.json] [--source WORD | --split train|dev|test] [--seed S] [--dtype float32|float64]',
  summary: 'greedy decoding of a seq2seq graph on the toy translation task: one word, or a split’s sequence accuracy',
  options: {
    weights: { type: 'string' },
    source: { type: 'string' },
    split: { type: 'string' },
    seed: { type: 'string' },
    dtype: { type: 'string' },
  },
  positionals: ['PROJECT'],
  run: (args, out) => {
    const path = args.positionals[0];
    const { project } = readProject(path);
    const task = translationTask(project.training.dataset);
    if (!task)
      throw new CliError(
        `${path}: translate needs the toy translation data set ("translate"), but the project trains on "${project.training.dataset.name}"`,
      );
    const seed = intOption('translate', args, 'seed', project.training.seed);
    const weightsPath = args.options.weights;
    const weights =
      typeof weightsPath === 'string' ? parseWeights(weightsPath, readJson(weightsPath, 'weights')) : undefined;
    const model = projectModel(path, project, seed, weights, dtypeOption('translate', args));
    const source = args.options.source;
    try {
      if (typeof source === 'string') {
        const ids = encodeToySource(source, task.letters, task.layout.source);
        const [d] = greedyDecode(model, task.layout, [ids]);
        const text = (t: readonly number[]) => t.map((k) => task.vocabulary[k]).join('');
        out.stdout(
          JSON.stringify({
            source: text(ids),
            output: text(d.tokens),
            tokens: d.tokens,
            attention: d.attention?.map((row) => row.slice(0, ids.length)) ?? null,
          }),
        );
        return 0;
      }
      const split = args.options.split ?? 'test';
      if (typeof split !== 'string' || !(SPLITS as readonly string[]).includes(split))
        throw new CliError(`translate: --split must be train, dev or test, got "${String(split)}"`, 2);
      const settings = { ...project.training, seed };
      const data = splitData(
        resolveDataset(settings.dataset, seed, nodeDatasetFiles(dirname(resolve(path)))),
        settings,
      );
      const idx = data.split[split as (typeof SPLITS)[number]];
      out.stdout(
        JSON.stringify({
          split,
          n: idx.length,
          sequenceAccuracy: sequenceAccuracy(model, task.layout, data.dataset, idx),
        }),
      );
      return 0;
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`${path}: ${(e as Error).message}`);
    }
  },
};
