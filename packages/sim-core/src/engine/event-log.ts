/**
 * The append-only log of everything that happened. A run is described by (scenario, seed,
 * timed commands); replaying them must give this log byte for byte, so events hold only
 * plain JSON and are written in the order the engine runs them.
 */
export interface SimEvent {
  /** 1, 2, 3, … in order of emission. */
  readonly seq: number;
  /** Simulated time, epoch ms. */
  readonly atMs: number;
  /** Dotted, domain-first: `etcd.leader-elected`, `apiserver.failed`, `cluster.update-started`. */
  readonly type: string;
  /** The component it happened to (`etcd-2`, `nlb-apne2-az1`, `cluster/myeks`). */
  readonly source: string;
  /** One sentence for people: the viz's log, the CLI's summary. */
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

export class EventLog {
  private readonly entries: SimEvent[] = [];

  append(event: Omit<SimEvent, 'seq'>): SimEvent {
    const full: SimEvent = { seq: this.entries.length + 1, ...event };
    this.entries.push(full);
    return full;
  }

  /** Puts back a saved log (restore only: the log must be empty). */
  load(events: readonly SimEvent[]): void {
    if (this.entries.length > 0) throw new Error('a saved log can only be loaded into an empty log');
    this.entries.push(...events);
  }

  get length(): number {
    return this.entries.length;
  }

  get lastSeq(): number {
    return this.entries.length;
  }

  /** Events with seq > sinceSeq (all of them by default). */
  since(sinceSeq = 0): SimEvent[] {
    return this.entries.slice(Math.max(0, sinceSeq));
  }

  tail(n: number): SimEvent[] {
    return this.entries.slice(Math.max(0, this.entries.length - n));
  }
}
