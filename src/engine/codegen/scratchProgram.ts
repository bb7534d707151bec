// TypeScript from scratch: one self-contained file, no imports. Every node's forward and
// backward are plain functions over flat Float64Arrays (graph/registry/scratch.ts); the forward
// pass runs the nodes in evaluation order, the backward pass in reverse, one line per chain-rule
// step; the parameters come from weights.json (PyTorch names) and the training loop replays the
// engine's optimizer, batch order and seed, so its losses are the app's.
import type { Project, TrainingSettings } from '../graph/schema';
import type { ScratchTensor } from '../graph/emit';
import { compileGraph } from '../runtime/compile';
import { Dropout } from '../nn/dropout';
import type { ProgramPlan } from './program';
import { caption, ignoredTargets, planProgram, sumReduced } from './program';
import { formulaComment } from './tsProgram';
import type { GeneratedFile, SourceRange } from './sourceMap';
import { LineWriter } from './sourceMap';

const lit = (v: unknown): string => JSON.stringify(v);

/** The engine's generator (tensor/rng.ts), for the batch order and dropout masks. */
const RNG = `/** The engine's seeded generator (xoshiro128**, seeded by SplitMix32): the same seed gives the app's batches and masks. */
class Rng {
  private s: number[];
  constructor(seed: number, state?: readonly number[]) {
    if (state) {
      this.s = [...state];
      return;
    }
    let sm = Math.trunc(seed) >>> 0;
    const next = (): number => {
      sm = (sm + 0x9e3779b9) >>> 0;
      let z = sm;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s = [next(), next(), next(), next()];
  }
  nextUint32(): number {
    const s = this.s;
    const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }
  /** A uniform double in [0, 1) with 53 random bits. */
  next(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
  /** A uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    const limit = 2 ** 32 - (2 ** 32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }
  /** Fisher–Yates, in place. */
  shuffle(a: number[]): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
  }
}`;

/** The project's optimizer, as torch.optim writes it (and the engine's optim/ does). */
function optimizerSource(s: TrainingSettings['optimizer']): string {
  if (s.type === 'sgd') {
    const mu = s.momentum;
    const wd = s.weightDecay;
    return `/**
 * torch.optim.SGD(lr=${s.lr}, momentum=${mu}, nesterov=${s.nesterov}, weight_decay=${wd}):
 * g ← ∂L/∂θ + λθ;${mu ? ` b ← μb + g (b = g at the first step); θ ← θ − lr·${s.nesterov ? '(g + μb)' : 'b'}` : ' θ ← θ − lr·g'}.
 */
function makeOptimizer(P: Tensors): (G: Tensors) => void {
  const [lr, mu, wd, nesterov] = [${s.lr}, ${mu}, ${wd}, ${s.nesterov}];
  const buf: Record<string, Float64Array> = {};
  return (G) => {
    for (const name of PARAMETERS) {
      const [x, g] = [P[name], G[name]];
      const b = buf[name];
      for (let j = 0; j < x.length; j++) {
        const d = g[j] + wd * x[j];
        if (mu === 0) {
          x[j] -= lr * d;
          continue;
        }
        const bj = b ? mu * b[j] + d : d;
        (buf[name] ??= new Float64Array(x.length))[j] = bj;
        x[j] -= lr * (nesterov ? d + mu * bj : bj);
      }
    }
  };
}`;
  }
  const decoupled = s.type === 'adamw';
  return `/**
 * torch.optim.${decoupled ? 'AdamW' : 'Adam'}(lr=${s.lr}, betas=(${s.beta1}, ${s.beta2}), eps=${s.eps}, weight_decay=${s.weightDecay}):
 * ${decoupled ? 'θ ← θ(1 − lr·λ); g ← ∂L/∂θ' : 'g ← ∂L/∂θ + λθ'}; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 * θ ← θ − (lr / (1−β₁ᵗ))·m / (√v / √(1−β₂ᵗ) + ε).
 */
function makeOptimizer(P: Tensors): (G: Tensors) => void {
  const [lr, b1, b2, eps, wd, decoupled] = [${s.lr}, ${s.beta1}, ${s.beta2}, ${s.eps}, ${s.weightDecay}, ${decoupled}];
  const m: Record<string, Float64Array> = {};
  const v: Record<string, Float64Array> = {};
  let t = 0;
  return (G) => {
    t++;
    const stepSize = lr / (1 - Math.pow(b1, t));
    const bc2Sqrt = Math.sqrt(1 - Math.pow(b2, t));
    for (const name of PARAMETERS) {
      const [x, g] = [P[name], G[name]];
      const mk = (m[name] ??= new Float64Array(x.length));
      const vk = (v[name] ??= new Float64Array(x.length));
      if (decoupled && wd !== 0) for (let j = 0; j < x.length; j++) x[j] *= 1 - lr * wd;
      const l2 = decoupled ? 0 : wd;
      for (let j = 0; j < x.length; j++) {
        const gj = g[j] + l2 * x[j];
        mk[j] = b1 * mk[j] + (1 - b1) * gj;
        vk[j] = b2 * vk[j] + (1 - b2) * gj * gj;
        x[j] -= (stepSize * mk[j]) / (Math.sqrt(vk[j]) / bc2Sqrt + eps);
      }
    }
  };
}`;
}

