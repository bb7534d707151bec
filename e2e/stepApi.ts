import type { Page } from '@playwright/test';
import WebSocket from 'ws';
import type { WebApp } from './fixtures';

/**
 * A WebSocket of the test's own to the same web host the page talks to, for reading what the
 * API returns and comparing it with what the UI shows.
 */
export class TestApi {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private readonly listeners: ((event: string, payload: unknown) => void)[] = [];
  /** Settles when the socket closes (the server closed it, or `close()`). */
  readonly closed: Promise<void>;

  private constructor(private readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as {
        type: string;
        id?: number;
        result?: { ok: boolean; value?: unknown; error?: { message: string } };
        event?: string;
        payload?: unknown;
      };
      if (msg.type === 'event' && msg.event !== undefined) for (const l of this.listeners) l(msg.event, msg.payload);
      if (msg.type !== 'result' || msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.result?.ok) p.resolve(msg.result.value);
      else p.reject(new Error(msg.result?.error?.message ?? 'the host refused the call'));
    });
  }

  static async open(app: Pick<WebApp, 'url'>): Promise<TestApi> {
    const u = new URL(app.url);
    const ws = new WebSocket(`ws://${u.host}/api?token=${u.searchParams.get('token') ?? ''}`, {
      origin: `http://${u.host}`,
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new TestApi(ws);
  }

  call<T>(channel: string, payload: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws.send(JSON.stringify({ type: 'invoke', id, channel, payload }));
    });
  }

  /** Every value of an edge's activation in a session (session.fullTensor), row-major. */
  async edgeActivation(sessionId: string, edgeId: string): Promise<number[]> {
    const r = await this.call<{ tensor: { values: number[] } }>('session.fullTensor', {
      sessionId,
      ref: { type: 'edge', edgeId, kind: 'activation' },
    });
    return r.tensor.values;
  }

  /** Calls `listener` with every event the host sends this socket from now on. */
  onEvent(listener: (event: string, payload: unknown) => void): void {
    this.listeners.push(listener);
  }

  close(): void {
    this.ws.close();
  }
}

export interface ApiSummary {
  shape: number[];
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  l2: number | null;
}

export interface ApiFull {
  shape: number[];
  values: (number | null)[];
}

/**
 * Counts the session requests (`session.*`, `training.*`) the page sends over its API socket: the
 * round trips a click costs. Attaching reloads the page so that its socket is seen from the start.
 */
export class SessionCalls {
  private readonly sent: string[] = [];

  private constructor() {}

  static async attach(page: Page): Promise<SessionCalls> {
    const calls = new SessionCalls();
    page.on('websocket', (ws) =>
      ws.on('framesent', ({ payload }) => {
        if (typeof payload !== 'string') return;
        const msg = JSON.parse(payload) as { type?: string; channel?: string };
        if (msg.type === 'invoke' && /^(session|training)\./.test(msg.channel ?? '')) calls.sent.push(msg.channel!);
      }),
    );
    await page.reload();
    return calls;
  }

  /** The session channels `action` made the page call, once React's effects after it have run too. */
  async during(page: Page, action: () => Promise<void>): Promise<string[]> {
    const from = this.sent.length;
    await action();
    // Two frames: the effects of the render that showed the answer (panels that read more) have run.
    await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
    return this.sent.slice(from);
  }
}
