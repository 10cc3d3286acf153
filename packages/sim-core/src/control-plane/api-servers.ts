/**
 * The API servers: launches, what each state change means for the NLB nodes and the operations
 * in flight, the steps their Auto Scaling group takes (`asg-machine.ts` decides them) and
 * rolling replacements (a resize or a rebalance: the new instance serves, then the old one
 * drains).
 */
import type { Actor } from 'xstate';
import type { SimContext } from '../engine/domain';
import type { Prng } from '../engine/prng';
import { apiServerMachine } from './apiserver-machine';
import type { AsgInstance, AsgStep } from './asg-machine';
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

/** An API server as its ASG sees it on a health-check round. */
function asgInstance(a: ApiServerRecord): AsgInstance {
  const { id, az, size, launchedAtMs } = a;
  const state = a.state;
  const health =
    state === 'launching' || state === 'initializing'
      ? 'pending'
      : SERVING_API.has(state)
        ? 'serving'
        : state !== 'failed'
          ? 'leaving'
          : a.actor.getSnapshot().context.unhealthy
            ? 'unhealthy'
            : 'failed';
  return { id, az, size, launchedAtMs, health };
}

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
   * A health-check round of the API servers' ASG: it says what is due (`asg-machine.ts`:
   * replace what stayed failed past the grace, launch up to the desired count, scale in,
   * rebalance AZs) and `takeStep` carries it out, step by step.
   */
  reconcile(): void {
    this.cp.apiAsg?.send({
      type: 'HEALTH_CHECK',
      instances: this.cp.apiServers.map(asgInstance),
      azs: [...this.cp.azs.values()],
      replacing: this.cp.operations.filter((o) => o.group === 'apiServers').map((o) => o.newId),
      size: this.cp.apiServerSize,
    });
  }

  /** One step of the ASG's round. */
  takeStep(step: AsgStep): void {
    if (step.type === 'launch') {
      this.launch(step.az);
    } else if (step.type === 'terminate') {
      this.find(step.id)?.actor.send({ type: 'TERMINATE' });
    } else {
      // Rebalance, add first: the old instance drains once the new one serves (`progressOperations`).
      const fresh = this.launch(step.az, step.size);
      this.cp.operations.push({
        kind: 'rebalance',
        group: 'apiServers',
        az: step.az,
        newId: fresh.id,
        replaces: step.replaces,
        startedAtMs: this.ctx.clock.now(),
      });
    }
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
