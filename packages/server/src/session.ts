import { randomBytes } from 'node:crypto';
import { MAX_SPEED, MAX_STEP_MS, MIN_SPEED, type Playback } from '@eks-sim/protocol';
import {
  type Command,
  type CommandResult,
  createSimulation,
  type ExecResult,
  restoreSimulation,
  type SavedSimulation,
  type Scenario,
  type SimEvent,
  type Simulation,
} from '@eks-sim/sim-core';
import { type Checkpoint, CheckpointStore } from './checkpoints';
import {
  Journal,
  type JournalDamage,
  type JournalEntry,
  type JournalHeader,
  MAX_SIMULATED_SPAN_MS,
  type PlaybackEntry,
  writeCheckpointFile,
} from './journal';
import { logHash } from './log-hash';
import { Timeline } from './timeline';

/** Longest wall gap one beat turns into simulated time: a stalled event loop does not cause a huge jump. */
const MAX_TICK_WALL_MS = 250;

/** How often (wall ms) a playing session records where its clock got to, so a restart resumes near there. */
const CHECKPOINT_WALL_MS = 1000;

/** Wall ms one step of a playing session should take; the step's simulated length adapts to keep it there. */
const STEP_WALL_TARGET_MS = 2;

/** Simulated ms between two checkpoints on a session's line at least (besides one after every command): a seek redoes about this much. */
export const CHECKPOINT_EVERY_SIM_MS = 60 * 60_000;

/** Where a seek landed and what the session's history looks like now (`POST /api/sessions/:id/seek`). */
export interface SeekResult {
  readonly nowMs: number;
  /** Simulated ms the current line has been played to (a redo lies ahead while nowMs is earlier). */
  readonly endMs: number;
  readonly branches: readonly { id: number; fromMs: number; endMs: number; changes: number }[];
}

const doEntry = (sim: Simulation, entry: JournalEntry): void => {
  if (entry.kind === 'command') sim.apply(entry.command);
  else if (entry.kind === 'exec') sim.exec(entry.line, entry.from === undefined ? {} : { from: entry.from });
};

/** A whole save on disk and how many journal entries (after the header) it covers: a restart starts from it. */
export interface DiskCheckpoint {
  readonly entries: number;
  readonly save: SavedSimulation;
}

export function newToken(): string {
  return randomBytes(18).toString('base64url');
}

export interface SessionInit {
  readonly id: string;
  readonly scenario: Scenario;
  readonly seed?: number;
  readonly token?: string;
  /** Directory of journals; none → the session lives in memory only. */
  readonly journalDir?: string;
  readonly createdAt?: string;
  readonly createdBy?: string;
  /** Where an unexpected failure is reported, once, with its stack (the server's stderr). */
  readonly report?: (message: string) => void;
}

export type ChangeResult<T> = { ok: true; value: T } | { ok: false; error: string; message: string };

const describe = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/**
 * One classroom session: a Simulation, its control token, the wall-clock playback that
 * drives it, and its journal. Every change goes through here and is atomic: encoded,
 * applied, journalled (fsync'd) and only then acknowledged. If the simulation throws (a bug)
 * the session is rebuilt from what was journalled, so nothing half-applied survives.
 */
export class Session {
  readonly id: string;
  readonly token: string;
  readonly scenario: Scenario;
  readonly seed: number;
  readonly createdAt: string;
  readonly createdBy: string | undefined;
  private current: Simulation;
  private journal: Journal | null;
  /** What the journal holds after its header (consecutive clock checkpoints merged): a rebuild replays it. */
  private history: JournalEntry[] = [];
  /** Journal entries written after the header (a disk checkpoint says how many it covers). */
  private journalEntries = 0;
  /** The line the session is on, how far along it the simulation is, and the futures it left. */
  private timeline = new Timeline();
  private checkpoints = new CheckpointStore();
  private checkpointDueMs = Number.NEGATIVE_INFINITY;
  /** Behind the head: the line's event log as far as it was played (a later checkpoint's log is cut from it). */
  private redoLog: SimEvent[] | null = null;
  /** Bumped by every seek: viewers then need the whole state again, not a delta. */
  epoch = 0;
  private readonly report: (message: string) => void;
  private playing = false;
  private speed = 1;
  private lastWallMs: number | null = null;
  private lastCheckpointWallMs = 0;
  /** Simulated ms of playing time not yet run (the server shares its CPU among playing sessions). */
  private owedSimMs = 0;
  private stepSimMs = 1000;
  private deleted = false;
  private rebuilt = false;
  /** Why the session stopped for good (it failed again after a rebuild); null while it runs. */
  private brokenReason: string | null = null;
  /** Wall ms of the last command, shell line or clock action (or of creation, or of the server's start). */
  lastActivityWallMs = Date.now();

