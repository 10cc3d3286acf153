import type { SimEvent } from '@eks-sim/sim-core';
import type { WebSocket } from '@fastify/websocket';
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sendError, tokenMatches } from './auth';
import {
  type ClientMessage,
  CloseCode,
  clientMessageSchemas,
  type DeltaMessage,
  type ErrorMessage,
  type HelloMessage,
  PROTOCOL_VERSION,
  type Role,
  type ServerMessage,
  type SnapshotMessage,
  type StreamState,
} from './protocol';
import { RateLimiter, TokenBucket } from './rate-limit';
import type { Session } from './session';
import type { SessionStore } from './session-store';
import { clockAction } from './sessions';

export interface StreamPluginOptions {
  readonly store: SessionStore;
  /** Whether a browser page from `origin` may open a stream (the request's Host is given too). */
  readonly originAllowed: (origin: string) => boolean;
  /** Messages per second a connection may send (and the burst it may save up). */
  readonly messageRate: { perSecond: number; burst: number };
  readonly heartbeatMs: number;
  /** Hook for the plugin's owner: how many clients watch a session. */
  readonly expose?: (viewers: (sessionId: string) => number) => void;
}

/** A client whose socket has more than this unsent stops getting deltas and later gets a snapshot. */
const HIGH_WATER_BYTES = 256 * 1024;
/** …once its socket has drained below this. */
const LOW_WATER_BYTES = 16 * 1024;
/** Rejected (rate-limited) messages in a row after which the connection is closed. */
const MAX_STRIKES = 50;

interface Client {
  readonly socket: WebSocket;
  readonly role: Role;
  readonly bucket: TokenBucket;
  alive: boolean;
  /** Missed deltas (slow, or asked to resync): owes a snapshot. */
  needsSnapshot: boolean;
  strikes: number;
}

/**
 * One session's broadcast: the state last published (the baseline every client holds), its
 * sequence number, and the clients. Deltas are computed and encoded once per tick for all.
 */
class Hub {
  readonly clients = new Set<Client>();
  seq = 0;
  private baseline: StreamState | null = null;
  private baselineJson = new Map<string, string>();
  private snapshotFrame: Buffer | null = null;

  constructor(readonly session: Session) {}

  private currentState(): StreamState {
    return { ...this.session.sim.snapshot(), playback: this.session.playback };
  }

  private setBaseline(state: StreamState): void {
    this.baseline = state;
    this.snapshotFrame = null;
    this.baselineJson.clear();
    for (const [key, value] of Object.entries(state)) {
      if (key !== 'recentEvents') this.baselineJson.set(key, JSON.stringify(value));
    }
  }

  /** The baseline as a `snapshot` frame, encoded once and shared. */
  snapshot(): Buffer {
    if (!this.baseline) {
      this.seq++;
      this.setBaseline(this.currentState());
    }
    if (!this.snapshotFrame) {
      const message: SnapshotMessage = { type: 'snapshot', seq: this.seq, state: this.baseline as StreamState };
      this.snapshotFrame = Buffer.from(JSON.stringify(message));
    }
    return this.snapshotFrame;
  }

  /** Compares the session with the baseline; returns the encoded delta, or null when nothing changed. */
  diff(): { frame: Buffer; bytes: number } | null {
    if (!this.baseline) {
      this.snapshot();
      return null;
    }
    const state = this.currentState();
    const changed: Record<string, unknown> = {};
    let any = false;
    const json = new Map<string, string>();
    for (const [key, value] of Object.entries(state)) {
      if (key === 'recentEvents') continue;
      const text = JSON.stringify(value);
      json.set(key, text);
      if (this.baselineJson.get(key) !== text) {
        changed[key] = value;
        any = true;
      }
    }
    const events: SimEvent[] =
      state.lastSeq > this.baseline.lastSeq ? this.session.sim.events(this.baseline.lastSeq) : [];
    if (!any && events.length === 0) return null;
    const prevSeq = this.seq;
    this.seq++;
    this.baseline = state;
    this.baselineJson = json;
    this.snapshotFrame = null;
    const message: DeltaMessage = {
      type: 'delta',
      seq: this.seq,
      prevSeq,
      changed: changed as Partial<StreamState>,
      events,
    };
    const frame = Buffer.from(JSON.stringify(message));
    return { frame, bytes: frame.length };
  }

