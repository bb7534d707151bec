import type { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/dtype';
import type { Rng } from '../tensor/rng';
import { randUniform, zeros } from '../tensor/create';
import { shapeToString } from '../tensor/shape';
import { add, mul } from '../ops/arithmetic';
import { softmax } from '../ops/activation';
import { matmul } from '../ops/matmul';
import { expandDims, permute, reshape, slice, squeeze } from '../ops/shape';
import { maximum, where } from '../ops/compare';
import { mean } from '../ops/reduce';
import { Module } from './module';
import { Linear } from './linear';

export interface MultiheadAttentionOptions {
  bias?: boolean;
  /** Inputs and output as [batch, seq, embed] instead of [seq, batch, embed]. */
  batchFirst?: boolean;
  dtype?: DType;
}

export interface MultiheadAttentionCallOptions {
  /** [N, S]: 1 where a key is padding and must be ignored (torch's boolean key_padding_mask). */
  keyPaddingMask?: Tensor | null;
  /** [L, S] or [N·heads, L, S]: 1 where attention is NOT allowed (torch's boolean attn_mask). */
  attnMask?: Tensor | null;
  /** Return the attention weights (default true). */
  needWeights?: boolean;
  /** Average the weights over the heads → [N, L, S] (default true); else [N, heads, L, S]. */
  averageAttnWeights?: boolean;
}

/**
 * torch.nn.MultiheadAttention (dropout 0, kdim = vdim = embed_dim): packed in_proj_weight
 * [3E, E] (rows: query, key, value projections), in_proj_bias [3E], out_proj (Linear E → E).
 * Each head attends with softmax(q·kᵀ/√(E/heads)); the heads are concatenated and projected.
 * Init as torch: xavier_uniform in_proj_weight, zero in_proj_bias and out_proj.bias,
 * out_proj.weight as Linear.
 *
 * @example
 * const mha = new MultiheadAttention(8, 2, new Rng(0));
 * const { output, weights } = mha.forward(x, x, x);   // x [L, N, 8] → output [L, N, 8], weights [N, L, L]
 */
export class MultiheadAttention extends Module {
  readonly inProjWeight: Tensor;
  readonly inProjBias: Tensor | null;
  readonly outProj: Linear;
  readonly headDim: number;
  readonly batchFirst: boolean;

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    rng: Rng,
    opts: MultiheadAttentionOptions = {},
  ) {
    super();
    if (
      !Number.isInteger(embedDim) ||
      embedDim < 1 ||
      !Number.isInteger(numHeads) ||
      numHeads < 1 ||
      embedDim % numHeads !== 0
    ) {
      throw new Error(
        `MultiheadAttention: embed_dim (${embedDim}) must be a positive multiple of num_heads (${numHeads}).`,
      );
    }
    const dtype = opts.dtype ?? 'float32';
    const bias = opts.bias ?? true;
    this.headDim = embedDim / numHeads;
    this.batchFirst = opts.batchFirst ?? false;
    const bound = Math.sqrt(6 / (embedDim + 3 * embedDim));
    this.inProjWeight = this.registerParameter(
      'in_proj_weight',
      randUniform([3 * embedDim, embedDim], -bound, bound, rng, { dtype }),
    );
    this.inProjBias = bias ? this.registerParameter('in_proj_bias', zeros([3 * embedDim], { dtype })) : null;
    if (!bias) this.registerParameter('in_proj_bias', null);
    this.outProj = this.registerModule('out_proj', new Linear(embedDim, embedDim, rng, { bias, dtype }));
    if (this.outProj.bias) this.outProj.bias.data.fill(0);
  }

  forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    opts: MultiheadAttentionCallOptions = {},
  ): { output: Tensor; weights: Tensor | null } {
    const E = this.embedDim;
    const unbatched = query.rank === 2;
    const wantRank = unbatched ? 2 : 3;
    for (const [name, t] of [
      ['query', query],
      ['key', key],
      ['value', value],
    ] as const) {
      if (t.rank !== wantRank || t.shape[t.rank - 1] !== E) {
        throw new Error(
          `MultiheadAttention: ${name} must be ${unbatched ? '[seq, embed]' : this.batchFirst ? '[batch, seq, embed]' : '[seq, batch, embed]'} with embed = ${E}, got ${shapeToString(t.shape)}.`,
        );
      }
    }
    // Work in [seq, batch, embed], torch's native layout.
    const toSeqFirst = (t: Tensor): Tensor =>
      unbatched ? expandDims(t, 1) : this.batchFirst ? permute(t, [1, 0, 2]) : t;
    const q0 = toSeqFirst(query);
    const k0 = toSeqFirst(key);
    const v0 = toSeqFirst(value);
    const [L, N] = q0.shape;
    const S = k0.shape[0];
    if (k0.shape[1] !== N || v0.shape[1] !== N || v0.shape[0] !== S) {
      throw new Error(
        `MultiheadAttention: query ${shapeToString(query.shape)}, key ${shapeToString(key.shape)} and value ${shapeToString(value.shape)} disagree on batch or key length.`,
      );
    }
    const H = this.numHeads;
    const hd = this.headDim;
    const project = (x: Tensor, part: number, len: number): Tensor => {
      let y = matmul(x, slice(this.inProjWeight, 0, part * E, (part + 1) * E), false, true);
      if (this.inProjBias) y = add(y, slice(this.inProjBias, 0, part * E, (part + 1) * E));
      // [len, N, E] → [N, H, len, hd]
      return permute(reshape(y, [len, N, H, hd]), [1, 2, 0, 3]);
    };
    // NOTE: q is scaled before the product, as torch does, so rounding follows torch's order.
    const q = mul(project(q0, 0, L), 1 / Math.sqrt(hd));
    const k = project(k0, 1, S);
    const v = project(v0, 2, S);
    let scores = matmul(q, k, false, true); // [N, H, L, S]
    const blocked = this.blockedMask(opts, N, L, S, unbatched);
    if (blocked) scores = where(blocked, -Infinity, scores);
    const weights = softmax(scores, -1);
    const heads = matmul(weights, v); // [N, H, L, hd]
    let out = this.outProj.forward(reshape(permute(heads, [2, 0, 1, 3]), [L, N, E]));
    out = unbatched ? squeeze(out, 1) : this.batchFirst ? permute(out, [1, 0, 2]) : out;
    if (opts.needWeights === false) return { output: out, weights: null };
    let w = opts.averageAttnWeights === false ? weights : mean(weights, 1);
    if (unbatched) w = squeeze(w, 0);
    return { output: out, weights: w };
  }

  /** 1 where attention is blocked, broadcastable to [N, H, L, S]; null when nothing is masked. */
  private blockedMask(
    opts: MultiheadAttentionCallOptions,
    N: number,
    L: number,
    S: number,
    unbatched: boolean,
  ): Tensor | null {
    let blocked: Tensor | null = null;
    const am = opts.attnMask;
    if (am) {
      if (am.rank === 2 && am.shape[0] === L && am.shape[1] === S) blocked = am;
      else if (am.rank === 3 && am.shape[0] === N * this.numHeads && am.shape[1] === L && am.shape[2] === S)
        blocked = reshape(am, [N, this.numHeads, L, S]);
      else
        throw new Error(
          `MultiheadAttention: attn_mask must be [${L}, ${S}] or [${N * this.numHeads}, ${L}, ${S}], got ${shapeToString(am.shape)}.`,
        );
    }
    const kpm = opts.keyPaddingMask;
    if (kpm) {
      const want = unbatched ? [S] : [N, S];
      if (kpm.rank !== want.length || kpm.shape.some((d, i) => d !== want[i])) {
        throw new Error(
          `MultiheadAttention: key_padding_mask must be ${shapeToString(want)}, got ${shapeToString(kpm.shape)}.`,
        );
      }
      const k4 = reshape(kpm, [N, 1, 1, S]);
      blocked = blocked ? maximum(blocked, k4) : k4;
    }
    return blocked;
  }
}
