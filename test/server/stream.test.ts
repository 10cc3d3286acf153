import { applyDelta, type DeltaMessage, ServerMessage, type StreamState } from '@eks-sim/protocol';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { delivery } from '../../packages/server/src/stream';
import { StreamClient, startServer, upgradeStatus } from './harness';

type Server = Awaited<ReturnType<typeof startServer>>;

describe('WebSocket stream /api/sessions/:id/stream', () => {
  let server: Server;
  let url: string;
  let token: string;

  beforeAll(async () => {
    server = await startServer({ tickMs: 50 });
    url = `${server.ws}/api/sessions/default/stream`;
    token = server.defaultSession.token;
  });
  afterAll(async () => server.stop());

  it('a viewer gets hello then a snapshot, then deltas that rebuild the live state exactly', async () => {
    const viewer = await StreamClient.connect(url);
    const hello = await viewer.next('hello');
    expect(hello).toMatchObject({ protocol: 1, sessionId: 'default', role: 'viewer' });
    expect(hello.commands).toContain('endpoint.update');
    const first = await viewer.next('snapshot');
    let mine = { seq: first.seq, state: first.state };
    expect(mine.state.cluster?.name).toBe('myeks');

    await server.app.inject({
      method: 'POST',
      url: '/api/sessions/default/clock',
      headers: { authorization: `Bearer ${token}` },
      payload: { action: 'step', ms: 3_600_000 },
    });
    const delta = await viewer.next('delta');
    expect(delta.prevSeq).toBe(mine.seq);
    expect(Object.keys(delta.changed)).toContain('clock');
    expect(delta.changed).not.toHaveProperty('recentEvents');
    mine = applyDelta(mine, delta) ?? mine;
    expect(mine.seq).toBe(delta.seq);

    // A fresh viewer's snapshot of the same moment equals the state rebuilt from deltas.
    const fresh = await StreamClient.connect(url);
    const snap = await fresh.next('snapshot');
    expect(snap.seq).toBe(mine.seq);
    expect(snap.state).toEqual(mine.state);
    viewer.close();
    fresh.close();
  });

  it('a client that sees a gap asks for a snapshot with resync', async () => {
    const viewer = await StreamClient.connect(url);
    const snap = await viewer.next('snapshot');
    const stale = { seq: snap.seq - 1, state: snap.state as StreamState };
    const fakeDelta: DeltaMessage = { type: 'delta', seq: snap.seq + 1, prevSeq: snap.seq, changed: {}, events: [] };
    expect(applyDelta(stale, fakeDelta)).toBeUndefined();
    viewer.send({ type: 'resync' });
    const again = await viewer.next('snapshot');
    expect(again.state.cluster?.name).toBe('myeks');
    viewer.close();
  });

  it('a viewer cannot change the session; the control token can, and everyone sees it', async () => {
    const viewer = await StreamClient.connect(url);
    await viewer.next('snapshot');
    viewer.send({ type: 'clock', id: 'v1', action: 'step', ms: 1000 });
    const refused = await viewer.next('result');
    expect(refused).toMatchObject({ id: 'v1', ok: false, error: 'Forbidden' });

    const teacher = await StreamClient.connect(`${url}?token=${token}`);
    expect((await teacher.next('hello')).role).toBe('control');
    const before = server.defaultSession.sim.now();
    teacher.send({ type: 'clock', id: 't1', action: 'step', ms: 90_000 });
    const ok = await teacher.next('result', (m) => m.id === 't1');
    expect(ok.ok).toBe(true);
    expect(server.defaultSession.sim.now()).toBe(before + 90_000);
    const seen = await viewer.next('delta', (d) => d.changed.clock?.nowMs === before + 90_000);
    expect(seen.changed.clock?.nowMs).toBe(before + 90_000);

    teacher.send({ type: 'command', id: 't2', command: { type: 'no.such-command' } });
    const unknown = await teacher.next('result', (m) => m.id === 't2');
    expect(unknown).toMatchObject({ ok: false, error: 'UnknownCommand' });
    teacher.send({ type: 'exec', id: 't3', line: 'echo $CLUSTER_NAME' });
    const exec = await teacher.next('result', (m) => m.id === 't3');
    expect(exec.output).toBe('myeks\n');
    viewer.close();
    teacher.close();
  });

  it('the presenter leads the class: focus reaches every viewer and a late joiner; a viewer cannot lead; bad targets are refused', async () => {
    const viewer = await StreamClient.connect(url);
    await viewer.next('snapshot');
    const teacher = await StreamClient.connect(`${url}?token=${token}`);
    await teacher.next('snapshot');
    teacher.send({ type: 'focus', id: 'f1', target: 'az:apne2-az1' });
    expect(await teacher.next('result', (m) => m.id === 'f1')).toMatchObject({ ok: true });
    expect(await viewer.next('focus')).toEqual({ type: 'focus', target: 'az:apne2-az1' });
    const late = await StreamClient.connect(url);
    await late.next('snapshot');
    expect(await late.next('focus')).toEqual({ type: 'focus', target: 'az:apne2-az1' });

    viewer.send({ type: 'focus', id: 'v1', target: 'all' });
    expect(await viewer.next('result', (m) => m.id === 'v1')).toMatchObject({ ok: false, error: 'Forbidden' });
    // Strict: no coercion of a number, no unknown field, no target outside the four shapes.
    for (const bad of [
      { type: 'focus', target: 1 },
      { type: 'focus', target: 'az:apne2-az1', zoom: 2 },
      { type: 'focus', target: 'somewhere' },
      { type: 'focus', target: 'path:<script>' },
      { type: 'focus' },
    ]) {
      teacher.send(bad);
      expect((await teacher.next('error')).error).toBe('BadMessage');
    }
    teacher.send({ type: 'focus', id: 'f2', target: null });
    expect(await teacher.next('result', (m) => m.id === 'f2')).toMatchObject({ ok: true });
    expect(await late.next('focus')).toEqual({ type: 'focus', target: null });
    const after = await StreamClient.connect(url);
    await after.next('snapshot');
    await expect(after.next('focus', () => true, 300)).rejects.toThrow(/no focus message/);
    for (const c of [viewer, teacher, late, after]) c.close();
  });

  it('every kind of message the server sends has the shape its schema in @eks-sim/protocol gives it', async () => {
    const matches = new Ajv({ strict: false }).compile(ServerMessage);
    const seen: ServerMessage[] = [];
    // What each client has queued so far, then every frame after: consumed or not.
    const record = (client: StreamClient) => {
      seen.push(...client.messages);
      client.socket.on('message', (data) => seen.push(JSON.parse(String(data)) as ServerMessage));
      return client;
    };
    const control = record(await StreamClient.connect(`${url}?token=${token}`));
    const viewer = record(await StreamClient.connect(url));
    await viewer.next('snapshot');
    control.send({ type: 'command', id: 'c1', command: { type: 'load.set', rps: 300 } });
    control.send({ type: 'exec', id: 'e1', line: 'kubectl get nodes' });
    control.send({ type: 'clock', id: 'k1', action: 'step', ms: 60_000 });
    control.send({ type: 'focus', id: 'f1', target: 'all' });
    control.send({ type: 'nonsense' });
    await control.next('result', (m) => m.id === 'f1');
    await control.next('error');
    await viewer.next('focus');
    await viewer.next('delta');
    control.send({ type: 'focus', id: 'f2', target: null });
    await control.next('result', (m) => m.id === 'f2');
    const kinds = new Set(seen.map((m) => m.type));
    for (const kind of ['hello', 'snapshot', 'result', 'error', 'focus', 'delta']) expect(kinds).toContain(kind);
    for (const message of seen) {
      expect(matches(message), `${message.type}: ${JSON.stringify(matches.errors?.[0])}`).toBe(true);
    }
    control.close();
    viewer.close();
  });

  it('a wrong ?token= is refused at the upgrade (401), an unknown session is 404', async () => {
    expect(await upgradeStatus(`${url}?token=wrong`)).toBe(401);
    expect(await upgradeStatus(`${server.ws}/api/sessions/nope/stream`)).toBe(404);
  });

  it('a page from another origin may not open the stream; the server’s own origin may', async () => {
    expect(await upgradeStatus(url, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgradeStatus(url, { origin: 'http://127.0.0.1:1' })).toBe(403);
    expect(await upgradeStatus(url, { origin: server.base })).toBe(101);
    expect(await upgradeStatus(url, { origin: server.base.replace('127.0.0.1', 'localhost') })).toBe(101);
  });

  it('malformed frames get an error naming the problem; the socket stays open and the session intact', async () => {
    const hashBefore = server.defaultSession.logHash();
    const teacher = await StreamClient.connect(`${url}?token=${token}`);
    await teacher.next('snapshot');
    for (const frame of ['{"type":', '[]', '42', '{"type":"dance"}', '{"type":"clock","action":"rewind"}']) {
      teacher.send(frame);
      const error = await teacher.next('error');
      expect(error.error).toBe('BadMessage');
      expect(error.message.length).toBeGreaterThan(5);
    }
    teacher.send({ type: 'command', id: 'x', command: { type: 'endpoint.update', private: 'yes' } });
    expect(await teacher.next('result', (m) => m.id === 'x')).toMatchObject({ ok: false, error: 'InvalidField' });
    expect(server.defaultSession.logHash()).toBe(hashBefore);
    teacher.send({ type: 'resync' });
    await teacher.next('snapshot');
    teacher.close();
  });

  it('an oversized frame closes the socket with 1009 and the server keeps serving', async () => {
    const client = await StreamClient.connect(url);
    client.send({ type: 'exec', line: 'x'.repeat(64 * 1024) });
    const closed = await client.waitClosed();
    expect(closed.code).toBe(1009);
    const health = await server.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
  });

  it('a client flooding messages is rate limited, then disconnected', async () => {
    const client = await StreamClient.connect(url);
    await client.next('snapshot');
    for (let i = 0; i < 120; i++) client.send({ type: 'resync' });
    const limited = await client.next('error', (m) => m.error === 'RateLimited');
    expect(limited.message).toContain('per second');
    const closed = await client.waitClosed();
    expect(closed.code).toBe(4429);
  });

  it('deleting a session tells its watchers and closes their sockets', async () => {
    const created = (
      await server.app.inject({ method: 'POST', url: '/api/sessions', payload: { seed: 3 } })
    ).json() as { id: string; token: string };
    const watcher = await StreamClient.connect(`${server.ws}/api/sessions/${created.id}/stream`);
    await watcher.next('snapshot');
    await server.app.inject({
      method: 'DELETE',
      url: `/api/sessions/${created.id}`,
      headers: { authorization: `Bearer ${created.token}` },
    });
    expect((await watcher.next('gone')).sessionId).toBe(created.id);
    expect((await watcher.waitClosed()).code).toBe(4404);
  });
});

describe('stream health: heartbeat and backpressure', () => {
  it('a client that stops answering pings is dropped', async () => {
    const server = await startServer({ heartbeatMs: 100 });
    try {
      const silent = new WebSocket(`${server.ws}/api/sessions/default/stream`, { autoPong: false });
      const closed = new Promise<number>((resolve) => silent.once('close', (code) => resolve(code)));
      await new Promise((resolve) => silent.once('open', resolve));
      const lively = await StreamClient.connect(`${server.ws}/api/sessions/default/stream`);
      expect(await closed).toBe(1006);
      await new Promise((r) => setTimeout(r, 250));
      expect(lively.closed).toBeNull();
      lively.close();
    } finally {
      await server.stop();
    }
  });

  it('a client that cannot keep up skips deltas, then gets a fresh snapshot once it has drained', () => {
    const high = 256 * 1024;
    const low = 16 * 1024;
    // A slow reader's unsent bytes beat by beat, and what it is sent each time.
    const unsent = [0, 300_000, 400_000, 100_000, 10_000, 0, 0];
    let owes = false;
    const sent: string[] = [];
    for (const bytes of unsent) {
      const what = delivery(bytes, owes, high, low);
      if (what === 'skip') owes = true;
      if (what === 'snapshot') owes = false;
      sent.push(what);
    }
    expect(sent).toEqual(['delta', 'skip', 'skip', 'skip', 'snapshot', 'delta', 'delta']);
  });
});
