import type { EmitContext, EmitResult, EngineImport } from '../../codegen/emitTypes';
import { lastDim } from './common';

/**
 * TypeScript code for each node type, against the engine's public API — the same modules and
 * ops, in the same order, as the runtime's builders (graph/runtime/builders), so generated code
 * computes what the canvas computes. registerAll attaches these to the definitions' `emit`.
 */
type Ctx = EmitContext<Record<string, unknown>>;
type TsEmitter = (ctx: Ctx) => EmitResult;

const imp = (module: string, ...names: string[]): EngineImport => ({ module, names });
const arg = (ctx: Ctx, port: string): string => ctx.inputs[port] ?? 'null';
const p = <T>(ctx: Ctx, name: string): T => ctx.params[name] as T;
const lit = (v: unknown): string => JSON.stringify(v);

/** A layer module built in the constructor and applied to its input. */
function layer(ctx: Ctx, type: string, module: string, ctor: string, extra: EngineImport[] = []): EmitResult {
  const out = ctx.outputs.out;
  return {
    fields: [{ name: ctx.name, type }],
    init: [`this.${ctx.name} = this.registerModule(${lit(ctx.name)}, ${ctor});`],
    forward: out ? [`const ${out} = this.${ctx.name}.forward(${arg(ctx, 'input')});`] : [],
    engineImports: [imp(module, type), ...extra],
  };
}

/** A stateless expression of the inputs. */
function expr(ctx: Ctx, e: string, ...imports: EngineImport[]): EmitResult {
  const out = ctx.outputs.out;
  return { init: [], forward: out ? [`const ${out} = ${e};`] : [], engineImports: imports };
}

/** The inferred output shape with the batch taken from the input at run time. */
function reshapeTo(ctx: Ctx): EmitResult {
  const x = arg(ctx, 'input');
  const rest = ctx.outputTypes.out.shape.slice(1);
  return expr(ctx, `reshape(${x}, [${x}.shape[0]${rest.map((d) => `, ${d}`).join('')}])`, imp('ops/shape', 'reshape'));
}

function recurrent(cell: 'RNN' | 'LSTM' | 'GRU'): TsEmitter {
  return (ctx) => {
    const n = ctx.name;
    const inF = p<number | null>(ctx, 'input_size') ?? lastDim(ctx.inputTypes.input);
    const opts = [
      `numLayers: ${p<number>(ctx, 'num_layers')}`,
      `bias: ${p<boolean>(ctx, 'bias')}`,
      'batchFirst: true',
      `bidirectional: ${p<boolean>(ctx, 'bidirectional')}`,
      'dtype',
    ];
    if (cell === 'RNN') opts.push(`nonlinearity: ${lit(p(ctx, 'nonlinearity'))}`);
    const x = arg(ctx, 'input');
    const fwd: string[] = [];
    const imports = [imp('nn/rnn', cell), imp('graph/runtime/layerHelpers', 'initialState', 'lastLayerState')];
    if (cell === 'LSTM') {
      // Both initial states or neither: a missing one starts at zero, as in the runtime.
      const { h0, c0 } = ctx.inputs;
      const h = h0 ?? (c0 ? `zeros(${c0}.shape, { dtype: ${c0}.dtype })` : 'null');
      const c = c0 ?? (h0 ? `zeros(${h0}.shape, { dtype: ${h0}.dtype })` : 'null');
      if (!h0 !== !c0) imports.push(imp('tensor/create', 'zeros'));
      fwd.push(`const _${n} = this.${n}.forward(${x}, initialState(this.${n}, ${h}), initialState(this.${n}, ${c}));`);
    } else {
      fwd.push(`const _${n} = this.${n}.forward(${x}, initialState(this.${n}, ${arg(ctx, 'h0')}));`);
    }
    if (ctx.outputs.output) fwd.push(`const ${ctx.outputs.output} = _${n}.output;`);
    if (ctx.outputs.hidden) fwd.push(`const ${ctx.outputs.hidden} = lastLayerState(this.${n}, _${n}.hN);`);
    if (cell === 'LSTM' && ctx.outputs.cell)
      fwd.push(`const ${ctx.outputs.cell} = lastLayerState(this.${n}, _${n}.cN);`);
    return {
      fields: [{ name: n, type: cell }],
      init: [
        `this.${n} = this.registerModule(${lit(n)}, new ${cell}(${inF}, ${p<number>(ctx, 'hidden_size')}, rng, { ${opts.join(', ')} }));`,
      ],
      forward: fwd,
      engineImports: imports,
    };
  };
}

/** The two outputs of an attention call `{ output, weights }`. */
function attentionOutputs(ctx: Ctx, call: string): string[] {
  const r = `_${ctx.name}`;
  const lines = [`const ${r} = ${call};`];
  if (ctx.outputs.output) lines.push(`const ${ctx.outputs.output} = ${r}.output;`);
  if (ctx.outputs.weights) lines.push(`const ${ctx.outputs.weights} = ${r}.weights!;`);
  return lines;
}

