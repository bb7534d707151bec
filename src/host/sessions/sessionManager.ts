// Host side of the session workers: one worker thread per step session, calls by message,
// training control through shared memory, crash detection and restart from the last checkpoint.
import type { DType } from '../../engine/tensor/dtype';
import { randomUUID } from 'node:crypto';
import { totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
import { HostError } from '../errors';
import { defaultPoolWorkers } from '../workers/nodeKernelPool';
import { processBudgetSlots } from '../workers/sharedAllocator';
import { baseWorkerOptions, resolveWorkerEntry } from '../workers/workerEntry';
import { CONTROL_WORDS, CTRL_TRAIN, TRAIN_PAUSE, TRAIN_RUN, TRAIN_STOP } from '../workers/sessionProtocol';
import type {
  Checkpoint,
  DiagnosticCall,
  FromWorker,
  SessionInit,
  ToWorker,
  WorkerChannel,
  WorkerError,
} from '../workers/sessionProtocol';
import type { Project } from '../../engine/graph/schema';
import type { ParsedRequest, Response } from '../../shared/api/contract';
import type { SessionInfo } from '../../shared/api/session';
import { CrashPolicy, CRASH_WINDOW_MS, MAX_CRASHES, describeCrash, isOutOfMemory } from './crashPolicy';

export interface SessionManagerOptions {
  /** Where session and training events go (the Host's `emit`). */
  emit: (event: string, payload: unknown) => void;
  /** V8 heap limit of each session worker (resourceLimits.maxOldGenerationSizeMb). */
  heapLimitMb?: number;
  /** Cap on tensor memory per session (typed arrays live outside the V8 heap). */
  tensorBudgetMb?: number;
  /** Kernel pool workers per session; 0 runs every kernel inline in the session worker. */
  poolWorkers?: number;
  /** Most sessions open at once. */
  maxSessions?: number;
  /**
   * Tensor memory of all sessions together: one session passing it is refused with a message and
   * the others live on (default: a quarter of the machine's memory, at least one session's budget).
   */
  processBudgetMb?: number;
  /**
   * Keep one session worker started ahead of need (the spare): it boots, compiles its WebAssembly
   * kernels and waits, and the next `create` compiles its project in it instead of starting a
   * thread; a new spare starts after one is taken. It holds a session slot and a budget slot.
   * Off by default (tests, the CLI); the app's hosts turn it on.
   */
  spareWorker?: boolean;
}

export type TrainCommand = 'run' | 'pause' | 'stop';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Managed {
  id: string;
  /** Null while the worker is the spare, waiting for a project. */
  project: Project | null;
  /** The precision of every tensor in the session. */
  dtype: DType;
  /** What the worker reported about the compiled graph when it was last ready. */
  info: SessionInfo | null;
  worker: Worker | null;
  control: Int32Array;
  pending: Map<number, Pending>;
  checkpoint: Checkpoint | null;
  crashes: CrashPolicy;
  ready: Promise<void>;
  state: 'starting' | 'ready' | 'crashed' | 'closed';
  lastError: Error | null;
  /** Why the session is unusable, once automatic restarts have stopped. */
  deadReason: string | null;
  lastUsed: number;
  /** Running or paused training (from the worker's training.state events). */
  training: boolean;
  /** WebAssembly kernels the worker compiled at start (from its ready message). */
  wasmKernels: string[];
  /** Its slot in the process-wide memory budget. */
  slot: number;
  /** What the network needs at its training batch size (graph/memory.ts), held for it at admission. */
  reserved: number;
}

let nextCallId = 1;

/** Bytes of a checkpoint's arrays: the weights and every typed array in the optimizer's state. */
function checkpointBytes(c: Checkpoint): number {
  let bytes = 0;
  const seen = new Set<unknown>();
  const visit = (v: unknown, depth: number): void => {
    if (v === null || typeof v !== 'object' || seen.has(v) || depth > 8) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) bytes += v.byteLength;
    else for (const x of Object.values(v as object)) visit(x, depth + 1);
  };
  visit(c.weights, 0);
  visit(c.optimizer, 0);
  return bytes;
}

