import { beforeEach, describe, expect, it } from 'vitest';
import { addNode } from '../state/graphOps';
import { appStore, getState, initialState, setDoc, undo } from '../state/store';
import { applyEdgeChanges, applyNodeChanges } from './flowChanges';

beforeEach(() => {
  appStore.setState(initialState(), true);
  setDoc(addNode(getState().doc, 'ReLU', {}, { x: 0, y: 0 }).doc);
});

const pos = () => getState().doc.graph.nodes[0].position;

describe('applyNodeChanges', () => {
  it('makes a whole drag one undo step', () => {
    for (let x = 10; x <= 40; x += 10)
      applyNodeChanges([{ type: 'position', id: 'relu1', position: { x, y: 0 }, dragging: true }]);
    applyNodeChanges([{ type: 'position', id: 'relu1', dragging: false }]);
    expect(pos()).toEqual({ x: 40, y: 0 });
    expect(getState().history.past).toHaveLength(2);
    undo();
    expect(pos()).toEqual({ x: 0, y: 0 });
  });

  it('makes a keyboard move (no drag) its own undo step', () => {
    applyNodeChanges([{ type: 'position', id: 'relu1', position: { x: 5, y: 0 } }]);
    applyNodeChanges([{ type: 'position', id: 'relu1', position: { x: 10, y: 0 } }]);
    expect(getState().history.past).toHaveLength(3);
    undo();
    expect(pos()).toEqual({ x: 5, y: 0 });
  });

  it('records sizes and selection as view state, not as document changes', () => {
    const doc = getState().doc;
    applyNodeChanges([
      { type: 'dimensions', id: 'relu1', dimensions: { width: 176, height: 70 } },
      { type: 'select', id: 'relu1', selected: true },
    ]);
    expect(getState().doc).toBe(doc);
    expect(getState().measured.relu1).toEqual({ width: 176, height: 70 });
    expect(getState().selection.nodes).toEqual(['relu1']);
    applyEdgeChanges([{ type: 'select', id: 'nope', selected: true }]);
    expect(getState().selection.edges).toEqual([]);
  });
});
