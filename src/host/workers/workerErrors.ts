import type { WorkerError } from './sessionProtocol';
import { ProjectCompileError } from '../../engine/runtime/compile';
import { TensorMemoryError } from './sharedAllocator';

/** An expected failure inside a session worker, with the API error code it maps to. */
export class SessionError extends Error {
  constructor(
    readonly code: WorkerError['code'],
    message: string,
    readonly where?: string,
  ) {
    super(message);
    this.name = 'SessionError';
  }
}

/** Turns anything thrown in a session worker into the error the API returns. */
export function toWorkerError(err: unknown): WorkerError {
  if (err instanceof SessionError)
    return err.where === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, where: err.where };
  if (err instanceof ProjectCompileError)
    return err.nodeId === undefined
      ? { code: 'invalid-request', message: `The graph cannot run: ${err.message}` }
      : { code: 'invalid-request', message: `The graph cannot run: ${err.message}`, where: err.nodeId };
  if (err instanceof TensorMemoryError) return { code: 'failed', message: err.message };
  if (err instanceof RangeError && /allocation failed|Invalid typed array length|Array buffer/i.test(err.message)) {
    return {
      code: 'failed',
      message: `Out of memory: ${err.message}. Reduce the batch size (or the layer sizes) and try again.`,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'failed', message };
}
