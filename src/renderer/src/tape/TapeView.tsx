import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import { Controls, Handle, Position, ReactFlow, ReactFlowProvider, useReactFlow } from '@xyflow/react';
import type { Edge, Node, NodeProps } from '@xyflow/react';
import type { TapeOp, TapeTensor } from '../../../shared/api/tape';
import type { TensorSummary } from '../../../shared/api/tensor';
import { getState, setSelection } from '../state/store';
import { useApp } from '../state/useApp';
import { inspect } from '../step/stepController';
import type { InspectTarget } from '../step/stepTypes';
import { TensorGlyph } from '../tensors/TensorGlyph';
import { formatDims } from '../tensors/format';
import { shortcutLabel } from '../actions/keys';
import { closeTape, refreshTape, stepBackwardOp, useTapeView } from './tapeController';
import { LEAF_BOX, OP_BOX, opCaption, tapeGraph } from './tapeGraph';
import type { TapeBox } from './tapeGraph';
import './tape.css';

type OpNode = Node<{ op: TapeOp; output: TapeTensor | undefined }, 'op'>;
type LeafNode = Node<{ tensor: TapeTensor }, 'leaf'>;
type TapeNode = OpNode | LeafNode;

const KIND_LABEL: Record<TapeTensor['kind'], string> = {
  op: 'op output',
  parameter: 'parameter',
  batch: 'batch',
  outside: 'from another node',
  constant: 'constant',
};

const BACKWARD_LABEL: Record<TapeOp['backward'], string> = {
  pending: 'waiting for backprop',
  current: 'backpropagated by the last step: its inputs just received their gradient',
  done: 'backpropagated',
  off: 'not on the loss’s tape (no gradient flows through it)',
};

/**
 * What the tensor inspector can open for a tensor of the tape: a parameter, or the edge a node's
 * output leaves on (the canvas's own tensors); null for the ops' intermediates.
 */
function inspectTarget(tensor: TapeTensor): InspectTarget | null {
  if (tensor.kind === 'parameter') return { type: 'parameter', name: tensor.label };
  const out = tensor.nodeOutput;
  if (out === null) return null;
  const edge = getState().doc.graph.edges.find((e) => e.source === out.nodeId && e.sourcePort === out.port);
  return edge ? { type: 'edge', edgeId: edge.id } : null;
}

/** A tensor's value and gradient, drawn as the canvas's edge glyphs are; a click inspects it when the inspector can. */
function TensorPair({ tensor, testId }: { tensor: TapeTensor | undefined; testId: string }): ReactElement {
  if (!tensor) return <div className="tape-pair tape-muted">(freed)</div>;
  const target = inspectTarget(tensor);
  const onClick = target ? () => inspect(target) : undefined;
  const grad: TensorSummary | null = tensor.gradient;
  return (
    <div className="tape-pair">
      <div className="tape-glyph" data-testid={`${testId}-value`} data-l2={tensor.value.l2 ?? ''}>
        <TensorGlyph
          summary={tensor.value}
          what="value"
          testId={`${testId}-value-glyph`}
          maxWidth={80}
          maxHeight={40}
          {...(onClick ? { onClick } : {})}
        />
        <span className="tape-glyph-caption">value</span>
      </div>
      <div
        className={`tape-glyph grad${grad && !tensor.gradientFinal ? ' partial' : ''}`}
        data-testid={`${testId}-gradient`}
        data-has={grad ? 'true' : 'false'}
        data-l2={grad?.l2 ?? ''}
        data-final={tensor.gradientFinal ? 'true' : 'false'}
        title={
          grad
            ? tensor.gradientFinal
              ? '∂loss/∂ this tensor (complete)'
              : '∂loss/∂ this tensor so far: ops reading it are still waiting for backprop'
            : 'No gradient yet: step backward to reach it'
        }
      >
        {grad ? (
          <TensorGlyph
            summary={grad}
            what="gradient"
            testId={`${testId}-gradient-glyph`}
            maxWidth={80}
            maxHeight={40}
            {...(onClick ? { onClick } : {})}
          />
        ) : (
          <div className="tape-glyph-empty">∂ —</div>
        )}
        <span className="tape-glyph-caption">{grad && !tensor.gradientFinal ? 'gradient so far' : 'gradient'}</span>
      </div>
    </div>
  );
}

