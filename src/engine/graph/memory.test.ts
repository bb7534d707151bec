import { describe, expect, it } from 'vitest';
import { compileGraph } from '../runtime/compile';
import { CASES } from '../runtime/testCases.test-support';
import { MEMORY_LIMIT_BYTES, memoryBytes, memoryProblem } from './memory';
import { e, n } from './testGraphs.test-support';
import { validateGraph } from './validate';

describe('network size from shape inference', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: the counted parameters are those the built model holds`, () => {
      const r = compileGraph(c.graph);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      const built = r.model.parameters().reduce((sum, t) => sum + t.size, 0);
      expect(r.analysis.size.parameters).toBe(built);
    });
  }

  const linear = (outFeatures: number, inShape = [2]) => ({
    nodes: [n('x', 'Input', { shape: inShape }), n('fc', 'Linear', { out_features: outFeatures })],
    edges: [e('x', 'fc')],
  });

  it('counts a Linear layer and its output per sample', () => {
    const size = validateGraph(linear(8, [3])).size;
    expect(size).toEqual({ parameters: 8 * 3 + 8, activationsPerSample: 3 + 8, largestActivationPerSample: 8 });
    expect(memoryBytes(size, 10)).toBe(4 * (4 * 32 + 2 * 10 * 11));
  });

  it('refuses a network over the limit before anything is allocated, in GB', () => {
    // 2^20 outputs from 2^11 inputs: 2^31 + 2^20 parameters (the CLI used to allocate them and be OOM-killed).
    const a = validateGraph(linear(1 << 20, [1 << 11]));
    expect(a.valid).toBe(false);
    expect(a.issues.filter((i) => i.code === 'too-large')).toEqual([
      {
        severity: 'error',
        code: 'too-large',
        message:
          'This network needs 32.0 GB; the limit is 2.0 GB (2,148,532,224 parameters and 1,050,624 activation values per sample, batch 1). Use smaller layers.',
      },
    ]);
    // 1.1e12 parameters across a chain of wide layers: refused too, not called valid.
    const wide = {
      nodes: [
        n('x', 'Input', { shape: [1 << 20] }),
        ...Array.from({ length: 2 }, (_, i) => n(`fc${i}`, 'Linear', { out_features: 1 << 20 })),
      ],
      edges: [e('x', 'fc0'), e('fc0', 'fc1')],
    };
    expect(validateGraph(wide).size.parameters).toBeGreaterThan(2.1e12);
    expect(validateGraph(wide).issues.some((i) => i.code === 'too-large')).toBe(true);
  });

  it('says when a batch makes a network too large, and nothing under the limit', () => {
    const size = { parameters: 1000, activationsPerSample: 1 << 20, largestActivationPerSample: 1 << 20 };
    expect(memoryProblem(size, 1)).toBeNull();
    expect(memoryProblem(size, 256)).toBe(
      'This network needs 2.0 GB; the limit is 2.0 GB (1,000 parameters and 1,048,576 activation values per sample, batch 256). Use smaller layers or a smaller batch.',
    );
    expect(memoryBytes(size, 256)).toBeGreaterThan(MEMORY_LIMIT_BYTES);
  });

  it('refuses at the training batch size what fits one sample', () => {
    // 64 inputs → 2^18 outputs: 1 MB of activations a sample, 256 MB of parameters' state.
    const g = linear(1 << 18, [64]);
    expect(validateGraph(g).valid).toBe(true);
    expect(validateGraph(g, undefined, { batchSize: 1 }).valid).toBe(true);
    const big = validateGraph(g, undefined, { batchSize: 4096 });
    expect(big.valid).toBe(false);
    expect(big.issues.find((i) => i.code === 'too-large')?.message).toMatch(
      /^This network needs 8\.3 GB; the limit is 2\.0 GB \(.*batch 4,096\)\. Use smaller layers or a smaller batch\.$/,
    );
    const compiled = compileGraph(g, { batchSize: 4096 });
    expect(compiled.ok).toBe(false);
  });

  it('names the field limit for an out-of-range layer size, not the largest safe integer', () => {
    const a = validateGraph(linear(2 ** 53));
    expect(a.issues.map((i) => i.message)).toContain(
      'Linear "fc": parameter "out_features" (Out features) is invalid: must be at most 1,048,576; got 9007199254740992.',
    );
  });
});
