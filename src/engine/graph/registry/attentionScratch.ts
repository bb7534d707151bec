// The attention family from scratch: scores, a softmax over the keys and a weighted sum of the
// values, written out step by step, and their backward pass one chain-rule step per line. The
// attention weights are an output of their own, so ∂L/∂α gathers what flows back from the weights
// port and from the output before the softmax's backward runs.
import type { EmitContext, EmitResult } from '../emit';
import { grad, kernels, output, param, port, scratch } from './scratch';

type Port = ReturnType<typeof port>;

/** The query, key and value ports; an unconnected key is the query, an unconnected value the key. */
function qkvPorts(ctx: EmitContext<unknown>): { q: Port; k: Port; v: Port } {
  const q = port(ctx, 'query');
  const k = ctx.inputs.key ? port(ctx, 'key') : q;
  const v = ctx.inputs.value ? port(ctx, 'value') : k;
  return { q, k, v };
}

/** Dot-product attention: α = softmax(QKᵀ/√d) (causal: query i sees keys 0…i), z = αV. */
export function scratchDotProductAttention(ctx: EmitContext<{ causal: boolean }>): EmitResult {
  const { q, k, v } = qkvPorts(ctx);
  const [Lq, d] = [q.t.shape[1], q.t.shape[2]];
  const [Lk, dv] = [k.t.shape[1], v.t.shape[2]];
  const out = output(ctx, 'output');
  const w = output(ctx, 'weights');
  const S = `${ctx.name}_scores`;
  const scale = `1 / Math.sqrt(${d})`;
  const forward = [
    `const ${S} = new Float64Array(N * ${Lq * Lk});`,
    `bmmInto(${q.v}, ${k.v}, N, ${Lq}, ${d}, ${Lk}, false, true, ${scale}, ${S}); // S = QKᵀ / √d`,
    ...(ctx.params.causal ? [`causalMask(${S}, N, ${Lq}, ${Lk}); // query i looks at keys 0…i only`] : []),
    `const ${w.z} = softmaxForward(${S}, N * ${Lq}, ${Lk}, 1, false); // α = softmax(S), over the keys`,
    `const ${out.z} = new Float64Array(N * ${Lq * dv});`,
    `bmmInto(${w.z}, ${v.v}, N, ${Lq}, ${Lk}, ${dv}, false, false, 1, ${out.z}); // z = αV`,
  ];
  const backward: string[] = [];
  if (v.d)
    backward.push(`bmmInto(${w.z}, ${out.dz}, N, ${Lk}, ${Lq}, ${dv}, true, false, 1, ${v.d}); // ∂L/∂V = αᵀ · ∂L/∂z`);
  if (q.d || k.d)
    backward.push(
      `bmmInto(${out.dz}, ${v.v}, N, ${Lq}, ${dv}, ${Lk}, false, true, 1, ${w.dz}); // ∂L/∂α += ∂L/∂z · Vᵀ`,
      `const d_${S} = new Float64Array(${S}.length);`,
      `softmaxBackward(${w.z}, ${w.dz}, N * ${Lq}, ${Lk}, 1, false, d_${S}); // ∂L/∂S = α ⊙ (∂L/∂α − Σ_j ∂L/∂α_j α_j)`,
      ...(q.d
        ? [`bmmInto(d_${S}, ${k.v}, N, ${Lq}, ${Lk}, ${d}, false, false, ${scale}, ${q.d}); // ∂L/∂Q = ∂L/∂S · K / √d`]
        : []),
      ...(k.d
        ? [`bmmInto(d_${S}, ${q.v}, N, ${Lk}, ${Lq}, ${d}, true, false, ${scale}, ${k.d}); // ∂L/∂K = ∂L/∂Sᵀ · Q / √d`]
        : []),
    );
  return scratch(kernels('bmmInto', 'causalMask', 'softmaxForward', 'softmaxBackward'), forward, backward);
}

