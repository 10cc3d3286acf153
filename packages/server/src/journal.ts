import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Command, Scenario } from '@eks-sim/sim-core';

/**
 * A session's journal: one JSON-lines file per session under `<data-dir>/sessions/`. Line 1
 * says what to build (scenario, seed, token); every later line is something that changed the
 * simulation, stamped with the simulated time it happened at, so replay is exact: advance to
 * `atMs`, then do it again. Each line is fsync'd before the change is acknowledged.
 */
export interface JournalHeader {
  readonly kind: 'session';
  readonly version: 1;
  readonly id: string;
  readonly token: string;
  readonly seed: number;
  readonly scenario: Scenario;
  /** Wall time of creation, for `GET /api/sessions` only (never fed to the simulation). */
  readonly createdAt: string;
}

/** Simulated time moved to `atMs` (a clock step, a pause, a periodic checkpoint while playing). */
export interface TimeEntry {
  readonly kind: 'time';
  readonly atMs: number;
}

export interface CommandEntry {
  readonly kind: 'command';
  readonly atMs: number;
  readonly command: Command;
}

/** `sim.exec` advances the clock itself; replay runs the same line at the same time. */
export interface ExecEntry {
  readonly kind: 'exec';
  readonly atMs: number;
  readonly line: string;
  readonly from?: string;
}

export interface PlaybackEntry {
  readonly kind: 'playback';
  readonly atMs: number;
  readonly playing: boolean;
  readonly speed: number;
}

export type JournalEntry = TimeEntry | CommandEntry | ExecEntry | PlaybackEntry;

export interface LoadedJournal {
  readonly header: JournalHeader;
  readonly entries: JournalEntry[];
  /** Problems met while reading (a torn last line), for the server's log. */
  readonly warnings: string[];
}

const SESSION_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function isSessionId(id: string): boolean {
  return SESSION_ID.test(id);
}

export class Journal {
  private fd: number | null;

  private constructor(
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Starts a new journal (fails if the file exists: a session id is never reused). */
  static create(dir: string, header: JournalHeader): Journal {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `${header.id}.jsonl`);
    const journal = new Journal(path, openSync(path, 'wx', 0o600));
    journal.append(header);
    return journal;
  }

  /** Reopens an existing journal for appending, after `load`. */
  static reopen(path: string): Journal {
    return new Journal(path, openSync(path, 'a', 0o600));
  }

  /** Appends one line and waits for the disk: after this returns, a `kill -9` loses nothing. */
  append(entry: JournalHeader | JournalEntry, sync = true): void {
    if (this.fd === null) throw new Error(`journal ${this.path} is closed`);
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    if (sync) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** Closes and removes the file (the session was deleted). */
  remove(): void {
    this.close();
    rmSync(this.path, { force: true });
  }

  /** Every journal file in `dir`, oldest name order. */
  static list(dir: string): string[] {
    try {
      return readdirSync(dir)
        .filter((f) => f.endsWith('.jsonl'))
        .sort()
        .map((f) => join(dir, f));
    } catch {
      return [];
    }
  }

  /**
   * Reads a journal. A torn or corrupt LAST line (the process died mid-write, before the
   * ack) is skipped with a warning; a bad line anywhere else means the file was damaged by
   * something else, and loading fails rather than replay a different history.
   */
  static load(path: string): LoadedJournal {
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const warnings: string[] = [];
    const parsed: unknown[] = [];
    for (let i = 0; i < lines.length; i++) {
      try {
        parsed.push(JSON.parse(lines[i] as string));
      } catch {
        if (i === lines.length - 1) {
          warnings.push(`${path}: line ${i + 1} is incomplete or corrupt (torn write?); skipped`);
          // Cut it off, so that the next append starts on a line of its own.
          truncateSync(
            path,
            Buffer.byteLength(
              lines
                .slice(0, i)
                .map((l) => `${l}\n`)
                .join(''),
            ),
          );
        } else {
          throw new Error(`${path}: line ${i + 1} is not JSON; the journal is damaged`);
        }
      }
    }
    const header = parsed[0] as JournalHeader | undefined;
    if (header?.kind !== 'session' || typeof header.id !== 'string' || typeof header.token !== 'string') {
      throw new Error(`${path}: line 1 is not a session header`);
    }
    const entries: JournalEntry[] = [];
    for (const [index, entry] of parsed.slice(1).entries()) {
      const e = entry as JournalEntry;
      if (
        typeof e !== 'object' ||
        e === null ||
        !['time', 'command', 'exec', 'playback'].includes(e.kind) ||
        typeof e.atMs !== 'number'
      ) {
        throw new Error(`${path}: line ${index + 2} is not a journal entry`);
      }
      entries.push(e);
    }
    return { header, entries, warnings };
  }
}
