// The custom-node service: runs a node's code on a dummy batch in a worker thread of its own
// (host/workers/customCodeWorker.ts), started on first use and kept; a worker that dies or stops
// answering is replaced, and the call says why.
import { Worker } from 'node:worker_threads';
import type { Handlers } from '../host';
import { HostError } from '../errors';
import { baseWorkerOptions, resolveWorkerEntry } from '../workers/workerEntry';
import type { CustomCheckReply } from '../workers/customCodeWorker';

/** A hang guard far above the sandbox's own limits (a run is stopped after 5 s). */
const GUARD_MS = 60_000;

export interface CustomNodeService {
  handlers: Pick<Handlers, 'customNode.check'>;
  close(): Promise<void>;
}

export function customNodeService(): CustomNodeService {
  let worker: Worker | null = null;
  let next = 1;
  const pending = new Map<number, { resolve: (r: CustomCheckReply) => void; reject: (e: Error) => void }>();
  const drop = (w: Worker, why: string): void => {
    if (worker !== w) return;
    worker = null;
    void w.terminate();
    for (const p of pending.values()) p.reject(new HostError('failed', why));
    pending.clear();
  };
  const start = (): Worker => {
    if (worker) return worker;
    const entry = resolveWorkerEntry('customCodeWorker');
    const w = new Worker(entry.spec, {
      ...baseWorkerOptions(entry),
      name: 'custom-code',
      resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 32 },
    });
    w.unref();
    w.on('message', (r: CustomCheckReply) => {
      const p = pending.get(r.id);
      pending.delete(r.id);
      p?.resolve(r);
    });
    w.on('error', (e) => drop(w, `The custom node's code stopped its worker: ${e.message}`));
    w.on('exit', () => drop(w, "The custom node's worker ended; try again."));
    worker = w;
    return w;
  };
  return {
    handlers: {
      'customNode.check': async (req) => {
        const w = start();
        const id = next++;
        const reply = await new Promise<CustomCheckReply>((resolve, reject) => {
          const guard = setTimeout(
            () => drop(w, "The custom node's code did not finish; its worker was stopped."),
            GUARD_MS,
          );
          pending.set(id, {
            resolve: (r) => (clearTimeout(guard), resolve(r)),
            reject: (e) => (clearTimeout(guard), reject(e)),
          });
          w.postMessage({ id, code: req.code, inputs: req.inputs });
        });
        if (reply.ok) return { ok: true, signature: reply.signature as never };
        return {
          ok: false,
          message: reply.message,
          ...(reply.line !== undefined ? { line: reply.line } : {}),
          ...(reply.column !== undefined ? { column: reply.column } : {}),
        };
      },
    },
    close: async () => {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
