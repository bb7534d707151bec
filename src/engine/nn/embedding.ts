import type { Tensor } from '../tensor/tensor';
import type { DType } from '../tensor/dtype';
import type { Rng } from '../tensor/rng';
import { randn, tensor } from '../tensor/create';
import { gather, toIndexArray } from '../ops/gather';
import type { Indices } from '../ops/gather';
import { reshape, detach } from '../ops/shape';
import { where } from '../ops/compare';
import { Module } from './module';

export interface EmbeddingOptions {
  /** Row that stays fixed (initialised to zeros, never receives gradient), as torch's padding_idx. */
  paddingIdx?: number | null;
  dtype?: DType;
}

/**
 * torch.nn.Embedding: a lookup table weight [num_embeddings, embedding_dim] initialised from
 * N(0, 1) (the padding row, if any, set to zero). forward(indices, shape) returns
 * [...shape, embedding_dim]; `indices` are integers in [0, num_embeddings).
 *
 * @example
 * const emb = new Embedding(10, 4, new Rng(0));
 * emb.forward([1, 2, 4, 5, 4, 3, 2, 9], [2, 4]).shape;   // [2, 4, 4]
 */
export class Embedding extends Module {
  readonly weight: Tensor;
  readonly paddingIdx: number | null;
  private readonly keepRows: Tensor | null;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    rng: Rng,
    opts: EmbeddingOptions = {},
  ) {
    super();
    for (const [name, v] of [
      ['num_embeddings', numEmbeddings],
      ['embedding_dim', embeddingDim],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`Embedding: ${name} must be a positive integer, got ${v}.`);
    }
    let pad = opts.paddingIdx ?? null;
    if (pad !== null) {
      if (!Number.isInteger(pad) || pad < -numEmbeddings || pad >= numEmbeddings) {
        throw new Error(`Embedding: padding_idx ${pad} must be within [-${numEmbeddings}, ${numEmbeddings}).`);
      }
      if (pad < 0) pad += numEmbeddings;
    }
    this.paddingIdx = pad;
    const dtype = opts.dtype ?? 'float32';
    this.weight = this.registerParameter('weight', randn([numEmbeddings, embeddingDim], rng, { dtype }));
    if (pad !== null) {
      this.weight.data.fill(0, pad * embeddingDim, (pad + 1) * embeddingDim);
      const keep = Array.from({ length: numEmbeddings }, (_, i) => (i === pad ? 0 : 1));
      this.keepRows = tensor(keep, [numEmbeddings, 1], { dtype }).keep();
    } else {
      this.keepRows = null;
    }
  }

  /** `shape` is the shape of the index array (default: 1-D). */
  forward(indices: Indices, shape?: readonly number[]): Tensor {
    const idx = toIndexArray(indices, this.numEmbeddings, 'Embedding');
    const s =
      shape ?? (Array.isArray(indices) || indices instanceof Int32Array ? [idx.length] : (indices as Tensor).shape);
    if (s.reduce((a, b) => a * b, 1) !== idx.length) {
      throw new Error(`Embedding: ${idx.length} indices do not fill the shape [${s.join(', ')}].`);
    }
    // NOTE: the padding row is read through a detached copy, so it never receives gradient (torch's padding_idx).
    const table = this.keepRows ? where(this.keepRows, this.weight, detach(this.weight)) : this.weight;
    return reshape(gather(table, idx, 0), [...s, this.embeddingDim]);
  }
}