export class SessionManager {
  private readonly sessions = new Map<string, Managed>();
  private readonly heapLimitMb: number;
  private readonly tensorBudgetMb: number;
  private readonly poolWorkers: number;
  private readonly maxSessions: number;
  private readonly processBudgetMb: number;
  /** Each session's tensor bytes, one slot per open session (see ProcessBudget). */
  private readonly budgetSlots: BigInt64Array;
  private readonly spareWorker: boolean;
  /** The worker started ahead of need, or null (see SessionManagerOptions.spareWorker). */
  private spare: Managed | null = null;
  /** Spare workers started so far, and how many of them became sessions. */
  private spareCounts = { started: 0, taken: 0 };
  /** Set by closeAll: no spare starts after it. */
  private closing = false;
  /** Every worker thread started and not yet exited (sessions, restarts, spares). */
  private readonly live = new Set<Worker>();

  constructor(private readonly options: SessionManagerOptions) {
    this.heapLimitMb = options.heapLimitMb ?? 1024;
    this.tensorBudgetMb = options.tensorBudgetMb ?? 1536;
    this.poolWorkers = options.poolWorkers ?? defaultPoolWorkers();
    this.maxSessions = options.maxSessions ?? 16;
    this.processBudgetMb =
      options.processBudgetMb ?? Math.max(this.tensorBudgetMb, Math.floor(totalmem() / 4 / 1024 / 1024));
    // One slot per session, and one more (the last) for the checkpoints the host keeps.
    this.budgetSlots = processBudgetSlots(this.maxSessions + 1);
    this.spareWorker = options.spareWorker ?? false;
    this.replenish();
  }

  /** Sessions and the spare: everything that holds a worker thread and a budget slot. */
  private holders(): Managed[] {
    const all = [...this.sessions.values()];
    if (this.spare !== null) all.push(this.spare);
    return all;
  }

  /**
   * The spare worker as it stands (for tests and diagnostics): whether one is there and ready, the
   * kernels it compiled, and how many spares were started and taken so far.
   */
  spareStatus(): { state: 'none' | 'starting' | 'ready'; wasmKernels: string[]; started: number; taken: number } {
    const s = this.spare;
    return {
      state: s === null ? 'none' : s.state === 'ready' ? 'ready' : 'starting',
      wasmKernels: s?.wasmKernels ?? [],
      ...this.spareCounts,
    };
  }

  /** Worker threads running now: each session's and the spare's (tests count them for leaks). */
  liveWorkers(): number {
    return this.live.size;
  }

  /** Resolves once the spare (if one is starting) is ready or gone. */
  async spareSettled(): Promise<void> {
    await this.spare?.ready.catch(() => undefined);
  }

  /** Starts a spare worker when spares are on and none is there, unless every session slot is taken. */
  private replenish(): void {
    if (!this.spareWorker || this.closing || this.spare !== null || this.sessions.size >= this.maxSessions) return;
    const s = this.managed(randomUUID(), null, 'float32', 0);
    this.spare = s;
    this.spareCounts.started++;
    this.spawn(s);
    // A spare that fails to start is dropped (its thread is gone or going); the next session
    // starts its own thread and tries for a spare again after.
    s.ready.catch(() => {
      if (this.spare !== s) return;
      this.spare = null;
      void this.stop(s);
    });
  }

  /**
   * The spare's worker, compiled with `project`, as a new session (its id); null when there is no
   * ready spare to take (none, starting failed, crashed meanwhile).
   */
  private async takeSpare(project: Project, needBytes: number, dtype: DType): Promise<string | null> {
    const s = this.spare;
    if (s === null) return null;
    // One still booting is nearer to ready than a new thread.
    await s.ready.catch(() => undefined);
    if (this.spare !== s || s.state !== 'ready' || s.worker === null || s.pending.size > 0) return null;
    this.admit(needBytes);
    await this.makeRoom(1);
    if (this.spare !== s || s.state !== 'ready') return null;
    this.spare = null;
    const id = randomUUID();
    let info: SessionInfo;
    try {
      info = await this.recompileIn(s, id, project, dtype);
    } catch (err) {
      // Still a good spare when the project alone was at fault; put it back (or let it go).
      if (s.state === 'ready' && this.spare === null && !this.closing) this.spare = s;
      else void this.stop(s);
      if (err instanceof HostError && err.code !== 'busy' && err.code !== 'unavailable' && err.code !== 'cancelled')
        throw err;
      return null;
    }
    if (s.state !== 'ready') return null;
    Object.assign(s, { id, project, dtype, info, reserved: needBytes, lastUsed: Date.now() });
    this.sessions.set(id, s);
    this.spareCounts.taken++;
    this.replenish();
    return id;
  }

