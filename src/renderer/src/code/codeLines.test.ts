import { describe, expect, it } from 'vitest';
import { changedLines, linesOfNodes, nodeAtLine } from './codeLines';

describe('changedLines', () => {
  it('finds the edited block between the common start and end', () => {
    expect(changedLines('a\nb\nc\nd', 'a\nB\nC\nd')).toEqual({ from: 2, to: 3 });
    expect(changedLines('a\nb', 'a\nb\nc')).toEqual({ from: 3, to: 3 });
    expect(changedLines('a\nb\nc', 'a\nc')).toEqual({ from: 2, to: 2 });
  });
  it('nothing when equal or without a previous version', () => {
    expect(changedLines('a', 'a')).toBeNull();
    expect(changedLines(null, 'a')).toBeNull();
  });
});

describe('source map', () => {
  const map = [
    { nodeId: 'fc1', file: 'model.ts', from: 10, to: 11 },
    { nodeId: 'fc1', file: 'model.ts', from: 20, to: 21 },
    { nodeId: 'act', file: 'model.ts', from: 22, to: 23 },
    { nodeId: 'fc1', file: 'model.py', from: 5, to: 6 },
  ];
  it("a node's lines in the shown file", () => {
    expect(linesOfNodes(map, 'model.ts', ['fc1']).map((r) => r.from)).toEqual([10, 20]);
  });
  it("a line's node", () => {
    expect(nodeAtLine(map, 'model.ts', 22)).toBe('act');
    expect(nodeAtLine(map, 'model.ts', 12)).toBeUndefined();
    expect(nodeAtLine(map, 'model.py', 6)).toBe('fc1');
  });
});
