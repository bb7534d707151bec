// The session and training services: thin forwarding to the session's worker thread. The thread
// serving the API never runs a kernel; it only passes messages and shared-memory commands.
import { promises as fsp } from 'node:fs';
import { sessionChannels, type SessionChannel } from '../../shared/api/contract';
import { memoryBytes } from '../../engine/graph/memory';
import { validateGraph } from '../../engine/graph/validate';
import { MAX_CSV_BYTES } from '../data/datasetFiles';
import { HostError } from '../errors';
import type { FileAccess } from '../files/fileAccess';
import { describeFsError, notReadableReason } from '../files/readBounded';
import type { CallContext, Handler, Handlers } from '../host';
import type { SessionManager } from '../sessions/sessionManager';
import { isWorkerChannel, type WorkerChannel, type WorkerHandlers } from '../workers/sessionProtocol';
import { requireProject } from './projects';

/**
 * A CSV data set named by a project or new training settings, checked before any worker reads it:
 * the client may read it (files/fileAccess.ts: the data folder only), and it is a regular file
 * under the cap (not missing, a device, a FIFO or too large), so the session never hangs on it.
 */
export async function checkDataset(dataset: unknown, access: FileAccess, ctx: CallContext): Promise<void> {
  if (dataset === null || typeof dataset !== 'object') return;
  const { name, params } = dataset as { name?: unknown; params?: unknown };
  const file = params !== null && typeof params === 'object' ? (params as { path?: unknown }).path : undefined;
  if (name !== 'csv' || typeof file !== 'string' || file === '') return;
  const abs = await access.check(file, 'data', ctx);
  const why = await fsp.stat(abs).then(
    (st) => notReadableReason(st, MAX_CSV_BYTES),
    (err: unknown) => describeFsError(err),
  );
  if (why !== null) throw new HostError('invalid-request', `Cannot read the CSV data set "${file}": ${why}.`);
}

export function sessionHandlers(sessions: SessionManager, access: FileAccess): Pick<Handlers, SessionChannel> {
  // The worker answers every other session channel under its own name, with the request as parsed here.
  const forward = <C extends WorkerChannel>(channel: C): Handler<C> =>
    ((req: { sessionId: string }) => sessions.call(req.sessionId, channel, req as never)) as Handler<C>;
  const forwarded = Object.fromEntries(
    sessionChannels.filter(isWorkerChannel).map((channel) => [channel, forward(channel)]),
  ) as WorkerHandlers;
  return {
    ...forwarded,
    'session.create': async ({ project, dtype, reuse }, ctx) => {
      // Loaded here, once: a bad document or an unreadable data set costs no thread, and the
      // worker compiles what was loaded.
      const { project: p } = requireProject(project);
      await checkDataset(p.training.dataset, access, ctx);
      // Memory at the training batch size, refused before a worker allocates it; the manager
      // holds the estimate against the per-session and the process budget.
      const batchSize = p.training.batchSize;
      const analysis = validateGraph(p.graph, undefined, { batchSize });
      const tooLarge = analysis.issues.find((i) => i.code === 'too-large');
      if (tooLarge !== undefined) throw new HostError('invalid-request', tooLarge.message);
      // float64 tensors take twice the bytes of the estimate's float32 ones.
      const bytes = memoryBytes(analysis.size, batchSize) * (dtype === 'float64' ? 2 : 1);
      const sessionId = await sessions.create(p, bytes, dtype ?? 'float32', reuse);
      return { sessionId, ...sessions.info(sessionId) };
    },
    'training.start': async (req, ctx) => {
      await checkDataset(req.training?.dataset, access, ctx);
      return forwarded['training.start'](req, ctx);
    },
    'session.close': async ({ sessionId }) => {
      await sessions.close(sessionId);
      return {};
    },
    'session.restart': async ({ sessionId }) => sessions.restart(sessionId),
    'training.pause': async ({ sessionId }) => (sessions.control(sessionId, 'pause'), { acknowledged: true as const }),
    'training.resume': async ({ sessionId }) => (sessions.control(sessionId, 'run'), { acknowledged: true as const }),
    'training.stop': async ({ sessionId }) => (sessions.control(sessionId, 'stop'), { acknowledged: true as const }),
  };
}
