// The session and training services: thin forwarding to the session's worker thread. The thread
// serving the API never runs a kernel; it only passes messages and shared-memory commands.
import { promises as fsp } from 'node:fs';
import { MAX_CSV_BYTES } from '../data/datasetFiles';
import { HostError } from '../errors';
import type { FileAccess } from '../files/fileAccess';
import { describeFsError, notReadableReason } from '../files/readBounded';
import type { CallContext, Handlers } from '../host';
import type { SessionManager } from '../sessions/sessionManager';
import { requireProject } from './projects';

export type SessionChannels =
  | 'session.create'
  | 'session.close'
  | 'session.restart'
  | 'session.loadBatch'
  | 'session.stepForward'
  | 'session.stepBackward'
  | 'session.runForward'
  | 'session.runBackward'
  | 'session.applyUpdate'
  | 'session.reset'
  | 'session.edgeSummary'
  | 'session.parameterSummary'
  | 'session.fullTensor'
  | 'session.gradCheck'
  | 'session.decisionBoundary'
  | 'session.confusionMatrix'
  | 'session.weights'
  | 'training.start'
  | 'training.pause'
  | 'training.resume'
  | 'training.stop'
  | 'training.status';

type Any = never;

/**
 * A CSV data set named by a project or new training settings, checked before any worker reads it:
 * the client may read it (files/fileAccess.ts: the data folder only), and it is a regular file
 * under the cap (not missing, a device, a FIFO or too large), so the session never hangs on it.
 */
async function checkDataset(dataset: unknown, access: FileAccess, ctx: CallContext): Promise<void> {
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

export function sessionHandlers(sessions: SessionManager, access: FileAccess): Pick<Handlers, SessionChannels> {
  /** Forwards a request (minus the session id) to the worker command of the same meaning. */
  const forward =
    (command: string) =>
    async ({ sessionId, ...rest }: { sessionId: string }): Promise<Any> =>
      (await sessions.call(sessionId, command, rest)) as Any;
  return {
    'session.create': async ({ project }, ctx) => {
      // Checked here first so that a bad document or an unreadable data set costs no thread.
      const { project: p } = requireProject(project);
      await checkDataset(p.training.dataset, access, ctx);
      const sessionId = await sessions.create(p);
      try {
        const info = (await sessions.call(sessionId, 'describe')) as Record<string, unknown>;
        return { sessionId, ...info } as Any;
      } catch (err) {
        await sessions.close(sessionId);
        throw err;
      }
    },
    'session.close': async ({ sessionId }) => {
      await sessions.close(sessionId);
      return {};
    },
    'session.restart': async ({ sessionId }) => sessions.restart(sessionId),
    'session.loadBatch': forward('loadBatch'),
    'session.stepForward': forward('stepForward'),
    'session.stepBackward': forward('stepBackward'),
    'session.runForward': forward('runForward'),
    'session.runBackward': forward('runBackward'),
    'session.applyUpdate': forward('applyUpdate'),
    'session.reset': forward('reset'),
    'session.edgeSummary': forward('edgeSummary'),
    'session.parameterSummary': forward('parameterSummary'),
    'session.fullTensor': forward('fullTensor'),
    'session.gradCheck': forward('gradCheck'),
    'session.decisionBoundary': forward('decisionBoundary'),
    'session.confusionMatrix': forward('confusionMatrix'),
    'session.weights': forward('weights'),
    'training.start': async (req, ctx) => {
      await checkDataset((req.training as { dataset?: unknown } | undefined)?.dataset, access, ctx);
      return forward('trainStart')(req);
    },
    'training.pause': async ({ sessionId }) => (sessions.control(sessionId, 'pause'), { acknowledged: true as const }),
    'training.resume': async ({ sessionId }) => (sessions.control(sessionId, 'run'), { acknowledged: true as const }),
    'training.stop': async ({ sessionId }) => (sessions.control(sessionId, 'stop'), { acknowledged: true as const }),
    'training.status': forward('trainStatus'),
  };
}
