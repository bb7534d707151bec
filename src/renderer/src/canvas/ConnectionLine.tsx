import type { ConnectionLineComponentProps } from '@xyflow/react';
import type { ReactElement } from 'react';

/**
 * Why the connection being dragged would be refused. Set by the canvas's validity check on
 * every pointer move and read here while drawing; kept out of React state so that dragging a
 * wire renders nothing but the line.
 */
let problem: string | null = null;

export function setPendingProblem(p: string | null): void {
  problem = p;
}

export function pendingProblem(): string | null {
  return problem;
}

/** The wire being dragged; red and dashed with the reason beside the cursor where it cannot go. */
export function ConnectionLine({
  fromX,
  fromY,
  toX,
  toY,
  connectionStatus,
}: ConnectionLineComponentProps): ReactElement {
  const invalid = connectionStatus === 'invalid';
  const dx = Math.max(40, Math.abs(toX - fromX) / 2);
  return (
    <g className={`connection-line${invalid ? ' invalid' : ''}`}>
      <path fill="none" d={`M${fromX},${fromY} C${fromX + dx},${fromY} ${toX - dx},${toY} ${toX},${toY}`} />
      {invalid && problem && (
        <foreignObject x={toX + 12} y={toY + 10} width={300} height={80} className="connection-hint-wrap">
          <div className="connection-hint" data-testid="connection-hint">
            {problem}
          </div>
        </foreignObject>
      )}
    </g>
  );
}
