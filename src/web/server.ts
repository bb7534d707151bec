import { timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Host } from '../host/host';
import { MAX_WIRE_MESSAGE_BYTES, rpcError, wireInvokeSchema, type WireFromHost } from '../shared/rpc';
import { CONTENT_SECURITY_POLICY } from '../shared/security';

export interface WebServerOptions {
  readonly host: Host;
  /** The built renderer (index.html and its assets). */
  readonly rendererDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly token: string;
}

export interface WebServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

/** Events wait in a socket's buffer up to this size; past it they are dropped, never queued without bound. */
const MAX_BUFFERED_EVENT_BYTES = 8 * 1024 * 1024;

/**
 * Browser mode: serves the built renderer and the same Host as Electron's IPC over a WebSocket,
 * on 127.0.0.1 only. The socket needs the per-launch token and the app's own Origin, so neither
 * another local user's page nor a web site the user visits can drive the host.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { host, token } = options;
  const rendererDir = path.resolve(options.rendererDir);
  const expectedToken = Buffer.from(token);
  let origin = '';

  const server = createServer((req, res) => {
    serveStatic(rendererDir, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_WIRE_MESSAGE_BYTES });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    const tokenOk = given.length === expectedToken.length && timingSafeEqual(given, expectedToken);
    const originOk = req.headers.origin === origin || req.headers.origin === origin.replace('127.0.0.1', 'localhost');
    if (url.pathname !== '/api' || !tokenOk || !originOk) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });

  let nextClient = 1;
  sockets.on('connection', (ws: WebSocket) => {
    const clientId = `socket:${nextClient++}`;
    ws.on('message', (data, isBinary) => {
      void handleMessage(ws, clientId, isBinary ? null : data.toString());
    });
    ws.on('error', () => ws.terminate());
  });

  async function handleMessage(ws: WebSocket, clientId: string, text: string | null): Promise<void> {
    let raw: unknown;
    try {
      raw = text === null ? undefined : JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const parsed = wireInvokeSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown } | undefined)?.id === 'number' ? (raw as { id: number }).id : -1;
      send(ws, {
        type: 'result',
        id: Number.isSafeInteger(id) ? id : -1,
        result: { ok: false, error: rpcError('invalid-request', 'The message is not a well-formed API call.') },
      });
      return;
    }
    const { id, channel, payload } = parsed.data;
    const result = await host.invoke(channel, payload, { transport: 'websocket', clientId });
    send(ws, { type: 'result', id, result });
  }

  const unsubscribe = host.onEvent((event, payload) => {
    for (const ws of sockets.clients) {
      if (ws.readyState === ws.OPEN && ws.bufferedAmount < MAX_BUFFERED_EVENT_BYTES)
        send(ws, { type: 'event', event, payload });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    port,
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    close: async () => {
      unsubscribe();
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(ws: WebSocket, message: WireFromHost): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const file = path.resolve(root, '.' + (relative.endsWith('/') ? relative + 'index.html' : relative));
  // Refuse anything outside the renderer folder (`..`, encoded or not).
  if (file !== root && !file.startsWith(root + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  res.writeHead(200, {
    'Content-Type': contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
