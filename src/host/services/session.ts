// The session and training services: thin forwarding to the session's worker thread. The thread
// serving the API never runs a kernel; it only passes messages and shared-memory commands.
import type { Handlers } from '../host';
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

export function sessionHandlers(sessions: SessionManager): Pick<Handlers, SessionChannels> {
  /** Forwards a request (minus the session id) to the worker command of the same meaning. */
  const forward =
    (command: string) =>
    async ({ sessionId, ...rest }: { sessionId: string }): Promise<Any> =>
      (await sessions.call(sessionId, command, rest)) as Any;
  return {
    'session.create': async ({ project }) => {
      // Checked here first so that a bad document costs no thread.
      const { project: p } = requireProject(project);
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
    'training.start': forward('trainStart'),
    'training.pause': async ({ sessionId }) => (sessions.control(sessionId, 'pause'), { acknowledged: true as const }),
    'training.resume': async ({ sessionId }) => (sessions.control(sessionId, 'run'), { acknowledged: true as const }),
    'training.stop': async ({ sessionId }) => (sessions.control(sessionId, 'stop'), { acknowledged: true as const }),
    'training.status': forward('trainStatus'),
  };
}