/** Additive attention: e_ij = vᵀ tanh(W_q q_i + W_k k_j), α = softmax_j(e), z_i = Σ_j α_ij v_j. */
export function scratchAdditiveAttention(
  ctx: EmitContext<{ hidden_size: number; query_size: number | null; key_size: number | null }>,
): EmitResult {
  const { q, k, v } = qkvPorts(ctx);
  const n = ctx.name;
  const H = ctx.params.hidden_size;
  const [Lq, dq] = [q.t.shape[1], q.t.shape[2]];
  const [Lk, dk, dv] = [k.t.shape[1], k.t.shape[2], v.t.shape[2]];
  const out = output(ctx, 'output');
  const w = output(ctx, 'weights');
  const [Wq, Wk, wv] = ['W_q.weight', 'W_k.weight', 'w_v.weight'].map((t) => param(ctx, t));
  const [dWq, dWk, dwv] = ['W_q.weight', 'W_k.weight', 'w_v.weight'].map((t) => grad(ctx, t));
  const pairs = `N * ${Lq * Lk}`;
  const forward = [
    `const ${n}_q = linearForward(${q.v}, N * ${Lq}, ${dq}, ${H}, ${Wq}, null); // q̃ = W_q q`,
    `const ${n}_k = linearForward(${k.v}, N * ${Lk}, ${dk}, ${H}, ${Wk}, null); // k̃ = W_k k`,
    `const ${n}_f = additiveFeatures(${n}_q, ${n}_k, N, ${Lq}, ${Lk}, ${H}); // f_ij = tanh(q̃_i + k̃_j)`,
    `const ${n}_e = linearForward(${n}_f, ${pairs}, ${H}, 1, ${wv}, null); // e_ij = vᵀ f_ij`,
    `const ${w.z} = softmaxForward(${n}_e, N * ${Lq}, ${Lk}, 1, false); // α_ij = softmax_j(e_ij)`,
    `const ${out.z} = new Float64Array(N * ${Lq * dv});`,
    `bmmInto(${w.z}, ${v.v}, N, ${Lq}, ${Lk}, ${dv}, false, false, 1, ${out.z}); // z_i = Σ_j α_ij v_j`,
  ];
  const backward = [
    ...(v.d
      ? [`bmmInto(${w.z}, ${out.dz}, N, ${Lk}, ${Lq}, ${dv}, true, false, 1, ${v.d}); // ∂L/∂V = αᵀ · ∂L/∂z`]
      : []),
    `bmmInto(${out.dz}, ${v.v}, N, ${Lq}, ${dv}, ${Lk}, false, true, 1, ${w.dz}); // ∂L/∂α += ∂L/∂z · Vᵀ`,
    `const d_${n}_e = new Float64Array(${n}_e.length);`,
    `softmaxBackward(${w.z}, ${w.dz}, N * ${Lq}, ${Lk}, 1, false, d_${n}_e); // ∂L/∂e = α ⊙ (∂L/∂α − Σ_j ∂L/∂α_j α_j)`,
    `linearBackwardWeight(d_${n}_e, ${n}_f, ${pairs}, ${H}, 1, ${dwv}); // ∂L/∂v = Σ_ij ∂L/∂e_ij f_ij`,
    `const d_${n}_f = new Float64Array(${n}_f.length);`,
    `linearBackwardInput(d_${n}_e, ${wv}, ${pairs}, ${H}, 1, d_${n}_f); // ∂L/∂f_ij = v ∂L/∂e_ij`,
    `const d_${n}_a = new Float64Array(${n}_f.length);`,
    `tanhBackward(${n}_f, d_${n}_f, d_${n}_a); // ∂L/∂a_ij = ∂L/∂f_ij ⊙ (1 − f_ij²), a_ij = q̃_i + k̃_j`,
    `const [d_${n}_q, d_${n}_k] = [new Float64Array(${n}_q.length), new Float64Array(${n}_k.length)];`,
    `additiveBackward(d_${n}_a, N, ${Lq}, ${Lk}, ${H}, d_${n}_q, d_${n}_k); // ∂L/∂q̃_i = Σ_j ∂L/∂a_ij, ∂L/∂k̃_j = Σ_i ∂L/∂a_ij`,
    `linearBackwardWeight(d_${n}_q, ${q.v}, N * ${Lq}, ${dq}, ${H}, ${dWq}); // ∂L/∂W_q = ∂L/∂q̃ · qᵀ`,
    `linearBackwardWeight(d_${n}_k, ${k.v}, N * ${Lk}, ${dk}, ${H}, ${dWk}); // ∂L/∂W_k = ∂L/∂k̃ · kᵀ`,
    ...(q.d ? [`linearBackwardInput(d_${n}_q, ${Wq}, N * ${Lq}, ${dq}, ${H}, ${q.d}); // ∂L/∂q = W_qᵀ · ∂L/∂q̃`] : []),
    ...(k.d ? [`linearBackwardInput(d_${n}_k, ${Wk}, N * ${Lk}, ${dk}, ${H}, ${k.d}); // ∂L/∂k = W_kᵀ · ∂L/∂k̃`] : []),
  ];
  return scratch(
    kernels(
      'linearForward',
      'linearBackwardWeight',
      'linearBackwardInput',
      'additiveFeatures',
      'additiveBackward',
      'tanhBackward',
      'softmaxForward',
      'softmaxBackward',
      'bmmInto',
    ),
    forward,
    backward,
    [
      { name: 'W_q.weight', shape: [H, dq] },
      { name: 'W_k.weight', shape: [H, dk] },
      { name: 'w_v.weight', shape: [1, H] },
    ],
  );
}