const OpBox = memo(function OpBox({ data }: NodeProps<OpNode>): ReactElement {
  const { op, output } = data;
  return (
    <div
      className={`tape-op ${op.backward}`}
      style={{ width: OP_BOX.width }}
      data-testid={`tape-op-${op.id}`}
      data-kernel={op.kernel}
      data-backward={op.backward}
      data-node={op.nodeId ?? ''}
      title={`${opCaption(op)}, recorded by ${op.nodeId ?? 'the sum of the losses'} (tape record #${op.id}): ${BACKWARD_LABEL[op.backward]}`}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="tape-op-head">
        <span className="tape-op-kernel">{opCaption(op)}</span>
        <span className="tape-op-owner">{op.nodeId ?? 'Σ losses'}</span>
      </div>
      <div className="tape-op-shape">
        {output ? formatDims(output.value.shape) : ''}
        {output?.nodeOutput ? (
          <span className="tape-op-out" title="This op's output is what the node passes on its edge">
            {' '}
            = {output.nodeOutput.nodeId}.{output.nodeOutput.port}
          </span>
        ) : null}
      </div>
      <TensorPair tensor={output} testId={`tape-op-${op.id}`} />
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});

const LeafBox = memo(function LeafBox({ data }: NodeProps<LeafNode>): ReactElement {
  const { tensor } = data;
  return (
    <div
      className={`tape-leaf ${tensor.kind}`}
      style={{ width: LEAF_BOX.width }}
      data-testid={`tape-leaf-${tensor.label}`}
      title={`${tensor.label}: ${KIND_LABEL[tensor.kind]}`}
    >
      <div className="tape-op-head">
        <span className="tape-leaf-label">{tensor.label}</span>
        <span className="tape-op-owner">{KIND_LABEL[tensor.kind]}</span>
      </div>
      <div className="tape-op-shape">{formatDims(tensor.value.shape)}</div>
      <TensorPair tensor={tensor} testId={`tape-leaf-${tensor.label}`} />
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
});

const NODE_TYPES = { op: OpBox, leaf: LeafBox };

function toNode(b: TapeBox, position: { x: number; y: number }): TapeNode {
  return b.kind === 'op'
    ? { id: b.id, type: 'op', position, data: { op: b.op, output: b.output }, draggable: false }
    : { id: b.id, type: 'leaf', position, data: { tensor: b.tensor }, draggable: false };
}

function selectOwner(_: unknown, n: Node): void {
  const op = (n.data as { op?: TapeOp }).op;
  if (op?.nodeId) setSelection({ nodes: [op.nodeId], edges: [] });
}

/** The smallest zoom whose captions still read; a longer tape is panned, not shrunk further. */
const READABLE = 0.85;

/**
 * The whole tape when it fits at a readable zoom; otherwise its beginning at that zoom (the
 * forward pass reads from there, and backward op steps bring their op into view).
 */
function initialViewport(
  positions: ReadonlyMap<string, { x: number; y: number }>,
  width: number,
  height: number,
): { x: number; y: number; zoom: number } {
  const pad = 24;
  let right = 0;
  let bottom = 0;
  for (const p of positions.values()) {
    right = Math.max(right, p.x + OP_BOX.width);
    bottom = Math.max(bottom, p.y + OP_BOX.height);
  }
  const fit = Math.min((width - 2 * pad) / Math.max(right, 1), (height - 2 * pad) / Math.max(bottom, 1), 1.1);
  const zoom = Math.max(fit, READABLE);
  const x = fit >= READABLE ? (width - right * zoom) / 2 : pad;
  const y = Math.max(pad, (height - bottom * zoom) / 2);
  return { x, y, zoom };
}

function TapeFlow(): ReactElement {
  const tape = useTapeView((s) => s.tape);
  const flow = useReactFlow();
  const graph = useMemo(() => (tape ? tapeGraph(tape) : { boxes: [], wires: [] }), [tape]);
  // Laid out again only when the ops change (a new pass, another node), not at every gradient.
  const structure = graph.boxes.map((b) => b.id).join(' ') + '|' + graph.wires.map((w) => w.id).join(' ');
  const [positions, setPositions] = useState<Map<string, { x: number; y: number }>>(new Map());
  const laidOut = useRef('');
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (laidOut.current === structure) return;
    let live = true;
    // The tape reads left to right as it was recorded, in one band (never wrapped into rows:
    // wires running back across rows read as cycles); the view follows the op being backpropagated.
    const viewport = { width: 1e6, height: 1e6 };
    // ELK is loaded on first use, as auto-layout loads it.
    void import('../canvas/autoLayout')
      .then(({ layoutLeftToRight }) =>
        layoutLeftToRight(
          graph.boxes.map((b) => ({ id: b.id, ...(b.kind === 'op' ? OP_BOX : LEAF_BOX) })),
          graph.wires,
          viewport,
        ),
      )
      .then((p) => {
        if (!live) return;
        laidOut.current = structure;
        setPositions(p);
        requestAnimationFrame(() => {
          const el = box.current;
          if (el) void flow.setViewport(initialViewport(p, el.clientWidth, el.clientHeight));
        });
      });
    return () => {
      live = false;
    };
  }, [structure, graph, flow]);
  const nodes = useMemo(
    () => graph.boxes.filter((b) => positions.has(b.id)).map((b) => toNode(b, positions.get(b.id)!)),
    [graph, positions],
  );
  const current = tape?.ops.find((o) => o.backward === 'current')?.id;
  // Each backward op step brings its op into view (at the zoom the student chose).
  useEffect(() => {
    if (current === undefined) return;
    const p = positions.get(`op-${current}`);
    if (!p) return;
    const el = box.current;
    const { x, y, zoom } = flow.getViewport();
    const sx = p.x * zoom + x;
    const sy = p.y * zoom + y;
    const w = OP_BOX.width * zoom;
    const h = OP_BOX.height * zoom;
    if (el && sx >= 0 && sy >= 0 && sx + w <= el.clientWidth && sy + h <= el.clientHeight) return;
    void flow.setCenter(p.x + OP_BOX.width / 2, p.y + OP_BOX.height / 2, { zoom, duration: 200 });
  }, [current, positions, flow]);
  const edges = useMemo<Edge[]>(
    () =>
      graph.wires.map((w) => ({
        id: w.id,
        source: w.source,
        target: w.target,
        className: w.target === `op-${current}` ? 'tape-wire current' : 'tape-wire',
        ...(tape && graph.wires.filter((x) => x.target === w.target).length > 1
          ? { label: `arg ${w.position + 1}`, labelBgPadding: [3, 1] as [number, number] }
          : {}),
      })),
    [graph, current, tape],
  );
  return (
    <div className="tape-flow" ref={box}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        nodesConnectable={false}
        elementsSelectable={false}
        // A box selects, on the canvas, the node that recorded the op (its glyphs inspect tensors).
        onNodeClick={selectOwner}
        minZoom={0.15}
        proOptions={{ hideAttribution: true }}
      >
        <Controls showInteractive={false} position="bottom-left" />
      </ReactFlow>
    </div>
  );
}

