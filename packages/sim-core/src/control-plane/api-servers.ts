/**
 * The API servers and their Auto Scaling group: launches, what each state change means for the
 * NLB nodes and the operations in flight, the ASG's reconciliation (replace failed instances
 * after the health-check grace, converge on the desired count, rebalance AZs) and rolling
 * replacements (a resize or a rebalance: the new instance serves, then the old one drains).
 */
import type { Actor } from 'xstate';
import type { SimContext } from '../engine/domain';
import type { Prng } from '../engine/prng';
import { apiServerMachine } from './apiserver-machine';
import { ApiServerRecord, LIVE_API, SERVING_API } from './control-plane-records';
import type { ControlPlaneState } from './control-plane-state';
import { TIMING } from './facts';
import type { NlbNodes } from './nlb-nodes';

/** What a save keeps of an API server besides its actor (`apiserver/<id>`). */
export interface SavedApiServer {
  readonly id: string;
  readonly az: string;
  readonly size: string;
  readonly launchedAtMs: number;
  readonly load: ApiServerRecord['load'];
  readonly unavailableRps: number;
}

const apiServerKey = (id: string) => `apiserver/${id}`;

export class ApiServerFleet {
  private nextId = 1;

  constructor(
    private readonly ctx: SimContext,
    private readonly cp: ControlPlaneState,
    private readonly rng: Prng,
    private readonly nlbs: NlbNodes,
  ) {}

  find(id: string): ApiServerRecord | undefined {
    return this.cp.apiServers.find((x) => x.id === id);
  }

  launch(az: string, size = this.cp.apiServerSize): ApiServerRecord {
    const id = `apiserver-${this.nextId++}`;
    const input = {
      id,
      az,
      size,
      launchMs: this.rng.int(TIMING.launchMs.min, TIMING.launchMs.max),
      initMs: this.rng.int(TIMING.apiServerInitMs.min, TIMING.apiServerInitMs.max),
      drainMs: TIMING.drainMs,
      healthCheckGraceMs: TIMING.asgHealthCheckMs,
    };
    let record: ApiServerRecord | undefined;
    // The record is made once the actor exists; its launch entry (logged, not a state change to act on) comes first.
    const actor = this.ctx.actors.start(apiServerKey(id), apiServerMachine, { input }, (a) =>
      this.wire(a, () => record),
    );
    record = new ApiServerRecord(id, az, size, actor, this.ctx.clock.now());
    this.cp.apiServers.push(record);
    this.cp.apiAsg?.send({ type: 'CAPACITY_CHANGING' });
    return record;
  }

  /** Logs what the instance announces; each state it enters after its launch may need the others to act. */
  private wire(actor: Actor<typeof apiServerMachine>, record: () => ApiServerRecord | undefined): void {
    actor.on('*', (line) => {
      this.ctx.emit(line.type, line.source, line.message, line.data);
      const r = record();
      if (line.type !== 'apiserver.launching' && r) this.onStateEntered(r);
    });
  }

  stopAll(): void {
    for (const a of this.cp.apiServers) this.ctx.actors.stop(apiServerKey(a.id));
  }

  save(): { nextId: number; apiServers: SavedApiServer[] } {
    return {
      nextId: this.nextId,
      apiServers: this.cp.apiServers.map((a) => ({
        id: a.id,
        az: a.az,
        size: a.size,
        launchedAtMs: a.launchedAtMs,
        load: a.load,
        unavailableRps: a.unavailableRps,
      })),
    };
  }

  restore(saved: { nextId: number; apiServers: readonly SavedApiServer[] }): void {
    this.nextId = saved.nextId;
    this.cp.apiServers = saved.apiServers.map((s) => {
      let record: ApiServerRecord | undefined;
      const actor = this.ctx.actors.revive(apiServerKey(s.id), apiServerMachine, (a) => this.wire(a, () => record));
      record = new ApiServerRecord(s.id, s.az, s.size, actor, s.launchedAtMs);
      record.load = s.load;
      record.unavailableRps = s.unavailableRps;
      return record;
    });
  }

  /** What a new state of one instance means for the others: its NLB node, the ASG, the operations. */
  private onStateEntered(a: ApiServerRecord): void {
    const state = a.state;
    if (state === 'terminated') {
      this.cp.apiServers = this.cp.apiServers.filter((x) => x !== a);
      this.ctx.actors.stop(apiServerKey(a.id));
    }
    this.cp.groupsDirty = true;
    this.nlbs.updateTargets();
    this.progressOperations();
    if (state === 'failed' || state === 'terminated' || state === 'healthy') this.cp.kickSoon();
  }

