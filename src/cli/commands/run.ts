import { batchFromJson } from '../../engine/runtime/batch';
import { StepSession } from '../../engine/runtime/stepSession';
import type { Tensor } from '../../engine/tensor/tensor';
import { dtypeOption, intOption, requiredString } from '../args';
import type { Command } from '../command';
import { parseWeights, projectModel } from '../projectModel';
import { CliError } from '../errors';
import { memoryProblem } from '../../engine/graph/memory';
import { validateGraph } from '../../engine/graph/validate';
import { readJson, readProject, writeJsonStreamed } from '../io';

/** Every value (NaN and ±Infinity kept: the JSON writer encodes them). */
const full = (t: Tensor | undefined) =>
  t
    ? {
        shape: [...t.shape],
        data: Array.from(
          t.data.subarray(
            0,
            t.shape.reduce((a, b) => a * b, 1),
          ),
        ),
      }
    : null;

export const runCommand: Command = {
  name: 'run',
  usage:
    'run PROJECT --input X.json [--target Y.json] [--weights W.json] [--seed S] [--dtype float32|float64] [--eval] --out OUT.json',
  summary: 'one forward and backward pass on a batch; writes every activation and gradient',
  options: {
    input: { type: 'string' },
    target: { type: 'string' },
    weights: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string' },
    dtype: { type: 'string' },
    eval: { type: 'boolean' },
  },
  positionals: ['PROJECT'],
  run: (args, out) => {
    const path = args.positionals[0];
    const inputPath = requiredString('run', args, 'input');
    const outPath = requiredString('run', args, 'out');
    const { project } = readProject(path);
    const seed = intOption('run', args, 'seed', project.training.seed);
    const weightsPath = args.options.weights;
    const weights =
      typeof weightsPath === 'string' ? parseWeights(weightsPath, readJson(weightsPath, 'weights')) : undefined;
    const dtype = dtypeOption('run', args);
    const model = projectModel(path, project, seed, weights, dtype);
    const inputs = readJson(inputPath, 'input');
    const targetPath = args.options.target;
    const targets = typeof targetPath === 'string' ? readJson(targetPath, 'target') : undefined;
    const batch = batchFromJson(model, inputs, targets);
    if (typeof batch === 'string')
      throw new CliError(`${batch}${batch.includes('no target values') ? ' (pass them with --target)' : ''}`);
    // The weights fit (checked at compile); the activations of this batch must too, before the pass.
    const rows = Object.values(batch)[0]?.shape[0] ?? 1;
    const tooLarge = memoryProblem(validateGraph(project.graph).size, Math.max(1, rows));
    if (tooLarge !== null) throw new CliError(`${path}: ${tooLarge}`);
    const training = args.options.eval !== true;
    const session = new StepSession(model, undefined, training);
    session.loadBatch(batch);
    session.runForward();
    const hasLoss = model.lossNodes.length > 0;
    if (hasLoss) session.runBackward();
    const losses = session.lossValues();
    const edges: Record<string, unknown> = {};
    for (const e of project.graph.edges) {
      edges[e.id] = {
        source: e.source,
        sourcePort: e.sourcePort,
        target: e.target,
        targetPort: e.targetPort,
        activation: full(session.activation(e.id)),
        gradient: full(session.gradient(e.id)),
      };
    }
    const parameters: Record<string, unknown> = {};
    for (const [name, p] of model.namedParameters())
      parameters[name] = { value: full(p), gradient: hasLoss ? full(session.parameterGradient(name)) : null };
    const batchSize = Object.values(batch)[0]?.shape[0] ?? 0;
    // Streamed: every activation and gradient of a wide layer can pass V8's longest string.
    writeJsonStreamed(outPath, {
      format: 'backprop-studio-run',
      version: 1,
      mode: training ? 'train' : 'eval',
      seed,
      dtype,
      batchSize,
      loss: hasLoss ? (session.loss() ?? null) : null,
      losses,
      edges,
      parameters,
    });
    out.stdout(
      JSON.stringify({
        out: outPath,
        loss: hasLoss ? (session.loss() ?? null) : null,
        edges: Object.keys(edges).length,
        parameters: Object.keys(parameters).length,
      }),
    );
    return 0;
  },
};