  private constructor(init: SessionInit, journal: Journal | null) {
    this.id = init.id;
    this.token = init.token ?? newToken();
    this.createdAt = init.createdAt ?? new Date().toISOString();
    this.createdBy = init.createdBy;
    this.scenario = init.scenario;
    this.current = createSimulation(init.scenario, init.seed === undefined ? {} : { seed: init.seed });
    this.seed = this.current.seed;
    this.journal = journal;
    this.report = init.report ?? ((message) => process.stderr.write(`eks-sim: ${message}\n`));
  }

  /** The simulation (replaced when the session is rebuilt from its journal). */
  get sim(): Simulation {
    return this.current;
  }

  /** A new session; its journal header is on disk before this returns. */
  static create(init: SessionInit): Session {
    const session = new Session(init, null);
    if (init.journalDir) session.journal = Journal.create(init.journalDir, session.header());
    return session;
  }

  private header(): JournalHeader {
    return {
      kind: 'session',
      version: 1,
      id: this.id,
      token: this.token,
      seed: this.seed,
      scenario: this.scenario,
      createdAt: this.createdAt,
      ...(this.createdBy === undefined ? {} : { createdBy: this.createdBy }),
    };
  }

  /**
   * Rebuilds a session by replaying journalled entries: same scenario, seed and timed changes
   * → same event log. With a disk checkpoint covering the first `from.entries` entries, those
   * are only folded into the timeline (not simulated) and the simulation starts from it.
   * Stops at the first entry past the scenario's horizon or whose replay throws, and says
   * where (the caller sets the rest aside); the journal is not opened here.
   */
  static restore(
    header: JournalHeader,
    entries: readonly JournalEntry[],
    report?: (message: string) => void,
    from?: DiskCheckpoint,
  ): { session: Session; damage: JournalDamage | null; kept: JournalEntry[] } {
    const init = {
      id: header.id,
      token: header.token,
      scenario: header.scenario,
      seed: header.seed,
      createdAt: header.createdAt,
      ...(header.createdBy === undefined ? {} : { createdBy: header.createdBy }),
      ...(report ? { report } : {}),
    };
    const session = new Session(init, null);
    const horizon = session.horizonMs;
    let first = 0;
    if (from) {
      for (const entry of entries.slice(0, from.entries)) session.fold(entry);
      session.current = restoreSimulation(from.save);
      session.takeCheckpoint();
      first = from.entries;
    }
    for (let index = first; index < entries.length; index++) {
      const entry = entries[index] as JournalEntry;
      const line = index + 2;
      if (entry.atMs > horizon) {
        const damage = {
          line,
          reason: `atMs ${entry.atMs} is more than 10 simulated years after the scenario's start`,
        };
        return { session, damage, kept: entries.slice(0, index) };
      }
      try {
        session.replay(entry);
        session.remember(entry);
      } catch (error) {
        // The simulation may be half way through that entry: start again from the entries before it.
        const kept = entries.slice(0, index);
        const clean = Session.restore(header, kept, report).session;
        return { session: clean, damage: { line, reason: `replaying it failed: ${(error as Error).message}` }, kept };
      }
    }
    return { session, damage: null, kept: [...entries] };
  }

  /** Appends to the journal file at `path` from now on (after `restore`). */
  attachJournal(path: string): void {
    this.journal = Journal.reopen(path);
  }

