// Messages between the host (SessionManager) and a session worker thread.
import type { Project } from '../../engine/graph/schema';
import type { SessionChannel } from '../../shared/api/contract';
import type { SessionInfo } from '../../shared/api/session';
import type { RpcErrorCode } from '../../shared/rpc';
import type { Handlers } from '../host';

/** Session channels the host answers itself: the session's life, and training control through shared memory. */
export const HOST_SESSION_CHANNELS = [
  'session.create',
  'session.close',
  'session.restart',
  'training.pause',
  'training.resume',
  'training.stop',
] as const satisfies readonly SessionChannel[];

/** Every other session channel is answered by the session's worker, under the same name, with the host's parsed request. */
export type WorkerChannel = Exclude<SessionChannel, (typeof HOST_SESSION_CHANNELS)[number]>;
export type WorkerHandlers = Pick<Handlers, WorkerChannel>;

export function isWorkerChannel(channel: SessionChannel): channel is WorkerChannel {
  return !(HOST_SESSION_CHANNELS as readonly string[]).includes(channel);
}

/** Calls for tests and diagnostics, outside the API: the worker's thread id and its memory use. */
export type DiagnosticCall = 'ping' | 'memory';

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
  /**
   * The project, loaded once by the host (the worker compiles it as it is). Null for the host's
   * spare worker: it starts, compiles its kernels and waits for a project (a `recompile`).
   */
  project: Project | null;
  /** The precision the session computes in (session.create's dtype). */
  dtype: 'float32' | 'float64';
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

/** What the worker needs to compile another project in place of its own (session.create's `reuse`). */
export type Recompile = Pick<SessionInit, 'sessionId' | 'dtype'> & { project: Project };

export type ToWorker =
  | { type: 'call'; id: number; channel: WorkerChannel | DiagnosticCall; request: unknown }
  /** Compile `init.project` in place of the worker's project; answered by a result carrying the new SessionInfo. */
  | { type: 'recompile'; id: number; init: Recompile };

export type FromWorker =
  /** Started: `info` about the compiled project (null in a spare worker), and the WebAssembly kernels compiled. */
  | { type: 'ready'; info: SessionInfo | null; wasmKernels: string[] }
  | { type: 'init-failed'; error: WorkerError }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: WorkerError }
  /** Events in order, several per message: each message wakes the host's thread. */
  | { type: 'events'; events: readonly { event: string; payload: unknown }[] }
  | { type: 'checkpoint'; checkpoint: Checkpoint };
