import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamClient, startServer } from '../server/harness';

/**
 * A hostile client against every route and every stream message: values nested up to 100,000
 * deep, huge strings, wrong types, unicode, `__proto__`/`constructor` keys, 1e308 and -0.
 * After every case the server must still answer /api/health, a viewer's stream must still
 * stream, no answer may be a 5xx or carry an internal message, and a refusal changes nothing.
 *
 * CI runs a few cases; a long campaign: EKS_SIM_FUZZ_RUNS=5000 npx vitest run test/property/server-hostile-fuzz.test.ts
 * A failure prints its seed and path; replay it with EKS_SIM_FUZZ_SEED=… EKS_SIM_FUZZ_PATH=… and the same command.
 */
const RUNS = Number(process.env.EKS_SIM_FUZZ_RUNS ?? 40);
const REPLAY = {
  ...(process.env.EKS_SIM_FUZZ_SEED ? { seed: Number(process.env.EKS_SIM_FUZZ_SEED) } : {}),
  ...(process.env.EKS_SIM_FUZZ_PATH ? { path: process.env.EKS_SIM_FUZZ_PATH } : {}),
};
const FILE = 'test/property/server-hostile-fuzz.test.ts';
/** Room for a long campaign: a case takes well under a second even on a busy machine. */
const TIMEOUT_MS = 60_000 + RUNS * 1000;

/** Runs a property; on failure throws fast-check's report plus the command that replays it. */
async function check<T>(name: string, property: fc.IAsyncPropertyWithHooks<[T]>, runs: number) {
  const seed = REPLAY.seed ?? Date.now() ^ (Math.random() * 0x7fffffff);
  process.stdout.write(`${name}: seed ${seed}, ${runs} runs\n`);
  const result = await fc.check(property, { numRuns: runs, ...REPLAY, seed });
  if (result.failed) {
    throw new Error(
      `${fc.defaultReportMessage(result)}\nreplay: EKS_SIM_FUZZ_SEED=${result.seed} EKS_SIM_FUZZ_PATH=${result.counterexamplePath} npx vitest run ${FILE}`,
    );
  }
  return result.numRuns;
}

// ---- hostile JSON, built as text so that `__proto__` stays an ordinary key ----

const KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'type',
  'name',
  'version',
  'tags',
  'k',
  'ms',
  'speed',
  'action',
  'seed',
  'scenario',
  'scenarioText',
  'command',
  'line',
  'from',
  'id',
  'rps',
  'duration',
  'az',
  'config',
  'resourcesVpcConfig',
  'publicAccessCidrs',
];
const COMMAND_TYPES = [
  'cluster.create',
  'cluster.delete',
  'load.set',
  'load.spike',
  'endpoint.update',
  'fail.az',
  'provisioning.create-cluster',
  'nope',
];

const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ unit: 'grapheme', maxLength: 20 }));
const hugeString = fc.integer({ min: 1000, max: 300_000 }).map((n) => JSON.stringify('é'.repeat(n)));
const leaf: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '1e308',
    '-1e308',
    '-0',
    '0',
    '5',
    '"5"',
    'true',
    'false',
    'null',
    '1.5',
    '9007199254740993',
    '1e-320',
  ),
  fc.constantFrom(...COMMAND_TYPES).map((t) => JSON.stringify(t)),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((s) => JSON.stringify(s)),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)),
  fc.double().map((d) => JSON.stringify(d)),
  { arbitrary: hugeString, weight: 1 },
);
const { value: shallow } = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(key, tie('value')), { maxLength: 5 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
}));
/** A value nested `levels` deep in arrays or objects (100,000 levels: 200 KB to 700 KB of text). */
const deep = fc
  .record({ levels: fc.integer({ min: 1, max: 100_000 }), asObject: fc.boolean(), inner: leaf })
  .map(({ levels, asObject, inner }) =>
    asObject
      ? `${'{"k":'.repeat(levels)}${inner}${'}'.repeat(levels)}`
      : `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`,
  );
const value = fc.oneof({ arbitrary: shallow, weight: 4 }, { arbitrary: deep, weight: 1 });
/** An object body: some known fields with hostile values, sometimes a command type that exists. */
const body = fc.oneof(
  { arbitrary: value, weight: 1 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...COMMAND_TYPES), fc.array(fc.tuple(key, value), { maxLength: 4 }))
      .map(
        ([type, entries]) =>
          `{"type":${JSON.stringify(type)}${entries.map(([k, v]) => `,${JSON.stringify(k)}:${v}`).join('')}}`,
      ),
    weight: 3,
  },
);

// ---- every route ----