  /**
   * The API servers' ASG at work: terminate instances that stayed failed for the health-check
   * grace (the machine marks them unhealthy; the replacement follows), converge on the desired
   * count, rebalance AZs.
   */
  reconcile(): void {
    const asg = this.cp.apiAsg;
    if (!asg) return;
    for (const a of [...this.cp.apiServers]) {
      if (a.state === 'failed' && a.actor.getSnapshot().context.unhealthy) {
        asg.send({ type: 'INSTANCE_UNHEALTHY' });
        a.actor.send({ type: 'TERMINATE' });
      }
    }
    const desired = asg.getSnapshot().context.desired;
    const surge = this.cp.operations.some((o) => o.group === 'apiServers') ? 1 : 0;
    let live = this.cp.liveApiServers();
    const perAz = (az: string) => live.filter((a) => a.az === az).length;
    while (live.length < desired) {
      const az = this.cp.pickAz(perAz);
      if (!az) break;
      this.launch(az);
      live = this.cp.liveApiServers();
    }
    while (live.length > desired + surge) {
      const victim = this.pickScaleInVictim(live);
      if (!victim) break;
      victim.actor.send({ type: 'TERMINATE' });
      live = this.cp.liveApiServers();
    }
    this.planRebalance();
  }

  /** The newest API server in the most crowded AZ (what an ASG's default termination policy picks). */
  private pickScaleInVictim(live: ApiServerRecord[]): ApiServerRecord | undefined {
    const counts = new Map<string, number>();
    for (const a of live) counts.set(a.az, (counts.get(a.az) ?? 0) + 1);
    let victim: ApiServerRecord | undefined;
    for (const a of live) {
      if (
        !victim ||
        (counts.get(a.az) ?? 0) > (counts.get(victim.az) ?? 0) ||
        ((counts.get(a.az) ?? 0) === (counts.get(victim.az) ?? 0) && a.launchedAtMs >= victim.launchedAtMs)
      ) {
        victim = a;
      }
    }
    return victim;
  }

  /** After an AZ comes back, move one API server from a crowded AZ into an empty one. */
  private planRebalance(): void {
    if (this.cp.operations.some((o) => o.group === 'apiServers')) return;
    const serving = this.cp.apiServers.filter((a) => SERVING_API.has(a.state));
    if (serving.length !== this.cp.liveApiServers().length) return;
    const empty = this.cp.azIds.find((az) => this.cp.azReady(az) && !serving.some((a) => a.az === az));
    if (!empty) return;
    const crowded = this.cp.azIds.find((az) => serving.filter((a) => a.az === az).length >= 2);
    if (!crowded) return;
    const old = serving.filter((a) => a.az === crowded).sort((x, y) => y.launchedAtMs - x.launchedAtMs)[0];
    if (!old) return;
    const fresh = this.launch(empty, old.size);
    this.cp.operations.push({
      kind: 'rebalance',
      group: 'apiServers',
      az: empty,
      newId: fresh.id,
      replaces: old.id,
      startedAtMs: this.ctx.clock.now(),
    });
  }

  /** Rolling replacements of API servers: when the new one serves, the old one drains. */
  private progressOperations(): void {
    for (const op of [...this.cp.operations]) {
      if (op.group !== 'apiServers') continue;
      const fresh = this.find(op.newId);
      if (!fresh || !LIVE_API.has(fresh.state)) {
        this.cp.operations = this.cp.operations.filter((o) => o !== op);
        continue;
      }
      if (!SERVING_API.has(fresh.state)) continue;
      this.cp.operations = this.cp.operations.filter((o) => o !== op);
      const old = this.find(op.replaces as string);
      if (old && LIVE_API.has(old.state)) old.actor.send({ type: 'TERMINATE' });
      if (op.kind === 'resize') this.continueResize();
    }
  }

  /** A resize replaces the API servers one at a time, each by one of the new size in its AZ. */
  continueResize(): void {
    const old = this.cp.apiServers.find((a) => SERVING_API.has(a.state) && a.size !== this.cp.apiServerSize);
    if (!old) return;
    const fresh = this.launch(old.az, this.cp.apiServerSize);
    this.cp.operations.push({
      kind: 'resize',
      group: 'apiServers',
      az: old.az,
      newId: fresh.id,
      replaces: old.id,
      startedAtMs: this.ctx.clock.now(),
    });
  }
}
