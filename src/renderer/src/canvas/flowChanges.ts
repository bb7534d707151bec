import type { EdgeChange, NodeChange } from '@xyflow/react';
import { moveNodes } from '../state/graphOps';
import { beginGesture, endGesture, getState, setDoc, setMeasured, setSelection } from '../state/store';
import type { GraphFlowNode, ShapeFlowEdge } from './flowTypes';

/**
 * Applies React Flow's node changes to the store: positions to the document (a whole drag is
 * one undo step), measured sizes and selection to view state.
 */
export function applyNodeChanges(changes: readonly NodeChange<GraphFlowNode>[]): void {
  const s = getState();
  const positions = new Map<string, { x: number; y: number }>();
  let dragging = false;
  let dragEnded = false;
  const sizes: Record<string, { width: number; height: number }> = {};
  let sizeChanged = false;
  let selectionChanged = false;
  const sel = new Set(s.selection.nodes);
  for (const c of changes) {
    if (c.type === 'position') {
      if (c.position) positions.set(c.id, c.position);
      if (c.dragging) dragging = true;
      else dragEnded = true;
    } else if (c.type === 'dimensions' && c.dimensions) {
      const prev = s.measured[c.id];
      if (!prev || prev.width !== c.dimensions.width || prev.height !== c.dimensions.height) {
        sizes[c.id] = c.dimensions;
        sizeChanged = true;
      }
    } else if (c.type === 'select') {
      selectionChanged = true;
      if (c.selected) sel.add(c.id);
      else sel.delete(c.id);
    }
  }
  if (sizeChanged) setMeasured(sizes);
  if (positions.size > 0) {
    beginGesture();
    setDoc(moveNodes(s.doc, positions), { commit: false });
  }
  // The end of a drag, or a move that is not a drag (arrow keys): one undo step.
  if (dragEnded && !dragging) endGesture();
  if (selectionChanged) {
    setSelection({
      nodes: s.doc.graph.nodes.filter((n) => sel.has(n.id)).map((n) => n.id),
      edges: getState().selection.edges,
    });
  }
}

/** Applies React Flow's edge changes: only selection (deleting goes through the Delete action). */
export function applyEdgeChanges(changes: readonly EdgeChange<ShapeFlowEdge>[]): void {
  const s = getState();
  const sel = new Set(s.selection.edges);
  let changed = false;
  for (const c of changes) {
    if (c.type === 'select') {
      changed = true;
      if (c.selected) sel.add(c.id);
      else sel.delete(c.id);
    }
  }
  if (changed) {
    setSelection({
      nodes: getState().selection.nodes,
      edges: s.doc.graph.edges.filter((e) => sel.has(e.id)).map((e) => e.id),
    });
  }
}
