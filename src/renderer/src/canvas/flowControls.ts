/** The canvas's viewport operations, published by the canvas so that actions can call them. */
export interface FlowControls {
  zoomIn(): void;
  zoomOut(): void;
  fitView(): void;
  /** The centre of the visible canvas, in flow coordinates. */
  viewportCenter(): { x: number; y: number };
  /** The canvas's size on screen, in pixels. */
  viewportSize(): { width: number; height: number };
  /** Converts a point on the screen (client coordinates) to flow coordinates. */
  screenToFlow(point: { x: number; y: number }): { x: number; y: number };
}

let current: FlowControls | null = null;

export function setFlowControls(controls: FlowControls | null): void {
  current = controls;
}

export function flowControls(): FlowControls | null {
  return current;
}
