/**
 * The control-plane autoscaler at work: each tick the control plane measures the API servers
 * and the etcd voters and tells each group's autoscaler (`autoscaler-machine.ts`, which keeps
 * the rules' windows and the cooldowns); a decision it emits is recorded, logged and carried
 * out here (the desired count of the Auto Scaling group, or the size of the next instances).
 */
import type { Actor } from 'xstate';
import type { SimContext } from '../engine/domain';
import { formatDuration } from '../engine/duration';
import { API_RPS_PER_VCPU } from '../load/model';
import type { ApiServerFleet } from './api-servers';
import { autoscalerMachine, type Measurement, measurementMatters, type ScalingDecided } from './autoscaler-machine';
import { DECISION_LIMIT, type Group, SERVING_API } from './control-plane-records';
import type { ControlPlaneState } from './control-plane-state';
import { MAX_API_SERVERS, MIN_API_SERVERS, MIN_ETCD_MEMBERS, sizeByIndex, sizeIndex } from './facts';
import type { DecisionRecord } from './types';

const GROUPS = ['apiServers', 'etcd'] as const;
const autoscalerKey = (group: Group) => `autoscaler/${group}`;

export class ControlPlaneAutoscaler {
  /** Set by `start` (or `restore`): one autoscaler per group. */
  actors!: Record<Group, Actor<typeof autoscalerMachine>>;
  decisions: DecisionRecord[] = [];

  constructor(
    private readonly ctx: SimContext,
    private readonly cp: ControlPlaneState,
    private readonly apiServers: ApiServerFleet,
  ) {}

  start(): void {
    const input: Record<Group, { minCount: number; maxCount: number }> = {
      apiServers: { minCount: MIN_API_SERVERS, maxCount: MAX_API_SERVERS },
      // etcd keeps three voters: its autoscaler only resizes them.
      etcd: { minCount: MIN_ETCD_MEMBERS, maxCount: MIN_ETCD_MEMBERS },
    };
    const [apiServers, etcd] = GROUPS.map((group) =>
      this.ctx.actors.start(autoscalerKey(group), autoscalerMachine, { input: input[group] }, (a) =>
        a.on('decided', (d) => this.carryOut(group, d)),
      ),
    );
    this.actors = { apiServers, etcd } as Record<Group, Actor<typeof autoscalerMachine>>;
  }

  save(): DecisionRecord[] {
    return this.decisions;
  }

  restore(decisions: DecisionRecord[]): void {
    this.decisions = decisions;
    const [apiServers, etcd] = GROUPS.map((group) =>
      this.ctx.actors.revive(autoscalerKey(group), autoscalerMachine, (a) =>
        a.on('decided', (d) => this.carryOut(group, d)),
      ),
    );
    this.actors = { apiServers, etcd } as Record<Group, Actor<typeof autoscalerMachine>>;
  }

  /** No rule is counting and neither group is in a cooldown. */
  settled(): boolean {
    for (const actor of [this.actors.apiServers, this.actors.etcd]) {
      const snap = actor.getSnapshot();
      if (snap.value !== 'watching') return false;
      const w = snap.context.windows;
      if (w.scaleOutSince !== null || w.scaleInSince !== null) return false;
      if (w.resizeUpSince !== null || w.resizeDownSince !== null) return false;
    }
    return true;
  }

  /** One tick's measurement of each group, sent to its autoscaler. */
  evaluate(now: number): void {
    const cp = this.cp;
    let count = 0;
    let demand = 0;
    let mem = 0;
    let cpu = 0;
    for (const a of cp.apiServers) {
      if (!SERVING_API.has(a.state) || !a.load) continue;
      const size = sizeByIndex(sizeIndex(a.size));
      count++;
      // Demand as a share of CPU capacity (offered, not served: a throttled server still shows the need).
      demand += a.load.offeredRps / (size.vcpu * API_RPS_PER_VCPU);
      mem = Math.max(mem, a.load.memory);
      cpu = Math.max(cpu, a.load.cpu);
    }
    if (count > 0) {
      this.measured('apiServers', {
        atMs: now,
        demand: demand / count,
        maxCpu: cpu,
        maxMemory: mem,
        count,
        desired: cp.apiAsg?.getSnapshot().context.desired ?? count,
        sizeIndex: sizeIndex(cp.apiServerSize),
        busy: cp.operations.some((o) => o.group === 'apiServers'),
      });
    }
    let etcdCpu = -1;
    let etcdMem = 0;
    let voters = 0;
    for (const m of cp.etcd.all) {
      if (!m.voter || (m.role !== 'leader' && m.role !== 'follower')) continue;
      voters++;
      etcdCpu = Math.max(etcdCpu, m.cpu);
      etcdMem = Math.max(etcdMem, m.memory);
    }
    if (etcdCpu >= 0) {
      this.measured('etcd', {
        atMs: now,
        demand: etcdCpu,
        maxCpu: etcdCpu,
        maxMemory: etcdMem,
        count: voters,
        desired: MIN_ETCD_MEMBERS,
        sizeIndex: sizeIndex(cp.etcdSize),
        busy: cp.operations.some((o) => o.group === 'etcd'),
      });
    }
  }

  private measured(group: Group, m: Measurement): void {
    const actor = this.actors[group];
    if (measurementMatters(actor.getSnapshot().context, m)) actor.send({ type: 'MEASURED', ...m });
  }

  private carryOut(group: Group, d: ScalingDecided): void {
    const cp = this.cp;
    const reason = `${group === 'etcd' ? 'etcd' : 'API server'} load at ${Math.round(d.demand * 100)} % of CPU capacity`;
    cp.groupsDirty = true;
    const record: DecisionRecord = {
      atMs: this.ctx.clock.now(),
      group,
      decision: d.decision,
      from: d.from,
      to: d.to,
      reason,
      cooldownMs: d.cooldownMs,
    };
    this.decisions.push(record);
    if (this.decisions.length > DECISION_LIMIT) this.decisions.splice(0, this.decisions.length - DECISION_LIMIT);
    this.ctx.emit(
      `autoscaler.${d.decision}`,
      `autoscaler/${group}`,
      `Control-plane autoscaler: ${d.decision} of ${group === 'etcd' ? 'etcd' : 'API servers'} ${d.from} → ${d.to} (${reason}); cooldown ${formatDuration(d.cooldownMs)}`,
      { group, from: d.from, to: d.to, cooldownMs: d.cooldownMs },
    );
    if (d.decision === 'scale-out' || d.decision === 'scale-in') {
      cp.apiAsg?.send({ type: 'SET_DESIRED', desired: Number(d.to) });
    } else if (group === 'etcd') {
      cp.etcdSize = d.to;
    } else {
      cp.apiServerSize = d.to;
      this.apiServers.continueResize();
    }
  }
}
