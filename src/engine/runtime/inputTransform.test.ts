import { describe, expect, it } from 'vitest';
import { tensor } from '../tensor/create';
import { e, n } from '../graph/testGraphs.test-support';
import { compileGraph } from './compile';
import { transformBatch, transformImages } from './inputTransform';

const grid = (h: number, w: number) =>
  tensor(
    Array.from({ length: h * w }, (_, i) => i),
    [1, 1, h, w],
    { dtype: 'float64' },
  );

describe('the equivariance lab’s input transform', () => {
  it('turns as torch.rot90(x, k, dims=(-2, -1)) and shifts as torch.roll', () => {
    // [[0,1,2],[3,4,5],[6,7,8]] → rot90 → [[2,5,8],[1,4,7],[0,3,6]]
    expect(transformImages(grid(3, 3), { rotate: 1, shiftY: 0, shiftX: 0 }).toArray()).toEqual([
      2, 5, 8, 1, 4, 7, 0, 3, 6,
    ]);
    expect(transformImages(grid(3, 3), { rotate: 2, shiftY: 0, shiftX: 0 }).toArray()).toEqual([
      8, 7, 6, 5, 4, 3, 2, 1, 0,
    ]);
    expect(transformImages(grid(3, 3), { rotate: 4, shiftY: 0, shiftX: 0 }).toArray()).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    // torch.roll(x, (1, 1), dims=(-2, -1)) of the 2×3 grid [[0,1,2],[3,4,5]] is [[5,3,4],[2,0,1]].
    expect(transformImages(grid(2, 3), { rotate: 0, shiftY: 1, shiftX: 1 }).toArray()).toEqual([5, 3, 4, 2, 0, 1]);
    expect(() => transformImages(grid(2, 3), { rotate: 1, shiftY: 0, shiftX: 0 })).toThrow(/square/);
  });

  it('changes the image Inputs of a batch and nothing else; refuses a network without images', () => {
    const cnn = compileGraph(
      {
        nodes: [
          n('x', 'Input', { shape: [1, 3, 3] }),
          n('flat', 'Flatten'),
          n('fc', 'Linear', { out_features: 2 }),
          n('y', 'Target'),
          n('loss', 'CrossEntropyLoss'),
        ],
        edges: [e('x', 'flat'), e('flat', 'fc'), e('fc', 'loss'), e('y', 'loss', 'target')],
      },
      { seed: 1, dtype: 'float64' },
    );
    if (!cnn.ok) throw new Error('compile');
    const y = tensor([1], [1], { dtype: 'float64' });
    const b = transformBatch(cnn.model, { x: grid(3, 3), y }, { rotate: 1, shiftY: 0, shiftX: 0 });
    if (typeof b === 'string') throw new Error(b);
    expect(b.x.toArray()).toEqual([2, 5, 8, 1, 4, 7, 0, 3, 6]);
    expect(b.y).toBe(y);
    const mlp = compileGraph(
      {
        nodes: [n('x', 'Input', { shape: [4] }), n('fc', 'Linear', { out_features: 2 })],
        edges: [e('x', 'fc')],
      },
      { seed: 1, dtype: 'float64' },
    );
    if (!mlp.ok) throw new Error('compile');
    expect(transformBatch(mlp.model, { x: tensor([1, 2, 3, 4], [1, 4]) }, { rotate: 1, shiftY: 0, shiftX: 0 })).toMatch(
      /only images/,
    );
  });
});
