import {
  type ClientMessage,
  CloseCode,
  clientMessageSchemas,
  type DeltaMessage,
  type ErrorMessage,
  type FocusNotice,
  type HelloMessage,
  type PatchOp,
  PROTOCOL_VERSION,
  type Role,
  type ServerMessage,
  SessionParams,
  StreamQuery,
  type StreamState,
} from '@eks-sim/protocol';
import { checkInputBounds, type SimEvent } from '@eks-sim/sim-core';
import type { WebSocket } from '@fastify/websocket';
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sendError, tokenMatches } from './auth';
import { logUnexpected } from './errors';
import { RateLimiter, TokenBucket } from './rate-limit';
import type { Session } from './session';
import type { SessionStore } from './session-store';
import { clockAction } from './sessions';
import { patchesFor } from './state-diff';

export interface StreamPluginOptions {
  readonly store: SessionStore;
  /** Whether a browser page from `origin` may open a stream (the request's Host is given too). */
  readonly originAllowed: (origin: string) => boolean;
  /** Messages per second a connection may send (and the burst it may save up). */
  readonly messageRate: { perSecond: number; burst: number };
  /** Stream connections per second a client address may open. */
  readonly upgradeRate: { perSecond: number; burst: number };
  readonly heartbeatMs: number;
  /**
   * Unsent bytes above which a client stops getting deltas, below which it gets a snapshot
   * again, and (`closeBytes`) past which a client that does not read is disconnected.
   */
  readonly backpressure?: { readonly highBytes: number; readonly lowBytes: number; readonly closeBytes?: number };
  /** Hook for the plugin's owner: how many clients watch a session. */
  readonly expose?: (viewers: (sessionId: string) => number) => void;
}

/** A client whose socket has more than this unsent stops getting deltas and later gets a snapshot. */
const HIGH_WATER_BYTES = 256 * 1024;
/** …once its socket has drained below this. */
const LOW_WATER_BYTES = 16 * 1024;
/**
 * Unsent bytes past which a client is disconnected (close 1008): a client that never reads
 * but keeps asking (`resync`) must not make the server hold ever more for it.
 */
const CLOSE_AT_BYTES = 512 * 1024;
/** How long a client dropped for not reading has to take the close frame before its socket is destroyed. */
const CLOSE_GRACE_MS = 1000;
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
 * One session's broadcast: the state last published (the baseline every client holds, kept
 * as JSON text per top-level key so that later mutations inside the simulation cannot leak
 * into it), its sequence number, and the clients. Deltas are computed and encoded once per
 * beat for all of them.
 */
class Hub {
  readonly clients = new Set<Client>();
  seq = 0;
  /** Where the presenter leads the class, while they lead it. */
  focus: string | null = null;
  private baselineJson: Map<string, string> | null = null;
  /** The session's epoch the baseline belongs to: after a seek every client needs a snapshot. */
  epoch: number;
  private baselineLastSeq = 0;
  private snapshotFrame: Buffer | null = null;

  constructor(readonly session: Session) {
    this.epoch = session.epoch;
  }

  private currentJson(): Map<string, string> {
    const state: StreamState = { ...this.session.sim.snapshot(), playback: this.session.playback };
    const json = new Map<string, string>();
    for (const [key, value] of Object.entries(state)) json.set(key, JSON.stringify(value));
    this.baselineLastSeq = state.lastSeq;
    return json;
  }

  /** The baseline as a `snapshot` frame, encoded once and shared. */
  snapshot(): Buffer {
    if (!this.baselineJson) {
      this.seq++;
      this.baselineJson = this.currentJson();
    }
    if (!this.snapshotFrame) {
      const fields = [...this.baselineJson].map(([key, json]) => `${JSON.stringify(key)}:${json}`);
      this.snapshotFrame = Buffer.from(`{"type":"snapshot","seq":${this.seq},"state":{${fields.join(',')}}}`);
    }
    return this.snapshotFrame;
  }

  /** Compares the session with the baseline; returns the encoded delta, or null when nothing changed. */
  diff(): { frame: Buffer; bytes: number } | null {
    const before = this.baselineJson;
    if (!before) {
      this.snapshot();
      return null;
    }
    const previousLastSeq = this.baselineLastSeq;
    const after = this.currentJson();
    const changed: Record<string, unknown> = {};
    const patches: PatchOp[] = [];
    for (const [key, json] of after) {
      if (key === 'recentEvents') continue;
      const old = before.get(key);
      if (old === json) continue;
      const ops = old === undefined ? null : patchesFor(key, old, json);
      if (ops) patches.push(...ops);
      else changed[key] = JSON.parse(json);
    }
    const events: SimEvent[] = this.baselineLastSeq > previousLastSeq ? this.session.sim.events(previousLastSeq) : [];
    if (Object.keys(changed).length === 0 && patches.length === 0 && events.length === 0) {
      this.baselineLastSeq = previousLastSeq;
      return null;
    }
    const prevSeq = this.seq;
    this.seq++;
    this.baselineJson = after;
    this.snapshotFrame = null;
    const message: DeltaMessage = {
      type: 'delta',
      seq: this.seq,
      prevSeq,
      changed: changed as Partial<StreamState>,
      ...(patches.length > 0 ? { patches } : {}),
      events,
    };
    const frame = Buffer.from(JSON.stringify(message));
    return { frame, bytes: frame.length };
  }

  forget(): void {
    this.baselineJson = null;
    this.snapshotFrame = null;
  }
}

/**
 * What a stream client gets on a beat (backpressure): nothing while more than `highWater`
 * bytes to it are unsent (it then owes a snapshot); once it owes one, nothing until it has
 * drained below `lowWater`, then a fresh snapshot; otherwise the shared delta.
 */