  /** Takes a journalled entry into the timeline without simulating it (a disk checkpoint covers it). */
  private fold(entry: JournalEntry): void {
    this.journalEntries++;
    this.remember(entry);
    if (entry.kind === 'seek') {
      this.timeline.seek(entry.atMs);
      return;
    }
    while (this.timeline.nextDue(entry.atMs)) this.timeline.markDone();
    this.timeline.record(entry);
    if (entry.kind === 'playback') {
      this.playing = entry.playing;
      this.speed = entry.speed;
    }
  }

  private replay(entry: JournalEntry): void {
    this.journalEntries++;
    if (entry.kind === 'seek') {
      const next = this.simulationAt(entry.atMs);
      if (!this.timeline.behindHead) this.redoLog = this.sim.events();
      this.current = next;
      this.moveTo(entry.atMs);
      return;
    }
    this.advanceAlong(entry.atMs);
    doEntry(this.sim, entry);
    this.timeline.record(entry);
    if (entry.kind === 'playback') {
      this.playing = entry.playing;
      this.speed = entry.speed;
    }
    if (entry.kind === 'command' || entry.kind === 'exec') this.takeCheckpoint();
  }

  /**
   * Moves the clock to `atMs` along the line: behind the head, the redo's commands and shell
   * lines happen again at their times. Checkpoints every CHECKPOINT_EVERY_SIM_MS on the way.
   */
  private advanceAlong(atMs: number): void {
    for (let due = this.timeline.nextDue(atMs); due; due = this.timeline.nextDue(atMs)) {
      this.advanceClock(due.atMs);
      this.timeline.markDone();
      doEntry(this.sim, due);
      if (due.kind === 'command' || due.kind === 'exec') this.takeCheckpoint();
    }
    this.advanceClock(atMs);
    if (!this.timeline.behindHead) this.redoLog = null;
  }

  private advanceClock(atMs: number): void {
    while (this.sim.now() < atMs) {
      this.sim.advanceTo(Math.min(atMs, Math.max(this.checkpointDueMs, this.sim.now() + 1)));
      if (this.sim.now() >= this.checkpointDueMs) this.takeCheckpoint();
    }
  }

  private takeCheckpoint(): void {
    this.checkpoints.take(this.sim, this.timeline.cursor);
    // A long line gets sparser checkpoints, so their number (and the time spent saving) stays bounded.
    const spacing = Math.max(CHECKPOINT_EVERY_SIM_MS, (this.sim.now() - this.sim.startMs) / 300);
    this.checkpointDueMs = this.sim.now() + spacing;
  }

  /** The line's event log as far as it was played (behind the head, further than the simulation's). */
  private lineLog(): readonly SimEvent[] {
    return this.redoLog ?? this.sim.events();
  }

  /**
   * A new simulation at `atMs` of the line: the nearest checkpoint at or before it, then what
   * the line did after it, then the clock to `atMs`. The session itself is not touched.
   */
  private simulationAt(atMs: number): Simulation {
    const line = this.timeline.line;
    const index = this.timeline.indexAt(atMs);
    const log = this.lineLog();
    const checkpoint: Checkpoint | undefined = this.checkpoints.nearest(atMs, index, log.length);
    const sim = checkpoint
      ? CheckpointStore.restore(checkpoint, log)
      : createSimulation(this.scenario, { seed: this.seed });
    for (const entry of line.slice(checkpoint?.cursor ?? 0, index)) {
      sim.advanceTo(entry.atMs);
      doEntry(sim, entry);
    }
    sim.advanceTo(atMs);
    return sim;
  }

  /** After `current` was set to the simulation at `atMs`: the timeline follows, playback stops, viewers resync. */
  private moveTo(atMs: number): void {
    this.timeline.seek(atMs);
    this.checkpointDueMs = atMs + CHECKPOINT_EVERY_SIM_MS;
    this.playing = false;
    this.lastWallMs = null;
    this.owedSimMs = 0;
    this.epoch++;
  }

  /** Keeps `entry` for a rebuild; a clock checkpoint right after another replaces it (replay only needs the last). */
  private remember(entry: JournalEntry): void {
    if (entry.kind === 'time' && this.history.at(-1)?.kind === 'time') this.history[this.history.length - 1] = entry;
    else this.history.push(entry);
  }

