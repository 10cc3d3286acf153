import type { JournalEntry } from './journal';

/** A future that was left behind: the session went back before `fromMs` and then did something else. */
export interface KeptBranch {
  /** 1, 2, … in the order they were left. */
  readonly id: number;
  /** Simulated ms where it parts from the line it was cut from. */
  readonly fromMs: number;
  /** Where it had got to. */
  readonly endMs: number;
  /** What it did after `fromMs`, in order. */
  readonly entries: readonly JournalEntry[];
}

/**
 * The shape of a session's history, without the simulation: the line it is on (every change,
 * stamped with its simulated time), how many of those the simulation has done (`cursor`), and
 * the futures it left. Behind the head (after a seek back) the rest of the line is the redo:
 * moving the clock forward redoes it; a new command or shell line cuts it off into a kept
 * branch. Pure bookkeeping, so a journal can be folded through it without simulating.
 */
export class Timeline {
  private entries: JournalEntry[] = [];
  private done = 0;
  private readonly kept: KeptBranch[] = [];

  get line(): readonly JournalEntry[] {
    return this.entries;
  }

  get cursor(): number {
    return this.done;
  }

  get branches(): readonly KeptBranch[] {
    return this.kept;
  }

  /** Whether a redo lies ahead (the session was sent back and has not done anything new since). */
  get behindHead(): boolean {
    return this.done < this.entries.length;
  }

  /** Simulated ms the line has been played to (at least `nowMs`, the simulation's clock). */
  endMs(nowMs: number): number {
    return Math.max(nowMs, this.entries.at(-1)?.atMs ?? nowMs);
  }

  /** The next redo entry due by `atMs`, if any (the simulation does it, then calls `markDone`). */
  nextDue(atMs: number): JournalEntry | undefined {
    const next = this.entries[this.done];
    return next !== undefined && next.atMs <= atMs ? next : undefined;
  }

  markDone(): void {
    this.done++;
  }

  /**
   * A change the simulation just made (a command, a shell line, a playback switch, the clock
   * reaching `atMs`). Behind the head, a command or shell line cuts the redo off into a kept
   * branch; the clock and playback only redo (they leave the line as it is).
   */
  record(entry: JournalEntry): void {
    if (entry.kind === 'seek') return;
    if (this.behindHead) {
      if (entry.kind !== 'command' && entry.kind !== 'exec') return;
      const rest = this.entries.slice(this.done);
      this.kept.push({
        id: this.kept.length + 1,
        fromMs: entry.atMs,
        endMs: (rest.at(-1) as JournalEntry).atMs,
        entries: rest,
      });
      this.entries = this.entries.slice(0, this.done);
    }
    // Only the last of consecutive clock positions matters to a redo.
    if (entry.kind === 'time' && this.entries.at(-1)?.kind === 'time') this.entries[this.entries.length - 1] = entry;
    else this.entries.push(entry);
    this.done = this.entries.length;
  }

  /** How many of the line's entries are done at `atMs` (those stamped at or before it). */
  indexAt(atMs: number): number {
    let index = 0;
    while (index < this.entries.length && (this.entries[index] as JournalEntry).atMs <= atMs) index++;
    return index;
  }

  /**
   * Goes back (or forward along the redo) to `atMs`: what was done at or before it counts as
   * done, the rest is the redo. The head's position must be recorded first (a clock entry).
   */
  seek(atMs: number): void {
    this.done = this.indexAt(atMs);
  }

  /** The line's entries up to and including `atMs` (what a fork at `atMs` inherits). */
  until(atMs: number): JournalEntry[] {
    return this.entries.filter((entry) => entry.atMs <= atMs);
  }
}