  forget(): void {
    this.baseline = null;
    this.baselineJson.clear();
    this.snapshotFrame = null;
  }
}

function send(socket: WebSocket, message: ServerMessage | Buffer): void {
  if (socket.readyState !== socket.OPEN) return;
  if (Buffer.isBuffer(message)) socket.send(message, { binary: false });
  else socket.send(JSON.stringify(message));
}

/** Sizes of the deltas published so far (for the bench's `deltaBytesMedian`). */
export const deltaSizes: number[] = [];

/** `GET /api/sessions/:id/stream` (issue 6 §3, docs/protocol.md). */
export const streamPlugin: FastifyPluginAsync<StreamPluginOptions> = async (app, options) => {
  const { store } = options;
  const hubs = new Map<string, Hub>();
  const ajv = new Ajv({ allErrors: false, strict: false });
  const validators = new Map<string, ValidateFunction>(
    Object.entries(clientMessageSchemas).map(([type, schema]) => [type, ajv.compile(schema)]),
  );
  const upgradeLimiter = new RateLimiter({ perSecond: 5, burst: 50 });
  options.expose?.((id) => hubs.get(id)?.clients.size ?? 0);

  store.onTick(() => {
    for (const hub of hubs.values()) publish(hub);
  });
  store.onDelete((session) => {
    const hub = hubs.get(session.id);
    if (!hub) return;
    hubs.delete(session.id);
    for (const client of hub.clients) {
      send(client.socket, { type: 'gone', sessionId: session.id });
      client.socket.close(CloseCode.SessionGone, 'session deleted');
    }
  });

  const heartbeat = setInterval(() => {
    for (const hub of hubs.values()) {
      for (const client of hub.clients) {
        if (!client.alive) {
          client.socket.terminate();
          continue;
        }
        client.alive = false;
        if (client.socket.readyState === client.socket.OPEN) client.socket.ping();
      }
    }
  }, options.heartbeatMs);
  heartbeat.unref();
  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    for (const hub of hubs.values()) for (const client of hub.clients) client.socket.terminate();
  });

  function publish(hub: Hub): void {
    if (hub.clients.size === 0) return;
    const delta = hub.diff();
    if (delta) deltaSizes.push(delta.bytes);
    for (const client of hub.clients) {
      const buffered = client.socket.bufferedAmount;
      if (buffered > HIGH_WATER_BYTES) {
        client.needsSnapshot = true;
        continue;
      }
      if (client.needsSnapshot) {
        if (buffered > LOW_WATER_BYTES) continue;
        client.needsSnapshot = false;
        send(client.socket, hub.snapshot());
      } else if (delta) {
        send(client.socket, delta.frame);
      }
    }
  }

  /** The answer to one client frame (undefined: none, the socket was closed). */
  function answer(hub: Hub, client: Client, raw: Buffer, isBinary: boolean): ServerMessage | Buffer | undefined {
    if (!client.bucket.take(Date.now())) {
      client.strikes++;
      if (client.strikes >= MAX_STRIKES) {
        client.socket.close(CloseCode.RateLimited, 'too many messages');
        return undefined;
      }
      return {
        type: 'error',
        id: null,
        error: 'RateLimited',
        message: `at most ${options.messageRate.perSecond} messages per second; this one was dropped`,
      };
    }
    client.strikes = 0;
    const bad = (message: string, id: string | null = null): ErrorMessage => ({
      type: 'error',
      id,
      error: 'BadMessage',
      message,
    });
    if (isBinary) return bad('send JSON text frames, not binary');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return bad('not valid JSON; send one JSON object per frame, e.g. {"type":"resync"}');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return bad('a message must be a JSON object with a "type"');
    }
    const type = (parsed as { type?: unknown }).type;
    const validate = typeof type === 'string' ? validators.get(type) : undefined;
    if (!validate) {
      return bad(`unknown message type ${JSON.stringify(type)} (known: ${[...validators.keys()].join(', ')})`);
    }
    const rawId = (parsed as { id?: unknown }).id;
    const id = typeof rawId === 'string' ? rawId.slice(0, 64) : null;
    if (!validate(parsed)) {
      const first = validate.errors?.[0];
      const where = first?.instancePath ? `${first.instancePath.slice(1)} ` : '';
      return bad(`${type}: ${where}${first?.message ?? 'is malformed'}`, id);
    }
    const message = parsed as ClientMessage;
    if (message.type === 'resync') return hub.snapshot();
    if (client.role !== 'control') {
      return {
        type: 'result',
        id,
        ok: false,
        error: 'Forbidden',
        message: 'this connection only watches; connect with ?token=<control token> to change the session',
      };
    }
    const session = hub.session;
    if (session.isDeleted) return undefined;
    switch (message.type) {
      case 'command': {
        const result = session.apply(message.command);
        if (result.ok) return { type: 'result', id, ok: true, output: result.output, data: result.data };
        return { type: 'result', id, ok: false, error: result.code, message: result.error };
      }
      case 'exec': {
        const result = session.exec(message.line, message.from);
        return {
          type: 'result',
          id,
          ok: result.exitCode === 0,
          output: (result as { output?: string }).output ?? result.stdout + result.stderr,
          data: result,
        };
      }
      case 'clock': {
        const result = clockAction(session, message);
        if (result.ok) return { type: 'result', id, ok: true, data: result.value };
        return { type: 'result', id, ok: false, error: result.error, message: result.message };
      }
    }
  }

  async function checkUpgrade(request: FastifyRequest, res: FastifyReply) {
    const { id } = request.params as { id: string };
    const { token } = request.query as { token?: string };
    if (upgradeLimiter.take(request.ip, Date.now()) !== true) {
      return sendError(res, 429, 'TooManyRequests', 'too many stream connections from this address; wait a moment');
    }
    const origin = request.headers.origin;
    if (typeof origin === 'string' && !options.originAllowed(origin)) {
      return sendError(
        res,
        403,
        'OriginNotAllowed',
        `a page from ${origin} may not open this stream (allowed: the server's own origins, and --allow-origin)`,
      );
    }
    const session = store.get(id);
    if (!session) return sendError(res, 404, 'SessionNotFound', `no session "${id}"`);
    if (token !== undefined && !tokenMatches(session, token)) {
      return sendError(res, 401, 'Unauthorized', `?token= is not the control token of session "${id}"`);
    }
  }

  app.get(
    '/sessions/:id/stream',
    {
      websocket: true,
      schema: {
        params: {
          type: 'object',
          properties: { id: { type: 'string', maxLength: 64 } },
          required: ['id'],
        },
        querystring: {
          type: 'object',
          properties: { token: { type: 'string', maxLength: 128 } },
          additionalProperties: false,
        },
      },
      preValidation: checkUpgrade,
    },
    (socket, request) => {
      const { id } = request.params as { id: string };
      const { token } = request.query as { token?: string };
      const session = store.get(id);
      if (!session) {
        socket.close(CloseCode.SessionGone, 'session not found');
        return;
      }
      let hub = hubs.get(id);
      if (!hub) {
        hub = new Hub(session);
        hubs.set(id, hub);
      }
      const client: Client = {
        socket,
        role: token !== undefined ? 'control' : 'viewer',
        bucket: new TokenBucket(options.messageRate.perSecond, options.messageRate.burst, Date.now()),
        alive: true,
        needsSnapshot: false,
        strikes: 0,
      };
      hub.clients.add(client);
      const hello: HelloMessage = {
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        sessionId: id,
        role: client.role,
        commands: session.sim.commands.map((c) => c.type),
      };
      send(socket, hello);
      send(socket, hub.snapshot());
      const current = hub;
      socket.on('pong', () => {
        client.alive = true;
      });
      socket.on('message', (data, isBinary) => {
        try {
          const out = answer(
            current,
            client,
            Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer),
            isBinary,
          );
          if (out) send(socket, out);
        } catch (error) {
          // A model bug must not take the server down; tell the sender.
          send(socket, { type: 'error', id: null, error: 'InternalError', message: (error as Error).message });
        }
      });
      socket.on('close', () => {
        current.clients.delete(client);
        if (current.clients.size === 0 && hubs.get(id) === current) {
          hubs.delete(id);
          current.forget();
        }
      });
      socket.on('error', () => socket.terminate());
    },
  );
};
