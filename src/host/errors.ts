import type { RpcErrorCode } from '../shared/rpc';

/**
 * An expected failure a handler reports to the caller: it becomes `{ ok: false, error }` with
 * this code and message. Anything else a handler throws is reported as `failed`.
 */
export class HostError extends Error {
  constructor(
    readonly code: RpcErrorCode,
    message: string,
    readonly where?: string,
  ) {
    super(message);
    this.name = 'HostError';
  }
}
