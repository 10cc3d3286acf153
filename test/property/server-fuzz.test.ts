import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamClient, startServer } from '../server/harness';

type Server = Awaited<ReturnType<typeof startServer>>;

/** Bad input anywhere → a 4xx or a WebSocket error, never a crash or a corrupted session. */
describe('fuzzing the server with generated bodies, paths and frames', () => {
  let server: Server;
  let headers: Record<string, string>;
  const generous = { perSecond: 100_000, burst: 100_000 };

  beforeAll(async () => {
    server = await startServer({ restRateLimit: generous, wsRateLimit: generous });
    headers = { authorization: `Bearer ${server.defaultSession.token}` };
  });
  afterAll(async () => server.stop());

  const mutatingRoutes = [
    '/api/sessions/default/commands',
    '/api/sessions/default/exec',
    '/api/sessions/default/clock',
    '/clusters/myeks/update-config',
    '/clusters/myeks/updates',
  ];

  it('any JSON body on a route that changes the session: 2xx or 4xx, and a refusal changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...mutatingRoutes), fc.jsonValue({ maxDepth: 3 }), async (url, body) => {
        const before = server.defaultSession.logHash();
        const res = await server.app.inject({
          method: 'POST',
          url,
          headers: { ...headers, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        expect(res.statusCode).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(server.defaultSession.logHash()).toBe(before);
          const text = res.body;
          expect(text.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('any raw bytes as a body: a 4xx naming the problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...mutatingRoutes), fc.string({ maxLength: 200 }), async (url, text) => {
        const before = server.defaultSession.logHash();
        const res = await server.app.inject({
          method: 'POST',
          url,
          headers: { ...headers, 'content-type': 'application/json' },
          payload: `${text}}{`,
        });
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(server.defaultSession.logHash()).toBe(before);
      }),
      { numRuns: 100 },
    );
  });

  it('any path and method: never a 5xx', async () => {
    const prefix = fc.constantFrom(
      '',
      '/api',
      '/api/sessions',
      '/api/sessions/default',
      '/k8s/default/myeks',
      '/clusters',
    );
    await fc.assert(
      fc.asyncProperty(
        prefix,
        fc.webPath(),
        fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH'),
        async (start, path, method) => {
          const url = `${start}${path}`;
          const res = await server.app.inject({
            method: method as 'GET',
            url: url.startsWith('/') ? url : `/${url}`,
            headers: { 'x-eks-sim-from': 'laptop' },
          });
          expect(res.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('any WebSocket frame from a viewer or the teacher: an answer, the socket stays open, a refusal changes nothing', async () => {
    const url = `${server.ws}/api/sessions/default/stream?token=${server.defaultSession.token}`;
    const client = await StreamClient.connect(url);
    await client.next('snapshot');
    const frame = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record({
          type: fc.constantFrom('command', 'exec', 'clock', 'resync', 'nope'),
          id: fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
          command: fc.option(fc.object({ maxDepth: 2 }), { nil: undefined }),
          action: fc.option(fc.constantFrom('play', 'pause', 'step', 'speed', 'rewind'), { nil: undefined }),
          // Invalid steps of every kind; valid ones up to an hour (a 30-day step is legal but slow on a busy CI).
          ms: fc.option(
            fc.oneof(
              fc.double({ max: -Number.MIN_VALUE }),
              fc.double({ min: 2.6e9 }),
              fc.constant(Number.NaN),
              fc.integer({ min: 0, max: 3_600_000 }),
            ),
            { nil: undefined },
          ),
        })
        .map((m) => JSON.stringify(m)),
    );
    await fc.assert(
      fc.asyncProperty(frame, async (text) => {
        const before = server.defaultSession.logHash();
        client.messages.length = 0;
        client.send(text);
        // One waiter for any of the answers: racing three `next` calls left two of them pending,
        // and a pending one from an earlier run could take the next run's answer.
        const answer = await client.nextOf(['error', 'result', 'snapshot']);
        expect(client.closed).toBeNull();
        const refused = answer.type === 'error' || (answer.type === 'result' && !answer.ok);
        if (refused) expect(server.defaultSession.logHash()).toBe(before);
        // Fuzzed clock frames may have started playback; keep the session still between runs.
        server.defaultSession.pause();
      }),
      { numRuns: 150 },
    );
    client.close();
  });
});