  /** Journals (when there is a journal) and remembers an entry already encoded as `line`; the timeline follows. */
  private record(entry: JournalEntry, line = JSON.stringify(entry), sync = true): void {
    this.journal?.appendLine(line, sync);
    this.journalEntries++;
    this.remember(entry);
    const cutting = this.timeline.behindHead && (entry.kind === 'command' || entry.kind === 'exec');
    const cursor = this.timeline.cursor;
    this.timeline.record(entry);
    if (cutting) {
      this.checkpoints.cut(cursor, entry.atMs);
      this.redoLog = null;
    }
  }

  /** `at` as a moment this session has played, or a refusal naming the played span. */
  private playedMoment(at: unknown): ChangeResult<number> {
    const startMs = this.sim.startMs;
    const endMs = this.timeline.endMs(this.sim.now());
    const iso = (ms: number) => new Date(ms).toISOString();
    if (typeof at !== 'number' || !Number.isFinite(at)) {
      return {
        ok: false,
        error: 'InvalidParameter',
        message: `"at" must be a simulated time in ms since the epoch, a number such as ${startMs} (${iso(startMs)}); got ${JSON.stringify(at) ?? String(at)}`,
      };
    }
    if (at < startMs || at > endMs) {
      return {
        ok: false,
        error: 'InvalidParameter',
        message: `"at" ${at}${at >= 0 && at <= 8.64e15 ? ` (${iso(at)})` : ''} is outside the played time of session "${this.id}": from ${startMs} (${iso(startMs)}) to ${endMs} (${iso(endMs)})`,
      };
    }
    return { ok: true, value: at };
  }

  /**
   * Sends the session to simulated time `at` (ms since the epoch) of what it has played: the
   * nearest checkpoint, then the line's own changes up to `at`, exactly. The future stays as
   * the redo; the clock pauses. Refused with a reason (nothing changed) when `at` is not a
   * played moment.
   */
  seek(wanted: unknown): ChangeResult<SeekResult> {
    if (this.brokenReason !== null) return { ok: false, ...this.brokenRefusal() };
    const moment = this.playedMoment(wanted);
    if (!moment.ok) return moment;
    const at = moment.value;
    this.lastActivityWallMs = Date.now();
    let next: Simulation;
    try {
      next = this.simulationAt(at);
    } catch (error) {
      this.report(`session ${this.id}: seeking to ${at} failed: ${describe(error)}`);
      return {
        ok: false,
        error: 'InternalError',
        message: "the seek failed inside the simulator; nothing was changed (see the server's log)",
      };
    }
    if (!this.timeline.behindHead) {
      // Leaving the head: mark where it was, and keep its log for the checkpoints past `at`.
      if (this.sim.now() > (this.timeline.line.at(-1)?.atMs ?? Number.NEGATIVE_INFINITY)) {
        this.record({ kind: 'time', atMs: this.sim.now() });
      }
      this.redoLog = this.sim.events();
    }
    if (this.playing) this.record({ kind: 'playback', atMs: this.sim.now(), playing: false, speed: this.speed });
    this.record({ kind: 'seek', atMs: at });
    this.current = next;
    this.moveTo(at);
    return { ok: true, value: this.timelineInfo() };
  }

