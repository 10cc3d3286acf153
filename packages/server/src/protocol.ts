/**
 * The WebSocket protocol of `/api/sessions/:id/stream` (docs/protocol.md), defined once:
 * the TypeScript types the server and the viz share, and the JSON schemas the server uses to
 * validate what a client sends. Type-only imports: the viz may `import type` from here
 * without pulling server code into its bundle.
 */
import type { Command, SimEvent, Snapshot } from '@eks-sim/sim-core';

/** Bumped when a message changes shape incompatibly. */
export const PROTOCOL_VERSION = 1;

/** At most this many stream updates (deltas) per second per session. */
export const MAX_UPDATES_PER_SECOND = 10;

/** Largest WebSocket frame a client may send, in bytes; bigger frames close the socket (1009). */
export const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

/** Speeds the clock may play at: simulated ms per wall ms. */
export const MIN_SPEED = 1;
export const MAX_SPEED = 100_000;

/** The server's playback state of a session's clock (wall timers live in the server, never in sim-core). */
export interface Playback {
  readonly playing: boolean;
  /** Simulated ms per wall ms, 1 to 100000. */
  readonly speed: number;
}

/**
 * What a stream client holds: the simulation's snapshot plus the server's playback state.
 * Top-level keys are the unit of a delta.
 */
export type StreamState = Snapshot & { readonly playback: Playback };

export type Role = 'control' | 'viewer';

// ---- server → client ------------------------------------------------------------------

/** First message on every connection. */
export interface HelloMessage {
  readonly type: 'hello';
  readonly protocol: number;
  readonly sessionId: string;
  /** `control` when the `?token=` was the session's control token; else `viewer`. */
  readonly role: Role;
  /** Command types the session understands (`load.set`, `endpoint.update`, …). */
  readonly commands: readonly string[];
}

/** The whole state. Sent after `hello`, on `resync`, and instead of deltas to a client that fell behind. */
export interface SnapshotMessage {
  readonly type: 'snapshot';
  /** Stream sequence number of this state; the next delta has `prevSeq` equal to it. */
  readonly seq: number;
  readonly state: StreamState;
}

/**
 * One change deeper than a top-level key: at `path` (keys from the top of the state, at
 * least two), either replace the value (`set`), or, for the array there, remove its first
 * `drop` items (0 if absent) and push `append` onto it (a series or a sliding window moving on).
 */
export type PatchOp =
  | { readonly path: readonly string[]; readonly set: unknown }
  | { readonly path: readonly string[]; readonly append: readonly unknown[]; readonly drop?: number };

/**
 * What changed since the state numbered `prevSeq`: apply only if you hold exactly that state,
 * else send `{type: "resync"}`. Use `applyDelta` below rather than reading the fields yourself.
 * `changed` holds whole top-level keys (replace, do not merge); `patches` (optional) holds
 * smaller changes inside the other keys, so that a metric moving inside `controlPlane` does
 * not resend all of it; `events` are the log entries after the previous state's `lastSeq`,
 * oldest first (append them to your `recentEvents` and keep the newest 50). Neither
 * `changed` nor `patches` ever touches `recentEvents`.
 */
export interface DeltaMessage {
  readonly type: 'delta';
  readonly seq: number;
  readonly prevSeq: number;
  readonly changed: Partial<StreamState>;
  readonly patches?: readonly PatchOp[];
  readonly events: readonly SimEvent[];
}

/** The answer to a client's `command`, `exec` or `clock` message, matched by `id`. */
export interface ResultMessage {
  readonly type: 'result';
  readonly id: string | null;
  readonly ok: boolean;
  /** Text for people: the command's output, or the shell's stdout. */
  readonly output?: string;
  /** Structured result (an update id, a reachability verdict, an exit code). */
  readonly data?: unknown;
  /** When !ok: a stable code (`Forbidden`, `InvalidField`, `UnknownCommand`, …) and a sentence. */
  readonly error?: string;
  readonly message?: string;
}

/** A message the server could not accept (malformed JSON, unknown type, rate limit). The socket stays open. */
export interface ErrorMessage {
  readonly type: 'error';
  readonly id: string | null;
  readonly error: string;
  readonly message: string;
}

/** The session was deleted; the server closes the socket (code 4404) right after. */
export interface GoneMessage {
  readonly type: 'gone';
  readonly sessionId: string;
}

/**
 * What the presenter's projector shows (a zoom target), passed on to every page of the
 * session; `null`: the class stops following and each page shows what it chooses. Sent after
 * the snapshot to a page that joins while the presenter leads.
 */
export interface FocusNotice {
  readonly type: 'focus';
  readonly target: FocusTarget | null;
}

export type ServerMessage =
  | HelloMessage
  | SnapshotMessage
  | DeltaMessage
  | ResultMessage
  | ErrorMessage
  | GoneMessage
  | FocusNotice;

// ---- client → server ------------------------------------------------------------------

