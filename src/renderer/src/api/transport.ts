import { rpcResultSchema, wireFromHostSchema } from '../../../shared/rpc';
import type { RpcResult } from '../../../shared/rpc';

/** How the renderer reaches the host: the preload bridge in Electron, a WebSocket in browser mode. */
export interface Transport {
  readonly kind: 'electron' | 'browser';
  invoke(channel: string, payload: unknown): Promise<RpcResult<unknown>>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
  /** Reports connection changes; called at once with the current state. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected';

/** What the preload exposes on `window.backprop` (contextBridge). */
interface PreloadBridge {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

function bridge(): PreloadBridge | undefined {
  const candidate = (window as unknown as { backprop?: PreloadBridge }).backprop;
  return candidate && typeof candidate.invoke === 'function' ? candidate : undefined;
}

function asResult(raw: unknown): RpcResult<unknown> {
  const parsed = rpcResultSchema.safeParse(raw);
  if (parsed.success) return parsed.data as RpcResult<unknown>;
  return { ok: false, error: { code: 'invalid-response', message: 'The host sent a reply the app could not read.' } };
}

function ipcTransport(api: PreloadBridge): Transport {
  return {
    kind: 'electron',
    async invoke(channel, payload) {
      try {
        return asResult(await api.invoke(channel, payload));
      } catch (err) {
        return { ok: false, error: { code: 'unavailable', message: `The host did not answer: ${String(err)}` } };
      }
    },
    subscribe: (event, listener) => api.subscribe(event, listener),
    onStatus(listener) {
      listener('connected');
      return () => {};
    },
  };
}

/**
 * Browser mode: one WebSocket to the web host, reconnecting with back-off. Calls made while the
 * socket is down wait for it (up to `timeoutMs`) and then fail with a typed error.
 */
function webSocketTransport(url: string, timeoutMs = 30_000): Transport {
  let socket: WebSocket | undefined;
  let status: ConnectionStatus = 'connecting';
  let nextId = 1;
  let retryMs = 250;
  const pending = new Map<number, { resolve: (r: RpcResult<unknown>) => void; timer: ReturnType<typeof setTimeout> }>();
  const queue: string[] = [];
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();

  const setStatus = (s: ConnectionStatus): void => {
    status = s;
    statusListeners.forEach((l) => l(s));
  };

  const connect = (): void => {
    setStatus('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      setStatus('connected');
      for (const msg of queue.splice(0)) ws.send(msg);
    };
    ws.onmessage = (ev) => {
      let data: unknown;
      try {
        data = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      const parsed = wireFromHostSchema.safeParse(data);
      if (!parsed.success) return;
      const msg = parsed.data;
      if (msg.type === 'result') {
        const entry = pending.get(msg.id);
        if (!entry) return;
        pending.delete(msg.id);
        clearTimeout(entry.timer);
        entry.resolve(msg.result as RpcResult<unknown>);
      } else {
        eventListeners.get(msg.event)?.forEach((l) => l(msg.payload));
      }
    };
    ws.onclose = () => {
      socket = undefined;
      setStatus('disconnected');
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  return {
    kind: 'browser',
    invoke(channel, payload) {
      return new Promise((resolve) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({
            ok: false,
            error: { code: 'unavailable', message: `The host did not answer "${channel}" in time.` },
          });
        }, timeoutMs);
        pending.set(id, { resolve, timer });
        const msg = JSON.stringify({ type: 'invoke', id, channel, payload });
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(msg);
        else queue.push(msg);
      });
    },
    subscribe(event, listener) {
      let set = eventListeners.get(event);
      if (!set) eventListeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      listener(status);
      return () => statusListeners.delete(listener);
    },
  };
}

/** Picks the transport for this window: the preload bridge if present, else the web host's socket. */
export function createTransport(): Transport {
  const api = bridge();
  if (api) return ipcTransport(api);
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return webSocketTransport(`${scheme}://${location.host}/api?token=${encodeURIComponent(token)}`);
}
