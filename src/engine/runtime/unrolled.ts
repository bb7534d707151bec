// Backpropagation through time, unrolled: a recurrent node's states at every time step and, once
// the backward pass has gone through the node, their gradients. Nothing is recomputed: the states
// are the tensors the layer's forward put on the tape (RNNBase.lastStates) and the gradients are
// the step session's own backward pass's (StepSession.innerGradient).
import type { UnrolledView } from '../../shared/api/unrolled';
import { MAX_UNROLLED_STEPS } from '../../shared/api/unrolled';
import { RNNBase } from '../nn/rnn';
import type { Tensor } from '../tensor/tensor';
import type { StepSession } from './stepSession';
import { summarizeTensor } from './tensorSummary';

/** ‖g‖₂ over every element (0 for no gradient: nothing reaches that state). */
function norm(g: Tensor | undefined): number {
  if (!g) return 0;
  let s = 0;
  const d = g.data;
  for (let i = 0; i < g.size; i++) s += d[i] * d[i];
  return Math.sqrt(s);
}

/**
 * The unrolled view of recurrent node `nodeId` in the session's current pass: layer `layer`
 * (default the last) and direction `direction` (0 forward, 1 reverse). Throws with a sentence
 * for a node that is not recurrent or a layer it does not have.
 *
 * @example
 * session.runForward(); session.runBackward();
 * unrolledView(session, 'lstm').gradNorms;   // ‖∂L/∂h_t‖ for t = 0 … T−1
 */
export function unrolledView(session: StepSession, nodeId: string, layer?: number, direction = 0): UnrolledView {
  const node = session.model.node(nodeId);
  if (!node) throw new Error(`The graph has no node "${nodeId}".`);
  const m = node.runtime?.module;
  if (!(m instanceof RNNBase))
    throw new Error(`"${nodeId}" is a ${node.def.title} node: only RNN, LSTM and GRU nodes unroll over time.`);
  const cell = m.kind as UnrolledView['cell'];
  const directions = m.bidirectional ? 2 : 1;
  const l = layer ?? m.numLayers - 1;
  if (l < 0 || l >= m.numLayers)
    throw new Error(
      `${cell} "${nodeId}" has ${m.numLayers} layer${m.numLayers === 1 ? '' : 's'}; there is no layer ${l}.`,
    );
  if (direction >= directions)
    throw new Error(`${cell} "${nodeId}" is not bidirectional: it has no reverse direction.`);
  const base = {
    nodeId,
    cell,
    layers: m.numLayers,
    directions,
    layer: l,
    direction,
    hiddenSize: m.hiddenSize,
  };
  const states = session.recurrentStates(nodeId)?.find((s) => s.layer === l && s.direction === direction);
  if (!states || states.h.some((t) => t.isDisposed)) {
    return {
      ...base,
      steps: 0,
      ran: false,
      backward: false,
      states: [],
      gradNorms: null,
      cellGradNorms: null,
      note: `Step forward until the ${cell} has run: its hidden state${cell === 'LSTM' ? ' and cell state' : ''} at every time step will appear on the arrows.`,
    };
  }
  const T = states.h.length;
  const backward = session.backwardReached(nodeId);
  const grad = (t: Tensor): Tensor | undefined => session.innerGradient(t);
  const final = (t: Tensor): boolean => session.gradientFinal(t);
  const shown = Math.min(T, MAX_UNROLLED_STEPS);
  const steps: UnrolledView['states'] = [];
  for (let t = 0; t < shown; t++) {
    const h = states.h[t];
    const c = states.c?.[t] ?? null;
    const dh = grad(h);
    const dc = c ? grad(c) : undefined;
    steps.push({
      t,
      h: summarizeTensor(h),
      c: c ? summarizeTensor(c) : null,
      dh: dh ? summarizeTensor(dh) : null,
      dc: dc ? summarizeTensor(dc) : null,
    });
  }
  // Inside the node, stepping back in time, only the later steps' gradients are final so far.
  const norms = (ts: readonly Tensor[]): (number | null)[] | null =>
    ts.some(final) ? ts.map((t) => (final(t) ? norm(grad(t)) : null)) : null;
  const gradNorms = norms(states.h);
  const cellGradNorms = states.c ? norms(states.c) : null;
  const partial = !backward && gradNorms !== null;
  const more = T > shown ? ` The first ${shown} of ${T} steps are drawn as cells; the bars show all ${T}.` : '';
  const pending = gradNorms?.filter((g) => g === null).length ?? 0;
  const note = partial
    ? `Backpropagating through time: ∂L/∂hₜ is final for the ${T - pending} latest step${T - pending === 1 ? '' : 's'}; step back in time for the others (${pending} to go).${more}`
    : backward
      ? `∂L/∂hₜ sums every path from step t to the loss: through its own output and through ${direction === 1 ? 'hₜ₋₁, hₜ₋₂' : 'hₜ₊₁, hₜ₊₂'}, …${cell === 'LSTM' ? ' (the cell state c carries the long ones)' : ''}. Where the bars shrink toward the steps read first, the gradient vanishes over time.${more}`
      : `The forward pass has computed every hₜ${cell === 'LSTM' ? ' and cₜ' : ''}. Step backward until the ${cell} is done to see ∂L/∂hₜ on each arrow and its norm per step.${more}`;
  return { ...base, steps: T, ran: true, backward, states: steps, gradNorms, cellGradNorms, note };
}
