import type { Graph, GraphEdge, GraphNode } from '../graph/schema';

// The property tests' generator of random valid layer stacks (flat, image and sequence values,
// every executable layer family), shared by the shape-inference and the code-export tests.

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

/** A random valid graph from a list of choices: Input → layers → Linear(3) → cross-entropy with a Target. */
export function buildGraph(choices: number[]): Graph {
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
