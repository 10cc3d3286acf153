import { randomBytes } from 'node:crypto';
import {
  type Command,
  type CommandResult,
  createSimulation,
  type ExecResult,
  type Scenario,
  type Simulation,
} from '@eks-sim/sim-core';
import { Journal, type JournalEntry, type LoadedJournal } from './journal';
import { logHash } from './log-hash';
import { MAX_SPEED, MAX_STEP_MS, MIN_SPEED, type Playback } from './protocol';

/** Longest wall gap one tick turns into simulated time: a stalled event loop does not cause a huge jump. */
const MAX_TICK_WALL_MS = 250;

/** How often (wall ms) a playing session records where its clock got to, so a restart resumes near there. */
const CHECKPOINT_WALL_MS = 1000;

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
}

export type ChangeResult<T> = { ok: true; value: T } | { ok: false; error: string; message: string };

/**
 * One classroom session: a Simulation, its control token, the wall-clock playback that
 * drives it, and its journal. Every change goes through here, so that it is journalled
 * (and fsync'd) before anyone is told it happened. No model logic: sim-core decides.
 */
export class Session {
  readonly id: string;
  readonly token: string;
  readonly sim: Simulation;
  readonly createdAt: string;
  private journal: Journal | null;
  private playing = false;
  private speed = 1;
  private lastWallMs: number | null = null;
  private lastCheckpointWallMs = 0;
  private deleted = false;

  private constructor(init: SessionInit, journal: Journal | null) {
    this.id = init.id;
    this.token = init.token ?? newToken();
    this.createdAt = init.createdAt ?? new Date().toISOString();
    this.sim = createSimulation(init.scenario, init.seed === undefined ? {} : { seed: init.seed });
    this.journal = journal;
  }

  /** A new session; its journal header is on disk before this returns. */
  static create(init: SessionInit): Session {
    const session = new Session(init, null);
    if (init.journalDir) {
      session.journal = Journal.create(init.journalDir, {
        kind: 'session',
        version: 1,
        id: session.id,
        token: session.token,
        seed: session.sim.seed,
        scenario: init.scenario,
        createdAt: session.createdAt,
      });
    }
    return session;
  }

  /** Rebuilds a session by replaying its journal: same scenario, seed and timed changes → same event log. */
  static restore(loaded: LoadedJournal, path: string): Session {
    const { header } = loaded;
    const session = new Session(
      { id: header.id, token: header.token, scenario: header.scenario, seed: header.seed, createdAt: header.createdAt },
      null,
    );
    for (const entry of loaded.entries) session.replay(entry);
    session.journal = Journal.reopen(path);
    return session;
  }

  private replay(entry: JournalEntry): void {
    this.sim.advanceTo(entry.atMs);
    switch (entry.kind) {
      case 'time':
        return;
      case 'command':
        this.sim.apply(entry.command);
        return;
      case 'exec':
        this.runExec(entry.line, entry.from);
        return;
      case 'playback':
        this.playing = entry.playing;
        this.speed = entry.speed;
        return;
    }
  }

  get playback(): Playback {
    return { playing: this.playing, speed: this.speed };
  }

  get isDeleted(): boolean {
    return this.deleted;
  }

  logHash(): string {
    return logHash(this.sim.events());
  }

  /** Applies a command now. Only successful commands are journalled: a failed one changed nothing. */
  apply(command: Command): CommandResult {
    const atMs = this.sim.now();
    const result = this.sim.apply(command);
    if (result.ok) this.journal?.append({ kind: 'command', atMs, command });
    return result;
  }

  /** Runs a shell line. Always journalled: a shell line may change the world and moves the clock. */
  exec(line: string, from?: string): ExecResult {
    const atMs = this.sim.now();
    const result = this.runExec(line, from);
    this.journal?.append(from === undefined ? { kind: 'exec', atMs, line } : { kind: 'exec', atMs, line, from });
    return result;
  }

  private runExec(line: string, from: string | undefined): ExecResult {
    try {
      return this.sim.exec(line, from === undefined ? {} : { from });
    } catch (error) {
      // The shell must not throw; if it does, the caller still gets an answer, not a crash.
      const stderr = `eks-sim: internal error in the simulated shell: ${(error as Error).message}\n`;
      const failed = { exitCode: 70, stdout: '', stderr, output: stderr, tookMs: 0 };
      return failed;
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

  /** Lets `ms` of simulated time pass now, playing or not. */
  step(ms: number): ChangeResult<Playback> {
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_STEP_MS) {
      return {
        ok: false,
        error: 'InvalidParameter',
        message: `step needs ms from 0 to ${MAX_STEP_MS} (30 days; got ${ms})`,
      };
    }
    this.sim.advance(ms);
    this.journal?.append({ kind: 'time', atMs: this.sim.now() });
    return { ok: true, value: this.playback };
  }

  private recordPlayback(): ChangeResult<Playback> {
    this.journal?.append({ kind: 'playback', atMs: this.sim.now(), playing: this.playing, speed: this.speed });
    return { ok: true, value: this.playback };
  }

  /** Called by the server's ticker: turns elapsed wall time × speed into simulated time. */
  tick(wallNowMs: number): void {
    if (!this.playing || this.deleted) return;
    if (this.lastWallMs === null) {
      this.lastWallMs = wallNowMs;
      this.lastCheckpointWallMs = wallNowMs;
      return;
    }
    const wallMs = Math.min(MAX_TICK_WALL_MS, Math.max(0, wallNowMs - this.lastWallMs));
    this.lastWallMs = wallNowMs;
    if (wallMs > 0) this.sim.advance(Math.round(wallMs * this.speed));
    if (wallNowMs - this.lastCheckpointWallMs >= CHECKPOINT_WALL_MS) {
      this.lastCheckpointWallMs = wallNowMs;
      // Not fsync'd: where a playing clock had got to is never acknowledged to anyone.
      this.journal?.append({ kind: 'time', atMs: this.sim.now() }, false);
    }
  }

  /** Records where the clock is (fsync'd); used at shutdown. */
  checkpoint(): void {
    this.journal?.append({ kind: 'time', atMs: this.sim.now() });
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
}
