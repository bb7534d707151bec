import { beforeEach, describe, expect, it } from 'vitest';
import { emptyDoc } from './docModel';
import { addNode, moveNodes } from './graphOps';
import {
  appStore,
  beginGesture,
  endGesture,
  getState,
  initialState,
  isDirty,
  loadDocument,
  markSaved,
  notify,
  redo,
  setDoc,
  undo,
} from './store';

beforeEach(() => appStore.setState(initialState(), true));

describe('store', () => {
  it('records one undo step per change and tracks unsaved changes by identity', () => {
    expect(isDirty(getState())).toBe(false);
    const a = addNode(getState().doc, 'ReLU', {}, { x: 0, y: 0 });
    setDoc(a.doc, { selection: { nodes: [a.id], edges: [] } });
    expect(isDirty(getState())).toBe(true);
    expect(getState().selection.nodes).toEqual(['relu1']);
    expect(undo()).toBe(true);
    expect(getState().doc.graph.nodes).toHaveLength(0);
    // Back at the saved document: clean again, and the deleted node left the selection.
    expect(isDirty(getState())).toBe(false);
    expect(getState().selection.nodes).toEqual([]);
    expect(redo()).toBe(true);
    expect(getState().doc.graph.nodes).toHaveLength(1);
    expect(undo()).toBe(true);
    expect(undo()).toBe(false);
  });

  it('turns a whole drag into one undo step', () => {
    setDoc(addNode(getState().doc, 'ReLU', {}, { x: 0, y: 0 }).doc);
    const before = getState().doc;
    beginGesture();
    for (let x = 10; x <= 50; x += 10)
      setDoc(moveNodes(getState().doc, new Map([['relu1', { x, y: 0 }]])), { commit: false });
    endGesture();
    expect(getState().history.past).toHaveLength(2);
    undo();
    expect(getState().doc).toBe(before);
  });

  it('starts a loaded document clean, with no history', () => {
    setDoc(addNode(getState().doc, 'ReLU', {}, { x: 0, y: 0 }).doc);
    const doc = emptyDoc('Other');
    loadDocument(doc, 'x.json', 'Other');
    const s = getState();
    expect(s.history.past).toHaveLength(0);
    expect(isDirty(s)).toBe(false);
    expect(s.file).toMatchObject({ handle: 'x.json', name: 'Other' });
    setDoc(addNode(s.doc, 'Tanh', {}, { x: 0, y: 0 }).doc);
    markSaved('x.json', 'Other');
    expect(isDirty(getState())).toBe(false);
  });

  it('keeps one notification per kind: a new one replaces the last of its kind', () => {
    notify('The backward pass is complete.', 'info');
    notify('The backward pass is complete.', 'info');
    notify('Cannot connect.', 'error');
    notify('Saved.', 'info');
    expect(getState().ui.toasts.map((t) => [t.kind, t.message])).toEqual([
      ['error', 'Cannot connect.'],
      ['info', 'Saved.'],
    ]);
  });
});
