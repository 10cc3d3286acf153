import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Scenario } from '@eks-sim/sim-core';
import { DataDirLock } from './data-dir-lock';
import {
  checkpointPathOf,
  isSessionId,
  Journal,
  type JournalEntry,
  type JournalHeader,
  readCheckpointFile,
  setCheckpointAside,
} from './journal';
import { type ChangeResult, type DiskCheckpoint, Session } from './session';

export const DEFAULT_SESSION_ID = 'default';

/** Sessions closed after this long with no viewer and no change (wall ms), unless the server is told otherwise. */
export const DEFAULT_IDLE_TIMEOUT_MS = 24 * 3600 * 1000;

/** Wall ms of simulation work per beat shared by all playing sessions (of a 100 ms beat: the rest serves requests). */
const BEAT_BUDGET_MS = 25;
/** Longest stretch of work between two looks at the event loop (requests, sockets). */
const SLICE_MS = 4;

export interface SessionStoreOptions {
  /** Data directory; journals go in `<dataDir>/sessions`. null → nothing is persisted. */
  readonly dataDir: string | null;
  /** At most this many sessions at once (a LAN of students must not fill the disk). */
  readonly maxSessions: number;
  /** At most this many open sessions created anonymously from one client address. */
  readonly maxSessionsPerAddress?: number;
  /** Close sessions with no viewer and no change for this long (wall ms); null: never. */
  readonly idleTimeoutMs?: number | null;
  readonly warn: (message: string) => void;
}

export type CreateRefusal = { error: string; message: string; status: number };

const newSessionId = () => randomBytes(5).toString('hex');

function formatWallMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