  /**
   * A new session whose past is this one's line up to `at` (default: now). Its journal holds
   * that line's entries (and, after them, a paused clock at `at`), so it replays like any
   * session and its log up to `at` is this one's; from then on the two are independent. Its
   * simulation starts from this line's checkpoints, which it shares, not from the scenario's
   * start. Refused with a reason (nothing created) when `at` is not a played moment.
   */
  fork(wanted: unknown, init: Omit<SessionInit, 'scenario' | 'seed' | 'token' | 'createdAt'>): ChangeResult<Session> {
    if (this.brokenReason !== null) return { ok: false, ...this.brokenRefusal() };
    const moment = this.playedMoment(wanted === undefined ? this.sim.now() : wanted);
    if (!moment.ok) return moment;
    const at = moment.value;
    let sim: Simulation;
    try {
      sim = this.simulationAt(at);
    } catch (error) {
      this.report(`session ${this.id}: forking at ${at} failed: ${describe(error)}`);
      return {
        ok: false,
        error: 'InternalError',
        message: "the fork failed inside the simulator; nothing was created (see the server's log)",
      };
    }
    const entries = this.timeline.until(at);
    const lastPlayback = entries.filter((entry): entry is PlaybackEntry => entry.kind === 'playback').at(-1);
    // A fork starts paused: its holder decides when its clock runs.
    if (lastPlayback?.playing) entries.push({ kind: 'playback', atMs: at, playing: false, speed: lastPlayback.speed });
    entries.push({ kind: 'time', atMs: at });
    const fork = Session.create({
      ...init,
      scenario: this.scenario,
      seed: this.seed,
      report: init.report ?? this.report,
    });
    entries.forEach((entry, index) => {
      fork.journal?.append(entry, index === entries.length - 1);
      fork.fold(entry);
    });
    fork.current = sim;
    fork.checkpoints = this.checkpoints.until(fork.timeline.indexAt(at), at);
    fork.takeCheckpoint();
    return { ok: true, value: fork };
  }

  /** Where the session is on its line, and the futures it left. */
  timelineInfo(): SeekResult {
    return {
      nowMs: this.sim.now(),
      endMs: this.timeline.endMs(this.sim.now()),
      branches: this.timeline.branches.map((b) => ({
        id: b.id,
        fromMs: b.fromMs,
        endMs: b.endMs,
        changes: b.entries.filter((e) => e.kind === 'command' || e.kind === 'exec').length,
      })),
    };
  }

  /** Checkpoints kept in memory, and the bytes they cost beyond the parts they share (the bench reads it). */
  checkpointCosts(): { count: number; bytes: number[]; saveBytes: number } {
    const all = this.checkpoints.all;
    let saveBytes = 0;
    try {
      saveBytes = JSON.stringify(this.sim.save()).length;
    } catch {
      // A simulation that cannot be saved right now has no size to compare with.
    }
    return { count: all.length, bytes: all.map((c) => c.bytes), saveBytes };
  }

  /** The simulation as a save, with how many journal entries it covers (written at shutdown, read at restart). */
  diskCheckpoint(): DiskCheckpoint | null {
    try {
      return { entries: this.journalEntries, save: this.sim.save() };
    } catch {
      return null;
    }
  }

  get playback(): Playback {
    return { playing: this.playing, speed: this.speed };
  }

  get isDeleted(): boolean {
    return this.deleted;
  }

  get broken(): string | null {
    return this.brokenReason;
  }

  /** Whether a playing session still has simulated time to run this beat. */
  get owesTime(): boolean {
    return this.owedSimMs >= 1 && this.brokenReason === null && !this.deleted;
  }

  logHash(): string {
    return logHash(this.sim.events());
  }

  private brokenRefusal(): { error: string; message: string } {
    return {
      error: 'SessionBroken',
      message: `session "${this.id}" stopped after an internal failure (${this.brokenReason}); it can be watched but not changed. DELETE it (or restart the server) to start afresh`,
    };
  }

  /**
   * Something threw inside the simulation: throw away whatever it half did by rebuilding from
   * the journal, pause (so a failure that recurs while playing does not spin), and report
   * once with the stack. A second failure after a rebuild stops the session for good.
   */
  fault(what: string, error: unknown): void {
    if (this.brokenReason !== null || this.deleted) return;
    if (this.rebuilt) {
      this.brokenReason = `${what} failed again after a rebuild`;
      this.playing = false;
      this.report(
        `session ${this.id}: ${what} failed again after a rebuild; the session is stopped: ${describe(error)}`,
      );
      return;
    }
    this.rebuilt = true;
    this.report(`session ${this.id}: ${what} failed; rebuilt it from its journal and paused it: ${describe(error)}`);
    try {
      const { session, damage } = Session.restore(this.header(), this.history, this.report);
      if (damage) throw new Error(`line ${damage.line}: ${damage.reason}`);
      this.current = session.current;
      this.timeline = session.timeline;
      this.checkpoints = session.checkpoints;
      this.checkpointDueMs = session.checkpointDueMs;
      this.redoLog = session.redoLog;
      this.epoch++;
      this.playing = session.playing;
      this.speed = session.speed;
      this.owedSimMs = 0;
      this.lastWallMs = null;
      if (this.playing) this.pause();
    } catch (rebuildError) {
      this.brokenReason = 'its journal could not be replayed';
      this.playing = false;
      this.report(`session ${this.id}: rebuilding it failed; the session is stopped: ${describe(rebuildError)}`);
    }
  }

