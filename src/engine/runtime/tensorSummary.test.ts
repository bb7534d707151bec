import { describe, expect, it } from 'vitest';
import { HISTOGRAM_BINS, MAX_PREVIEW_VALUES } from '../../shared/api/tensor';
import { tensorSummarySchema } from '../../shared/api/tensor';
import { summarize } from './tensorSummary';

describe('summarize', () => {
  it('computes statistics over finite values and counts NaN and Inf', () => {
    const s = summarize(new Float64Array([1, -1, 3, NaN, Infinity, 1]), [2, 3], 'float64');
    expect(s).toMatchObject({ shape: [2, 3], min: -1, max: 3, mean: 1, nanCount: 1, infCount: 1 });
    expect(s.std).toBeCloseTo(Math.sqrt(2), 12);
    expect(s.l2).toBeCloseTo(Math.sqrt(12), 12);
    expect(s.histogram.counts).toHaveLength(HISTOGRAM_BINS);
    expect(s.histogram.counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(s.histogram.counts[HISTOGRAM_BINS - 1]).toBe(1);
    expect(s.preview).toEqual({ shape: [2, 3], values: [1, -1, 3, null, null, 1] });
    // The wire shape itself: the worker sends it without an adapter.
    expect(tensorSummarySchema.parse(s)).toEqual(s);
  });

  it('downsamples the preview on a grid to at most 4,096 values', () => {
    const shape = [300, 784];
    const data = Float32Array.from({ length: 300 * 784 }, (_, i) => i);
    const s = summarize(data, shape, 'float32');
    expect(s.preview.values.length).toBeLessThanOrEqual(MAX_PREVIEW_VALUES);
    expect(s.preview.shape.reduce((a, b) => a * b, 1)).toBe(s.preview.values.length);
    // The value at preview (i, j) is the tensor's value at (i·stride0, j·stride1), strides powers of 2.
    const [ph, pw] = s.preview.shape;
    const [s0, s1] = [Math.ceil(300 / ph!), Math.ceil(784 / pw!)].map((x) => 2 ** Math.ceil(Math.log2(x)));
    expect(s.preview.values[3 * pw! + 5]).toBe(3 * s0! * 784 + 5 * s1!);
  });

  it('handles empty tensors, scalars and all-NaN tensors', () => {
    expect(summarize(new Float32Array(0), [0, 3], 'float32')).toMatchObject({
      min: null,
      mean: null,
      preview: { values: [] },
    });
    expect(summarize(new Float32Array([2]), [], 'float32')).toMatchObject({
      min: 2,
      max: 2,
      std: 0,
      preview: { shape: [], values: [2] },
    });
    expect(summarize(new Float32Array([NaN, NaN]), [2], 'float32')).toMatchObject({ min: null, nanCount: 2, l2: 0 });
  });

  it('previews integers, fractions and non-finite values alike, call after call', () => {
    // The training loop summarises tensors of every kind in turn (labels, activations, gradients
    // with NaN): each summary is that tensor's own, whatever the earlier ones held.
    const cases = [
      new Float32Array([0, 1, 2, 3, 4, 5]),
      new Float32Array([0.5, -1.25, 3, 0, 7.5, -2]),
      new Float32Array([1, NaN, 2, Infinity, -Infinity, 0.25]),
      new Float64Array([3, 1, 4, 1, 5, 9]),
    ];
    for (let round = 0; round < 3; round++) {
      for (const data of cases) {
        const s = summarize(data, [2, 3], data instanceof Float64Array ? 'float64' : 'float32');
        expect(s.preview).toEqual({ shape: [2, 3], values: Array.from(data, (v) => (Number.isFinite(v) ? v : null)) });
        expect(Object.keys(s.preview.values)).toHaveLength(6);
        expect(s.histogram.counts.reduce((a, b) => a + b, 0)).toBe(6 - s.nanCount - s.infCount);
      }
    }
  });
});
