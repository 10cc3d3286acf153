/**
 * The keyed writes the model tracks through the Raft log: the writes of the client history
 * (`client-history.ts`), not the anonymous bulk of the load model. Each sits at one log
 * entry, named by its index and the term it was written in; it takes effect when that
 * entry commits, and it is gone if the entry is overwritten before (Raft §5.3) or lost with
 * the log that held it.
 */
import { type LogRun, termAt } from './raft-log';

export interface KeyedWrite {
  readonly opId: number;
  readonly key: string;
  readonly value: string;
  readonly index: number;
  readonly term: number;
}

export class KvWrites {
  /** Appended to some leader's log, not (yet) committed. */
  private pending: KeyedWrite[] = [];
  /** Committed, in index order. */
  private committed: KeyedWrite[] = [];
  private readonly values = new Map<string, string>();

  add(write: KeyedWrite): void {
    this.pending.push(write);
  }

  /** The value of `key` in the committed state (what a linearizable read returns). */
  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  /** Applies the pending writes that the committed log now holds, up to `committedIndex`. */
  commitUpTo(committedLog: readonly LogRun[], committedIndex: number): void {
    if (this.pending.length === 0) return;
    const still: KeyedWrite[] = [];
    for (const w of this.pending.sort((a, b) => a.index - b.index)) {
      if (w.index > committedIndex) still.push(w);
      else if (termAt(committedLog, w.index) === w.term) {
        this.committed.push(w);
        this.values.set(w.key, w.value);
      }
      // Otherwise another leader's entry took its index: the write never happened.
    }
    this.pending = still;
  }

  /**
   * The committed log was cut back to `keptIndex` (a rebuild from survivors that lacked the
   * rest): the writes after it are undone and returned.
   */
  loseAfter(keptIndex: number): KeyedWrite[] {
    const lost = this.committed.filter((w) => w.index > keptIndex);
    if (lost.length === 0) return [];
    this.committed = this.committed.filter((w) => w.index <= keptIndex);
    this.pending = this.pending.filter((w) => w.index <= keptIndex);
    this.values.clear();
    for (const w of this.committed) this.values.set(w.key, w.value);
    return lost;
  }

  /** Drops pending writes whose entries are no longer in any log that could commit them. */
  dropPendingAfter(index: number): void {
    this.pending = this.pending.filter((w) => w.index <= index);
  }

  save(): SavedKvWrites {
    return { pending: this.pending.map((w) => ({ ...w })), committed: this.committed.map((w) => ({ ...w })) };
  }

  /** The values are the committed writes applied in commit order, as `commitUpTo` applied them. */
  restore(saved: SavedKvWrites): void {
    this.pending = saved.pending.map((w) => ({ ...w }));
    this.committed = saved.committed.map((w) => ({ ...w }));
    this.values.clear();
    for (const w of this.committed) this.values.set(w.key, w.value);
  }
}

export interface SavedKvWrites {
  readonly pending: readonly KeyedWrite[];
  readonly committed: readonly KeyedWrite[];
}
