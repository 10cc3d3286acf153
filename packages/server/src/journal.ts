import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { MAX_SPEED, MIN_SPEED } from '@eks-sim/protocol';
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
  /** Client address that created it (anonymous creation is capped per address); absent for the default session. */
  readonly createdBy?: string;
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

/**
 * The session was sent to simulated time `atMs` (earlier than the line before, or forward
 * along the redo); the clock entry before it says where the head was. Entries after it
 * continue from `atMs`.
 */
export interface SeekEntry {
  readonly kind: 'seek';
  readonly atMs: number;
}

export type JournalEntry = TimeEntry | CommandEntry | ExecEntry | PlaybackEntry | SeekEntry;

/** Simulated time a journal may reach after its scenario's start; later is damage (and would take hours to replay). */
export const MAX_SIMULATED_SPAN_MS = 10 * 365 * 24 * 3600 * 1000;

/** Where a journal stops being trustworthy: its 1-based line number and why. */
export interface JournalDamage {
  readonly line: number;
  readonly reason: string;
}

export interface LoadedJournal {
  /** null: line 1 is no usable header, so nothing can be resumed. */
  readonly header: JournalHeader | null;
  /** The longest valid prefix of entries (all of them when `damage` is null). */
  readonly entries: JournalEntry[];
  /** A torn last line that was cut off (the process died mid-write, before the ack). */
  readonly warnings: string[];
  readonly damage: JournalDamage | null;
}

