import { EventQueue, type QueueEntry } from './event-queue';

/**
 * What xstate needs to run `after` delays on simulated time (the `clock` actor option). Its
 * `setTimeout` schedules on the virtual queue; no real timer exists in sim-core.
 */
export interface XstateClock {
  readonly setTimeout: (fn: (...args: unknown[]) => void, timeout: number) => unknown;
  readonly clearTimeout: (id: unknown) => void;
}

export type TimerHandle = QueueEntry;

/**
 * Simulated time: epoch milliseconds (calendar dates matter for the version lifecycle) and
 * the queue of everything due later. Nothing here reads the real clock; time moves only when
 * `runUntil` is called, and callbacks due at the same ms run in scheduling order.
 */
export class VirtualClock {
  private nowMs: number;
  private readonly queue = new EventQueue();
  /** Callbacks run so far: the engine's unit of work for the benchmark. */
  firedCount = 0;

  constructor(startMs: number) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  /** Run `fn` at absolute time `atMs` (clamped to now: the past is already done). */
  at(atMs: number, fn: () => void): TimerHandle {
    return this.queue.push(Math.max(atMs, this.nowMs), fn);
  }

  /**
   * Queues `run` with a description a save can write (`data`). `order` is given only when a
   * restore puts a saved entry back, so that it runs in the place it had.
   */
  schedule(atMs: number, run: () => void, data: unknown, order?: number): TimerHandle {
    return this.queue.push(Math.max(atMs, this.nowMs), run, data, order);
  }

  /** The entries still due, in run order (for a save). */
  pendingEntries(): readonly TimerHandle[] {
    return this.queue.live();
  }

  /** The order number the next entry will get (a save writes it, a restore sets it back). */
  get nextOrder(): number {
    return this.queue.nextOrder;
  }

  set nextOrder(order: number) {
    this.queue.nextOrder = order;
  }

  after(delayMs: number, fn: () => void): TimerHandle {
    return this.at(this.nowMs + Math.max(0, delayMs), fn);
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle) handle.cancelled = true;
  }

  /** Runs every callback due up to and including `untilMs`, then sets the clock to it. */
  runUntil(untilMs: number): void {
    for (;;) {
      const due = this.queue.peekTime();
      if (due === undefined || due > untilMs) break;
      const entry = this.queue.pop() as QueueEntry;
      this.nowMs = entry.atMs;
      this.firedCount++;
      entry.run();
    }
    if (untilMs > this.nowMs) this.nowMs = untilMs;
  }

  get pending(): number {
    return this.queue.size;
  }

  /** The adapter handed to `createActor(machine, { clock })`. */
  readonly xstate: XstateClock = {
    setTimeout: (fn, timeout) => this.after(timeout, () => fn()),
    clearTimeout: (id) => this.cancel(id as TimerHandle),
  };
}
