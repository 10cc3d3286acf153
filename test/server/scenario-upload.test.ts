import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './harness';

type Server = Awaited<ReturnType<typeof startServer>>;

describe('POST /api/sessions with scenarioText', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => server.stop());

  it('answers 400 listing every issue of an invalid scenario, placed as `eks-sim scenario validate` places them', async () => {
    const scenarioText =
      'extends: seed-week1\ntimeline:\n  - at: 10m\n    command: { type: no.such.command }\n  - at: 20m\n    command: { type: fault.az, az: us-east-1a }\n';
    const reply = await server.app.inject({ method: 'POST', url: '/api/sessions', payload: { scenarioText } });
    expect(reply.statusCode).toBe(400);
    const body = reply.json() as { error: string; message: string; issues: { line: number; field: string }[] };
    expect(body.error).toBe('InvalidScenario');
    expect(body.message).toMatch(/2 errors/);
    expect(body.issues.map((i) => [i.line, i.field])).toEqual([
      [4, 'timeline[0].command.type'],
      [6, 'timeline[1].command.az'],
    ]);
  });

  it('starts a session from a valid scenario file', async () => {
    const scenarioText = 'extends: az-outage\nname: my-outage\nseed: 3\n';
    const reply = await server.app.inject({ method: 'POST', url: '/api/sessions', payload: { scenarioText } });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({ scenario: 'my-outage', seed: 3 });
  });
});
