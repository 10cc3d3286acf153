/**
 * The WebSocket protocol of `/api/sessions/:id/stream` (docs/protocol.md). Each message is a
 * TypeBox schema: the server compiles the client messages' schemas into its validators, and
 * every type below is `Static` of its schema, so what is checked and what is typed cannot
 * drift apart. The page imports these types only (`@eks-sim/protocol/client`).
 */
import type { Command, SimEvent, Snapshot } from '@eks-sim/sim-core';
import Type from 'typebox';
import { MAX_SPEED, MAX_STEP_MS, MIN_SPEED } from './limits';

/** The server's playback state of a session's clock (wall timers live in the server, never in sim-core). */
export const Playback = Type.Object({
  playing: Type.Boolean(),
  /** Simulated ms per wall ms, 1 to 100000. */
  speed: Type.Number(),
});
export type Playback = Type.Static<typeof Playback>;

/**
 * What a stream client holds: the simulation's snapshot plus the server's playback state.
 * Top-level keys are the unit of a delta. The snapshot's shape is sim-core's `Snapshot` type;
 * the server builds it, so it is typed here and never validated.
 */
export type StreamState = Snapshot & { readonly playback: Playback };
const StreamStateSchema = Type.Unsafe<StreamState>({ type: 'object' });

export const Role = Type.Enum(['control', 'viewer']);
export type Role = Type.Static<typeof Role>;

const MessageId = Type.String({ maxLength: 64 });

/** `all`, `customer-vpc`, `az:<az id>` or `path:<client>`: what the page zooms to. */
export const FocusTarget = Type.String({
  pattern: '^(all|customer-vpc|az:[A-Za-z0-9-]{1,64}|path:[A-Za-z0-9._:-]{1,128})$',
});
export type FocusTarget = Type.Static<typeof FocusTarget>;

// ---- server → client ------------------------------------------------------------------

/** First message on every connection. */
export const HelloMessage = Type.Object({
  type: Type.Literal('hello'),
  protocol: Type.Integer(),
  sessionId: Type.String(),
  /** `control` when the `?token=` was the session's control token; else `viewer`. */
  role: Role,
  /** Command types the session understands (`load.set`, `endpoint.update`, …). */
  commands: Type.Array(Type.String()),
});
export type HelloMessage = Type.Static<typeof HelloMessage>;

/** The whole state. Sent after `hello`, on `resync`, and instead of deltas to a client that fell behind. */
export const SnapshotMessage = Type.Object({
  type: Type.Literal('snapshot'),
  /** Stream sequence number of this state; the next delta has `prevSeq` equal to it. */
  seq: Type.Integer(),
  state: StreamStateSchema,
});
export type SnapshotMessage = Type.Static<typeof SnapshotMessage>;

/**
 * One change deeper than a top-level key: at `path` (keys from the top of the state, at
 * least two), either replace the value (`set`), or, for the array there, remove its first
 * `drop` items (0 if absent) and push `append` onto it (a series or a sliding window moving on).
 */
