import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Scenario } from '@eks-sim/sim-core';
import { isSessionId, Journal } from './journal';
import { Session } from './session';

export const DEFAULT_SESSION_ID = 'default';

export interface SessionStoreOptions {
  /** Data directory; journals go in `<dataDir>/sessions`. null → nothing is persisted. */
  readonly dataDir: string | null;
  /** At most this many sessions at once (a LAN of students must not fill the disk). */
  readonly maxSessions: number;
  readonly warn: (message: string) => void;
}

/** All sessions of one server, with their journals; the wall-clock ticker drives them. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly tickListeners: (() => void)[] = [];
  private readonly deleteListeners: ((session: Session) => void)[] = [];

  constructor(readonly options: SessionStoreOptions) {}

  get journalDir(): string | undefined {
    return this.options.dataDir === null ? undefined : join(this.options.dataDir, 'sessions');
  }

  /** Replays every journal in the data directory; returns how many sessions came back. */
  restoreAll(): number {
    const dir = this.journalDir;
    if (!dir) return 0;
    let restored = 0;
    for (const path of Journal.list(dir)) {
      try {
        const loaded = Journal.load(path);
        for (const warning of loaded.warnings) this.options.warn(warning);
        const session = Session.restore(loaded, path);
        this.sessions.set(session.id, session);
        restored++;
      } catch (error) {
        this.options.warn(`could not restore ${path}: ${(error as Error).message}; left on disk, not served`);
      }
    }
    return restored;
  }

  get size(): number {
    return this.sessions.size;
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  list(): Session[] {
    return [...this.sessions.values()];
  }

  /** Creates a session; an error text when the id is taken or bad, or the server is full. */
  create(scenario: Scenario, seed: number | undefined, id?: string): Session | { error: string; message: string } {
    if (this.sessions.size >= this.options.maxSessions) {
      return {
        error: 'TooManySessions',
        message: `this server already runs ${this.sessions.size} sessions (the limit); delete one first`,
      };
    }
    const sessionId = id ?? randomBytes(5).toString('hex');
    if (!isSessionId(sessionId)) {
      return { error: 'InvalidSessionId', message: `session id "${sessionId}" must match [a-z0-9][a-z0-9-]{0,62}` };
    }
    if (this.sessions.has(sessionId)) {
      return { error: 'SessionExists', message: `session "${sessionId}" already exists` };
    }
    const journalDir = this.journalDir;
    const session = Session.create({
      id: sessionId,
      scenario,
      ...(seed === undefined ? {} : { seed }),
      ...(journalDir ? { journalDir } : {}),
    });
    this.sessions.set(sessionId, session);
    return session;
  }

  delete(id: string): boolean {
    const session = this.sessions.get(id);
    if (!session) return false;
    this.sessions.delete(id);
    session.destroy();
    for (const listener of this.deleteListeners) listener(session);
    return true;
  }

  onTick(listener: () => void): void {
    this.tickListeners.push(listener);
  }

  onDelete(listener: (session: Session) => void): void {
    this.deleteListeners.push(listener);
  }

  /** One beat of the server's clock: advance playing sessions, then let the stream publish. */
  tick(wallNowMs: number): void {
    for (const session of this.sessions.values()) {
      try {
        session.tick(wallNowMs);
      } catch (error) {
        // A model bug must not stop every other session: pause this one and say why.
        session.pause();
        this.options.warn(`session ${session.id} paused: the simulation failed: ${(error as Error).message}`);
      }
    }
    for (const listener of this.tickListeners) listener();
  }

  /** Records every clock position and closes the journals (graceful shutdown). */
  closeAll(): void {
    for (const session of this.sessions.values()) {
      session.checkpoint();
      session.close();
    }
  }
}
