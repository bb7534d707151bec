import {
  Background,
  BackgroundVariant,
  ConnectionLineType,
  Controls,
  ReactFlow,
  SelectionMode,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import type { EdgeChange, FinalConnectionState, NodeChange, OnConnectEnd, OnConnectStart } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DragEvent, MouseEvent as ReactMouseEvent, ReactElement } from 'react';
import { runAction } from '../actions/registry';
import { NODE_DRAG_MIME } from '../components/Palette';
import { analyze } from '../state/analysis';
import { connect } from '../state/graphOps';
import { getState, notify, setDoc, setSelection, updateUi } from '../state/store';
import { useApp } from '../state/useApp';
import { connectionProblem, sourceKind } from './connectionRules';
import { CanvasMinimap } from './CanvasMinimap';
import { PreviewNotice } from '../step/PreviewNotice';
import { ContextMenu } from './ContextMenu';
import { TapeView } from '../tape/TapeView';
import { UnrolledPanel } from '../unrolled/UnrolledView';
import type { ContextMenuState } from './ContextMenu';
import type { PortConnection } from './connectionRules';
import { setFlowControls } from './flowControls';
import { FIT_PADDING, PRESENTER_MAX_FIT_ZOOM, readableViewport } from './readableFit';
import { applyEdgeChanges, applyNodeChanges } from './flowChanges';
import { createFlowModel } from './flowModel';
import { ConnectionLine, pendingProblem, setPendingProblem } from './ConnectionLine';
import type { GraphFlowNode, ShapeFlowEdge } from './flowTypes';
import { setHoveredNode } from '../code/hoveredNode';
import { ActivationNode, DataNode, LayerNode, LossNode, PredictionNode, UnknownNode } from './GraphNodeView';
import { ShapeEdge } from './ShapeEdge';
import { fitTargetToLoss } from '../state/targetFit';
import { isRecurrentType } from '../unrolled/recurrentNodes';
import { dataKey } from '../training/dataKey';

// Module level: re-creating these objects on render makes React Flow remount every node.
const nodeTypes = {
  data: DataNode,
  layer: LayerNode,
  activation: ActivationNode,
  loss: LossNode,
  prediction: PredictionNode,
  unknown: UnknownNode,
};
const edgeTypes = { shape: ShapeEdge };
const SNAP: [number, number] = [10, 10];

function ZoomReporter(): null {
  const zoom = useStore((s) => s.transform[2]);
  useEffect(() => {
    const t = setTimeout(() => updateUi({ zoom }), 50);
    return () => clearTimeout(t);
  }, [zoom]);
  return null;
}

