import { dumpWeights } from '../../engine/runtime/compile';
import { intOption, requiredString } from '../args';
import type { Command } from '../command';
import { projectModel } from '../projectModel';
import { readProject, writeJson } from '../io';

export const weightsCommand: Command = {
  name: 'weights',
  usage: 'weights PROJECT --out W.json [--seed S]',
  summary: "write the model's initial weights for a seed (PyTorch names and layouts)",
  options: { out: { type: 'string' }, seed: { type: 'string' } },
  positionals: ['PROJECT'],
  run: (args, out) => {
    const path = args.positionals[0];
    const file = requiredString('weights', args, 'out');
    const { project } = readProject(path);
    const seed = intOption('weights', args, 'seed', project.training.seed);
    // Fresh initialisation: weights stored in the project are deliberately not used here.
    const model = projectModel(path, { ...project, weights: undefined }, seed);
    const weights = dumpWeights(model);
    writeJson(file, { format: 'backprop-studio-weights', version: 1, seed, weights });
    out.stdout(JSON.stringify({ out: file, seed, parameters: Object.keys(weights).length }));
    return 0;
  },
};
