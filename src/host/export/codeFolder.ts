// The files of an exported folder: the generated program plus what it needs to run offline —
// the current weights by name, the data (TypeScript: the data files and the bundled engine;
// PyTorch: the data set as the app split it), package.json or nothing to install, a README.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ExportError } from '../../engine/codegen/program';
import type { CodeLang, GeneratedCode } from '../../engine/codegen/generate';
import { CODE_LANG_TITLES, generateCode } from '../../engine/codegen/generate';
import { exportedState } from '../../engine/codegen/weights';
import { resolveDataset } from '../../engine/train/datasets';
import type { GraphModel } from '../../engine/runtime/compile';
import { compileGraph } from '../../engine/runtime/compile';
import { batchTensors, splitData } from '../../engine/train/trainingData';
import type { Project } from '../../engine/graph/schema';
import { nodeDatasetFiles, resourcesFile } from '../data/datasetFiles';
import { engineBundle, stripTypes } from './engineBundle';

/** A file of an exported folder: text, or bytes (a gzipped data file). */
export interface FolderFile {
  readonly path: string;
  readonly content: string | Uint8Array;
}

/** The model as the export starts it: the project's weights if it has them, else the seed's initial ones. */
function startingModel(project: Project): GraphModel {
  const r = compileGraph(project.graph, {
    seed: project.training.seed,
    ...(project.weights ? { weights: project.weights } : {}),
  });
  if (!r.ok) throw new ExportError(r.issues[0].message, r.issues[0].nodeId);
  return r.model;
}

/** weights.json: every parameter and buffer by its name in the generated code. */
function weightsJson(model: GraphModel): string {
  return `${JSON.stringify(exportedState(model))}\n`;
}

function loadDataset(project: Project, baseDir: string | undefined) {
  try {
    return resolveDataset(project.training.dataset, project.training.seed, nodeDatasetFiles(baseDir));
  } catch (e) {
    throw new ExportError(`The data set cannot be read: ${(e as Error).message}`);
  }
}

/** data.json for train.py: one tensor per data node over the whole data set, and the split. */
function dataJson(project: Project, model: GraphModel, baseDir: string | undefined): string {
  const { dataset, split } = splitData(loadDataset(project, baseDir), project.training);
  const slot = (n: GraphModel['nodes'][number] | undefined) => n && { id: n.id, ...n.outputTypes.out };
  const input = model.inputNodes[0];
  const target = model.targetNodes[0];
  if (!input) throw new ExportError('The graph has no Input node to feed the data set to.');
  const all = Array.from({ length: dataset.n }, (_, i) => i);
  const tensors = batchTensors(dataset, all, slot(input)!, slot(target), 'float64');
  const long = (id: string) => {
    const kind = model.node(id)!.outputTypes.out.kind;
    return kind === 'indices' || kind === 'class-labels';
  };
  return `${JSON.stringify({
    n: dataset.n,
    tensors: Object.fromEntries(
      Object.entries(tensors).map(([id, t]) => [id, { shape: t.shape.slice(1), long: long(id), data: t.toArray() }]),
    ),
    split: { train: split.train, dev: split.dev, test: split.test },
  })}\n`;
}

/** The data files data.ts reads: the bundled digits, or the project's CSV. */
function dataFiles(project: Project, baseDir: string | undefined): FolderFile[] {
  const ref = project.training.dataset;
  if (ref.name === 'digits') {
    const f = resourcesFile('datasets', 'digits.csv.gz');
    if (f === null) throw new ExportError('The digits data set is missing from this installation.');
    return [{ path: 'data/digits.csv.gz', content: new Uint8Array(readFileSync(f)) }];
  }
  if (ref.name === 'csv' && typeof ref.params.path === 'string') {
    const text = nodeDatasetFiles(baseDir).readText!(ref.params.path);
    return [{ path: `data/${path.basename(ref.params.path)}`, content: text }];
  }
  return [];
}

