import { z } from 'zod';

/** Largest preview a summary carries: enough for any edge glyph, small enough for 50 of them per step. */
export const MAX_PREVIEW_VALUES = 4096;
export const HISTOGRAM_BINS = 32;

/**
 * How a tensor crosses a process boundary by default (STYLE 13): statistics, a small preview
 * and a histogram. The full values cross only when the inspector asks for them.
 */
export const tensorSummarySchema = z.object({
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'float64']),
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  /** Euclidean norm of all finite values. */
  l2: z.number().nullable(),
  nanCount: z.number().int().nonnegative(),
  infCount: z.number().int().nonnegative(),
  /**
   * A downsampled copy that keeps the tensor's layout: `shape` has the same rank as the tensor,
   * each dimension at most the original, and `values` is row-major over it.
   */
  preview: z.object({
    shape: z.array(z.number().int().nonnegative()),
    values: z.array(z.number().nullable()).max(MAX_PREVIEW_VALUES),
  }),
  histogram: z.object({
    min: z.number(),
    max: z.number(),
    counts: z.array(z.number().int().nonnegative()).max(HISTOGRAM_BINS),
  }),
});
export type TensorSummary = z.infer<typeof tensorSummarySchema>;

/** Every value, for the tensor inspector. NaN and ±Infinity travel as null plus their counts. */
export const fullTensorSchema = z.object({
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.enum(['float32', 'float64']),
  values: z.array(z.number().nullable()),
});
export type FullTensor = z.infer<typeof fullTensorSchema>;