const elementwiseLoss =
  (fn: string): TsEmitter =>
  (ctx) => {
    const z = arg(ctx, 'input');
    return {
      init: [],
      forward: [
        `const ${ctx.lossVar} = ${fn}(${z}, reshape(${arg(ctx, 'target')}, ${z}.shape), { reduction: ${lit(p(ctx, 'reduction'))} });`,
      ],
      engineImports: [imp('nn/losses', fn), imp('ops/shape', 'reshape')],
    };
  };

const classLoss =
  (fn: string): TsEmitter =>
  (ctx) => {
    const z = arg(ctx, 'input');
    const margin = ctx.params.margin === undefined ? '' : `, margin: ${p<number>(ctx, 'margin')}`;
    return {
      init: [],
      forward: [
        `const ${ctx.lossVar} = ${fn}(reshape(${z}, [-1, ${z}.shape[${z}.rank - 1]]), reshape(${arg(ctx, 'target')}, [-1]), { reduction: ${lit(p(ctx, 'reduction'))}${margin} });`,
      ],
      engineImports: [imp('nn/losses', fn), imp('ops/shape', 'reshape')],
    };
  };

const ACT = 'ops/activation';

export const TS_EMITTERS: Readonly<Record<string, TsEmitter>> = {
  Input: () => ({ init: [], forward: [] }),
  Target: () => ({ init: [], forward: [] }),
  Linear: (ctx) =>
    layer(
      ctx,
      'Linear',
      'nn/linear',
      `new Linear(${p<number | null>(ctx, 'in_features') ?? lastDim(ctx.inputTypes.input)}, ${p<number>(ctx, 'out_features')}, rng, { bias: ${p<boolean>(ctx, 'bias')}, dtype })`,
    ),
  Dropout: (ctx) => layer(ctx, 'Dropout', 'nn/dropout', `new Dropout(${p<number>(ctx, 'p')}, rng.fork())`),
  Flatten: reshapeTo,
  Reshape: reshapeTo,
  Add: (ctx) => expr(ctx, `add(${arg(ctx, 'a')}, ${arg(ctx, 'b')})`, imp('ops/arithmetic', 'add')),
  Concat: (ctx) => {
    const rank = ctx.outputTypes.out.shape.length;
    const dim = p<number>(ctx, 'dim');
    const parts = ['a', 'b', 'c'].filter((k) => ctx.inputs[k]).map((k) => ctx.inputs[k]);
    return expr(ctx, `concat([${parts.join(', ')}], ${dim < 0 ? dim + rank : dim})`, imp('ops/shape', 'concat'));
  },
  BatchNorm: (ctx) => {
    const x = ctx.inputTypes.input;
    const cls = x && x.shape.length === 4 ? 'BatchNorm2d' : 'BatchNorm1d';
    const c = p<number | null>(ctx, 'num_features') ?? x?.shape[1];
    return layer(
      ctx,
      cls,
      'nn/batchnorm',
      `new ${cls}(${c}, { eps: ${p<number>(ctx, 'eps')}, momentum: ${p<number>(ctx, 'momentum')}, affine: ${p<boolean>(ctx, 'affine')}, dtype })`,
    );
  },
  Embedding: (ctx) =>
    layer(
      ctx,
      'Embedding',
      'nn/embedding',
      `new Embedding(${p<number>(ctx, 'num_embeddings')}, ${p<number>(ctx, 'embedding_dim')}, rng, { dtype })`,
    ),
  Conv2d: (ctx) => {
    const c = p<number | null>(ctx, 'in_channels') ?? ctx.inputTypes.input?.shape[1];
    const o = `{ stride: ${p<number>(ctx, 'stride')}, padding: ${p<number>(ctx, 'padding')}, dilation: ${p<number>(ctx, 'dilation')}, bias: ${p<boolean>(ctx, 'bias')}, dtype }`;
    return layer(
      ctx,
      'Conv2d',
      'nn/conv',
      `new Conv2d(${c}, ${p<number>(ctx, 'out_channels')}, ${p<number>(ctx, 'kernel_size')}, rng, ${o})`,
    );
  },
  MaxPool2d: (ctx) =>
    layer(
      ctx,
      'MaxPool2d',
      'nn/pooling',
      `new MaxPool2d(${p<number>(ctx, 'kernel_size')}, { stride: ${lit(p(ctx, 'stride'))}, padding: ${p<number>(ctx, 'padding')} })`,
    ),
  AvgPool2d: (ctx) =>
    layer(
      ctx,
      'AvgPool2d',
      'nn/pooling',
      `new AvgPool2d(${p<number>(ctx, 'kernel_size')}, { stride: ${lit(p(ctx, 'stride'))}, padding: ${p<number>(ctx, 'padding')} })`,
    ),
  RNN: recurrent('RNN'),
  LSTM: recurrent('LSTM'),
  GRU: recurrent('GRU'),
  ScaledDotProductAttention: (ctx) => {
    const q = arg(ctx, 'query');
    const mask = p<boolean>(ctx, 'causal')
      ? `causalMask(${ctx.inputTypes.query!.shape[1]}, ${ctx.inputTypes.key!.shape[1]}, ${q}.dtype)`
      : 'null';
    return {
      init: [],
      forward: attentionOutputs(
        ctx,
        `scaledDotProductAttention(${q}, ${arg(ctx, 'key')}, ${arg(ctx, 'value')}, ${mask})`,
      ),
      engineImports: [
        imp('nn/attention', 'scaledDotProductAttention'),
        imp('graph/runtime/layerHelpers', 'causalMask'),
      ],
    };
  },
  AdditiveAttention: (ctx) => {
    const dq = p<number | null>(ctx, 'query_size') ?? lastDim(ctx.inputTypes.query);
    const dk = p<number | null>(ctx, 'key_size') ?? lastDim(ctx.inputTypes.key);
    const k = arg(ctx, 'key');
    return {
      fields: [{ name: ctx.name, type: 'AdditiveAttention' }],
      init: [
        `this.${ctx.name} = this.registerModule(${lit(ctx.name)}, new AdditiveAttention(${dq}, ${dk}, ${p<number>(ctx, 'hidden_size')}, rng, { dtype }));`,
      ],
      forward: attentionOutputs(ctx, `this.${ctx.name}.forward(${arg(ctx, 'query')}, ${k}, ${ctx.inputs.value ?? k})`),
      engineImports: [imp('nn/attention', 'AdditiveAttention')],
    };
  },
  MultiheadAttention: (ctx) => {
    const e = p<number | null>(ctx, 'embed_dim') ?? lastDim(ctx.inputTypes.query);
    const q = arg(ctx, 'query');
    const k = ctx.inputs.key ?? q;
    return {
      fields: [{ name: ctx.name, type: 'MultiheadAttention' }],
      init: [
        `this.${ctx.name} = this.registerModule(${lit(ctx.name)}, new MultiheadAttention(${e}, ${p<number>(ctx, 'num_heads')}, rng, { bias: ${p<boolean>(ctx, 'bias')}, batchFirst: true, dtype }));`,
      ],
      forward: attentionOutputs(ctx, `this.${ctx.name}.forward(${q}, ${k}, ${ctx.inputs.value ?? k})`),
      engineImports: [imp('nn/multiheadAttention', 'MultiheadAttention')],
    };
  },
  Sigmoid: (ctx) => expr(ctx, `sigmoid(${arg(ctx, 'input')})`, imp(ACT, 'sigmoid')),
  Tanh: (ctx) => expr(ctx, `tanh(${arg(ctx, 'input')})`, imp(ACT, 'tanh')),
  ReLU: (ctx) => expr(ctx, `relu(${arg(ctx, 'input')})`, imp(ACT, 'relu')),
  LeakyReLU: (ctx) =>
    expr(ctx, `leakyRelu(${arg(ctx, 'input')}, ${p<number>(ctx, 'negative_slope')})`, imp(ACT, 'leakyRelu')),
  Softmax: (ctx) => expr(ctx, `softmax(${arg(ctx, 'input')}, ${p<number>(ctx, 'dim')})`, imp(ACT, 'softmax')),
  LogSoftmax: (ctx) => expr(ctx, `logSoftmax(${arg(ctx, 'input')}, ${p<number>(ctx, 'dim')})`, imp(ACT, 'logSoftmax')),
  MSELoss: elementwiseLoss('mseLoss'),
  L1Loss: elementwiseLoss('l1Loss'),
  BCEWithLogitsLoss: elementwiseLoss('bceWithLogitsLoss'),
  LogisticLoss: elementwiseLoss('logisticLoss'),
  HingeLoss: elementwiseLoss('hingeLoss'),
  HingeLoss01: elementwiseLoss('hingeLoss01'),
  PerceptronLoss: elementwiseLoss('perceptronLoss'),
  MulticlassHingeLoss: classLoss('multiMarginLoss'),
  CrossEntropyLoss: classLoss('crossEntropyLoss'),
  NLLLoss: classLoss('nllLoss'),
  Sign: (ctx) =>
    expr(
      ctx,
      `noGrad(() => predictSign(${arg(ctx, 'input')}))`,
      imp('autograd/gradMode', 'noGrad'),
      imp('nn/predict', 'predictSign'),
    ),
  Threshold: (ctx) =>
    expr(
      ctx,
      `noGrad(() => predictThreshold(${arg(ctx, 'input')}, ${p<number>(ctx, 'threshold')}))`,
      imp('autograd/gradMode', 'noGrad'),
      imp('nn/predict', 'predictThreshold'),
    ),
  SigmoidProbability: (ctx) => expr(ctx, `sigmoid(${arg(ctx, 'input')})`, imp(ACT, 'sigmoid')),
  SoftmaxProbability: (ctx) =>
    expr(ctx, `softmax(${arg(ctx, 'input')}, ${p<number>(ctx, 'dim')})`, imp(ACT, 'softmax')),
  Argmax: (ctx) =>
    expr(
      ctx,
      `noGrad(() => argmaxAlong(${arg(ctx, 'input')}, ${p<number>(ctx, 'dim')}))`,
      imp('autograd/gradMode', 'noGrad'),
      imp('graph/runtime/layerHelpers', 'argmaxAlong'),
    ),
};
