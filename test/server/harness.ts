import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerMessage } from '@eks-sim/protocol';
import { buildServer, type EksSimServer, type ServerOptions } from '@eks-sim/server';
import WebSocket from 'ws';

/** A real server on an ephemeral port, with a throwaway data directory. */
export async function startServer(
  options: ServerOptions = {},
): Promise<EksSimServer & { base: string; ws: string; dataDir: string; stop: () => Promise<void> }> {
  const dataDir = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'eks-sim-test-')) : options.dataDir;
  const server = await buildServer({ ...options, dataDir, warn: options.warn ?? (() => {}) });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  const address = server.app.server.address() as { port: number };
  const base = `http://127.0.0.1:${address.port}`;
  return {
    ...server,
    base,
    ws: `ws://127.0.0.1:${address.port}`,
    dataDir: dataDir ?? '',
    stop: async () => {
      await server.app.close();
      if (options.dataDir === undefined && dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A WebSocket client that queues what it receives, so tests can await the next message of a type. */
export class StreamClient {
  readonly messages: ServerMessage[] = [];
  private waiters: (() => void)[] = [];
  closed: { code: number; reason: string } | null = null;
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as ServerMessage);
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
  }

  private wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<StreamClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      const client = new StreamClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Waits for (and removes) the first queued message matching `pred`. */
  async next<T extends ServerMessage['type']>(
    type: T,
    pred: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.messages.findIndex((m) => m.type === type && pred(m as Extract<ServerMessage, { type: T }>));
      if (index >= 0) return this.messages.splice(index, 1)[0] as Extract<ServerMessage, { type: T }>;
      if (this.closed) throw new Error(`socket closed (${this.closed.code}) while waiting for ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for (and removes) the first queued message of any of `types`. */
  async nextOf(types: readonly ServerMessage['type'][], timeoutMs = 5000): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.messages.findIndex((m) => types.includes(m.type));
      if (index >= 0) return this.messages.splice(index, 1)[0] as ServerMessage;
      if (this.closed) throw new Error(`socket closed (${this.closed.code}) while waiting for ${types.join('/')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${types.join('/')} message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket did not close');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closed;
  }

  close(): void {
    this.socket.close();
  }
}

/** The HTTP status a WebSocket upgrade was refused with, or 101 when it was accepted. */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', reject);
  });
}
