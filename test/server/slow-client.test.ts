import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { StreamClient, startServer } from './harness';

type Server = Awaited<ReturnType<typeof startServer>>;

const CLOSE_AT = 128 * 1024;

describe('slow WebSocket clients', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer({
      tickMs: 20,
      wsRateLimit: { perSecond: 100_000, burst: 100_000 },
      backpressure: { highBytes: 32 * 1024, lowBytes: 4 * 1024, closeBytes: CLOSE_AT },
    });
  });
  afterAll(async () => server.stop());

  const serverSockets = () => [...(server.app.websocketServer.clients as Set<WebSocket>)];

  it('a client that never reads but spams resync is held to the unsent-bytes cap, then closed (1008; cut off if it still does not read)', async () => {
    const client = await StreamClient.connect(`${server.ws}/api/sessions/default/stream`);
    await client.next('snapshot');
    // Stop reading: the kernel buffers fill, then the server's queue for this socket grows.
    (client.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    let mostUnsent = 0;
    let dropped = false;
    for (let round = 0; round < 400 && !dropped; round++) {
      for (let i = 0; i < 50; i++) client.send(i % 2 ? { type: 'resync' } : 'not json');
      await new Promise((resolve) => setTimeout(resolve, 10));
      const sockets = serverSockets();
      for (const socket of sockets) mostUnsent = Math.max(mostUnsent, socket.bufferedAmount);
      dropped = sockets.every((s) => s.readyState !== s.OPEN);
    }
    expect(dropped).toBe(true);
    // Never more than the cap plus one frame (a snapshot is under 64 KiB).
    expect(mostUnsent).toBeLessThanOrEqual(CLOSE_AT + 64 * 1024);
    const closes = await new Promise<number>((resolve) => {
      const socket = client.socket as WebSocket;
      socket.once('close', (code) => resolve(code));
      (socket as unknown as { _socket: { resume(): void } })._socket.resume();
    });
    expect([1008, 1006]).toContain(closes);
    // The server keeps serving others.
    const other = await StreamClient.connect(`${server.ws}/api/sessions/default/stream`);
    await other.next('snapshot');
    other.close();
  });
});
