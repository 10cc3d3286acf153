import {
  ClockBody,
  ClockReply,
  CommandInfo,
  CommandReply,
  CreateSessionBody,
  ErrorReply,
  EventsQuery,
  EventsReply,
  ExecBody,
  ExecReply,
  ForkBody,
  ForkReply,
  HealthReply,
  InvalidScenarioReply,
  PROTOCOL_VERSION,
  ScenarioSummary,
  SeekBody,
  SessionCreated,
  SessionDetail,
  SessionParams,
  SessionSummary,
  TimelineReply,
} from '@eks-sim/protocol';
import {
  type Command,
  type CommandSpec,
  commandErrorStatus,
  commandJsonSchema,
  DEFAULT_SCENARIO,
  parseScenario,
  type Scenario,
  ScenarioError,
  scenarios,
} from '@eks-sim/sim-core';
import type { FastifyPluginAsync } from 'fastify';
import { findSession, requireControl, sendError } from './auth';
import { logUnexpected } from './errors';
import type { Session } from './session';
import { DEFAULT_SESSION_ID, type SessionStore } from './session-store';

export interface SessionsPluginOptions {
  readonly store: SessionStore;
  /** Every command a simulation understands (the same in every session). */
  readonly commands: readonly CommandSpec[];
  /** How many stream clients watch a session (from the stream plugin). */
  readonly viewers: (sessionId: string) => number;
}

const errors = { '4xx': ErrorReply } as const;

/**
 * How a failed command's code maps onto HTTP: the session's own refusals are conflicts; the
 * model's codes take the status EKS gives them (sim-core's one table), bad input 400.
 */
export function statusForCommandError(code: string): number {
  if (code === 'Conflict' || code === 'SessionBroken') return 409;
  return commandErrorStatus(code);
}

