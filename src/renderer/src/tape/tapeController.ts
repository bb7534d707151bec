import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { TapeExport } from '../../../shared/api/tape';
import { host } from '../api/connection';
import { getState, updateUi } from '../state/store';
import { backwardAnswer, passStartsNew } from '../step/stepController';
import { enqueue, serial } from '../step/stepQueue';
import { ensureReady } from '../step/stepSession';

/**
 * The op-level computational graph: which tape the view shows (one node's ops, or the whole
 * network's), what the host answered for it, and the op-by-op backward step. The ops are the
 * engine's records (session.tape); nothing here describes a node type.
 */
export interface TapeViewState {
  /** Null: the view is closed. `nodeId` null: the whole network as its tape. */
  readonly open: { readonly nodeId: string | null } | null;
  readonly tape: TapeExport | null;
  readonly loading: boolean;
  readonly error: string | null;
  /** The recorded training step `tape` is of (time travel), or null: the step session's pass. */
  readonly travelStep: number | null;
}

export const tapeStore = createStore<TapeViewState>(() => ({
  open: null,
  tape: null,
  loading: false,
  error: null,
  travelStep: null,
}));

export function useTapeView<T>(selector: (s: TapeViewState) => T): T {
  return useStore(tapeStore, selector);
}

let fetchSeq = 0;

/**
 * Whether the time-travel scrubber shows a recorded step of the step session's training: the
 * tape is that step's then, brought by the replay the glyphs and plots come from
 * (training/timeTravel.ts), not the step session's.
 */
function travelling(): boolean {
  const s = getState();
  return s.training.travel.at !== null && s.training.sessionId !== null && s.training.sessionId === s.run.session?.id;
}

/**
 * Asks the host for the tape the view shows (after the step command in flight); the newest answer
 * wins. While time travel shows a recorded step, the replay brings that step's tape instead.
 */
export function refreshTape(): Promise<void> {
  const open = tapeStore.getState().open;
  if (open === null || travelling()) return Promise.resolve();
  const seq = ++fetchSeq;
  tapeStore.setState({ loading: true });
  return enqueue(async () => {
    const session = getState().run.session;
    if (session === null) return null;
    return host().invoke('session.tape', { sessionId: session.id, ...(open.nodeId ? { nodeId: open.nodeId } : {}) });
  }).then(
    (tape) => {
      if (seq !== fetchSeq) return;
      tapeStore.setState({
        loading: false,
        error: null,
        travelStep: null,
        tape: tape ?? {
          nodeId: open.nodeId,
          ops: [],
          tensors: [],
          omitted: 0,
          nextBackward: null,
          note: 'No step session yet: step forward (F10) or run forward (F5) and the tape fills as the nodes run.',
        },
      });
    },
    (err: unknown) => {
      if (seq !== fetchSeq) return;
      tapeStore.setState({ loading: false, error: err instanceof Error ? err.message : String(err) });
    },
  );
}

/**
 * The tape of a recorded training step, from the time-travel replay that also brings the step's
 * glyphs, gradient bars and plots; a live answer still in flight loses to it.
 */
export function showReplayedTape(tape: TapeExport, step: number): void {
  const open = tapeStore.getState().open;
  if (open === null || open.nodeId !== tape.nodeId) return;
  fetchSeq++;
  tapeStore.setState({ tape, travelStep: step, loading: false, error: null });
}

/** Opens the view on one node's ops (its records of this pass), or on the whole network's tape. */
export function openTape(nodeId: string | null): Promise<void> {
  tapeStore.setState({ open: { nodeId }, tape: null, error: null, travelStep: null });
  return refreshTape();
}

export function closeTape(): void {
  fetchSeq++;
  tapeStore.setState({ open: null, tape: null, loading: false, error: null, travelStep: null });
}

/**
 * Backpropagates through one op of the tape (completing the forward pass first, as the node step
 * does); the canvas's edges get their gradients when the op completes their node, and the view
 * highlights the op processed.
 */
export function stepBackwardOp(): Promise<unknown> {
  const tab = getState().ui.bottomTab;
  if (tab !== 'step' && tab !== 'losses') updateUi({ bottomTab: 'step' });
  return serial('Backward op step', async () => {
    const { id } = await ensureReady();
    if (getState().run.phase === 'updated')
      throw new Error('The weights were just updated: run a new forward pass before stepping backward.');
    const startedNew = passStartsNew();
    const res = await host().invoke('session.stepBackwardOp', { sessionId: id });
    backwardAnswer(res, res.report, startedNew);
  }).then((r) => {
    void refreshTape();
    return r;
  });
}
