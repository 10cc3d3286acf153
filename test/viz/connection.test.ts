import { createSimulation } from '@eks-sim/sim-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Connection, type StreamState, streamUrl } from '../../packages/viz/src/connection';
import { installDom } from './dom-setup';

/** A stand-in for the browser's WebSocket that the test drives as the server. */
class FakeSocket {
  static OPEN = 1;
  static last: FakeSocket | null = null;
  readyState = FakeSocket.OPEN;
  readonly sent: Record<string, unknown>[] = [];
  private readonly listeners = new Map<string, ((event: unknown) => void)[]>();
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  addEventListener(type: string, listener: (event: unknown) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.emit('close', { code: 1000 });
  }
  emit(type: string, event: unknown) {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  serverSends(message: unknown) {
    this.emit('message', { data: JSON.stringify(message) });
  }
}

const realWebSocket = globalThis.WebSocket;

beforeAll(() => {
  installDom();
});

afterEach(() => {
  globalThis.WebSocket = realWebSocket;
});

function connect() {
  globalThis.WebSocket = FakeSocket as unknown as typeof WebSocket;
  const states: { state: StreamState; seq: number }[] = [];
  const statuses: string[] = [];
  const connection = new Connection('ws://127.0.0.1/api/sessions/default/stream?token=t', {
    onState: (state, seq) => states.push({ state, seq }),
    onStatus: (status) => statuses.push(status),
  });
  connection.open();
  const socket = FakeSocket.last!;
  const snapshot = { ...createSimulation().snapshot(), playback: { playing: false, speed: 1 } };
  socket.serverSends({ type: 'hello', protocol: 1, sessionId: 'default', role: 'control', commands: ['load.set'] });
  socket.serverSends({ type: 'snapshot', seq: 5, state: snapshot });
  return { connection, socket, states, statuses, snapshot };
}

describe('the stream client', () => {
  it('takes the role from hello and the state from the snapshot', () => {
    const { connection, states, statuses } = connect();
    expect(connection.role).toBe('control');
    expect(connection.commandTypes).toEqual(['load.set']);
    expect(statuses).toContain('live');
    expect(states.map((s) => s.seq)).toEqual([5]);
  });

  it('applies a delta that follows its state: changed keys replaced, events appended', () => {
    const { states, socket, snapshot } = connect();
    const clock = { ...snapshot.clock, nowMs: snapshot.clock.nowMs + 1000 };
    const event = { seq: 99, atMs: clock.nowMs, type: 'load.changed', source: 'load', message: 'x' };
    socket.serverSends({ type: 'delta', seq: 6, prevSeq: 5, changed: { clock }, events: [event] });
    expect(states.at(-1)?.seq).toBe(6);
    expect(states.at(-1)?.state.clock.nowMs).toBe(clock.nowMs);
    expect(states.at(-1)?.state.recentEvents.at(-1)).toEqual(event);
  });

  it('on a gap asks for a snapshot and ignores deltas until it comes', () => {
    const { states, socket, snapshot } = connect();
    socket.serverSends({ type: 'delta', seq: 8, prevSeq: 7, changed: {}, events: [] });
    expect(socket.sent).toEqual([{ type: 'resync' }]);
    socket.serverSends({ type: 'delta', seq: 9, prevSeq: 8, changed: {}, events: [] });
    expect(states.map((s) => s.seq)).toEqual([5]);
    socket.serverSends({ type: 'snapshot', seq: 9, state: snapshot });
    socket.serverSends({ type: 'delta', seq: 10, prevSeq: 9, changed: {}, events: [] });
    expect(states.map((s) => s.seq)).toEqual([5, 9, 10]);
  });

  it('matches each answer to its request by id, errors included', async () => {
    const { connection, socket } = connect();
    const first = connection.request({ type: 'command', command: { type: 'load.set', rps: 10 } });
    const second = connection.request({ type: 'exec', line: 'kubectl version' });
    const [a, b] = socket.sent as { id: string }[];
    socket.serverSends({ type: 'result', id: b!.id, ok: true, output: 'Client Version' });
    socket.serverSends({ type: 'error', id: a!.id, error: 'RateLimited', message: 'slow down' });
    expect(await second).toMatchObject({ ok: true, output: 'Client Version' });
    expect(await first).toMatchObject({ ok: false, error: 'RateLimited', message: 'slow down' });
  });

  it('answers a request made while disconnected at once, as a failure', async () => {
    const { connection, socket } = connect();
    socket.readyState = 3;
    expect(await connection.request({ type: 'clock', action: 'play' })).toMatchObject({
      ok: false,
      error: 'Disconnected',
    });
  });

  it('builds the stream URL from the page location, with the token only when given', () => {
    const location = { protocol: 'http:', host: '127.0.0.1:3000' } as Location;
    expect(streamUrl(location, 'default', null)).toBe('ws://127.0.0.1:3000/api/sessions/default/stream');
    expect(streamUrl(location, 'a b', 't/k')).toBe('ws://127.0.0.1:3000/api/sessions/a%20b/stream?token=t%2Fk');
  });
});