/**
 * torch.nn.MultiheadAttention (batch first): per head h, Q_h = (qW^Qᵀ + b^Q)/√d_h, K_h, V_h
 * likewise (slices of in_proj_weight), α_h = softmax(Q_h K_hᵀ), z = [α_1V_1; …] W^Oᵀ + b^O; the
 * weights output is α averaged over the heads.
 */
export function scratchMultiheadAttention(
  ctx: EmitContext<{ embed_dim: number | null; num_heads: number; bias: boolean }>,
): EmitResult {
  const { q, k, v } = qkvPorts(ctx);
  const n = ctx.name;
  const E = ctx.params.embed_dim ?? q.t.shape[2];
  const heads = ctx.params.num_heads;
  const hd = E / heads;
  const bias = ctx.params.bias;
  const [L, S] = [q.t.shape[1], k.t.shape[1]];
  const out = output(ctx, 'output');
  const w = output(ctx, 'weights');
  const [W, b, Wo, bo] = ['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias'].map((t) =>
    param(ctx, t),
  );
  const [dW, db, dWo, dbo] = ['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias'].map((t) =>
    grad(ctx, t),
  );
  const rows = (x: string, i: number) => `${x}.subarray(${i * E * E}, ${(i + 1) * E * E})`;
  const part = (x: string, i: number) => (bias ? `${x}.subarray(${i * E}, ${(i + 1) * E})` : 'null');
  const scale = `1 / Math.sqrt(${hd})`;
  const dims = `${heads}, ${hd}`;
  const forward = [
    `const ${n}_q = splitHeads(scaleInto(linearForward(${q.v}, N * ${L}, ${E}, ${E}, ${rows(W, 0)}, ${part(b, 0)}), ${scale}), N, ${L}, ${dims}); // Q_h = (q W^Qᵀ + b^Q) / √d_h, head by head`,
    `const ${n}_k = splitHeads(linearForward(${k.v}, N * ${S}, ${E}, ${E}, ${rows(W, 1)}, ${part(b, 1)}), N, ${S}, ${dims}); // K_h = k W^Kᵀ + b^K`,
    `const ${n}_v = splitHeads(linearForward(${v.v}, N * ${S}, ${E}, ${E}, ${rows(W, 2)}, ${part(b, 2)}), N, ${S}, ${dims}); // V_h = v W^Vᵀ + b^V`,
    `const ${n}_s = new Float64Array(N * ${heads * L * S});`,
    `bmmInto(${n}_q, ${n}_k, N * ${heads}, ${L}, ${hd}, ${S}, false, true, 1, ${n}_s); // S_h = Q_h K_hᵀ`,
    `const ${n}_a = softmaxForward(${n}_s, N * ${heads * L}, ${S}, 1, false); // α_h = softmax(S_h), over the keys`,
    `const ${n}_h = new Float64Array(N * ${heads * L * hd});`,
    `bmmInto(${n}_a, ${n}_v, N * ${heads}, ${L}, ${S}, ${hd}, false, false, 1, ${n}_h); // head_h = α_h V_h`,
    `const ${n}_c = mergeHeads(${n}_h, N, ${L}, ${dims}, 1); // [head_1; …; head_${heads}]`,
    `const ${out.z} = linearForward(${n}_c, N * ${L}, ${E}, ${E}, ${Wo}, ${bias ? bo : 'null'}); // z = [heads] W^Oᵀ + b^O`,
    `const ${w.z} = headMean(${n}_a, N, ${heads}, ${L * S}); // the weights averaged over the heads`,
  ];
  const projection = (i: number, x: Port, len: number, what: string, s: string) => [
    `const d_${n}_p${what} = mergeHeads(d_${n}_${what}, N, ${len}, ${dims}, ${s}); // ∂L/∂(${what}W^${what.toUpperCase()}ᵀ + b)${s === '1' ? '' : ' = ∂L/∂Q_h / √d_h'}, the heads side by side`,
    `linearBackwardWeight(d_${n}_p${what}, ${x.v}, N * ${len}, ${E}, ${E}, ${rows(dW, i)}); // ∂L/∂W^${what.toUpperCase()} = ∂L/∂(${what}W^${what.toUpperCase()}ᵀ) · ${what}ᵀ`,
    ...(bias
      ? [
          `linearBackwardBias(d_${n}_p${what}, N * ${len}, ${E}, ${part(db, i)}); // ∂L/∂b^${what.toUpperCase()} = Σ ∂L/∂(${what}W^${what.toUpperCase()}ᵀ + b)`,
        ]
      : []),
    ...(x.d
      ? [
          `linearBackwardInput(d_${n}_p${what}, ${rows(W, i)}, N * ${len}, ${E}, ${E}, ${x.d}); // ∂L/∂${what} += W^${what.toUpperCase()}ᵀ · ∂L/∂(${what}W^${what.toUpperCase()}ᵀ)`,
        ]
      : []),
  ];
  const backward = [
    `linearBackwardWeight(${out.dz}, ${n}_c, N * ${L}, ${E}, ${E}, ${dWo}); // ∂L/∂W^O = ∂L/∂z · [heads]ᵀ`,
    ...(bias ? [`linearBackwardBias(${out.dz}, N * ${L}, ${E}, ${dbo}); // ∂L/∂b^O = ∂L/∂z`] : []),
    `const d_${n}_c = new Float64Array(${n}_c.length);`,
    `linearBackwardInput(${out.dz}, ${Wo}, N * ${L}, ${E}, ${E}, d_${n}_c); // ∂L/∂[heads] = W^Oᵀ · ∂L/∂z`,
    `const d_${n}_h = splitHeads(d_${n}_c, N, ${L}, ${dims}); // ∂L/∂head_h, head by head`,
    `const d_${n}_a = new Float64Array(${n}_a.length);`,
    `headMeanBackward(${w.dz}, N, ${heads}, ${L * S}, d_${n}_a); // ∂L/∂α_h = ∂L/∂ᾱ / ${heads} (from the weights port)`,
    `bmmInto(d_${n}_h, ${n}_v, N * ${heads}, ${L}, ${hd}, ${S}, false, true, 1, d_${n}_a); // ∂L/∂α_h += ∂L/∂head_h · V_hᵀ`,
    `const d_${n}_v = new Float64Array(${n}_v.length);`,
    `bmmInto(${n}_a, d_${n}_h, N * ${heads}, ${S}, ${L}, ${hd}, true, false, 1, d_${n}_v); // ∂L/∂V_h = α_hᵀ · ∂L/∂head_h`,
    `const d_${n}_s = new Float64Array(${n}_s.length);`,
    `softmaxBackward(${n}_a, d_${n}_a, N * ${heads * L}, ${S}, 1, false, d_${n}_s); // ∂L/∂S_h = α_h ⊙ (∂L/∂α_h − Σ_j ∂L/∂α_hj α_hj)`,
    `const [d_${n}_q, d_${n}_k] = [new Float64Array(${n}_q.length), new Float64Array(${n}_k.length)];`,
    `bmmInto(d_${n}_s, ${n}_k, N * ${heads}, ${L}, ${S}, ${hd}, false, false, 1, d_${n}_q); // ∂L/∂Q_h = ∂L/∂S_h · K_h`,
    `bmmInto(d_${n}_s, ${n}_q, N * ${heads}, ${S}, ${L}, ${hd}, true, false, 1, d_${n}_k); // ∂L/∂K_h = ∂L/∂S_hᵀ · Q_h`,
    ...projection(0, q, L, 'q', scale),
    ...projection(1, k, S, 'k', '1'),
    ...projection(2, v, S, 'v', '1'),
  ];
  return scratch(
    kernels(
      'linearForward',
      'linearBackwardWeight',
      'linearBackwardBias',
      'linearBackwardInput',
      'splitHeads',
      'mergeHeads',
      'scaleInto',
      'headMean',
      'headMeanBackward',
      'softmaxForward',
      'softmaxBackward',
      'bmmInto',
    ),
    forward,
    backward,
    [
      { name: 'in_proj_weight', shape: [3 * E, E] },
      ...(bias ? [{ name: 'in_proj_bias', shape: [3 * E] }] : []),
      { name: 'out_proj.weight', shape: [E, E] },
      ...(bias ? [{ name: 'out_proj.bias', shape: [E] }] : []),
    ],
  );
}