/**
 * All sessions of one server, with their journals. The wall-clock beat runs playing sessions
 * within a shared CPU budget, in slices that let requests through, and publishes each one;
 * whatever throws there touches only its own session.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly tickListeners: ((session: Session) => void)[] = [];
  private readonly deleteListeners: ((session: Session) => void)[] = [];
  private lock: DataDirLock | null = null;
  private viewerCount: (id: string) => number = () => 0;
  private beating = false;
  private rotation = 0;
  private closed = false;

  constructor(readonly options: SessionStoreOptions) {}

  get journalDir(): string | undefined {
    return this.options.dataDir === null ? undefined : join(this.options.dataDir, 'sessions');
  }

  /**
   * Takes the data directory (one server per directory) and replays every journal in it;
   * returns how many sessions came back. A damaged journal is set aside with one warning and
   * its session resumes from the entries before the damage.
   */
  restoreAll(): number {
    const dir = this.journalDir;
    if (!dir || this.options.dataDir === null) return 0;
    this.lock = DataDirLock.acquire(this.options.dataDir);
    let restored = 0;
    for (const path of Journal.list(dir)) {
      const session = this.restoreOne(path);
      if (session) {
        this.sessions.set(session.id, session);
        restored++;
      }
    }
    return restored;
  }

  private restoreOne(path: string): Session | null {
    const id = basename(path, '.jsonl');
    try {
      const loaded = Journal.load(path);
      for (const warning of loaded.warnings) this.options.warn(warning);
      const restored = loaded.header
        ? this.restoreFrom(path, loaded.header, loaded.entries, loaded.damage !== null)
        : null;
      const damage = restored?.damage ?? loaded.damage;
      if (damage) {
        const aside = Journal.setAside(path, loaded.header, restored?.kept ?? []);
        const outcome = restored
          ? `session ${id} resumes from the ${restored.kept.length} entries before it`
          : id === DEFAULT_SESSION_ID
            ? 'the default session starts afresh (with a new token)'
            : `session ${id} is not restored`;
        this.options.warn(
          `journal ${path} is damaged at line ${damage.line} (${damage.reason}); moved it to ${basename(aside)}; ${outcome}`,
        );
      }
      if (!restored) return null;
      restored.session.attachJournal(path);
      return restored.session;
    } catch (error) {
      this.options.warn(`could not restore ${path}: ${(error as Error).message}; left on disk, not served`);
      return null;
    }
  }

  /**
   * The session from its disk checkpoint and the journal entries after it; from the journal
   * alone when there is no checkpoint, or it cannot be used (set aside, with a warning).
   */
  private restoreFrom(
    path: string,
    header: JournalHeader,
    entries: JournalEntry[],
    journalDamaged: boolean,
  ): ReturnType<typeof Session.restore> {
    const found = readCheckpointFile(path, header.id, entries.length);
    if (found && !('problem' in found)) {
      try {
        return Session.restore(header, entries, this.options.warn, found as DiskCheckpoint);
      } catch (error) {
        this.setCheckpointAside(path, `it does not restore: ${(error as Error).message}`);
      }
    } else if (found && journalDamaged) {
      // It covers what the damage cut off; the journal's own warning says where the session resumes.
      rmSync(checkpointPathOf(path), { force: true });
    } else if (found) {
      this.setCheckpointAside(path, found.problem);
    }
    return Session.restore(header, entries, this.options.warn);
  }

  private setCheckpointAside(path: string, reason: string): void {
    const aside = setCheckpointAside(path);
    this.options.warn(
      `checkpoint of ${basename(path)} is damaged (${reason}); moved it to ${basename(aside)}; replaying the journal from the start`,
    );
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

  /** How many stream clients watch a session (from the stream); a watched session is not idle. */
  countViewersWith(viewers: (id: string) => number): void {
    this.viewerCount = viewers;
  }

  /**
   * Creates a session; a refusal (with its HTTP status) when the id is taken or bad, the
   * server is full, or `createdBy` (a client address) already has its share open.
   */
  create(scenario: Scenario, seed: number | undefined, id?: string, createdBy?: string): Session | CreateRefusal {
    const full = this.refuseNew(createdBy);
    if (full) return full;
    const sessionId = id ?? newSessionId();
    if (!isSessionId(sessionId)) {
      return {
        error: 'InvalidSessionId',
        status: 400,
        message: `session id "${sessionId}" must match [a-z0-9][a-z0-9-]{0,62}`,
      };
    }
    if (this.sessions.has(sessionId)) {
      return { error: 'SessionExists', status: 409, message: `session "${sessionId}" already exists` };
    }
    return this.start({
      id: sessionId,
      scenario,
      ...(seed === undefined ? {} : { seed }),
      ...(createdBy ? { createdBy } : {}),
    });
  }

  /**
   * A new session whose past is `parent`'s line up to `at` (default: its now), with a token
   * of its own; a refusal when the server is full (as `create`), or the parent's reason
   * (`at` not a played moment, the parent stopped) with nothing created.
   */
  fork(parent: Session, at: unknown, createdBy?: string): ChangeResult<Session> | CreateRefusal {
    const full = this.refuseNew(createdBy);
    if (full) return full;
    let id = newSessionId();
    while (this.sessions.has(id)) id = newSessionId();
    const journalDir = this.journalDir;
    const forked = parent.fork(at, {
      id,
      report: this.options.warn,
      ...(journalDir ? { journalDir } : {}),
      ...(createdBy ? { createdBy } : {}),
    });
    if (forked.ok) this.sessions.set(id, forked.value);
    return forked;
  }

  /** Why no session may be added now (the server, or `createdBy`'s share, is full), or null. */
  private refuseNew(createdBy: string | undefined): CreateRefusal | null {
    if (this.sessions.size >= this.options.maxSessions) {
      return {
        error: 'TooManySessions',
        status: 429,
        message: `this server already runs ${this.sessions.size} sessions (the limit); delete one first, or wait for an idle one to close`,
      };
    }
    const perAddress = this.options.maxSessionsPerAddress;
    if (createdBy !== undefined && perAddress !== undefined) {
      const mine = this.list().filter((s) => s.createdBy === createdBy).length;
      if (mine >= perAddress) {
        return {
          error: 'TooManySessions',
          status: 429,
          message: `${createdBy} already has ${mine} open sessions (the limit per address); delete one (DELETE /api/sessions/:id with its token) first`,
        };
      }
    }
    return null;
  }

  private start(init: { id: string; scenario: Scenario; seed?: number; token?: string; createdBy?: string }): Session {
    const journalDir = this.journalDir;
    const session = Session.create({ ...init, report: this.options.warn, ...(journalDir ? { journalDir } : {}) });
    this.sessions.set(session.id, session);
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

  /**
   * Starts a session again from its scenario: same id, token and seed, clock back at the
   * start, history gone. What DELETE does to the default session, whose URLs were printed.
   */
  reset(id: string): Session | undefined {
    const old = this.sessions.get(id);
    if (!old || !this.delete(id)) return undefined;
    return this.start({ id, scenario: old.scenario, seed: old.seed, token: old.token });
  }

  onTick(listener: (session: Session) => void): void {
    this.tickListeners.push(listener);
  }

  onDelete(listener: (session: Session) => void): void {
    this.deleteListeners.push(listener);
  }

  /** Runs `what` for one session; if it throws, only that session pays (it is rebuilt, or stopped). */
  private guarded(session: Session, what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      try {
        session.fault(what, error);
      } catch (faultError) {
        this.options.warn(`session ${session.id}: could not recover: ${(faultError as Error).stack}`);
      }
    }
  }

  /**
   * One beat of the server's clock. Playing sessions are owed simulated time (wall time ×
   * speed); they run it in turns within BEAT_BUDGET_MS of CPU shared equally, in slices of
   * at most SLICE_MS between which the event loop serves requests; each session is published
   * after its turn. A beat that is still working when the next is due lets that one pass.
   */
  tick(wallNowMs: number): void {
    if (this.beating || this.closed) return;
    this.beating = true;
    try {
      const all = this.list();
      for (const session of all) this.guarded(session, 'the clock', () => session.accrue(wallNowMs));
      // A different session goes first each beat, so a short budget is not always spent on the same ones.
      this.rotation = all.length === 0 ? 0 : (this.rotation + 1) % all.length;
      const queue = [...all.slice(this.rotation), ...all.slice(0, this.rotation)];
      const owing = queue.filter((s) => s.owesTime).length;
      const shareMs = BEAT_BUDGET_MS / Math.max(1, owing);
      const beatEnd = performance.now() + BEAT_BUDGET_MS;
      const clock = () => performance.now();
      const slice = () => {
        try {
          const sliceEnd = performance.now() + SLICE_MS;
          while (queue.length > 0 && performance.now() < sliceEnd && !this.closed) {
            const session = queue.shift() as Session;
            if (session.isDeleted) continue;
            const deadline = Math.min(beatEnd, performance.now() + shareMs);
            this.guarded(session, 'the clock', () => session.runOwed(deadline, clock));
            if (session.broken !== null) continue;
            for (const listener of this.tickListeners) {
              this.guarded(session, 'publishing to its viewers', () => listener(session));
            }
          }
          if (queue.length > 0 && !this.closed) {
            setImmediate(slice);
            return;
          }
          this.closeIdle(Date.now());
        } catch (error) {
          this.options.warn(`the server's clock failed: ${(error as Error).stack}`);
        }
        this.beating = false;
      };
      slice();
    } catch (error) {
      this.beating = false;
      this.options.warn(`the server's clock failed: ${(error as Error).stack}`);
    }
  }

  /** Closes sessions (never the default) with no viewer and no change for the idle timeout; archives their journals. */
  private closeIdle(wallNowMs: number): void {
    const timeout = this.options.idleTimeoutMs;
    if (timeout === null || timeout === undefined) return;
    for (const session of this.list()) {
      if (session.id === DEFAULT_SESSION_ID) continue;
      if (this.viewerCount(session.id) > 0) {
        session.lastActivityWallMs = wallNowMs;
        continue;
      }
      if (wallNowMs - session.lastActivityWallMs < timeout) continue;
      this.sessions.delete(session.id);
      const archived = session.archive();
      for (const listener of this.deleteListeners) listener(session);
      this.options.warn(
        `session ${session.id} closed after ${formatWallMs(timeout)} with no viewer and no change${archived ? `; its journal is in ${archived}` : ''}`,
      );
    }
  }

  /** Records every clock position, closes the journals and frees the data directory (graceful shutdown). */
  closeAll(): void {
    this.closed = true;
    for (const session of this.sessions.values()) {
      session.checkpoint();
      session.close();
    }
    this.lock?.release();
    this.lock = null;
  }
}
