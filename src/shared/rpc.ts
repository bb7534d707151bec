import { z } from 'zod';

/**
 * The envelope every API call returns, on every transport (IPC and WebSocket): a call never
 * rejects across a process boundary; failures come back as a typed error.
 */
export const rpcErrorCodes = [
  'unknown-channel',
  'invalid-request',
  'invalid-response',
  'unauthorized',
  'not-found',
  'conflict',
  'busy',
  'unavailable',
  'cancelled',
  'failed',
] as const;

export type RpcErrorCode = (typeof rpcErrorCodes)[number];

export const rpcErrorSchema = z.object({
  code: z.enum(rpcErrorCodes),
  message: z.string(),
  /** Where the fault is, when it has a place: a node id, a field path, a line number. */
  where: z.string().optional(),
});
export type RpcError = z.infer<typeof rpcErrorSchema>;

export type RpcResult<T> = { ok: true; value: T } | { ok: false; error: RpcError };

export const rpcResultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: rpcErrorSchema }),
]);

/** Largest WebSocket message the web host accepts, in bytes (a project with weights fits). */
export const MAX_WIRE_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Browser → host, over the WebSocket of browser mode. */
export const wireInvokeSchema = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  channel: z.string().max(200),
  payload: z.unknown(),
});
export type WireInvoke = z.infer<typeof wireInvokeSchema>;

/** Host → browser. */
export const wireFromHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int(), result: rpcResultSchema }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type WireFromHost = z.infer<typeof wireFromHostSchema>;

/** The IPC channel an event is sent on, kept apart from the invoke channels. */
export function eventChannel(event: string): string {
  return `event:${event}`;
}

export function rpcError(code: RpcErrorCode, message: string, where?: string): RpcError {
  return where === undefined ? { code, message } : { code, message, where };
}