export function Canvas(): ReactElement {
  const { doc, selection, measured, stepping, theme, fitRequest, data } = useApp((s) => ({
    fitRequest: s.ui.fitRequest,
    doc: s.doc,
    selection: s.selection,
    measured: s.measured,
    stepping: s.run.steppingNode,
    theme: s.ui.theme,
    data: s.training.data,
  }));
  const flow = useReactFlow<GraphFlowNode, ShapeFlowEdge>();
  const [model] = useState(createFlowModel);
  const wrapper = useRef<HTMLDivElement>(null);
  const analysis = analyze(doc, data);
  const selectedNodes = useMemo(() => new Set(selection.nodes), [selection.nodes]);
  const selectedEdges = useMemo(() => new Set(selection.edges), [selection.edges]);
  const nodes = useMemo(
    () => model.nodes(doc, analysis, selectedNodes, measured, stepping),
    [model, doc, analysis, selectedNodes, measured, stepping],
  );
  const edges = useMemo(() => model.edges(doc, analysis, selectedEdges), [model, doc, analysis, selectedEdges]);

  // One fit for opening, laying out and "Zoom to Fit": never below a readable zoom.
  const fitReadable = useCallback(
    (duration?: number) => {
      const r = wrapper.current?.getBoundingClientRect();
      const nodes = flow.getNodes();
      if (!r || nodes.length === 0) return;
      const maxZoom = getState().ui.presenter ? PRESENTER_MAX_FIT_ZOOM : undefined;
      const v = readableViewport(
        flow.getNodesBounds(nodes),
        { width: r.width, height: r.height },
        FIT_PADDING,
        maxZoom,
      );
      void flow.setViewport(v, duration ? { duration } : undefined);
      // Counted on the element, so that tests wait for the fit rather than for a time.
      wrapper.current!.dataset.fits = String(Number(wrapper.current!.dataset.fits ?? 0) + 1);
    },
    [flow],
  );

  useEffect(() => {
    setFlowControls({
      zoomIn: () => void flow.zoomIn({ duration: 150 }),
      zoomOut: () => void flow.zoomOut({ duration: 150 }),
      fitView: () => fitReadable(200),
      viewportCenter: () => {
        const r = wrapper.current?.getBoundingClientRect();
        if (!r) return { x: 0, y: 0 };
        return flow.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
      },
      screenToFlow: (p) => flow.screenToFlowPosition(p),
      viewportSize: () => {
        const r = wrapper.current?.getBoundingClientRect();
        return { width: r?.width ?? 1200, height: r?.height ?? 700 };
      },
    });
    return () => setFlowControls(null);
  }, [flow, fitReadable]);

  // A loaded document is fitted into view once its nodes have been measured.
  const measuredAll = nodes.every((n) => measured[n.id] !== undefined);
  const fitted = useRef(0);
  useEffect(() => {
    if (fitRequest === 0 || fitted.current === fitRequest || !measuredAll) return;
    fitted.current = fitRequest;
    fitReadable();
  }, [fitRequest, measuredAll, fitReadable]);

  const [contextMenu, setContextMenu] = useState<ContextMenuState | null>(null);
  const closeContextMenu = useCallback(() => setContextMenu(null), []);
  // Right-click acts on what is under the pointer: select it first unless it is already selected.
  const onNodeContextMenu = useCallback((e: ReactMouseEvent, node: GraphFlowNode) => {
    e.preventDefault();
    if (!getState().selection.nodes.includes(node.id)) setSelection({ nodes: [node.id], edges: [] });
    setContextMenu({ x: e.clientX, y: e.clientY, target: 'selection' });
  }, []);
  // A recurrent node opens into its unrolled view (backpropagation through time).
  const onNodeDoubleClick = useCallback((_: ReactMouseEvent, node: GraphFlowNode) => {
    const type = getState().doc.graph.nodes.find((n) => n.id === node.id)?.type;
    if (type !== undefined && isRecurrentType(type)) void runAction('view.unrollThroughTime', node.id);
  }, []);
  const onEdgeContextMenu = useCallback((e: ReactMouseEvent, edge: ShapeFlowEdge) => {
    e.preventDefault();
    if (!getState().selection.edges.includes(edge.id)) setSelection({ nodes: [], edges: [edge.id] });
    setContextMenu({ x: e.clientX, y: e.clientY, target: 'selection' });
  }, []);
  const onPaneContextMenu = useCallback((e: ReactMouseEvent | MouseEvent) => {
    e.preventDefault();
    setContextMenu({ x: e.clientX, y: e.clientY, target: 'pane' });
  }, []);

  // The Code tab selects the lines of the node under the pointer.
  const onNodeMouseEnter = useCallback((_: ReactMouseEvent, node: GraphFlowNode) => setHoveredNode(node.id), []);
  const onNodeMouseLeave = useCallback(() => setHoveredNode(null), []);
  useEffect(() => () => setHoveredNode(null), []);

  const onNodesChange = useCallback((changes: NodeChange<GraphFlowNode>[]) => applyNodeChanges(changes), []);
  const onEdgesChange = useCallback((changes: EdgeChange<ShapeFlowEdge>[]) => applyEdgeChanges(changes), []);

  const isValidConnection = useCallback((c: PortConnection | ShapeFlowEdge) => {
    const s = getState();
    const problem = connectionProblem(s.doc, analyze(s.doc), c);
    setPendingProblem(problem);
    return problem === null;
  }, []);

  const onConnect = useCallback((c: PortConnection) => {
    const s = getState();
    const problem = connectionProblem(s.doc, analyze(s.doc), c);
    if (problem) {
      notify(problem, 'error', 6000);
      return;
    }
    const r = connect(s.doc, {
      source: c.source,
      sourcePort: c.sourceHandle!,
      target: c.target,
      targetPort: c.targetHandle!,
    });
    // A Target wired to a loss (or a loss given its scores) takes the labels the loss takes, in
    // the same undo step as the wire; the chosen data set decides between kinds the loss allows.
    const data = s.training.data?.key === dataKey(s.doc.training) ? s.training.data.description : null;
    const fit = fitTargetToLoss(r.doc, c.target, data);
    setDoc(fit?.doc ?? r.doc);
    if (fit) notify(fit.message, 'info', 6000);
  }, []);

  // While a wire is dragged from an output, input ports that cannot take its kind fade out
  // (CSS keyed on data-connecting-kind; no React render per pointer move).
  const onConnectStart: OnConnectStart = useCallback((_e, params) => {
    if (params.handleType !== 'source' || !params.nodeId || !params.handleId || !wrapper.current) return;
    const kind = sourceKind(getState().doc, params.nodeId, params.handleId);
    if (kind) wrapper.current.dataset.connectingKind = kind;
  }, []);

  const onConnectEnd: OnConnectEnd = useCallback((_e: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (wrapper.current) delete wrapper.current.dataset.connectingKind;
    const problem = pendingProblem();
    if (state.toHandle && state.isValid === false && problem) notify(problem, 'error', 6000);
    setPendingProblem(null);
  }, []);

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(NODE_DRAG_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(NODE_DRAG_MIME);
      if (!type) return;
      e.preventDefault();
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      void runAction('graph.addNode', { type, position: { x: p.x - 80, y: p.y - 20 } });
    },
    [flow],
  );

  return (
    <div className="canvas" ref={wrapper} data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<GraphFlowNode, ShapeFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeContextMenu={onNodeContextMenu}
        onNodeDoubleClick={onNodeDoubleClick}
        onNodeMouseEnter={onNodeMouseEnter}
        onNodeMouseLeave={onNodeMouseLeave}
        onEdgeContextMenu={onEdgeContextMenu}
        onPaneContextMenu={onPaneContextMenu}
        onConnectStart={onConnectStart}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        connectionLineComponent={ConnectionLine}
        connectionLineType={ConnectionLineType.Bezier}
        snapToGrid
        snapGrid={SNAP}
        selectionMode={SelectionMode.Partial}
        selectionOnDrag={false}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Control', 'Meta']}
        deleteKeyCode={null}
        minZoom={0.1}
        maxZoom={2.5}
        colorMode={theme}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
        <CanvasMinimap />
        <Controls showInteractive={false} />
        <ZoomReporter />
      </ReactFlow>
      {contextMenu && <ContextMenu menu={contextMenu} onClose={closeContextMenu} />}
      <TapeView />
      <UnrolledPanel />
      <PreviewNotice />
      {doc.graph.nodes.length === 0 && (
        <div className="canvas-empty" data-testid="canvas-empty">
          <p>Drag a node from the palette, or double-click one to add it here.</p>
          <p className="muted">Start with an Input, then a Linear layer, an activation and a loss.</p>
        </div>
      )}
    </div>
  );
}
