/**
 * A binary min-heap of scheduled callbacks keyed by (due time, insertion order). Two entries
 * due at the same millisecond run in the order they were scheduled: that tie-break is what
 * makes a run reproducible.
 */
export interface QueueEntry<TData = unknown> {
  readonly atMs: number;
  /** Insertion order: the tie-break, and a timer's stable id (a save keeps it). */
  readonly order: number;
  readonly run: () => void;
  /** What the entry is, as data a save can write (a named timer, an xstate delayed event); none for a closure. */
  readonly data: TData | undefined;
  cancelled: boolean;
}

export class EventQueue {
  private heap: QueueEntry[] = [];
  /** The order number the next entry gets; a restore sets it back to the saved one. */
  nextOrder = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Queues `run` at `atMs`; `order` is given only by a restore, which puts back a saved entry. */
  push(atMs: number, run: () => void, data?: unknown, order?: number): QueueEntry {
    const entry: QueueEntry = { atMs, order: order ?? this.nextOrder++, run, data, cancelled: false };
    this.heap.push(entry);
    this.siftUp(this.heap.length - 1);
    return entry;
  }

  /** Every entry still due (not cancelled), in run order: what a save writes. */
  live(): QueueEntry[] {
    return this.heap.filter((e) => !e.cancelled).sort((a, b) => (this.before(a, b) ? -1 : 1));
  }

  /** Due time of the earliest live entry, or undefined when none is left. */
  peekTime(): number | undefined {
    this.dropCancelledTop();
    return this.heap[0]?.atMs;
  }

  pop(): QueueEntry | undefined {
    this.dropCancelledTop();
    return this.popRaw();
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && (this.heap[0] as QueueEntry).cancelled) this.popRaw();
  }

  private popRaw(): QueueEntry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private before(a: QueueEntry, b: QueueEntry): boolean {
    return a.atMs < b.atMs || (a.atMs === b.atMs && a.order < b.order);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const item = heap[i] as QueueEntry;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as QueueEntry;
      if (!this.before(item, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = item;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i] as QueueEntry;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.before(heap[r] as QueueEntry, heap[l] as QueueEntry) ? r : l;
      const c = heap[child] as QueueEntry;
      if (!this.before(c, item)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = item;
  }
}
