import { BaseEdge, EdgeLabelRenderer, getBezierPath } from '@xyflow/react';
import type { EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { ReactElement } from 'react';
import { formatShape } from '../../../engine/graph/shape';
import { EdgeTensorLabel } from '../step/EdgeTensorLabel';
import { EdgeShapeLabel } from './EdgeShapeLabel';
import { useEdgeRun } from '../step/useEdgeRun';
import type { ShapeFlowEdge } from './flowTypes';

/** An edge with its inferred shape on a label at its midpoint, or beside it in a tight gap (or the reason it has none). */
export const ShapeEdge = memo(function ShapeEdge(props: EdgeProps<ShapeFlowEdge>): ReactElement {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd } = props;
  // While stepping: the tensor the host computed for this edge, and its gradient's health.
  const run = useEdgeRun(id);
  const [path] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const type = data?.type;
  const error = data?.error;
  const text = type ? formatShape(type.shape) : error ? '!' : '?';
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        markerEnd={markerEnd}
        className={`shape-edge${error ? ' error' : ''}${selected ? ' selected' : ''}${run.edgeClass}`}
        style={run.edgeStyle}
      />
      <EdgeLabelRenderer>
        {run.summary ? (
          <EdgeTensorLabel
            edgeId={id}
            run={run}
            sourceX={sourceX}
            sourceY={sourceY}
            targetX={targetX}
            targetY={targetY}
          />
        ) : (
          <EdgeShapeLabel
            edgeId={id}
            text={text}
            className={`edge-label nodrag nopan${error ? ' error' : ''}${selected ? ' selected' : ''}${type ? '' : ' unknown'}`}
            title={
              error ??
              (type ? `${formatShape(type.shape)} (${type.kind})` : 'Shape unknown: an upstream node has no type yet')
            }
            sourceX={sourceX}
            sourceY={sourceY}
            targetX={targetX}
            targetY={targetY}
          />
        )}
      </EdgeLabelRenderer>
    </>
  );
});