const SESSION_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function isSessionId(id: string): boolean {
  return SESSION_ID.test(id);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why line 1 is not the header of session `id`'s journal, or null when it is. */
function headerProblem(value: unknown, id: string): string | null {
  if (!isRecord(value) || value.kind !== 'session') return 'not a session header';
  if (value.version !== 1) return `unknown journal version ${JSON.stringify(value.version)}`;
  if (value.id !== id) return `the header names session ${JSON.stringify(value.id)}, the file is ${id}.jsonl`;
  if (typeof value.token !== 'string' || value.token === '') return 'the header has no token';
  if (!Number.isInteger(value.seed)) return 'the header has no integer seed';
  if (!isRecord(value.scenario)) return 'the header has no scenario';
  if (typeof value.createdAt !== 'string') return 'the header has no createdAt';
  if (value.createdBy !== undefined && typeof value.createdBy !== 'string') return 'createdBy is not a string';
  return null;
}

/** Why a later line is not an entry that may follow one stamped `previousAtMs`, or null when it is. */
function entryProblem(value: unknown, previousAtMs: number): string | null {
  if (!isRecord(value)) return 'not a journal entry (not an object)';
  const atMs = value.atMs;
  if (typeof atMs !== 'number' || !Number.isFinite(atMs)) return 'no finite "atMs"';
  if (atMs < previousAtMs && value.kind !== 'seek') {
    return `atMs ${atMs} is earlier than the line before (${previousAtMs})`;
  }
  switch (value.kind) {
    case 'time':
    case 'seek':
      return null;
    case 'command':
      return isRecord(value.command) && typeof value.command.type === 'string' ? null : 'a command without a "type"';
    case 'exec':
      if (typeof value.line !== 'string') return 'an exec entry without a "line"';
      return value.from === undefined || typeof value.from === 'string' ? null : '"from" is not a string';
    case 'playback':
      if (typeof value.playing !== 'boolean') return 'a playback entry without "playing"';
      return typeof value.speed === 'number' && value.speed >= MIN_SPEED && value.speed <= MAX_SPEED
        ? null
        : `speed ${JSON.stringify(value.speed)} is not from ${MIN_SPEED} to ${MAX_SPEED}`;
    default:
      return `unknown kind ${JSON.stringify(value.kind)}`;
  }
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
    this.appendLine(JSON.stringify(entry), sync);
  }

  /** Appends a line already encoded (so that a value that cannot be encoded is refused before it is applied). */
  appendLine(line: string, sync = true): void {
    if (this.fd === null) throw new Error(`journal ${this.path} is closed`);
    writeSync(this.fd, `${line}\n`);
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
    rmSync(checkpointPathOf(this.path), { force: true });
  }

  /** Closes the file and moves it to `<dir>/archive/` (the session idled out); returns where it went. */
  archive(): string {
    this.close();
    const dir = join(dirname(this.path), 'archive');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const plain = join(dir, basename(this.path));
    const target = existsSync(plain) ? freeName(plain, (n) => `.${n}`) : plain;
    renameSync(this.path, target);
    // The archive keeps the journal only: it replays on its own.
    rmSync(checkpointPathOf(this.path), { force: true });
    return target;
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
   * Reads a journal up to its first bad line. A torn or corrupt LAST line after a good header
   * (the process died mid-write, before the ack) is cut off with a warning; any other bad line
   * is damage: the entries before it are returned with where and why it stopped, so the
   * session can resume from them rather than replay a different history.
   */
  static load(path: string): LoadedJournal {
    const id = basename(path, '.jsonl');
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const warnings: string[] = [];
    const damaged = (header: JournalHeader | null, entries: JournalEntry[], line: number, reason: string) => ({
      header,
      entries,
      warnings,
      damage: { line, reason },
    });
    if (lines.length === 0) return damaged(null, [], 1, 'the file is empty');
    const parse = (index: number): { value: unknown } | null => {
      try {
        return { value: JSON.parse(lines[index] as string) };
      } catch {
        return null;
      }
    };
    const first = parse(0);
    if (!first) return damaged(null, [], 1, 'line 1 is not JSON (a torn header?)');
    const problem = headerProblem(first.value, id);
    if (problem) return damaged(null, [], 1, problem);
    const header = first.value as JournalHeader;
    const entries: JournalEntry[] = [];
    let previousAtMs = Number.NEGATIVE_INFINITY;
    for (let i = 1; i < lines.length; i++) {
      const parsed = parse(i);
      if (!parsed && i === lines.length - 1) {
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
        break;
      }
      if (!parsed) return damaged(header, entries, i + 1, 'not JSON');
      const entryIssue = entryProblem(parsed.value, previousAtMs);
      if (entryIssue) return damaged(header, entries, i + 1, entryIssue);
      const entry = parsed.value as JournalEntry;
      previousAtMs = entry.atMs;
      entries.push(entry);
    }
    return { header, entries, warnings, damage: null };
  }

  /**
   * Moves a damaged journal aside to `<path>.damaged-N` and, when there is a header, writes
   * the valid prefix back in its place (via a synced temporary file). Returns the new name
   * of the damaged file.
   */
  static setAside(path: string, header: JournalHeader | null, entries: readonly JournalEntry[]): string {
    const aside = freeName(`${path}.damaged`, (n) => `-${n}`);
    if (header === null) {
      renameSync(path, aside);
      return aside;
    }
    const temporary = `${path}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, [header, ...entries].map((e) => `${JSON.stringify(e)}\n`).join(''));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(path, aside);
    renameSync(temporary, path);
    return aside;
  }
}

/** `base` + suffix(1), suffix(2), … : the first name not taken. */
function freeName(base: string, suffix: (n: number) => string): string {
  for (let n = 1; ; n++) {
    const candidate = `${base}${suffix(n)}`;
    if (!existsSync(candidate)) return candidate;
  }
}

/** A session's checkpoint on disk: `<id>.checkpoint.json` beside its journal. */
export function checkpointPathOf(journalPath: string): string {
  return journalPath.replace(/\.jsonl$/, '.checkpoint.json');
}

const CHECKPOINT_FORMAT = 'eks-sim/checkpoint';

/**
 * Writes a whole save and how many journal entries it covers, via a synced temporary file,
 * so a restart starts from it instead of replaying the journal from the start.
 */
export function writeCheckpointFile(journalPath: string, id: string, entries: number, save: unknown): void {
  const path = checkpointPathOf(journalPath);
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, JSON.stringify({ format: CHECKPOINT_FORMAT, version: 1, id, entries, save }));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/**
 * The checkpoint beside a journal of `entryCount` entries: null when there is none; a
 * `problem` naming what is wrong when it cannot be used (then the journal is replayed).
 */
export function readCheckpointFile(
  journalPath: string,
  id: string,
  entryCount: number,
): { entries: number; save: unknown } | { problem: string } | null {
  const path = checkpointPathOf(journalPath);
  if (!existsSync(path)) return null;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return { problem: `${basename(path)} is not JSON (torn or damaged)` };
  }
  if (!isRecord(value) || value.format !== CHECKPOINT_FORMAT)
    return { problem: `${basename(path)} is not a checkpoint` };
  if (value.version !== 1) return { problem: `${basename(path)} has unknown version ${JSON.stringify(value.version)}` };
  if (value.id !== id) return { problem: `${basename(path)} names session ${JSON.stringify(value.id)}` };
  const entries = value.entries;
  if (!Number.isInteger(entries) || (entries as number) < 0) return { problem: `${basename(path)} has no entry count` };
  if ((entries as number) > entryCount) {
    return {
      problem: `${basename(path)} covers ${entries} journal entries but the journal has ${entryCount}`,
    };
  }
  if (!isRecord(value.save)) return { problem: `${basename(path)} holds no save` };
  return { entries: entries as number, save: value.save };
}

/** Moves a checkpoint that could not be used to `<path>.damaged-N`; returns the new name. */
export function setCheckpointAside(journalPath: string): string {
  const path = checkpointPathOf(journalPath);
  const aside = freeName(`${path}.damaged`, (n) => `-${n}`);
  renameSync(path, aside);
  return aside;
}
