// Entry of a session worker thread: the engine of one step session (and its training loop)
// runs here, never on the thread that serves the API.
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { setAllocator, getAllocator } from '../../engine/tensor/allocator';
import { setKernelPool } from '../../engine/parallel/kernelPool';
import { NodeKernelPool } from './nodeKernelPool';
import { SharedPoolAllocator } from './sharedAllocator';
import { toWorkerError } from './workerErrors';
import { createSessionRuntime } from './sessionRuntime';
import type { Checkpoint, DiagnosticCall, FromWorker, Recompile, SessionInit, ToWorker } from './sessionProtocol';
import type { SessionInfo } from '../../shared/api/session';
import { SessionError } from './workerErrors';
import type { CallContext } from '../host';
import { registerEngine } from '../../engine/register';
import { warmWasmKernels } from '../../engine/kernels/wasm/warm';
import { setCustomCodeHost } from '../../engine/runtime/customCode';
import { createCustomSandbox, CUSTOM_TIMEOUT_MS, esbuildTranspile } from './customSandbox';

const init = workerData as SessionInit;
/** The host parsed the request and knows the caller; the worker answers whoever the host forwards. */
const workerContext: CallContext = { transport: 'direct', clientId: 'session-worker' };
const port = parentPort;
if (port === null) throw new Error('sessionWorker.ts runs as a worker thread only.');

function post(msg: FromWorker): void {
  port!.postMessage(msg);
}

async function main(): Promise<void> {
  registerEngine();
  // Custom nodes' code runs here, and only here, in its sandbox.
  setCustomCodeHost(createCustomSandbox({ timeoutMs: CUSTOM_TIMEOUT_MS, transpile: esbuildTranspile }));
  // Tensors on shared memory with a budget: the kernel pool needs no copies, and a batch too
  // big for memory is refused with a clear message instead of aborting the process.
  setAllocator(new SharedPoolAllocator(init.memoryBudgetBytes, undefined, init.processBudget));
  let pool: NodeKernelPool | null = null;
  if (init.poolWorkers > 0) {
    // Started in the background: kernels run inline until the pool is up, so the session is
    // ready without waiting for its kernel threads to boot.
    NodeKernelPool.create({ workers: init.poolWorkers }).then(
      (p) => {
        pool = p;
        setKernelPool(p);
      },
      () => undefined,
    );
  }
  const sink = {
    emit: (events: readonly { event: string; payload: unknown }[]) => post({ type: 'events', events }),
    checkpoint: (checkpoint: Checkpoint) => post({ type: 'checkpoint', checkpoint }),
  };
  // The host's spare worker has no project yet: it waits, its kernels compiled, for a `recompile`.
  const project = init.project;
  let runtime = project === null ? null : createSessionRuntime({ ...init, project }, sink);
  // Compiled now rather than at the first step (a spare compiles them while it waits).
  const wasmKernels = warmWasmKernels();
  /** Calls answered asynchronously and not finished yet (a Verify, a training start). */
  let inFlight = 0;
  type Handler = (req: unknown, ctx: CallContext) => Promise<unknown>;
  let handlers = (runtime?.handlers ?? {}) as Record<string, Handler>;
  // Another project in place of this one, on the same thread (and kernel pool): a new session
  // for the renderer without the seconds a new thread takes to start.
  const recompile = (next: Recompile): SessionInfo => {
    if (runtime?.trainer.active || inFlight > 0)
      throw new SessionError('busy', 'The session is busy; it cannot take another project now.');
    const fresh = createSessionRuntime({ ...init, ...next, checkpoint: null }, sink);
    runtime?.dispose();
    runtime = fresh;
    handlers = fresh.handlers as typeof handlers;
    return fresh.info;
  };
  const diagnostics: Record<DiagnosticCall, () => unknown> = {
    ping: () => ({ threadId, poolThreads: (pool as NodeKernelPool | null)?.threads ?? 1 }),
    memory: () => ({ tensors: getAllocator().stats(), heapUsed: process.memoryUsage().heapUsed }),
  };
  port!.on('message', (msg: ToWorker) => {
    if (msg?.type === 'recompile') {
      try {
        post({ type: 'result', id: msg.id, ok: true, value: recompile(msg.init) });
      } catch (err) {
        post({ type: 'result', id: msg.id, ok: false, error: toWorkerError(err) });
      }
      return;
    }
    if (msg?.type !== 'call') return;
    const { channel } = msg;
    const fn = Object.hasOwn(diagnostics, channel)
      ? diagnostics[channel as DiagnosticCall]
      : Object.hasOwn(handlers, channel)
        ? (req: unknown) => handlers[channel](req, workerContext)
        : undefined;
    if (fn === undefined) {
      post({
        type: 'result',
        id: msg.id,
        ok: false,
        error: { code: 'unknown-channel', message: `The session does not answer "${String(channel)}".` },
      });
      return;
    }
    inFlight++;
    Promise.resolve()
      .then(() => fn(msg.request))
      .finally(() => inFlight--)
      .then(
        (value) => post({ type: 'result', id: msg.id, ok: true, value }),
        (err: unknown) => post({ type: 'result', id: msg.id, ok: false, error: toWorkerError(err) }),
      );
  });
  post({ type: 'ready', info: runtime?.info ?? null, wasmKernels });
}

main().catch((err: unknown) => post({ type: 'init-failed', error: toWorkerError(err) }));