export const PatchOp = Type.Union([
  Type.Object({ path: Type.Array(Type.String()), set: Type.Unknown() }),
  Type.Object({
    path: Type.Array(Type.String()),
    append: Type.Array(Type.Unknown()),
    drop: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
]);
export type PatchOp = Type.Static<typeof PatchOp>;

/**
 * What changed since the state numbered `prevSeq`: apply only if you hold exactly that state,
 * else send `{type: "resync"}`. Use `applyDelta` rather than reading the fields yourself.
 * `changed` holds whole top-level keys (replace, do not merge); `patches` (optional) holds
 * smaller changes inside the other keys, so that a metric moving inside `controlPlane` does
 * not resend all of it; `events` are the log entries after the previous state's `lastSeq`,
 * oldest first (append them to your `recentEvents` and keep the newest 50). Neither
 * `changed` nor `patches` ever touches `recentEvents`.
 */
export const DeltaMessage = Type.Object({
  type: Type.Literal('delta'),
  seq: Type.Integer(),
  prevSeq: Type.Integer(),
  changed: Type.Unsafe<Partial<StreamState>>({ type: 'object' }),
  patches: Type.Optional(Type.Array(PatchOp)),
  events: Type.Unsafe<SimEvent[]>({ type: 'array', items: { type: 'object' } }),
});
export type DeltaMessage = Type.Static<typeof DeltaMessage>;

/** The answer to a client's `command`, `exec`, `clock` or `focus` message, matched by `id`. */
export const ResultMessage = Type.Object({
  type: Type.Literal('result'),
  id: Type.Union([Type.String(), Type.Null()]),
  ok: Type.Boolean(),
  /** Text for people: the command's output, or the shell's stdout. */
  output: Type.Optional(Type.String()),
  /** Structured result (an update id, a reachability verdict, an exit code). */
  data: Type.Optional(Type.Unknown()),
  /** When !ok: a stable code (`Forbidden`, `InvalidField`, `UnknownCommand`, …) and a sentence. */
  error: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});
export type ResultMessage = Type.Static<typeof ResultMessage>;

/** A message the server could not accept (malformed JSON, unknown type, rate limit). The socket stays open. */
export const ErrorMessage = Type.Object({
  type: Type.Literal('error'),
  id: Type.Union([Type.String(), Type.Null()]),
  error: Type.String(),
  message: Type.String(),
});
export type ErrorMessage = Type.Static<typeof ErrorMessage>;

/** The session was deleted; the server closes the socket (code 4404) right after. */
export const GoneMessage = Type.Object({ type: Type.Literal('gone'), sessionId: Type.String() });
export type GoneMessage = Type.Static<typeof GoneMessage>;

/**
 * What the presenter's projector shows (a zoom target), passed on to every page of the
 * session; `null`: the class stops following and each page shows what it chooses. Sent after
 * the snapshot to a page that joins while the presenter leads.
 */
export const FocusNotice = Type.Object({
  type: Type.Literal('focus'),
  target: Type.Union([FocusTarget, Type.Null()]),
});
export type FocusNotice = Type.Static<typeof FocusNotice>;

export const ServerMessage = Type.Union([
  HelloMessage,
  SnapshotMessage,
  DeltaMessage,
  ResultMessage,
  ErrorMessage,
  GoneMessage,
  FocusNotice,
]);
export type ServerMessage = Type.Static<typeof ServerMessage>;

// ---- client → server ------------------------------------------------------------------

/** Ask for a fresh snapshot (after a gap in `seq`). Anyone may send it. */
export const ResyncMessage = Type.Object({ type: Type.Literal('resync') }, { additionalProperties: false });
export type ResyncMessage = Type.Static<typeof ResyncMessage>;

/** One command of the simulation; the session checks it against the command's own spec. */
const CommandSchema = Type.Unsafe<Command>({
  type: 'object',
  properties: { type: { type: 'string' } },
  required: ['type'],
});

/** Apply a command now (control role only). */
export const CommandMessage = Type.Object(
  { type: Type.Literal('command'), id: Type.Optional(MessageId), command: CommandSchema },
  { additionalProperties: false },
);
export type CommandMessage = Type.Static<typeof CommandMessage>;

/** One line of the simulated shell, and where it runs: the same over REST and the stream. */
export const ExecFields = {
  line: Type.String({ maxLength: 4096 }),
  from: Type.Optional(Type.String({ maxLength: 128, description: 'vantage host: bastion (default), laptop, a node' })),
};

/** Run one line of the simulated shell (control role only). `from`: vantage host, default `bastion`. */
export const ExecMessage = Type.Object(
  { type: Type.Literal('exec'), id: Type.Optional(MessageId), ...ExecFields },
  { additionalProperties: false },
);
export type ExecMessage = Type.Static<typeof ExecMessage>;

/** Play, pause, step (`ms` of simulated time) or set the speed: the same over REST and the stream. */
export const ClockFields = {
  action: Type.Enum(['play', 'pause', 'step', 'speed']),
  ms: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_STEP_MS, description: 'for step: simulated ms' })),
  speed: Type.Optional(Type.Number({ minimum: MIN_SPEED, maximum: MAX_SPEED, description: 'for speed' })),
};

/** Play, pause, step (`ms` of simulated time while paused or playing) or set the speed (control role only). */
export const ClockMessage = Type.Object(
  { type: Type.Literal('clock'), id: Type.Optional(MessageId), ...ClockFields },
  { additionalProperties: false },
);
export type ClockMessage = Type.Static<typeof ClockMessage>;

/** The presenter leads the class to a zoom target, or (`null`) stops leading (control role only). */
export const FocusMessage = Type.Object(
  { type: Type.Literal('focus'), id: Type.Optional(MessageId), target: Type.Union([FocusTarget, Type.Null()]) },
  { additionalProperties: false },
);
export type FocusMessage = Type.Static<typeof FocusMessage>;

export type ClientMessage = ResyncMessage | CommandMessage | ExecMessage | ClockMessage | FocusMessage;

/** The client messages' schemas by `type`: the server validates each frame against the one its `type` names. */
export const clientMessageSchemas = {
  resync: ResyncMessage,
  command: CommandMessage,
  exec: ExecMessage,
  clock: ClockMessage,
  focus: FocusMessage,
} as const;