  /** Asks the worker of `s` to compile `project` in place of what it held; resolves with what it compiled. */
  private async recompileIn(s: Managed, id: string, project: Project, dtype: DType): Promise<SessionInfo> {
    const worker = s.worker;
    if (worker === null) throw new HostError('unavailable', 'The session is restarting; try again in a moment.');
    const callId = nextCallId++;
    return (await new Promise<unknown>((resolve, reject) => {
      s.pending.set(callId, { resolve, reject });
      const msg: ToWorker = { type: 'recompile', id: callId, init: { sessionId: id, project, dtype } };
      worker.postMessage(msg);
    })) as SessionInfo;
  }

  /**
   * Frees `want` session slots when all are taken: the least recently used idle session goes (a
   * renderer that reloads never closes its sessions), with an event saying why.
   */
  private async makeRoom(want: number): Promise<void> {
    while (this.sessions.size + want > this.maxSessions) {
      const idle = [...this.sessions.values()].filter((x) => !x.training).sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (idle === undefined)
        throw new HostError(
          'busy',
          `At most ${this.maxSessions} sessions can be open at once, and all of them are training; stop one first.`,
        );
      await this.close(idle.id);
      this.emit('session.closed', {
        sessionId: idle.id,
        reason: `Closed to make room: at most ${this.maxSessions} sessions can be open at once, and this one was used least recently.`,
      });
    }
  }