/** Ask for a fresh snapshot (after a gap in `seq`). Anyone may send it. */
export interface ResyncMessage {
  readonly type: 'resync';
}

/** Apply a command now (control role only). */
export interface CommandMessage {
  readonly type: 'command';
  readonly id?: string;
  readonly command: Command;
}

/** Run one line of the simulated shell (control role only). `from`: vantage host, default `bastion`. */
export interface ExecMessage {
  readonly type: 'exec';
  readonly id?: string;
  readonly line: string;
  readonly from?: string;
}

/** Play, pause, step (`ms` of simulated time while paused or playing) or set the speed (control role only). */
export interface ClockMessage {
  readonly type: 'clock';
  readonly id?: string;
  readonly action: 'play' | 'pause' | 'step' | 'speed';
  readonly ms?: number;
  readonly speed?: number;
}

/** `all`, `customer-vpc`, `az:<az id>` or `path:<client>`: what the page zooms to. */
export type FocusTarget = string;

/** The presenter leads the class to a zoom target, or (`null`) stops leading (control role only). */
export interface FocusMessage {
  readonly type: 'focus';
  readonly id?: string;
  readonly target: FocusTarget | null;
}

export type ClientMessage = ResyncMessage | CommandMessage | ExecMessage | ClockMessage | FocusMessage;

/** Longest simulated step one `step` may take: 30 simulated days. */
export const MAX_STEP_MS = 30 * 24 * 3600 * 1000;

const id = { type: 'string', maxLength: 64 } as const;

/** JSON schemas of the client messages; the server validates each frame against the one its `type` names. */
export const clientMessageSchemas = {
  resync: {
    type: 'object',
    properties: { type: { const: 'resync' } },
    required: ['type'],
    additionalProperties: false,
  },
  command: {
    type: 'object',
    properties: {
      type: { const: 'command' },
      id,
      command: { type: 'object', properties: { type: { type: 'string' } }, required: ['type'] },
    },
    required: ['type', 'command'],
    additionalProperties: false,
  },
  exec: {
    type: 'object',
    properties: {
      type: { const: 'exec' },
      id,
      line: { type: 'string', maxLength: 4096 },
      from: { type: 'string', maxLength: 128 },
    },
    required: ['type', 'line'],
    additionalProperties: false,
  },
  clock: {
    type: 'object',
    properties: {
      type: { const: 'clock' },
      id,
      action: { enum: ['play', 'pause', 'step', 'speed'] },
      ms: { type: 'number', minimum: 0, maximum: MAX_STEP_MS },
      speed: { type: 'number', minimum: MIN_SPEED, maximum: MAX_SPEED },
    },
    required: ['type', 'action'],
    additionalProperties: false,
  },
  focus: {
    type: 'object',
    properties: {
      type: { const: 'focus' },
      id,
      target: {
        anyOf: [
          { type: 'string', pattern: '^(all|customer-vpc|az:[A-Za-z0-9-]{1,64}|path:[A-Za-z0-9._:-]{1,128})$' },
          { type: 'null' },
        ],
      },
    },
    required: ['type', 'target'],
    additionalProperties: false,
  },
} as const;

/** Close codes the server uses besides the standard ones (1008 policy, 1009 too big). */
export const CloseCode = {
  /** The session does not exist or was deleted. */
  SessionGone: 4404,
  /** Too many messages too fast. */
  RateLimited: 4429,
} as const;

/**
 * Applies a delta to the state a client holds; returns the new state, or undefined when the
 * delta does not follow `seq` (the client should then send `resync`). Pure: the viz and the
 * tests use it.
 */
export function applyDelta(
  current: { seq: number; state: StreamState },
  delta: DeltaMessage,
  eventTail = 50,
): { seq: number; state: StreamState } | undefined {
  if (delta.prevSeq !== current.seq) return undefined;
  const recentEvents = delta.events.length
    ? [...current.state.recentEvents, ...delta.events].slice(-eventTail)
    : current.state.recentEvents;
  let state = { ...current.state, ...delta.changed, recentEvents } as Record<string, unknown>;
  for (const op of delta.patches ?? []) state = applyPatch(state, op, 0) as Record<string, unknown>;
  return { seq: delta.seq, state: state as unknown as StreamState };
}

/** Copy-on-write along `op.path`: objects the delta does not touch keep their identity (cheap redraws). */
function applyPatch(node: unknown, op: PatchOp, depth: number): unknown {
  if (depth === op.path.length) {
    if ('set' in op) return op.set;
    return [...(Array.isArray(node) ? node.slice(op.drop ?? 0) : []), ...op.append];
  }
  const key = op.path[depth] as string;
  const container = (typeof node === 'object' && node !== null ? node : {}) as Record<string, unknown>;
  const copy = Array.isArray(container) ? [...container] : { ...container };
  (copy as Record<string, unknown>)[key] = applyPatch(container[key], op, depth + 1);
  return copy;
}