  /** Applies a command now. Only successful commands are journalled: a refused one changed nothing. */
  apply(command: Command): CommandResult {
    if (this.brokenReason !== null) {
      const { error, message } = this.brokenRefusal();
      return { ok: false, code: error, error: message };
    }
    this.lastActivityWallMs = Date.now();
    const entry: JournalEntry = { kind: 'command', atMs: this.sim.now(), command };
    let line: string;
    try {
      line = JSON.stringify(entry);
    } catch {
      return {
        ok: false,
        code: 'InvalidParameterException',
        error: `${command.type}: the command cannot be recorded (a value nests too deeply); nothing was changed`,
      };
    }
    try {
      const result = this.sim.apply(command);
      if (result.ok) {
        this.record(entry, line);
        this.takeCheckpoint();
      }
      return result;
    } catch (error) {
      this.fault(`applying ${command.type}`, error);
      return {
        ok: false,
        code: 'InternalError',
        error: `${command.type} failed inside the simulator; nothing was changed (see the server's log)`,
      };
    }
  }

  /** Runs a shell line. Journalled unless it threw: a shell line may change the world and moves the clock. */
  exec(line: string, from?: string): ExecResult {
    if (this.brokenReason !== null) {
      const stderr = `eks-sim: ${this.brokenRefusal().message}\n`;
      return { exitCode: 70, stdout: '', stderr, output: stderr, tookMs: 0 };
    }
    this.lastActivityWallMs = Date.now();
    const entry: JournalEntry =
      from === undefined
        ? { kind: 'exec', atMs: this.sim.now(), line }
        : { kind: 'exec', atMs: this.sim.now(), line, from };
    try {
      const result = this.sim.exec(line, from === undefined ? {} : { from });
      this.record(entry);
      this.takeCheckpoint();
      return result;
    } catch (error) {
      this.fault('a shell line', error);
      const stderr = "eks-sim: internal error in the simulated shell; nothing was changed (see the server's log)\n";
      return { exitCode: 70, stdout: '', stderr, output: stderr, tookMs: 0 };
    }
  }

  play(): ChangeResult<Playback> {
    this.playing = true;
    this.lastWallMs = null;
    return this.recordPlayback();
  }

  pause(): ChangeResult<Playback> {
    this.playing = false;
    this.lastWallMs = null;
    this.owedSimMs = 0;
    return this.recordPlayback();
  }

  setSpeed(speed: number): ChangeResult<Playback> {
    if (!Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
      return {
        ok: false,
        error: 'InvalidParameter',
        message: `speed must be from ${MIN_SPEED} to ${MAX_SPEED} (got ${speed})`,
      };
    }
    this.speed = speed;
    return this.recordPlayback();
  }

  private get horizonMs(): number {
    return this.sim.startMs + MAX_SIMULATED_SPAN_MS;
  }