/** The state of each random node's generator in a freshly built model (the masks it will draw). */
function randomStates(project: Project, plan: ProgramPlan): Record<string, number[]> {
  const random = plan.nodes.filter((n) => n.emitted?.random);
  if (random.length === 0) return {};
  const r = compileGraph(project.graph, { seed: project.training.seed });
  const out: Record<string, number[]> = {};
  if (!r.ok) return out;
  for (const n of random) {
    const m = r.model.nodes.find((c) => c.id === n.node.id)?.runtime?.module;
    if (m instanceof Dropout) out[n.name] = [...m.rng.getState().s];
  }
  return out;
}

/** The from-scratch program: model.ts, and which of its lines each node wrote. */
export function scratchProgram(project: Project): { files: GeneratedFile[]; ranges: SourceRange[] } {
  const plan = planProgram(project.graph, 'scratch');
  const w = new LineWriter('model.ts');
  const tensors: (ScratchTensor & { full: string })[] = plan.nodes.flatMap((n) =>
    (n.emitted?.tensors ?? []).map((t) => ({ ...t, full: `${n.name}.${t.name}` })),
  );
  const helpers: string[] = [];
  for (const n of plan.nodes) for (const h of n.emitted?.helpers ?? []) if (!helpers.includes(h)) helpers.push(h);
  const dataVars = plan.dataNodes.map((n) => n.outputs.out);
  const input = plan.dataNodes.find((n) => n.node.type === 'Input');
  const target = plan.dataNodes.find((n) => n.node.type === 'Target');
  const s = project.training;

  w.add(
    0,
    `// ${project.name || 'Untitled'} — from scratch, generated by Backprop Studio: no imports, no engine.`,
    '// Every tensor is a Float64Array in row-major order (the last index varies fastest); N is the',
    '// number of samples in the batch. The forward pass runs the nodes in topological order; the',
    '// backward pass runs them in reverse, one line per step of the chain rule, adding ∂L/∂v into d_v.',
    '',
    '// ── Every node type’s forward and backward, as plain functions ──',
    '',
  );
  for (const h of helpers) w.add(0, ...h.split('\n'), '');
  w.add(0, RNG, '');
  w.add(
    0,
    '/** Parameters and buffers by their PyTorch names (what weights.json holds). */',
    'export type Tensors = Record<string, Float64Array>;',
    '',
    '/** The shape of every parameter and buffer. */',
    `export const SHAPES: Record<string, readonly number[]> = {${tensors.map((t) => ` ${lit(t.full)}: ${lit(t.shape)}`).join(',')} };`,
    '/** The trained parameters, in the order the optimizer visits them. */',
    `export const PARAMETERS: readonly string[] = ${lit(tensors.filter((t) => !t.buffer).map((t) => t.full))};`,
    '',
    '/** weights.json (nested arrays by PyTorch name) as flat arrays, each checked against its shape. */',
    'export function loadWeights(weights: Record<string, unknown>): Tensors {',
    '  const P: Tensors = {};',
    '  for (const [name, shape] of Object.entries(SHAPES)) {',
    '    const flat = [weights[name]].flat(shape.length) as number[];',
    '    if (flat.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`weights.json: ${name} should be ${shape.join("×")}`);',
    '    P[name] = Float64Array.from(flat);',
    '  }',
    '  return P;',
    '}',
    '',
    '/** Zeroed arrays shaped like the parameters: where the backward pass adds ∂L/∂θ. */',
    'export function zeroGradients(): Tensors {',
    '  return Object.fromEntries(PARAMETERS.map((name) => [name, new Float64Array(SHAPES[name].reduce((a, b) => a * b, 1))]));',
    '}',
    '',
    `/** One batch: ${plan.dataNodes.map((n) => `${n.outputs.out} (${n.node.type === 'Input' ? 'the features' : 'the labels'}, ${shapeText(plan, n.node.id)})`).join(', ')}, row-major. */`,
    `export interface Batch {${dataVars.map((v) => ` ${v}: Float64Array;`).join('')} }`,
    '',
    '/**',
    ' * The loss of one batch of N samples and every value on the way; with G, also ∂L/∂θ for every',
    " * parameter θ, added into G. `rng`: each Dropout's generator; `training`: dropout on (and batch statistics).",
    ' */',
    'export function lossAndGradients(',
    '  P: Tensors,',
    '  batch: Batch,',
    '  N: number,',
    '  training: boolean,',
    '  rng: Record<string, Rng>,',
    '  G?: Tensors,',
    '): { loss: number | null; values: Record<string, Float64Array> } {',
    `  const { ${dataVars.join(', ')} } = batch;`,
    '  // ── forward, in topological order ──',
  );
  plan.nodes.forEach((n, i) => {
    if (!n.emitted || n.emitted.forward.length === 0) return;
    const f = formulaComment(plan, i);
    w.node(n.node.id, 2, [`// ${caption(n, plan.analysis)}${f ? `: ${f}` : ''}`, ...n.emitted.forward]);
  });
  const outs = plan.nodes.flatMap((n) =>
    Object.entries(n.outputs)
      .filter(([p]) => p !== 'loss')
      .map(([, v]) => v),
  );
  const loss = plan.losses.length === 0 ? 'null' : plan.losses.join(' + ');
  w.add(2, `const L = ${loss};`, `const values = { ${outs.join(', ')} };`);
  w.add(2, 'if (!G || L === null) return { loss: L, values };', '');
  w.add(2, '// ── backward, in reverse topological order: ∂L/∂v for every value v a gradient flows into ──');
  const grads = outs.filter((v) => plan.needsGrad.has(v));
  for (const v of grads) w.add(2, `const d_${v} = new Float64Array(${v}.length);`);
  for (let i = plan.nodes.length - 1; i >= 0; i--) {
    const n = plan.nodes[i];
    const back = n.emitted?.backward ?? [];
    if (back.length === 0) continue;
    w.node(n.node.id, 2, [`// ${caption(n, plan.analysis)}`, ...back]);
  }
  w.add(2, 'return { loss: L, values };', '}', '');

  const states = randomStates(project, plan);
  const labels = target ? plan.analysis.outputs[target.node.id].out.kind : undefined;
  const trainable = plan.dataNodes.length === 2 && plan.dataNodes.filter((n) => n.node.type === 'Input').length === 1;
  const batchLines: string[] = [
    ...(input ? [`  const ${input.outputs.out} = new Float64Array(idx.length * data.features);`] : []),
    ...(input
      ? [
          `  idx.forEach((k, i) => ${input.outputs.out}.set(data.x.subarray(k * data.features, (k + 1) * data.features), i * data.features));`,
        ]
      : []),
    ...(target
      ? [
          `  const ${target.outputs.out} = new Float64Array(idx.length * data.targets);`,
          `  idx.forEach((k, i) => { for (let j = 0; j < data.targets; j++) ${target.outputs.out}[i * data.targets + j] = ${
            labels === 'pm1-labels' ? `data.y[k * data.targets + j] > 0 ? 1 : -1` : `data.y[k * data.targets + j]`
          }; });`,
        ]
      : []),
    `  return { ${dataVars.join(', ')} };`,
  ];
  w.add(
    0,
    optimizerSource(s.optimizer),
    '',
    '/** The training settings of the project. */',
    `export const SETTINGS = { seed: ${s.seed}, batchSize: ${s.batchSize}, epochs: ${s.epochs} };`,
    '',
    '/** The data set, as the app splits (and standardises) it: n samples of `features` numbers and `targets` labels. */',
    'export interface TrainingData {',
    '  readonly x: Float64Array;',
    '  readonly y: Float64Array;',
    '  readonly features: number;',
    '  readonly targets: number;',
    '  /** The training split: sample numbers, in the data set’s order. */',
    '  readonly train: readonly number[];',
    '}',
    '',
    '/** The samples `idx` as a batch. */',
    'export function batchOf(data: TrainingData, idx: readonly number[]): Batch {',
    ...(trainable
      ? batchLines
      : ["  throw new Error('training needs exactly one Input and one Target, as in the app');"]),
    '}',
    '',
    '/**',
    ' * Trains from the given weights as the app does: each epoch shuffles the training split with',
    ' * one generator seeded by the project’s seed, takes batches of batchSize, and after each batch’s',
    ' * forward and backward pass lets the optimizer step. Returns every batch’s loss and the weights;',
    ' * `onEpoch` sees the weights after each epoch.',
    ' */',
    'export function train(',
    '  weights: Record<string, unknown>,',
    '  data: TrainingData,',
    '  epochs: number = SETTINGS.epochs,',
    '  onBatch?: (loss: number, step: number) => void,',
    '  onEpoch?: (epoch: number, weights: Tensors) => void,',
    '): { losses: number[]; weights: Tensors } {',
    '  const P = loadWeights(weights);',
    '  const step = makeOptimizer(P);',
    `  const rng: Record<string, Rng> = {${Object.entries(states)
      .map(([k, st]) => ` ${lit(k)}: new Rng(0, ${lit(st)})`)
      .join(',')} };`,
    '  const shuffle = new Rng(SETTINGS.seed);',
    '  const losses: number[] = [];',
    '  for (let epoch = 1; epoch <= epochs; epoch++) {',
    '    const order = [...data.train];',
    '    shuffle.shuffle(order);',
    '    for (let i = 0; i < order.length; i += SETTINGS.batchSize) {',
    '      const idx = order.slice(i, i + SETTINGS.batchSize);',
    '      const G = zeroGradients();',
    '      const { loss } = lossAndGradients(P, batchOf(data, idx), idx.length, true, rng, G);',
    "      if (loss === null) throw new Error('the graph has no loss to train');",
    '      step(G);',
    '      losses.push(loss);',
    '      onBatch?.(loss, losses.length);',
    '    }',
    '    onEpoch?.(epoch, P);',
    '  }',
    '  return { losses, weights: P };',
    '}',
  );
  return { files: [w.done(), trainFile(plan, trainable)], ranges: w.ranges };
}

