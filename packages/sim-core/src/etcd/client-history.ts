/**
 * The history of client operations that reached etcd, as etcd's robustness tests record it
 * (etcd `tests/robustness`: every request with its call and its return, then a
 * linearizability check). The API servers' keyed writes and reads are recorded here with
 * when they were invoked and when they returned in simulated time, and how: ok, fail (it
 * did not happen), or unknown (the client timed out; it may or may not have happened).
 * `order` numbers calls and returns in the order they happened, which is what the check
 * reads (several may share a millisecond).
 */
export type ClientOutcome = 'ok' | 'fail' | 'unknown';

export interface ClientOp {
  readonly id: number;
  /** Who sent it (the AZ of the API server). */
  readonly client: string;
  readonly kind: 'write' | 'read';
  readonly key: string;
  /** The value written, or the value a successful read returned (null: the key was never written). */
  value: string | null;
  readonly invokeMs: number;
  readonly invokeOrder: number;
  /** null while pending, and forever for an unknown outcome. */
  returnMs: number | null;
  returnOrder: number | null;
  outcome: ClientOutcome | 'pending';
}

/** Acknowledged writes that etcd lost, as the `etcd.data-loss` event named them. */
export interface DataLossRecord {
  readonly atMs: number;
  readonly order: number;
  readonly lostOpIds: readonly number[];
  /** Each key the lost writes touched, and the value it holds after the loss. */
  readonly restored: Readonly<Record<string, string | null>>;
}

export interface ClientHistoryView {
  readonly ops: readonly ClientOp[];
  readonly losses: readonly DataLossRecord[];
}

export interface SavedClientHistory extends ClientHistoryView {
  readonly order: number;
}

export class ClientHistory {
  readonly ops: ClientOp[] = [];
  readonly losses: DataLossRecord[] = [];
  private order = 0;

  invoke(client: string, kind: ClientOp['kind'], key: string, value: string | null, atMs: number): ClientOp {
    const op: ClientOp = {
      id: this.ops.length + 1,
      client,
      kind,
      key,
      value,
      invokeMs: atMs,
      invokeOrder: ++this.order,
      returnMs: null,
      returnOrder: null,
      outcome: 'pending',
    };
    this.ops.push(op);
    return op;
  }

  complete(op: ClientOp, outcome: ClientOutcome, atMs: number, readValue?: string | null): void {
    op.outcome = outcome;
    if (outcome === 'unknown') return;
    op.returnMs = atMs;
    op.returnOrder = ++this.order;
    if (op.kind === 'read' && readValue !== undefined) op.value = readValue;
  }

  recordLoss(atMs: number, lostOpIds: readonly number[], restored: Record<string, string | null>): void {
    this.losses.push({ atMs, order: ++this.order, lostOpIds: [...lostOpIds], restored: { ...restored } });
  }

  save(): SavedClientHistory {
    return { ...this.view(), order: this.order };
  }

  static restore(saved: SavedClientHistory): ClientHistory {
    const history = new ClientHistory();
    history.ops.push(...saved.ops.map((op) => ({ ...op })));
    history.losses.push(
      ...saved.losses.map((l) => ({ ...l, lostOpIds: [...l.lostOpIds], restored: { ...l.restored } })),
    );
    history.order = saved.order;
    return history;
  }

  view(): ClientHistoryView {
    return { ops: this.ops.map((op) => ({ ...op })), losses: this.losses.map((l) => ({ ...l })) };
  }
}
