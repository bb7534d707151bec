import type { Edge, Node } from '@xyflow/react';
import type { AnyNodeTypeDef, InputTypes, TensorType } from '../../../engine/graph/nodeType';
import type { DocNode } from '../state/docModel';

/** What a node component needs: the document node, its registry definition and the validator's verdict. */
export interface GraphNodeData extends Record<string, unknown> {
  readonly node: DocNode;
  readonly def: AnyNodeTypeDef | undefined;
  readonly summary: string;
  /** The validator's errors for this node, in its words; an ignored node's reason first (`ignored-node`). */
  readonly errors: readonly { readonly code: string; readonly message: string }[];
  /** The types arriving on each input port and leaving each output port, where known. */
  readonly inputs: InputTypes;
  readonly outputs: Readonly<Record<string, TensorType>>;
  readonly stepping: boolean;
}

export type GraphFlowNode = Node<GraphNodeData, 'data' | 'layer' | 'activation' | 'loss' | 'prediction' | 'unknown'>;

export interface ShapeEdgeData extends Record<string, unknown> {
  /** The inferred type on the edge, when inference reached it. */
  readonly type: TensorType | undefined;
  readonly error: string | undefined;
}

export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>;