/**
 * The op-level computational graph over the canvas: the ops a node recorded on the engine's tape
 * in this pass (or the whole network's tape), each with its output's value and gradient, the op
 * the last backward op step processed highlighted.
 */
export function TapeView(): ReactElement | null {
  const open = useTapeView((s) => s.open);
  const tape = useTapeView((s) => s.tape);
  const error = useTapeView((s) => s.error);
  const loading = useTapeView((s) => s.loading);
  // Time travel: the tape of a recorded training step; the op step acts on the step session, not on it.
  const travelStep = useTapeView((s) => s.travelStep);
  // Any step, preview or reset changes these: the tape is asked for again.
  const key = useApp((s) => [s.run.session?.id ?? null, s.run.phase, s.run.edges, s.run.lastReport, s.run.updates]);
  const title = useApp((s) => {
    const id = open?.nodeId;
    if (id == null) return 'The network as its tape';
    const n = s.doc.graph.nodes.find((x) => x.id === id);
    return `Ops of ${id}${n ? ` (${n.type})` : ''}`;
  });
  const busy = useApp((s) => s.run.busy !== null);
  useEffect(() => {
    if (open) void refreshTape();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, ...key]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') closeTape();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  if (!open) return null;
  const current = tape?.ops.find((o) => o.backward === 'current');
  const done = tape?.ops.filter((o) => o.backward === 'done' || o.backward === 'current').length ?? 0;
  const onTape = tape?.ops.filter((o) => o.backward !== 'off').length ?? 0;
  return (
    <div
      className="tape-view nodrag nopan nowheel"
      data-testid="tape-view"
      data-node={open.nodeId ?? ''}
      data-travel-step={travelStep ?? undefined}
    >
      <div className="tape-bar">
        <div className="tape-title">
          <strong>{title}</strong>
          <span className="tape-sub">
            {tape && tape.ops.length > 0
              ? `${tape.ops.length} op${tape.ops.length === 1 ? '' : 's'} recorded on the autograd tape in ${travelStep !== null ? `training step ${travelStep}` : 'this pass'}${tape.omitted > 0 ? ` (${tape.omitted} more not shown)` : ''}`
              : loading
                ? 'Reading the tape…'
                : ''}
          </span>
        </div>
        <div className="tape-status" data-testid="tape-status">
          {current
            ? `Backprop: ${current.kernel} #${current.id} of ${current.nodeId ?? 'Σ losses'} (${done}/${onTape})`
            : done > 0
              ? `Backprop: ${done}/${onTape} ops`
              : ''}
        </div>
        {travelStep === null && (
          <button
            type="button"
            className="step-button primary"
            onClick={() => void stepBackwardOp()}
            disabled={busy}
            data-testid="tape-backward-op"
            title={`Backpropagate through the next op of the tape (${shortcutLabel('Ctrl+F10')})`}
          >
            ◀ Backward op
          </button>
        )}
        <button type="button" className="step-button" onClick={closeTape} data-testid="tape-close" title="Close (Esc)">
          ✕
        </button>
      </div>
      {travelStep !== null && (
        <div className="tape-note" data-testid="tape-travel-note">
          Training step {travelStep}, replayed at its weights on its batch (time travel). Move the slider for another
          step; Step from here to step through this one.
        </div>
      )}
      {error && <div className="tape-note error">{error}</div>}
      {tape?.note && (
        <div className="tape-note" data-testid="tape-note">
          {tape.note}
        </div>
      )}
      <ReactFlowProvider>
        <TapeFlow />
      </ReactFlowProvider>
    </div>
  );
}
