/**
 * The page's link to one session (docs/protocol.md): a WebSocket that delivers a snapshot then
 * deltas, answers to commands matched by id, resync on a gap, reconnection with backoff; and
 * the few REST calls the WebSocket does not carry (scenarios, new sessions).
 */
import {
  applyDelta,
  type ClientMessage,
  CloseCode,
  type CreateSessionBody,
  type HelloMessage,
  type Playback,
  type ResultMessage,
  type ScenarioSummary,
  type ServerMessage,
  type SessionCreated,
  type StreamState,
} from '@eks-sim/protocol/client';

export type { ClientMessage, Playback, ResultMessage, ScenarioSummary, StreamState };

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'closed' | 'refused';

export interface ConnectionHandlers {
  readonly onHello?: (hello: HelloMessage) => void;
  readonly onState?: (state: StreamState, seq: number) => void;
  readonly onStatus?: (status: ConnectionStatus, detail: string) => void;
  /** The presenter leads the class to a zoom target, or stops (`null`). */
  readonly onFocus?: (target: string | null) => void;
}

type Pending = { resolve: (result: ResultMessage) => void; timer: ReturnType<typeof setTimeout> };

export class Connection {
  private socket: WebSocket | null = null;
  private held: { seq: number; state: StreamState } | null = null;
  private awaitingSnapshot = true;
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private retryMs = 500;
  private stopped = false;
  role: 'control' | 'viewer' | null = null;
  commandTypes: readonly string[] = [];

  constructor(
    private readonly url: string,
    private readonly handlers: ConnectionHandlers,
  ) {}

  get state(): StreamState | null {
    return this.held?.state ?? null;
  }

  open(): void {
    this.stopped = false;
    this.handlers.onStatus?.(this.held ? 'reconnecting' : 'connecting', this.url.replace(/token=[^&]*/, 'token=…'));
    const socket = new WebSocket(this.url);
    this.socket = socket;
    this.awaitingSnapshot = true;
    socket.addEventListener('message', (event) => this.receive(String(event.data)));
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      for (const [id, pending] of this.pending) {
        clearTimeout(pending.timer);
        pending.resolve({ type: 'result', id, ok: false, error: 'Disconnected', message: 'the connection closed' });
      }
      this.pending.clear();
      if (this.stopped) return this.handlers.onStatus?.('closed', 'closed');
      // The session is gone (4404); a refused upgrade (bad token, wrong origin) closes before hello.
      if (event.code === CloseCode.SessionGone || (this.role === null && event.code === 1006 && !this.held)) {
        const why =
          event.code === CloseCode.SessionGone
            ? 'the session was deleted'
            : /[?&]token=/.test(this.url)
              ? 'the server refused the connection: is the control token right? (open the page without ?token= to watch)'
              : 'the server refused the connection (unknown session, or this page is not one of its origins)';
        this.handlers.onStatus?.('refused', why);
        if (event.code === CloseCode.SessionGone) return;
      } else {
        this.handlers.onStatus?.('reconnecting', `connection lost (${event.code}); retrying`);
      }
      setTimeout(() => {
        if (!this.stopped) this.open();
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 8000);
    });
  }

  close(): void {
    this.stopped = true;
    this.socket?.close();
  }

  private receive(text: string): void {
    let message: ServerMessage;
    try {
      message = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'hello':
        this.role = message.role;
        this.commandTypes = message.commands;
        this.retryMs = 500;
        this.handlers.onHello?.(message);
        this.handlers.onStatus?.('live', message.role);
        break;
      case 'snapshot':
        this.held = { seq: message.seq, state: message.state };
        this.awaitingSnapshot = false;
        this.handlers.onState?.(message.state, message.seq);
        break;
      case 'delta': {
        if (this.awaitingSnapshot || !this.held) return;
        const next = applyDelta(this.held, message);
        if (!next) {
          this.awaitingSnapshot = true;
          this.sendRaw({ type: 'resync' });
          return;
        }
        this.held = next;
        this.handlers.onState?.(next.state, next.seq);
        break;
      }
      case 'result': {
        const pending = message.id ? this.pending.get(message.id) : undefined;
        if (pending && message.id) {
          clearTimeout(pending.timer);
          this.pending.delete(message.id);
          pending.resolve(message);
        }
        break;
      }
      case 'error': {
        const pending = message.id ? this.pending.get(message.id) : undefined;
        if (pending && message.id) {
          clearTimeout(pending.timer);
          this.pending.delete(message.id);
          pending.resolve({
            type: 'result',
            id: message.id,
            ok: false,
            error: message.error,
            message: message.message,
          });
        }
        break;
      }
      case 'focus':
        this.handlers.onFocus?.(message.target);
        break;
      case 'gone':
        this.stopped = true;
        this.handlers.onStatus?.('refused', `session ${message.sessionId} was deleted`);
        break;
    }
  }

  private sendRaw(message: ClientMessage): boolean {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Sends a control message and resolves with the server's answer (never rejects). */
  request(message: Exclude<ClientMessage, { type: 'resync' }>, timeoutMs = 15_000): Promise<ResultMessage> {
    const id = `m${this.nextId++}`;
    return new Promise((resolve) => {
      if (!this.sendRaw({ ...message, id })) {
        resolve({ type: 'result', id, ok: false, error: 'Disconnected', message: 'not connected to the server' });
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ type: 'result', id, ok: false, error: 'Timeout', message: 'the server did not answer in time' });
      }, timeoutMs);
      this.pending.set(id, { resolve, timer });
    });
  }
}

/** The WebSocket URL of a session's stream, from the page's own location. */
export function streamUrl(location: Location, sessionId: string, token: string | null): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${scheme}//${location.host}/api/sessions/${encodeURIComponent(sessionId)}/stream${query}`;
}

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => ({}))) as T & { message?: string; error?: string };
  if (!response.ok) throw new Error(body.message ?? body.error ?? `HTTP ${response.status}`);
  return body;
}

export async function fetchScenarios(): Promise<ScenarioSummary[]> {
  return json<ScenarioSummary[]>(await fetch('/api/scenarios'));
}

export async function createSession(scenario: string, seed: number | null): Promise<SessionCreated> {
  const body: CreateSessionBody = seed === null ? { scenario } : { scenario, seed };
  return json<SessionCreated>(
    await fetch('/api/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}