/**
 * train.ts: what `npm start` runs in the exported folder. It reads weights.json and data.json (the
 * data set as the app split it), trains with model.ts's own train(), and prints one JSON line per
 * epoch (the train and dev loss per sample in evaluation mode, as the app reports them), then
 * writes weights.trained.json. Node's file functions are its only import besides model.ts.
 */
function trainFile(plan: ProgramPlan, trainable: boolean): GeneratedFile {
  const input = plan.dataNodes.find((n) => n.node.type === 'Input');
  const target = plan.dataNodes.find((n) => n.node.type === 'Target');
  const ignored = ignoredTargets(plan);
  if (!trainable || !input || !target)
    return {
      path: 'train.ts',
      content: `// Training needs exactly one Input and one Target, as in the app; this graph has ${plan.dataNodes.length} data nodes.
// model.ts's lossAndGradients still computes a batch's loss and gradients.
throw new Error('this graph cannot be trained: it needs exactly one Input and one Target');
`,
    };
  return {
    path: 'train.ts',
    content: `// Trains model.ts from the weights the canvas had (weights.json) on the data set as the app split
// it (data.json), with the project's optimizer, batch order and seed: one JSON line per epoch, then
// the trained weights in weights.trained.json. \`npm start -- 5\` trains for five epochs.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Tensors, TrainingData } from './model.js';
import { SETTINGS, SHAPES, batchOf, lossAndGradients, train } from './model.js';

const read = (file: string): unknown => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8'));

/** data.json: every data node's values over the whole data set (per-sample shape, row-major), and the split. */
interface DataJson {
  n: number;
  tensors: Record<string, { shape: number[]; data: number[] }>;
  split: { train: number[]; dev: number[]; test: number[] };
}
const json = read('./data.json') as DataJson;
const [x, y] = [json.tensors[${lit(input.node.id)}], json.tensors[${lit(target.node.id)}]];
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const data: TrainingData = {
  x: Float64Array.from(x.data),
  y: Float64Array.from(y.data),
  features: size(x.shape),
  targets: size(y.shape),
  train: json.split.train,
};
const weights = read('./weights.json') as Record<string, unknown>;
const epochs = Number(process.argv[2] ?? SETTINGS.epochs);
// A mean-reduced loss is a mean over the batch; a sum-reduced one is already a sum.
const PER_BATCH = (n: number) => ${sumReduced(plan) ? '1' : 'n'};

${
  ignored
    ? `/**
 * The mean loss per kept target over some samples, in evaluation mode (dropout off), batch by batch:
 * a batch's loss is a mean over the targets it keeps (not ${ignored.index}, the padding), so it counts once per kept target.
 */
function meanLoss(P: Tensors, idx: readonly number[]): number | null {
  if (idx.length === 0) return null;
  let sum = 0;
  let kept = 0;
  for (let i = 0; i < idx.length; i += SETTINGS.batchSize) {
    const part = idx.slice(i, i + SETTINGS.batchSize);
    let n = 0;
    for (const k of part)
      for (let j = 0; j < data.targets; j++) if (data.y[k * data.targets + j] !== ${ignored.index}) n++;
    sum += lossAndGradients(P, batchOf(data, part), part.length, false, {}).loss! * n;
    kept += n;
  }
  return sum / kept;
}`
    : `/** The loss per sample over some samples, in evaluation mode (dropout off), batch by batch. */
function meanLoss(P: Tensors, idx: readonly number[]): number | null {
  if (idx.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < idx.length; i += SETTINGS.batchSize) {
    const part = idx.slice(i, i + SETTINGS.batchSize);
    sum += lossAndGradients(P, batchOf(data, part), part.length, false, {}).loss! * PER_BATCH(part.length);
  }
  return sum / idx.length;
}`
}

const trained = train(weights, data, epochs, undefined, (epoch, P) =>
  console.log(JSON.stringify({ epoch, trainLoss: meanLoss(P, json.split.train), devLoss: meanLoss(P, json.split.dev) })),
).weights;
/** A flat row-major array as nested lists of its shape, as weights.json holds it. */
const nest = (v: Float64Array, shape: readonly number[]): unknown =>
  shape.length <= 1
    ? Array.from(v)
    : Array.from({ length: shape[0] }, (_, i) => nest(v.subarray(i * size(shape.slice(1)), (i + 1) * size(shape.slice(1))), shape.slice(1)));
writeFileSync(
  new URL('./weights.trained.json', import.meta.url),
  JSON.stringify(Object.fromEntries(Object.entries(trained).map(([k, v]) => [k, nest(v, SHAPES[k])]))),
);
`,
  };
}

/** "N×2" for a data node's value. */
function shapeText(plan: ProgramPlan, id: string): string {
  return plan.analysis.outputs[id].out.shape.map((d) => (d === -1 ? 'N' : String(d))).join('×');
}
