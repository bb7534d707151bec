import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noGrad } from '../../autograd/gradMode';
import { tensor } from '../../tensor/create';
import { Rng } from '../../tensor/rng';
import { tidy } from '../../tensor/scope';
import { loadProject, saveProject } from '../load';
import { nodeTypes } from '../registry/registerAll';
import type { Graph, GraphEdge, GraphNode } from '../schema';
import { newProject } from '../schema';
import { validateGraph } from '../validate';
import { compileGraph } from './compile';

/**
 * Random *valid* layer stacks: shape inference (what the canvas prints on each edge) must equal
 * the shapes the engine computes, every node's formula and summary must render, and the graph
 * must survive save → load. Seed printed; failing seeds go in PINNED_SEEDS.
 */
const PINNED_SEEDS: readonly number[] = [
  // BatchNorm on a batch of one in training mode (a runtime refusal, as in torch, not a shape bug).
  482738781,
];
const seed = Number(process.env.GRAPH_PROPERTY_SEED ?? (Date.now() + 1) % 2 ** 31);
console.log(`inference property test: seed ${seed} (set GRAPH_PROPERTY_SEED=${seed} to replay)`);

type Kind = 'flat' | 'image' | 'seq';
interface Step {
  type: string;
  params: Record<string, unknown>;
  port?: string;
}

/** One layer that fits the current value, chosen by `pick`, and the kind it leaves. */
function nextStep(
  kind: Kind,
  shape: number[],
  pick: (n: number) => number,
): { step: Step; kind: Kind; shape: number[] } {
  const size = (k: number) => 1 + pick(k);
  if (kind === 'image') {
    const [c, h, w] = shape;
    const options: (() => { step: Step; kind: Kind; shape: number[] })[] = [
      () => {
        const k = Math.min(size(3), h, w);
        const pad = pick(2);
        const stride = size(2);
        const o = size(4);
        const oh = Math.floor((h + 2 * pad - k) / stride) + 1;
        const ow = Math.floor((w + 2 * pad - k) / stride) + 1;
        return {
          step: { type: 'Conv2d', params: { out_channels: o, kernel_size: k, padding: pad, stride } },
          kind: 'image',
          shape: [o, oh, ow],
        };
      },
      () => {
        const k = Math.min(size(2), h, w);
        return {
          step: { type: pick(2) ? 'MaxPool2d' : 'AvgPool2d', params: { kernel_size: k } },
          kind: 'image',
          shape: [c, Math.floor((h - k) / k) + 1, Math.floor((w - k) / k) + 1],
        };
      },
      () => ({ step: { type: 'BatchNorm', params: {} }, kind: 'image', shape }),
      () => ({ step: { type: 'ReLU', params: {} }, kind: 'image', shape }),
      () => ({ step: { type: 'Flatten', params: {} }, kind: 'flat', shape: [c * h * w] }),
    ];
    return options[pick(options.length)]();
  }
  if (kind === 'seq') {
    const [t, f] = shape;
    const options: (() => { step: Step; kind: Kind; shape: number[] })[] = [
      () => {
        const cell = ['RNN', 'LSTM', 'GRU'][pick(3)];
        const h = size(4);
        const bi = pick(2) === 1;
        const d = (bi ? 2 : 1) * h;
        const layers = size(2);
        if (pick(2))
          return {
            step: { type: cell, params: { hidden_size: h, bidirectional: bi, num_layers: layers }, port: 'output' },
            kind: 'seq',
            shape: [t, d],
          };
        return {
          step: { type: cell, params: { hidden_size: h, bidirectional: bi, num_layers: layers }, port: 'hidden' },
          kind: 'flat',
          shape: [d],
        };
      },
      () =>
        f % 2 === 0
          ? { step: { type: 'MultiheadAttention', params: { num_heads: 2 }, port: 'output' }, kind: 'seq', shape }
          : { step: { type: 'Tanh', params: {} }, kind: 'seq', shape },
      () => ({ step: { type: 'Linear', params: { out_features: size(5) } }, kind: 'seq', shape: [t, 0] }),
      () => ({ step: { type: 'Flatten', params: {} }, kind: 'flat', shape: [t * f] }),
      () => ({ step: { type: 'Softmax', params: { dim: -1 } }, kind: 'seq', shape }),
    ];
    const r = options[pick(options.length)]();
    if (r.step.type === 'Linear') r.shape = [t, r.step.params.out_features as number];
    return r;
  }
  const [f] = shape;
  const options: (() => { step: Step; kind: Kind; shape: number[] })[] = [
    () => {
      const o = size(6);
      return { step: { type: 'Linear', params: { out_features: o, bias: pick(2) === 0 } }, kind: 'flat', shape: [o] };
    },
    () => ({
      step: { type: ['Sigmoid', 'Tanh', 'ReLU', 'LeakyReLU', 'LogSoftmax'][pick(5)], params: {} },
      kind: 'flat',
      shape,
    }),
    () => ({ step: { type: 'Dropout', params: { p: 0.25 } }, kind: 'flat', shape }),
    () => ({ step: { type: 'BatchNorm', params: {} }, kind: 'flat', shape }),
    () =>
      f % 2 === 0
        ? { step: { type: 'Reshape', params: { shape: [2, -1] } }, kind: 'seq', shape: [2, f / 2] }
        : { step: { type: 'ReLU', params: {} }, kind: 'flat', shape },
  ];
  return options[pick(options.length)]();
}

