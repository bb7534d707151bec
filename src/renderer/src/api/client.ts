import { apiEvents, apiMethods } from '../../../shared/api/contract';
import type { Channel, EventName, EventPayload, Request, Response } from '../../../shared/api/contract';
import type { RpcError } from '../../../shared/rpc';
import type { ConnectionStatus, Transport } from './transport';

/** A failed API call, carrying the host's typed error. */
export class ApiError extends Error {
  readonly code: RpcError['code'];
  readonly where: string | undefined;
  constructor(error: RpcError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.where = error.where;
  }
}

/** The typed API of the host, as the renderer sees it. Every response is validated on arrival. */
export interface ApiClient {
  readonly kind: Transport['kind'];
  invoke<C extends Channel>(channel: C, req: Request<C>): Promise<Response<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  /** Whether the host's contract knows this channel (services land over time). */
  has(channel: string): channel is Channel;
}

export function createApiClient(transport: Transport): ApiClient {
  return {
    kind: transport.kind,
    async invoke(channel, req) {
      const spec = apiMethods[channel];
      const result = await transport.invoke(channel, req);
      if (!result.ok) throw new ApiError(result.error);
      const parsed = spec.response.safeParse(result.value);
      if (!parsed.success) {
        throw new ApiError({
          code: 'invalid-response',
          message: `The host's answer to "${channel}" did not match the contract.`,
        });
      }
      return parsed.data as Response<typeof channel>;
    },
    on(event, listener) {
      const schema = apiEvents[event];
      return transport.subscribe(event, (payload) => {
        const parsed = schema.safeParse(payload);
        if (parsed.success) listener(parsed.data as EventPayload<typeof event>);
      });
    },
    onStatus: (listener) => transport.onStatus(listener),
    has: (channel): channel is Channel => Object.hasOwn(apiMethods, channel),
  };
}