/** REST under /api: health, scenarios, sessions, commands, shell, clock, events. */
export const sessionsPlugin: FastifyPluginAsync<SessionsPluginOptions> = async (
  app,
  { store, viewers, commands: specs },
) => {
  const commandBody = {
    type: 'object',
    description: 'One command of the simulation; `type` picks which (GET /api/commands lists them).',
    required: ['type'],
    discriminator: { propertyName: 'type' },
    oneOf: specs.map((spec) => commandJsonSchema(spec)),
  };
  const session = findSession(store);
  store.countViewersWith(viewers);

  const summary = (s: Session) => ({
    id: s.id,
    scenario: s.sim.scenario.name,
    title: s.sim.scenario.title,
    seed: s.sim.seed,
    createdAt: s.createdAt,
    nowIso: new Date(s.sim.now()).toISOString(),
    lastSeq: s.sim.lastSeq,
    playback: s.playback,
    viewers: viewers(s.id),
  });

  app.get(
    '/health',
    {
      schema: { response: { 200: HealthReply } },
    },
    async () => ({ status: 'ok', protocol: PROTOCOL_VERSION, sessions: store.size }),
  );

  app.get(
    '/scenarios',
    {
      schema: { response: { 200: { type: 'array', items: ScenarioSummary } } },
    },
    async () =>
      Object.values(scenarios).map((s) => ({
        name: s.name,
        title: s.title,
        summary: s.summary,
        start: s.start,
        region: s.region,
        default: s.name === DEFAULT_SCENARIO,
      })),
  );

  app.get(
    '/commands',
    {
      schema: { response: { 200: { type: 'array', items: CommandInfo } } },
    },
    async () => specs.map((spec) => ({ type: spec.type, doc: spec.doc, schema: commandJsonSchema(spec) })),
  );

  app.get('/sessions', { schema: { response: { 200: { type: 'array', items: SessionSummary } } } }, async () =>
    store.list().map(summary),
  );

  app.post(
    '/sessions',
    {
      schema: {
        body: CreateSessionBody,
        response: { 201: SessionCreated, 400: InvalidScenarioReply, ...errors },
      },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as CreateSessionBody;
      let scenario: Scenario;
      if (body.scenario !== undefined && body.scenarioText !== undefined) {
        return sendError(reply, 400, 'InvalidParameter', 'give either "scenario" (a name) or "scenarioText", not both');
      }
      if (body.scenarioText !== undefined) {
        try {
          scenario = parseScenario(body.scenarioText, { file: 'scenarioText' });
        } catch (error) {
          if (error instanceof ScenarioError) {
            // Every issue, placed as `eks-sim scenario validate` places it (docs/api.md).
            return reply.code(400).send({ error: 'InvalidScenario', message: error.message, issues: error.issues });
          }
          logUnexpected('reading a scenarioText', error);
          return sendError(reply, 400, 'InvalidScenario', 'the scenario could not be read');
        }
      } else {
        const name = body.scenario ?? DEFAULT_SCENARIO;
        const found = scenarios[name];
        if (!found) {
          return sendError(
            reply,
            400,
            'UnknownScenario',
            `unknown scenario "${name}" (built-in: ${Object.keys(scenarios).join(', ')}; or send scenarioText)`,
          );
        }
        scenario = found;
      }
      let created: ReturnType<SessionStore['create']>;
      try {
        created = store.create(scenario, body.seed, undefined, request.ip);
      } catch (error) {
        return sendError(reply, 400, 'InvalidScenario', `the scenario could not start: ${(error as Error).message}`);
      }
      if ('error' in created) return sendError(reply, created.status, created.error, created.message);
      return reply.code(201).send({
        id: created.id,
        token: created.token,
        scenario: created.sim.scenario.name,
        seed: created.sim.seed,
        streamPath: `/api/sessions/${created.id}/stream`,
      });
    },
  );

  app.get(
    '/sessions/:id',
    {
      schema: {
        params: SessionParams,
        response: { 200: SessionDetail, ...errors },
      },
      preHandler: session,
    },
    async (request) => {
      const s = request.session as Session;
      return { ...summary(s), logHash: s.logHash(), snapshot: s.sim.snapshot() };
    },
  );

  app.delete(
    '/sessions/:id',
    {
      schema: { params: SessionParams, response: { 204: { type: 'null' }, ...errors } },
      preHandler: [session, requireControl],
    },
    async (request, reply) => {
      const { id } = request.session as Session;
      // The default session's URLs and token were printed for the class: it starts again rather than vanish.
      if (id === DEFAULT_SESSION_ID) store.reset(id);
      else store.delete(id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/sessions/:id/commands',
    {
      schema: {
        params: SessionParams,
        body: commandBody,
        response: { 200: CommandReply, ...errors, '5xx': ErrorReply },
      },
      preHandler: [session, requireControl],
    },
    async (request, reply) => {
      const result = (request.session as Session).apply(request.body as Command);
      if (!result.ok) return sendError(reply, statusForCommandError(result.code), result.code, result.error);
      return { ok: true, output: result.output, data: result.data };
    },
  );

  app.post(
    '/sessions/:id/exec',
    {
      schema: {
        params: SessionParams,
        body: ExecBody,
        response: { 200: ExecReply, ...errors },
      },
      preHandler: [session, requireControl],
    },
    async (request) => {
      const { line, from } = request.body as ExecBody;
      return (request.session as Session).exec(line, from);
    },
  );

  app.post(
    '/sessions/:id/clock',
    {
      schema: {
        params: SessionParams,
        body: ClockBody,
        response: { 200: ClockReply, ...errors, '5xx': ErrorReply },
      },
      preHandler: [session, requireControl],
    },
    async (request, reply) => {
      const s = request.session as Session;
      const result = clockAction(s, request.body as ClockBody);
      if (!result.ok) return sendError(reply, statusForCommandError(result.error), result.error, result.message);
      return { playback: result.value, nowMs: s.sim.now(), nowIso: new Date(s.sim.now()).toISOString() };
    },
  );

  const timeline = (s: Session): TimelineReply => {
    const info = s.timelineInfo();
    return {
      ...info,
      branches: [...info.branches],
      nowIso: new Date(info.nowMs).toISOString(),
      startMs: s.sim.startMs,
    };
  };

  app.get(
    '/sessions/:id/timeline',
    {
      schema: { params: SessionParams, response: { 200: TimelineReply, ...errors } },
      preHandler: session,
    },
    async (request) => timeline(request.session as Session),
  );

  app.post(
    '/sessions/:id/seek',
    {
      schema: {
        params: SessionParams,
        body: SeekBody,
        response: { 200: TimelineReply, ...errors, '5xx': ErrorReply },
      },
      preHandler: [session, requireControl],
    },
    async (request, reply) => {
      const s = request.session as Session;
      const result = s.seek((request.body as SeekBody).at);
      if (!result.ok) return sendError(reply, statusForCommandError(result.error), result.error, result.message);
      return timeline(s);
    },
  );

  app.post(
    '/sessions/:id/fork',
    {
      schema: {
        params: SessionParams,
        body: ForkBody,
        response: { 201: ForkReply, ...errors, '5xx': ErrorReply },
      },
      preHandler: [session, requireControl],
    },
    async (request, reply) => {
      const parent = request.session as Session;
      const body = (request.body ?? {}) as ForkBody;
      const forked = store.fork(parent, body.at, request.ip);
      if ('status' in forked) return sendError(reply, forked.status, forked.error, forked.message);
      if (!forked.ok) return sendError(reply, statusForCommandError(forked.error), forked.error, forked.message);
      const fork = forked.value;
      return reply.code(201).send({
        id: fork.id,
        token: fork.token,
        scenario: fork.sim.scenario.name,
        seed: fork.seed,
        streamPath: `/api/sessions/${fork.id}/stream`,
        forkedFrom: parent.id,
        atMs: fork.sim.now(),
      });
    },
  );

  app.get(
    '/sessions/:id/events',
    {
      schema: {
        params: SessionParams,
        querystring: EventsQuery,
        response: { 200: EventsReply, ...errors },
      },
      preHandler: session,
    },
    async (request) => {
      const s = request.session as Session;
      // fastify fills in the defaults, so both are there.
      const { since, limit } = request.query as Required<EventsQuery>;
      const events = s.sim.events(since);
      return { lastSeq: s.sim.lastSeq, more: events.length > limit, events: events.slice(0, limit) };
    },
  );
};

/** One clock action, shared by REST and the WebSocket. */
export function clockAction(session: Session, body: ClockBody) {
  switch (body.action) {
    case 'play':
      return session.play();
    case 'pause':
      return session.pause();
    case 'step':
      if (body.ms === undefined) {
        return { ok: false as const, error: 'InvalidParameter', message: 'step needs "ms" (simulated milliseconds)' };
      }
      return session.step(body.ms);
    case 'speed':
      if (body.speed === undefined) {
        return { ok: false as const, error: 'InvalidParameter', message: 'speed needs "speed" (1 to 100000)' };
      }
      return session.setSpeed(body.speed);
  }
}
