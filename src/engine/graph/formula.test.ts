import { describe, expect, it } from 'vitest';
import { nodeFormula } from './formula';
import { xorGraph } from './testGraphs.test-support';
import { validateGraph } from './validate';

describe('nodeFormula', () => {
  it('composes an activation with the Linear layer feeding it, with the actual shapes', () => {
    const g = xorGraph();
    const a = validateGraph(g);
    expect(nodeFormula(g, a, 'act1')).toBe(
      'z = \\tanh(Ax + b),\\quad A \\in \\mathbb{R}^{8\\times 2},\\; b \\in \\mathbb{R}^{8},\\; z \\in \\mathbb{R}^{N\\times 8}',
    );
    expect(nodeFormula(g, a, 'fc2')).toBe(
      'z = Ax + b,\\quad A \\in \\mathbb{R}^{1\\times 8},\\; b \\in \\mathbb{R}^{1}',
    );
    expect(nodeFormula(g, a, 'loss')).toContain('\\frac{1}{N}\\sum_{i=1}^{N}');
  });

  it('is undefined for unknown nodes and types, and never throws', () => {
    const g = xorGraph();
    g.nodes[2].type = 'Nope';
    const a = validateGraph(g);
    expect(nodeFormula(g, a, 'act1')).toBeUndefined();
    expect(nodeFormula(g, a, 'ghost')).toBeUndefined();
  });
});