  /** Lets `ms` of simulated time pass now, playing or not. */
  step(ms: number): ChangeResult<Playback> {
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_STEP_MS) {
      return {
        ok: false,
        error: 'InvalidParameter',
        message: `step needs ms from 0 to ${MAX_STEP_MS} (30 days; got ${ms})`,
      };
    }
    if (this.brokenReason !== null) return { ok: false, ...this.brokenRefusal() };
    if (this.sim.now() + ms > this.horizonMs) {
      return {
        ok: false,
        error: 'InvalidParameter',
        message: 'a session runs at most 10 simulated years after its scenario starts; start a new session',
      };
    }
    this.lastActivityWallMs = Date.now();
    try {
      this.advanceAlong(this.sim.now() + ms);
      this.record({ kind: 'time', atMs: this.sim.now() });
    } catch (error) {
      this.fault('a clock step', error);
      return {
        ok: false,
        error: 'InternalError',
        message: "the clock step failed inside the simulator; nothing was changed (see the server's log)",
      };
    }
    return { ok: true, value: this.playback };
  }

  private recordPlayback(): ChangeResult<Playback> {
    if (this.brokenReason !== null) return { ok: false, ...this.brokenRefusal() };
    this.lastActivityWallMs = Date.now();
    this.record({ kind: 'playback', atMs: this.sim.now(), playing: this.playing, speed: this.speed });
    return { ok: true, value: this.playback };
  }

  /**
   * One beat of the server's clock: wall time since the last beat × speed becomes simulated
   * time owed, which `runOwed` then runs as the server's CPU budget allows. Owed time does
   * not pile up beyond one long beat: a session the server cannot keep up with runs slower,
   * not in bursts.
   */
  accrue(wallNowMs: number): void {
    if (!this.playing || this.deleted || this.brokenReason !== null) return;
    if (this.lastWallMs === null) {
      this.lastWallMs = wallNowMs;
      this.lastCheckpointWallMs = wallNowMs;
      return;
    }
    const wallMs = Math.min(MAX_TICK_WALL_MS, Math.max(0, wallNowMs - this.lastWallMs));
    this.lastWallMs = wallNowMs;
    this.owedSimMs = Math.min(this.owedSimMs + wallMs * this.speed, MAX_TICK_WALL_MS * this.speed);
  }

  /** Runs owed simulated time in steps until it is all run or `clock()` reaches `deadlineMs`. */
  runOwed(deadlineMs: number, clock: () => number): void {
    while (this.owesTime && this.playing) {
      const startedMs = clock();
      if (startedMs >= deadlineMs) break;
      const remaining = this.horizonMs - this.sim.now();
      const stepMs = Math.min(Math.floor(this.owedSimMs), this.stepSimMs, remaining);
      if (stepMs <= 0) {
        this.report(`session ${this.id}: paused at its horizon, 10 simulated years after its scenario's start`);
        this.pause();
        break;
      }
      this.advanceAlong(this.sim.now() + stepMs);
      this.owedSimMs -= stepMs;
      const tookMs = clock() - startedMs;
      if (tookMs < STEP_WALL_TARGET_MS / 2) this.stepSimMs = Math.min(this.stepSimMs * 2, 900_000);
      else if (tookMs > STEP_WALL_TARGET_MS * 2) this.stepSimMs = Math.max(1000, Math.floor(this.stepSimMs / 2));
    }
    const wallNowMs = this.lastWallMs ?? 0;
    if (this.playing && wallNowMs - this.lastCheckpointWallMs >= CHECKPOINT_WALL_MS) {
      this.lastCheckpointWallMs = wallNowMs;
      // Not fsync'd: where a playing clock had got to is never acknowledged to anyone.
      this.record({ kind: 'time', atMs: this.sim.now() }, undefined, false);
    }
  }

  /** Records where the clock is (fsync'd) and writes the disk checkpoint a restart starts from; used at shutdown. */
  checkpoint(): void {
    if (this.brokenReason !== null) return;
    this.record({ kind: 'time', atMs: this.sim.now() });
    const disk = this.journal ? this.diskCheckpoint() : null;
    if (this.journal && disk) writeCheckpointFile(this.journal.path, this.id, disk.entries, disk.save);
  }

  close(): void {
    this.journal?.close();
  }

  /** Deletes the session and its journal. */
  destroy(): void {
    this.deleted = true;
    this.playing = false;
    this.journal?.remove();
    this.journal = null;
  }

  /** Closes the session and moves its journal to the archive; returns where it went (null: in memory only). */
  archive(): string | null {
    this.deleted = true;
    this.playing = false;
    const archived = this.journal?.archive() ?? null;
    this.journal = null;
    return archived;
  }
}