type Route = { method: 'GET' | 'POST' | 'DELETE'; url: string; control?: boolean };
const ROUTES: Route[] = [
  { method: 'GET', url: '/api/health' },
  { method: 'GET', url: '/api/scenarios' },
  { method: 'GET', url: '/api/commands' },
  { method: 'GET', url: '/api/sessions' },
  { method: 'POST', url: '/api/sessions' },
  { method: 'GET', url: '/api/sessions/default' },
  { method: 'DELETE', url: '/api/sessions/nope', control: true },
  { method: 'POST', url: '/api/sessions/default/commands', control: true },
  { method: 'POST', url: '/api/sessions/default/exec', control: true },
  { method: 'POST', url: '/api/sessions/default/clock', control: true },
  { method: 'GET', url: '/api/sessions/default/events?since=-1&limit=1e308' },
  { method: 'POST', url: '/clusters' },
  { method: 'GET', url: '/clusters?maxResults=-0' },
  { method: 'GET', url: '/clusters/myeks' },
  { method: 'DELETE', url: '/clusters/myeks' },
  { method: 'POST', url: '/clusters/myeks/update-config' },
  { method: 'POST', url: '/clusters/myeks/updates' },
  { method: 'GET', url: '/clusters/myeks/updates/%E2%80%AE' },
  { method: 'GET', url: '/k8s/default/myeks/version' },
  { method: 'GET', url: '/k8s/default/myeks/api/v1/namespaces/__proto__/pods' },
  { method: 'GET', url: '/' },
  { method: 'POST', url: '/api/%ff' },
];

const INTERNAL = /Maximum call stack|RangeError|TypeError|ReferenceError|SyntaxError: |\n\s+at /;

describe('a hostile client against every route and stream message', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let viewer: StreamClient;
  const generous = { perSecond: 1_000_000, burst: 1_000_000 };
  const control = () => ({ authorization: `Bearer ${server.defaultSession.token}` });

  beforeAll(async () => {
    // A 1 MB body limit, so that 100,000 levels reach the parser instead of stopping at 413.
    server = await startServer({
      tickMs: 20,
      bodyLimit: 1_000_000,
      restRateLimit: generous,
      wsRateLimit: generous,
      wsUpgradeRateLimit: generous,
    });
    viewer = await StreamClient.connect(`${server.ws}/api/sessions/default/stream`);
    await viewer.next('snapshot');
  });
  afterAll(async () => {
    viewer.close();
    await server.stop();
  });

  /** The server answers health, and the viewer's stream still carries a change. */
  async function stillServing() {
    const health = await server.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    server.defaultSession.pause();
    viewer.messages.length = 0;
    const step = await server.app.inject({
      method: 'POST',
      url: '/api/sessions/default/clock',
      headers: control(),
      payload: { action: 'step', ms: 1000 },
    });
    expect(step.statusCode).toBe(200);
    const update = await viewer.nextOf(['delta', 'snapshot']);
    expect(update).toBeDefined();
  }

  it(
    'any body on any route: never a 5xx or an internal message; a refusal changes nothing; the server keeps serving',
    async () => {
      const runs = await check(
        'routes',
        fc.asyncProperty(
          fc.record({ route: fc.constantFrom(...ROUTES), body, contentType: fc.boolean() }),
          async ({ route, body: text, contentType }) => {
            const before = server.defaultSession.logHash();
            const res = await server.app.inject({
              method: route.method,
              url: route.url,
              headers: {
                ...(route.control ? control() : {}),
                ...(contentType ? { 'content-type': 'application/json' } : {}),
                'x-eks-sim-from': 'laptop',
              },
              ...(route.method === 'GET' ? {} : { payload: text }),
            });
            expect(res.statusCode, `${route.method} ${route.url}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
            expect(res.body).not.toMatch(INTERNAL);
            if (res.statusCode >= 400) expect(server.defaultSession.logHash()).toBe(before);
            await stillServing();
          },
        ),
        RUNS,
      );
      expect(runs).toBeGreaterThan(0);
    },
    TIMEOUT_MS,
  );

  it(
    'any stream message from the teacher: an answer, never an internal message; the server keeps serving',
    async () => {
      const url = `${server.ws}/api/sessions/default/stream?token=${server.defaultSession.token}`;
      let teacher = await StreamClient.connect(url);
      await teacher.next('snapshot');
      const frame = fc.oneof(
        body,
        fc
          .record({
            type: fc.constantFrom('command', 'exec', 'clock', 'resync', 'nope', '__proto__'),
            id: leaf,
            command: body,
            line: leaf,
            action: fc.oneof(fc.constantFrom('"play"', '"pause"', '"step"', '"speed"'), leaf),
            ms: leaf,
            speed: leaf,
          })
          .chain((m) =>
            fc
              .subarray(Object.keys(m), { minLength: 1 })
              .map(
                (keys) =>
                  `{${keys.map((k) => `${JSON.stringify(k)}:${k === 'type' ? JSON.stringify(m.type) : m[k as keyof typeof m]}`).join(',')}}`,
              ),
          ),
      );
      const runs = await check(
        'stream',
        fc.asyncProperty(frame, async (text) => {
          const before = server.defaultSession.logHash();
          teacher.messages.length = 0;
          teacher.send(text);
          if (Buffer.byteLength(text) > 16 * 1024) {
            // Frames over 16 KiB close the socket (1009); the client reconnects.
            expect((await teacher.waitClosed()).code).toBe(1009);
            teacher = await StreamClient.connect(url);
            await teacher.next('snapshot');
          } else {
            const answer = await teacher.nextOf(['error', 'result', 'snapshot']);
            expect(JSON.stringify(answer)).not.toMatch(INTERNAL);
            const refused = answer.type === 'error' || (answer.type === 'result' && !answer.ok);
            if (refused) expect(server.defaultSession.logHash()).toBe(before);
          }
          await stillServing();
        }),
        RUNS,
      );
      teacher.close();
      expect(runs).toBeGreaterThan(0);
    },
    TIMEOUT_MS,
  );
});