export function delivery(
  unsentBytes: number,
  owesSnapshot: boolean,
  highWater: number,
  lowWater: number,
): 'delta' | 'snapshot' | 'skip' {
  if (unsentBytes > highWater) return 'skip';
  if (owesSnapshot) return unsentBytes > lowWater ? 'skip' : 'snapshot';
  return 'delta';
}

/** Sends one frame, unless the socket already holds `closeAtBytes` unsent: then the client is dropped. */
function send(socket: WebSocket, message: ServerMessage | Buffer, closeAtBytes = CLOSE_AT_BYTES): void {
  if (socket.readyState !== socket.OPEN) return;
  const frame = Buffer.isBuffer(message) ? message : Buffer.from(JSON.stringify(message));
  if (socket.bufferedAmount + frame.length > closeAtBytes) {
    socket.close(1008, `not reading: over ${Math.round(closeAtBytes / 1024)} KiB unsent`);
    setTimeout(() => socket.terminate(), CLOSE_GRACE_MS).unref();
    return;
  }
  socket.send(frame, { binary: false });
}

/** Sizes in bytes of the newest deltas published by this process (the bench's `deltaBytesMedian`); bounded. */
export const recentDeltaSizes: number[] = [];
const DELTA_SIZES_KEPT = 2000;

/** `GET /api/sessions/:id/stream` (docs/protocol.md). */
export const streamPlugin: FastifyPluginAsync<StreamPluginOptions> = async (app, options) => {
  const { store } = options;
  const hubs = new Map<string, Hub>();
  const ajv = new Ajv({ allErrors: false, strict: false });
  const validators = new Map<string, ValidateFunction>(
    Object.entries(clientMessageSchemas).map(([type, schema]) => [type, ajv.compile(schema)]),
  );
  const upgradeLimiter = new RateLimiter(options.upgradeRate);
  const highWater = options.backpressure?.highBytes ?? HIGH_WATER_BYTES;
  const lowWater = options.backpressure?.lowBytes ?? LOW_WATER_BYTES;
  const closeAt = options.backpressure?.closeBytes ?? CLOSE_AT_BYTES;
  options.expose?.((id) => hubs.get(id)?.clients.size ?? 0);

  store.onTick((session) => {
    const hub = hubs.get(session.id);
    if (hub) publish(hub);
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
    if (hub.epoch !== hub.session.epoch) {
      // The session went back (or was rebuilt): its log is no longer an extension of what clients hold.
      hub.epoch = hub.session.epoch;
      hub.forget();
      for (const client of hub.clients) client.needsSnapshot = true;
    }
    const delta = hub.diff();
    if (delta) {
      recentDeltaSizes.push(delta.bytes);
      if (recentDeltaSizes.length > DELTA_SIZES_KEPT)
        recentDeltaSizes.splice(0, recentDeltaSizes.length - DELTA_SIZES_KEPT);
    }
    for (const client of hub.clients) {
      const what = delivery(client.socket.bufferedAmount, client.needsSnapshot, highWater, lowWater);
      if (what === 'skip') {
        client.needsSnapshot = true;
      } else if (what === 'snapshot') {
        client.needsSnapshot = false;
        send(client.socket, hub.snapshot(), closeAt);
      } else if (delta) {
        send(client.socket, delta.frame, closeAt);
      }
    }
  }

  /** The answer to one client frame (undefined: nothing to send now). */
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
      // Frames are at most 16 KiB, and V8's JSON.parse does not recurse: depth is checked next.
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return bad('not valid JSON; send one JSON object per frame, e.g. {"type":"resync"}');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return bad('a message must be a JSON object with a "type"');
    }
    const rawId = (parsed as { id?: unknown }).id;
    const id = typeof rawId === 'string' ? rawId.slice(0, 64) : null;
    const tooBig = checkInputBounds(parsed);
    if (tooBig) return bad(`message ${tooBig.message}`, id);
    const type = (parsed as { type?: unknown }).type;
    const validate = typeof type === 'string' ? validators.get(type) : undefined;
    if (!validate) {
      return bad(`unknown message type ${JSON.stringify(type)} (known: ${[...validators.keys()].join(', ')})`, id);
    }
    if (!validate(parsed)) {
      const first = validate.errors?.[0];
      const where = first?.instancePath ? `${first.instancePath.slice(1)} ` : '';
      return bad(`${type}: ${where}${first?.message ?? 'is malformed'}`, id);
    }
    const message = parsed as ClientMessage;
    if (message.type === 'resync') {
      // A client with much unsent gets its snapshot once it has read (see `delivery`), not now.
      if (client.socket.bufferedAmount > highWater) {
        client.needsSnapshot = true;
        return undefined;
      }
      return hub.snapshot();
    }
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
      case 'focus': {
        hub.focus = message.target;
        const notice: FocusNotice = { type: 'focus', target: message.target };
        for (const other of hub.clients) if (other !== client) send(other.socket, notice, closeAt);
        return { type: 'result', id, ok: true };
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
      schema: { params: SessionParams, querystring: StreamQuery },
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
      send(socket, hello, closeAt);
      send(socket, hub.snapshot(), closeAt);
      if (hub.focus !== null) send(socket, { type: 'focus', target: hub.focus }, closeAt);
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
          if (out) send(socket, out, closeAt);
        } catch (error) {
          // A model bug must not take the server down; the sender learns only that it failed.
          logUnexpected(`stream message of session ${id}`, error);
          send(
            socket,
            {
              type: 'error',
              id: null,
              error: 'InternalError',
              message: 'the server failed on this message; the details are in its log',
            },
            closeAt,
          );
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
