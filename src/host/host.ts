import type { z } from 'zod';
import {
  apiEvents,
  apiMethods,
  isChannel,
  isEventName,
  type Channel,
  type EventName,
  type EventPayload,
  type ParsedRequest,
  type Response,
} from '../shared/api/contract';
import { rpcError, type RpcResult } from '../shared/rpc';
import { HostError } from './errors';

/** Who is calling: the transport fills it in; handlers may scope state by client. */
export interface CallContext {
  readonly transport: 'ipc' | 'websocket' | 'direct';
  /** Stable per connection (a webContents id, a socket), for per-client state. */
  readonly clientId: string;
}

export type Handler<C extends Channel> = (req: ParsedRequest<C>, ctx: CallContext) => Promise<Response<C>>;
export type Handlers = { [C in Channel]: Handler<C> };

export type EventListener = (event: EventName, payload: unknown) => void;

/**
 * The application behind every transport. `invoke` never throws and never rejects: an unknown
 * channel, a malformed request, a handler failure and a malformed response all come back as a
 * typed error, so a hostile or buggy client cannot take the host down.
 */
export class Host {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly handlers: Handlers) {}

  async invoke(channel: unknown, payload: unknown, ctx: CallContext): Promise<RpcResult<unknown>> {
    if (!isChannel(channel)) {
      return { ok: false, error: rpcError('unknown-channel', `There is no API method named ${describe(channel)}.`) };
    }
    const spec = apiMethods[channel];
    const parsed = spec.request.safeParse(payload);
    if (!parsed.success) {
      return { ok: false, error: rpcError('invalid-request', summarizeIssues(channel, parsed.error)) };
    }
    let value: unknown;
    try {
      const handler = this.handlers[channel] as (req: unknown, ctx: CallContext) => Promise<unknown>;
      value = await handler(parsed.data, ctx);
    } catch (error) {
      if (error instanceof HostError) return { ok: false, error: rpcError(error.code, error.message, error.where) };
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: rpcError('failed', `${channel} failed: ${message}`) };
    }
    const checked = spec.response.safeParse(value);
    if (!checked.success) {
      return { ok: false, error: rpcError('invalid-response', summarizeIssues(channel, checked.error)) };
    }
    return { ok: true, value: checked.data };
  }

  /**
   * Sends an event to every bound transport; the payload is checked against its schema first.
   * An event that fails its schema (a bug in the host, or a worker's malformed message) is
   * dropped and reported, never thrown: emit runs inside worker and timer callbacks, where a
   * throw would take the whole process down.
   */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const result = isEventName(event) ? apiEvents[event].safeParse(payload) : null;
    if (!result?.success) {
      console.error(`Backprop Studio dropped a malformed ${String(event)} event.`);
      return;
    }
    const checked = result.data;
    for (const listener of this.listeners) {
      try {
        listener(event, checked);
      } catch {
        // A failing transport (a closed window, a dropped socket) must not stop the others.
      }
    }
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 80));
  return `of type ${value === null ? 'null' : typeof value}`;
}

function summarizeIssues(channel: string, error: z.ZodError): string {
  const first = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(payload)';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `Invalid payload for ${channel}: ${first.join('; ')}${more}.`;
}