  /** A record for a worker not started yet. */
  private managed(id: string, project: Project | null, dtype: DType, needBytes: number): Managed {
    return {
      id,
      project,
      dtype,
      info: null,
      worker: null,
      control: new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4)),
      pending: new Map(),
      checkpoint: null,
      crashes: new CrashPolicy(),
      ready: Promise.resolve(),
      state: 'starting',
      lastError: null,
      deadReason: null,
      lastUsed: Date.now(),
      training: false,
      wasmKernels: [],
      slot: this.freeSlot(),
      reserved: needBytes,
    };
  }

  /**
   * The tensor bytes taken across the process: each session's use or, if more, what it was
   * admitted for (a session still starting has allocated nothing yet), and the checkpoints.
   */
  private usedBytes(): number {
    let sum = Number(Atomics.load(this.budgetSlots, this.maxSessions));
    for (const x of this.holders()) sum += Math.max(x.reserved, Number(Atomics.load(this.budgetSlots, x.slot)));
    return sum;
  }

  /** The process budget as it stands (for tests and diagnostics). */
  budgetUsage(): { usedBytes: number; checkpointBytes: number; limitBytes: number } {
    return {
      usedBytes: this.usedBytes(),
      checkpointBytes: Number(Atomics.load(this.budgetSlots, this.maxSessions)),
      limitBytes: this.processBudgetMb * 1024 * 1024,
    };
  }

  /** Counts the checkpoints the host holds (weights and optimizer state) in the process budget. */
  private countCheckpoints(): void {
    let bytes = 0;
    for (const x of this.sessions.values()) if (x.checkpoint !== null) bytes += checkpointBytes(x.checkpoint);
    Atomics.store(this.budgetSlots, this.maxSessions, BigInt(bytes));
  }

  /**
   * Refuses a session that needs more tensor memory than one session may use, or than the process
   * has left: the sessions already open live on. `needBytes` is the network's estimate at the
   * training batch size (graph/memory.ts).
   */
  private admit(needBytes: number, replacing?: Managed): void {
    const gb = (b: number): string => `${(b / 1024 ** 3).toFixed(b < 0.1 * 1024 ** 3 ? 3 : 1)} GB`;
    const own = this.tensorBudgetMb * 1024 * 1024;
    if (needBytes > own)
      throw new HostError(
        'invalid-request',
        `This network needs ${gb(needBytes)}; the limit is ${gb(own)} for one session. Use smaller layers or a smaller batch.`,
      );
    const limit = this.processBudgetMb * 1024 * 1024;
    // A session taking a new project gives up what it held.
    const used =
      this.usedBytes() -
      (replacing ? Math.max(replacing.reserved, Number(Atomics.load(this.budgetSlots, replacing.slot))) : 0);
    if (used + needBytes > limit)
      throw new HostError(
        'busy',
        `This network needs ${gb(needBytes)}; the open sessions already use ${gb(used)} of the ${gb(limit)} ` +
          `the app may use. Close another session (another window or tab), or use smaller layers or a smaller batch.`,
      );
  }

  /** A budget slot no open session holds, zeroed. */
  private freeSlot(): number {
    const taken = new Set(this.holders().map((x) => x.slot));
    for (let i = 0; i < this.maxSessions; i++)
      if (!taken.has(i)) {
        Atomics.store(this.budgetSlots, i, 0n);
        return i;
      }
    throw new HostError('busy', `At most ${this.maxSessions} sessions can be open at once.`);
  }

  /**
   * Starts a session worker for a loaded project; resolves once the engine inside is ready. A session
   * whose `needBytes` would pass the per-session or the process budget is refused first.
   */
  async create(project: Project, needBytes = 0, dtype: DType = 'float32', reuse?: string): Promise<string> {
    if (reuse !== undefined) {
      const recycled = await this.recycle(reuse, project, needBytes, dtype);
      if (recycled !== null) return recycled;
      // It could not take the project (restarting, crashed, busy): a new thread does, and the
      // old session, which its client has given up, goes unless it trains.
      if (this.sessions.get(reuse)?.training === false) await this.close(reuse);
    }
    // The spare worker, waiting with its kernels compiled, takes the project if there is one.
    const spared = await this.takeSpare(project, needBytes, dtype);
    if (spared !== null) return spared;
    // A spare holds a session slot: with every slot taken it goes before an idle session does.
    if (this.spare !== null && this.sessions.size + 1 >= this.maxSessions) await this.dropSpare();
    await this.makeRoom(1);
    this.admit(needBytes);
    const id = randomUUID();
    const s = this.managed(id, project, dtype, needBytes);
    this.sessions.set(id, s);
    this.spawn(s);
    try {
      await s.ready;
    } catch (err) {
      this.sessions.delete(id);
      const w = s.worker;
      if (w !== null) {
        await w.terminate().catch(() => undefined);
        this.live.delete(w);
      }
      throw err;
    }
    this.replenish();
    return id;
  }

  /** Stops the spare worker, if there is one. */
  private async dropSpare(): Promise<void> {
    const s = this.spare;
    this.spare = null;
    if (s !== null) await this.stop(s);
  }

  /**
   * Compiles `project` in the worker of session `reuseId` in place of its own, and re-keys that
   * session under a new id (the old one is gone, as if closed): a fresh session without starting
   * a thread. Null when that session cannot be reused (missing, not ready, training, busy).
   */
  private async recycle(reuseId: string, project: Project, needBytes: number, dtype: DType): Promise<string | null> {
    const s = this.sessions.get(reuseId);
    if (s === undefined || s.worker === null || s.state !== 'ready' || s.training || s.pending.size > 0) return null;
    this.admit(needBytes, s);
    const id = randomUUID();
    let info: SessionInfo;
    try {
      info = await this.recompileIn(s, id, project, dtype);
    } catch (err) {
      // A project that does not compile fails here as it would in a new thread; anything else
      // (busy, a crash meanwhile) leaves the new project to a new thread.
      if (err instanceof HostError && err.code !== 'busy' && err.code !== 'unavailable' && err.code !== 'cancelled')
        throw err;
      return null;
    }
    if (this.sessions.get(reuseId) !== s || s.state !== 'ready') return null;
    this.sessions.delete(reuseId);
    Object.assign(s, {
      id,
      project,
      dtype,
      info,
      checkpoint: null,
      crashes: new CrashPolicy(),
      reserved: needBytes,
      lastUsed: Date.now(),
    });
    this.sessions.set(id, s);
    this.countCheckpoints();
    return id;
  }

  has(id: string): boolean {
    return this.sessions.has(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  /** What the session's worker said about the compiled graph (order, losses, parameters, data set). */
  info(id: string): SessionInfo {
    const info = this.get(id).info;
    if (info === null) throw new HostError('unavailable', 'The session is restarting; try again in a moment.');
    return info;
  }

  /** Forwards a session channel's parsed request to the session's worker. Errors come back as HostError. */
  call<C extends WorkerChannel>(id: string, channel: C, request: ParsedRequest<C>): Promise<Response<C>> {
    return this.send(id, channel, request) as Promise<Response<C>>;
  }

  /** The worker's thread id and kernel threads ('ping'), or its memory use ('memory'). */
  diagnose(id: string, what: DiagnosticCall): Promise<unknown> {
    return this.send(id, what, {});
  }

  private async send(id: string, channel: WorkerChannel | DiagnosticCall, request: unknown): Promise<unknown> {
    const s = this.get(id);
    s.lastUsed = Date.now();
    if (s.state === 'crashed' && s.deadReason !== null) throw new HostError('unavailable', s.deadReason);
    await s.ready;
    const worker = s.worker;
    if (worker === null || s.state !== 'ready')
      throw new HostError('unavailable', 'The session is restarting; try again in a moment.');
    const callId = nextCallId++;
    return new Promise((resolve, reject) => {
      s.pending.set(callId, { resolve, reject });
      const msg: ToWorker = { type: 'call', id: callId, channel, request };
      worker.postMessage(msg);
    });
  }

  /**
   * Sets the training command the worker's loop reads between batches. Returns at once: the
   * command is acknowledged as soon as it is written to shared memory, whatever the worker is doing.
   */
  control(id: string, command: TrainCommand): void {
    const s = this.get(id);
    const v = command === 'run' ? TRAIN_RUN : command === 'pause' ? TRAIN_PAUSE : TRAIN_STOP;
    Atomics.store(s.control, CTRL_TRAIN, v);
    Atomics.notify(s.control, CTRL_TRAIN);
  }

  checkpointOf(id: string): Checkpoint | null {
    return this.get(id).checkpoint;
  }

  /** Restarts a session from its last checkpoint, at the user's request (the crash count starts afresh). */
  async restart(id: string): Promise<{ step: number | null }> {
    const s = this.get(id);
    s.crashes.reset();
    s.deadReason = null;
    const old = s.worker;
    s.worker = null;
    this.failPending(s, new HostError('cancelled', 'The session was restarted.'));
    // Its exit is no crash: the exit handler ignores a worker the session no longer holds.
    if (old !== null) {
      await old.terminate().catch(() => undefined);
      this.live.delete(old);
    }
    this.spawn(s);
    await s.ready;
    return { step: s.checkpoint?.step ?? null };
  }

  /**
   * Stops the session's worker abruptly, as a crash would (a step that never returns, or a
   * test simulating a killed worker). The usual crash handling and restart follow.
   */
  async kill(id: string): Promise<void> {
    const s = this.get(id);
    await s.worker?.terminate();
  }

  async close(id: string): Promise<void> {
    const s = this.sessions.get(id);
    if (s === undefined) return;
    this.sessions.delete(id);
    await this.stop(s);
  }

  /** Ends the worker of `s` (a session leaving the map, or the spare) and frees its budget slot. */
  private async stop(s: Managed): Promise<void> {
    s.state = 'closed';
    this.failPending(s, new HostError('cancelled', 'The session was closed.'));
    const w = s.worker;
    s.worker = null;
    if (w !== null) {
      Atomics.store(s.control, CTRL_TRAIN, TRAIN_STOP);
      await w.terminate().catch(() => undefined);
      this.live.delete(w);
    }
    Atomics.store(this.budgetSlots, s.slot, 0n);
    this.countCheckpoints();
  }

  /** Closes every session and the spare worker, and starts no spare after (the host is shutting down). */
  async closeAll(): Promise<void> {
    this.closing = true;
    await Promise.all([...[...this.sessions.keys()].map((id) => this.close(id)), this.dropSpare()]);
  }

  private get(id: string): Managed {
    const s = this.sessions.get(id);
    if (s === undefined)
      throw new HostError('not-found', `There is no open session "${id.slice(0, 64)}"; it may have been closed.`);
    return s;
  }

  private spawn(s: Managed): void {
    s.state = 'starting';
    s.lastError = null;
    Atomics.store(s.control, CTRL_TRAIN, TRAIN_RUN);
    const entry = resolveWorkerEntry('sessionWorker');
    const init: SessionInit = {
      sessionId: s.id,
      project: s.project,
      dtype: s.dtype,
      checkpoint: s.checkpoint,
      control: s.control,
      memoryBudgetBytes: this.tensorBudgetMb * 1024 * 1024,
      processBudget: { slots: this.budgetSlots, slot: s.slot, limitBytes: this.processBudgetMb * 1024 * 1024 },
      poolWorkers: this.poolWorkers,
    };
    const worker = new Worker(entry.spec, {
      ...baseWorkerOptions(entry),
      workerData: init,
      name: s.project === null ? 'session-spare' : `session-${s.id.slice(0, 8)}`,
      // NOTE: the young generation is V8's default, as in the CLI's process: with it set to 64 MB
      // the digits MLP's training ran twice as many full collections and spent ~6% more CPU.
      resourceLimits: { maxOldGenerationSizeMb: this.heapLimitMb },
    });
    s.worker = worker;
    this.live.add(worker);
    worker.once('exit', () => this.live.delete(worker));
    s.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (msg: FromWorker): void => {
        if (msg.type === 'ready') {
          s.state = 'ready';
          s.info = msg.info;
          s.wasmKernels = msg.wasmKernels;
          resolve();
        } else if (msg.type === 'init-failed') {
          reject(new HostError(msg.error.code, msg.error.message, msg.error.where));
        } else {
          this.onMessage(s, msg);
        }
      };
      worker.on('message', onMessage);
      worker.on('error', (err) => {
        s.lastError = err;
        if (s.state === 'starting') reject(new HostError('failed', describeCrash(err, null, this.heapLimitMb)));
      });
      worker.once('exit', (code) => {
        if (s.worker !== worker) return;
        if (s.state === 'starting') reject(new HostError('failed', describeCrash(s.lastError, code, this.heapLimitMb)));
        this.onCrash(s, code);
      });
    });
    // A failed start is reported to whoever awaits `ready`; never an unhandled rejection.
    s.ready.catch(() => undefined);
  }

  private onMessage(s: Managed, msg: FromWorker): void {
    if (msg.type === 'result') {
      const p = s.pending.get(msg.id);
      if (p === undefined) return;
      s.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(toHostError(msg.error));
    } else if (msg.type === 'events') {
      for (const { event, payload } of msg.events) {
        if (event === 'training.state') {
          const state = (payload as { state?: string }).state;
          s.training = state === 'running' || state === 'paused';
        }
        this.emit(event, payload);
      }
    } else if (msg.type === 'checkpoint') {
      s.checkpoint = msg.checkpoint;
      this.countCheckpoints();
    }
  }

  private onCrash(s: Managed, code: number): void {
    if (s.state === 'closed') return;
    if (s.project === null) {
      // A spare (waiting, or being handed a project) has nothing to restart: it is dropped.
      if (this.spare === s) this.spare = null;
      s.state = 'closed';
      s.worker = null;
      Atomics.store(this.budgetSlots, s.slot, 0n);
      this.failPending(s, new HostError('unavailable', describeCrash(s.lastError, code, this.heapLimitMb)));
      return;
    }
    const wasStarting = s.state === 'starting';
    s.state = 'crashed';
    s.worker = null;
    Atomics.store(this.budgetSlots, s.slot, 0n);
    s.training = false;
    const reason = describeCrash(s.lastError, code, this.heapLimitMb);
    const outOfMemory = isOutOfMemory(s.lastError);
    this.failPending(s, new HostError('unavailable', reason));
    const now = Date.now();
    const crashes = s.crashes.record(now);
    const restarting = !wasStarting && s.crashes.shouldRestart(now);
    if (!restarting) {
      s.deadReason =
        `${reason} The session crashed ${crashes} time(s) in ${CRASH_WINDOW_MS / 60_000} minutes, so it is not restarted ` +
        `automatically any more (the limit is ${MAX_CRASHES}); restart it yourself after changing the graph or the batch size.`;
    }
    this.emit('session.crashed', {
      sessionId: s.id,
      reason,
      outOfMemory,
      restarting,
      crashesInWindow: crashes,
      message: restarting ? `${reason} Restarting it from the last checkpoint.` : (s.deadReason ?? reason),
    });
    if (restarting) {
      this.spawn(s);
      s.ready.then(
        () => this.emit('session.restarted', { sessionId: s.id, step: s.checkpoint?.step ?? null }),
        () => undefined,
      );
    }
  }

  private failPending(s: Managed, err: HostError): void {
    for (const p of s.pending.values()) p.reject(err);
    s.pending.clear();
  }

  private readonly warned = new Set<string>();

  /** An event the contract refuses is dropped (once reported on stderr) rather than crash the host. */
  private emit(event: string, payload: unknown): void {
    try {
      this.options.emit(event, payload);
    } catch (err) {
      if (!this.warned.has(event)) {
        this.warned.add(event);
        console.warn(
          `Backprop Studio: dropped a "${event}" event that does not match the API contract: ${(err as Error).message.slice(0, 500)}`,
        );
      }
    }
  }
}

function toHostError(e: WorkerError): HostError {
  return new HostError(e.code, e.message, e.where);
}