function readme(project: Project, lang: CodeLang): string {
  const title = project.name || 'Untitled';
  if (lang === 'ts-scratch')
    return `# ${title}

Exported from Backprop Studio as ${CODE_LANG_TITLES[lang]}.

## Run

\`\`\`sh
npm install && npm start
\`\`\`

Needs Node.js 18 or later and nothing else: there are no dependencies to download. \`npm start\`
trains for the project's epochs (\`npm start -- 5\` for five) with the app's optimizer, batch order and
seed, prints one JSON line per epoch (train and dev loss), and writes the trained weights to
\`weights.trained.json\`.

## Files

- \`model.ts\` — one self-contained file, no imports: every node's forward and backward as plain
  functions over Float64Array, the forward pass in topological order, the backward pass in reverse,
  one line per chain-rule step; \`lossAndGradients\`, the project's optimizer and \`train(weights, data)\`,
  which replays the app's batch order and seed.
- \`train.ts\` — reads the two files below and trains with \`model.ts\`'s \`train\`.
- \`weights.json\` — the weights the canvas had at export, by PyTorch name (\`loadWeights\` reads it).
- \`data.json\` — the data set as the app made and split it (inputs, labels, train/dev/test indices).
- \`*.js\` next to each \`.ts\` — the same code with its type annotations stripped, which is what
  \`npm start\` runs. Edit the \`.ts\` and strip again with any TypeScript tool, or edit the \`.js\`.
`;
  const ts = lang !== 'python';
  return `# ${title}

${project.description ? `${project.description}\n\n` : ''}Exported from Backprop Studio as ${CODE_LANG_TITLES[lang]}.

## Run

${
  ts
    ? `\`\`\`sh
npm install && npm start
\`\`\`

Needs Node.js 18 or later and nothing else: there are no dependencies to download. \`npm start\`
trains for the project's epochs (\`npm start -- 5\` for five) and prints one JSON line per epoch;
the trained weights go to \`weights.trained.json\`.

## Files

- \`model.ts\` — the model: one field per node, and its forward pass.
- \`train.ts\` — the training loop: the project's optimizer, batch size, epochs and seed.
- \`data.ts\` — the project's data set, split and batched as the app does it (files in \`data/\`).
- \`weights.json\` — the weights the canvas had at export, by name (\`fc1.weight\` …; PyTorch's names and layouts).
- \`engine.js\` — the Backprop Studio engine, bundled as one module.
- \`*.js\` next to each \`.ts\` — the same code with its type annotations stripped, which is what
  \`npm start\` runs (Node 20 cannot run TypeScript itself). Edit the \`.ts\` and strip again with any
  TypeScript tool (e.g. \`npx tsc\` or \`npx esbuild\`), or edit the \`.js\` directly.
`
    : `\`\`\`sh
python3 train.py
\`\`\`

Needs Python 3 with PyTorch. \`train.py\` trains for the project's epochs (\`python3 train.py 5\` for
five) with the same optimizer, batch size, seed and batch order as the app, and prints one JSON line
per epoch; the trained weights go to \`weights.trained.json\`.

## Files

- \`model.py\` — the model as a \`torch.nn.Module\`; its parameter names are the app's, so
  \`model.load_state_dict\` takes \`weights.json\` (nested lists; make them tensors first).
- \`train.py\` — the training loop.
- \`weights.json\` — the weights the canvas had at export.
- \`data.json\` — the data set as the app made and split it (inputs, labels, train/dev/test indices).
`
}`;
}

/**
 * Every file of the exported folder for a project in a language. `baseDir` resolves a relative
 * CSV path (the project file's folder). Throws ExportError with a sentence (naming the node) when
 * the project cannot be exported.
 */
export async function codeFolder(project: Project, lang: CodeLang, baseDir?: string): Promise<FolderFile[]> {
  const code: GeneratedCode = generateCode(project, lang);
  const model = startingModel(project);
  const files: FolderFile[] = [...code.files, { path: 'README.md', content: readme(project, lang) }];
  if (lang === 'python') {
    files.push({ path: 'weights.json', content: weightsJson(model) });
    files.push({ path: 'data.json', content: dataJson(project, model, baseDir) });
    return files;
  }
  if (lang === 'ts-scratch') {
    // model.ts's train(weights, data) takes these two: no engine, no package.
    files.push({ path: 'weights.json', content: weightsJson(model) });
    files.push({ path: 'data.json', content: dataJson(project, model, baseDir) });
  }
  if (lang === 'ts') {
    loadDataset(project, baseDir);
    files.push({ path: 'weights.json', content: weightsJson(model) });
    files.push(...dataFiles(project, baseDir));
    files.push({ path: 'engine.js', content: await engineBundle() });
  }
  for (const f of code.files)
    if (f.path.endsWith('.ts'))
      files.push({ path: f.path.replace(/\.ts$/, '.js'), content: await stripTypes(f.content) });
  const safe =
    (project.name || 'model')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'model';
  files.push({
    path: 'package.json',
    content: `${JSON.stringify(
      {
        name: safe,
        version: '1.0.0',
        private: true,
        description: `${project.name} — exported from Backprop Studio`,
        type: 'module',
        engines: { node: '>=18' },
        scripts: { start: 'node train.js' },
      },
      null,
      2,
    )}\n`,
  });
  return files;
}
