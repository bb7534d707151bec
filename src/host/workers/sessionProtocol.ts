// Messages between the host (SessionManager) and a session worker thread.
import type { RpcErrorCode } from '../../shared/rpc';

/** Words of the control block shared with a session worker (Int32Array over a SharedArrayBuffer). */
export const CONTROL_WORDS = 4;
/** Training command, read by the training loop between batches: see TrainCommand. */
export const CTRL_TRAIN = 0;
export const TRAIN_RUN = 0;
export const TRAIN_PAUSE = 1;
export const TRAIN_STOP = 2;

/** One parameter tensor of a checkpoint (row-major, PyTorch layout). */
export interface CheckpointTensor {
  shape: number[];
  data: Float32Array | Float64Array;
}

/** What a session can be restarted from: its weights after the last completed step. */
export interface Checkpoint {
  /** Optimizer steps taken so far. */
  step: number;
  epoch: number;
  weights: Record<string, CheckpointTensor>;
  /** The optimizer's state (momentum, Adam moments), so a restart continues the same run. */
  optimizer: unknown;
  savedAt: number;
}

export interface SessionInit {
  sessionId: string;
  /** The project document (validated again in the worker by the engine's loader). */
  project: unknown;
  checkpoint: Checkpoint | null;
  control: Int32Array;
  memoryBudgetBytes: number;
  /** The host process's tensor budget, shared by every session (sharedAllocator.ts). */
  processBudget?: { slots: BigInt64Array; slot: number; limitBytes: number };
  /** Kernel pool workers this session may start (0: run every kernel inline). */
  poolWorkers: number;
}

export interface WorkerError {
  code: RpcErrorCode;
  message: string;
  where?: string;
}

export type ToWorker = { type: 'call'; id: number; method: string; params: unknown };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-failed'; error: WorkerError }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: WorkerError }
  | { type: 'event'; event: string; payload: unknown }
  | { type: 'checkpoint'; checkpoint: Checkpoint };
