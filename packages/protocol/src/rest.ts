/**
 * The REST API's bodies and replies under `/api` (docs/api.md): fastify validates each body
 * against its schema here and serialises each reply with the reply's; the page's REST calls
 * read the same `Static` types.
 */
import { MAX_SCENARIO_TEXT_CHARS, type SimEvent, type Snapshot } from '@eks-sim/sim-core';
import Type from 'typebox';
import { ClockFields, ExecFields, Playback } from './stream';

/** Every refusal: a stable code and a sentence naming what was wrong. */
export const ErrorReply = Type.Object({ error: Type.String(), message: Type.String() });
export type ErrorReply = Type.Static<typeof ErrorReply>;

const AnyObject = Type.Object({}, { additionalProperties: true });

/** `:id` in every session route. */
export const SessionParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const HealthReply = Type.Object({ status: Type.String(), protocol: Type.Integer(), sessions: Type.Integer() });
export type HealthReply = Type.Static<typeof HealthReply>;

/** One built-in scenario, as `GET /api/scenarios` lists it. */
export const ScenarioSummary = Type.Object({
  name: Type.String(),
  title: Type.String(),
  summary: Type.String(),
  start: Type.String(),
  region: Type.String(),
  default: Type.Boolean(),
});
export type ScenarioSummary = Type.Static<typeof ScenarioSummary>;

/** One command type, as `GET /api/commands` lists it, with its JSON schema. */
export const CommandInfo = Type.Object({ type: Type.String(), doc: Type.String(), schema: AnyObject });
export type CommandInfo = Type.Static<typeof CommandInfo>;

export const SessionSummary = Type.Object({
  id: Type.String(),
  scenario: Type.String(),
  title: Type.String(),
  seed: Type.Integer(),
  createdAt: Type.String(),
  nowIso: Type.String(),
  lastSeq: Type.Integer(),
  playback: Playback,
  viewers: Type.Integer(),
});
export type SessionSummary = Type.Static<typeof SessionSummary>;

/** `GET /api/sessions/:id`: the summary, the log's hash and the whole snapshot. */
export const SessionDetail = Type.Object({
  ...SessionSummary.properties,
  logHash: Type.String(),
  snapshot: Type.Unsafe<Snapshot>(AnyObject),
});
export type SessionDetail = Type.Static<typeof SessionDetail>;

export const CreateSessionBody = Type.Object(
  {
    scenario: Type.Optional(
      Type.String({ maxLength: 64, description: 'a built-in scenario by name (default seed-week1)' }),
    ),
    scenarioText: Type.Optional(
      Type.String({
        maxLength: MAX_SCENARIO_TEXT_CHARS,
        description: 'a scenario as YAML or JSON text (instead of `scenario`)',
      }),
    ),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
  },
  { additionalProperties: false },
);
export type CreateSessionBody = Type.Static<typeof CreateSessionBody>;

export const SessionCreated = Type.Object({
  id: Type.String(),
  token: Type.String(),
  scenario: Type.String(),
  seed: Type.Integer(),
  streamPath: Type.String(),
});
export type SessionCreated = Type.Static<typeof SessionCreated>;

/** A scenario that could not be read: every issue, placed as `eks-sim scenario validate` places it. */
export const InvalidScenarioReply = Type.Object({
  ...ErrorReply.properties,
  issues: Type.Optional(Type.Array(AnyObject)),
});

export const CommandReply = Type.Object({
  ok: Type.Boolean(),
  output: Type.String(),
  data: Type.Optional(Type.Unknown()),
});
export type CommandReply = Type.Static<typeof CommandReply>;

export const ExecBody = Type.Object(ExecFields, { additionalProperties: false });
export type ExecBody = Type.Static<typeof ExecBody>;

export const ExecReply = Type.Object({
  exitCode: Type.Integer(),
  stdout: Type.String(),
  stderr: Type.String(),
  output: Type.Optional(Type.String({ description: 'stdout and stderr interleaved as a terminal shows them' })),
  tookMs: Type.Optional(Type.Number()),
});
export type ExecReply = Type.Static<typeof ExecReply>;

export const ClockBody = Type.Object(ClockFields, { additionalProperties: false });
export type ClockBody = Type.Static<typeof ClockBody>;

export const ClockReply = Type.Object({ playback: Playback, nowMs: Type.Number(), nowIso: Type.String() });
export type ClockReply = Type.Static<typeof ClockReply>;

/** `at` is checked by the server itself, so that a wrong one is named in the answer (not a schema path). */
export const SeekBody = Type.Object(
  { at: Type.Unknown({ description: 'simulated time to go to, ms since the epoch (a played moment)' }) },
  { additionalProperties: false, required: ['at'] },
);
export type SeekBody = { at: unknown };

/** `at` is checked by the server itself, as for a seek; absent → the session's now. */
export const ForkBody = Type.Object(
  {
    at: Type.Optional(
      Type.Unknown({ description: 'simulated time to fork at, ms since the epoch (a played moment; default: now)' }),
    ),
  },
  { additionalProperties: false },
);
export type ForkBody = { at?: unknown };

export const ForkReply = Type.Object({
  ...SessionCreated.properties,
  forkedFrom: Type.String({ description: 'the session it was forked from' }),
  atMs: Type.Number({ description: 'the moment of that session it starts from (its clock now)' }),
});
export type ForkReply = Type.Static<typeof ForkReply>;

export const KeptBranch = Type.Object({
  id: Type.Integer(),
  fromMs: Type.Number({ description: 'where it parts from the current line' }),
  endMs: Type.Number({ description: 'where it had got to' }),
  changes: Type.Integer({ description: 'commands and shell lines it holds after fromMs' }),
});

export const TimelineReply = Type.Object({
  nowMs: Type.Number(),
  nowIso: Type.String(),
  startMs: Type.Number({ description: "the scenario's start" }),
  endMs: Type.Number({
    description: 'how far the current line has been played (a redo lies ahead while nowMs is earlier)',
  }),
  branches: Type.Array(KeptBranch, { description: 'futures left behind by a command after a seek back' }),
});
export type TimelineReply = Type.Static<typeof TimelineReply>;

export const EventsQuery = Type.Object(
  {
    since: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
  },
  { additionalProperties: false },
);
export type EventsQuery = Type.Static<typeof EventsQuery>;

export const EventsReply = Type.Object({
  lastSeq: Type.Integer(),
  more: Type.Boolean(),
  events: Type.Unsafe<SimEvent[]>(Type.Array(AnyObject)),
});
export type EventsReply = Type.Static<typeof EventsReply>;

/** `?token=` on the stream's upgrade: the control token, or nothing to watch. */
export const StreamQuery = Type.Object(
  { token: Type.Optional(Type.String({ maxLength: 128 })) },
  { additionalProperties: false },
);