function buildGraph(choices: number[]): Graph {
  let i = 0;
  const pick = (n: number) => (choices[i++ % choices.length] ?? 0) % n;
  const start = pick(3);
  const kind0: Kind = start === 0 ? 'flat' : start === 1 ? 'image' : 'seq';
  const shape0 =
    kind0 === 'flat'
      ? [1 + pick(5)]
      : kind0 === 'image'
        ? [1 + pick(2), 3 + pick(6), 3 + pick(6)]
        : [1 + pick(4), 1 + pick(4)];
  const nodes: GraphNode[] = [
    {
      id: 'x',
      type: 'Input',
      params: { shape: shape0, kind: kind0 === 'seq' ? 'sequence' : 'tensor' },
      position: { x: 0, y: 0 },
    },
  ];
  const edges: GraphEdge[] = [];
  let kind = kind0;
  let shape = shape0;
  let prev = 'x';
  let prevPort = 'out';
  const depth = 1 + pick(6);
  for (let k = 0; k < depth; k++) {
    const r = nextStep(kind, shape, pick);
    const id = `n${k}`;
    nodes.push({ id, type: r.step.type, params: r.step.params, position: { x: 100 * (k + 1), y: 0 } });
    const isAttention = r.step.type === 'MultiheadAttention';
    edges.push({
      id: `e${k}`,
      source: prev,
      sourcePort: prevPort,
      target: id,
      targetPort: isAttention ? 'query' : 'input',
    });
    prev = id;
    prevPort = r.step.port ?? 'out';
    kind = r.kind;
    shape = r.shape;
  }
  if (kind !== 'flat') {
    nodes.push({ id: 'flat', type: 'Flatten', params: {}, position: { x: 0, y: 0 } });
    edges.push({ id: 'ef', source: prev, sourcePort: prevPort, target: 'flat', targetPort: 'input' });
    prev = 'flat';
    prevPort = 'out';
  }
  nodes.push({ id: 'head', type: 'Linear', params: { out_features: 3 }, position: { x: 0, y: 0 } });
  nodes.push({ id: 'y', type: 'Target', params: {}, position: { x: 0, y: 0 } });
  nodes.push({ id: 'loss', type: 'CrossEntropyLoss', params: {}, position: { x: 0, y: 0 } });
  edges.push({ id: 'eh', source: prev, sourcePort: prevPort, target: 'head', targetPort: 'input' });
  edges.push({ id: 'el', source: 'head', sourcePort: 'out', target: 'loss', targetPort: 'input' });
  edges.push({ id: 'ey', source: 'y', sourcePort: 'out', target: 'loss', targetPort: 'target' });
  return { nodes, edges };
}

describe('shape inference agrees with the engine', () => {
  it('random valid layer stacks: inferred edge shapes equal computed ones; formulas render; files round-trip', () => {
    for (const s of [...PINNED_SEEDS, seed]) {
      fc.assert(
        fc.property(
          fc.array(fc.nat(1000), { minLength: 8, maxLength: 40 }),
          fc.integer({ min: 1, max: 3 }),
          (choices, batchSize) => {
            const graph = buildGraph(choices);
            const a = validateGraph(graph);
            expect(
              a.issues.filter((x) => x.severity === 'error'),
              JSON.stringify(graph),
            ).toEqual([]);
            for (const node of graph.nodes) {
              const def = nodeTypes.get(node.type)!;
              const ctx = { params: a.params[node.id], inputs: a.inputs[node.id] ?? {}, outputs: a.outputs[node.id] };
              expect(def.formula(ctx)).not.toMatch(/undefined|NaN/);
              expect(def.summary(ctx.params, ctx.inputs)).not.toMatch(/undefined|NaN/);
            }
            const c = compileGraph(graph, { seed: 1 });
            if (!c.ok) throw new Error(c.issues[0].message);
            // Evaluation mode: BatchNorm refuses one sample per channel in training, as torch does.
            c.model.eval();
            const rng = new Rng(3);
            const xShape = [batchSize, ...(graph.nodes[0].params.shape as number[])];
            const n = xShape.reduce((p, q) => p * q, 1);
            tidy(() =>
              noGrad(() => {
                const batch = {
                  x: tensor(
                    Array.from({ length: n }, () => rng.uniform(-1, 1)),
                    xShape,
                  ),
                  y: tensor(
                    Array.from({ length: batchSize }, () => rng.int(3)),
                    [batchSize],
                  ),
                };
                const { values, loss } = c.model.forward(batch);
                expect(Number.isFinite(loss!.item())).toBe(true);
                for (const e of graph.edges) {
                  const t = values.get(e.source)![e.sourcePort];
                  const want = a.edgeTypes[e.id].shape.map((d) => (d === -1 ? batchSize : d));
                  expect(t.shape, `${e.id} in ${JSON.stringify(graph)}`).toEqual(want);
                }
              }),
            );
            const text = saveProject({ ...newProject(), graph });
            const back = loadProject(text);
            expect(back.ok && back.project.graph).toEqual(graph);
          },
        ),
        { seed: s, numRuns: 150 },
      );
    }
  });
});
