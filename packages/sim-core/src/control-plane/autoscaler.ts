/**
 * The control-plane autoscaler at work: each tick it measures the API servers and the etcd
 * voters against `AUTOSCALER_RULES`, keeps each rule's window (since when it has held), and
 * when one has held long enough takes the decision (`autoscaler-machine.ts` keeps the cooldown).
 */
import { createActor } from 'xstate';
import type { SimContext } from '../engine/domain';
import { formatDuration } from '../engine/duration';
import { API_RPS_PER_VCPU } from '../load/model';
import type { ApiServerFleet } from './api-servers';
import { autoscalerMachine, type ScalingDecision } from './autoscaler-machine';
import { DECISION_LIMIT, type Group, SERVING_API, type Windows } from './control-plane-records';
import type { ControlPlaneState } from './control-plane-state';
import { AUTOSCALER_RULES, MAX_API_SERVERS, MIN_API_SERVERS, SIZE_LADDER, sizeByIndex, sizeIndex } from './facts';
import type { DecisionRecord } from './types';

const since = (value: number | null, holds: boolean, now: number): number | null => (holds ? (value ?? now) : null);

export class ControlPlaneAutoscaler {
  readonly actors: Record<Group, ReturnType<typeof createActor<typeof autoscalerMachine>>>;
  private readonly windows: Record<Group, Windows> = {
    apiServers: { scaleOutSince: null, scaleInSince: null, resizeUpSince: null, resizeDownSince: null },
    etcd: { scaleOutSince: null, scaleInSince: null, resizeUpSince: null, resizeDownSince: null },
  };
  readonly decisions: DecisionRecord[] = [];

  constructor(
    private readonly ctx: SimContext,
    private readonly cp: ControlPlaneState,
    private readonly apiServers: ApiServerFleet,
  ) {
    this.actors = {
      apiServers: createActor(autoscalerMachine, { clock: ctx.clock.xstate }),
      etcd: createActor(autoscalerMachine, { clock: ctx.clock.xstate }),
    };
    this.actors.apiServers.start();
    this.actors.etcd.start();
  }

  /** No rule is counting and neither group is in a cooldown. */
  settled(): boolean {
    for (const w of [this.windows.apiServers, this.windows.etcd]) {
      if (w.scaleOutSince !== null || w.scaleInSince !== null) return false;
      if (w.resizeUpSince !== null || w.resizeDownSince !== null) return false;
    }
    return (
      this.actors.apiServers.getSnapshot().value === 'watching' && this.actors.etcd.getSnapshot().value === 'watching'
    );
  }

  evaluate(now: number): void {
    let count = 0;
    let demand = 0;
    let mem = 0;
    let cpu = 0;
    for (const a of this.cp.apiServers) {
      if (!SERVING_API.has(a.state) || !a.load) continue;
      const size = sizeByIndex(sizeIndex(a.size));
      count++;
      // Demand as a share of CPU capacity (offered, not served: a throttled server still shows the need).
      demand += a.load.offeredRps / (size.vcpu * API_RPS_PER_VCPU);
      mem = Math.max(mem, a.load.memory);
      cpu = Math.max(cpu, a.load.cpu);
    }
    if (count > 0) this.evaluateApiServers(now, count, cpu, demand / count, mem);
    let etcdCpu = -1;
    let etcdMem = 0;
    for (const m of this.cp.etcd.all) {
      if (!m.voter || (m.role !== 'leader' && m.role !== 'follower')) continue;
      etcdCpu = Math.max(etcdCpu, m.cpu);
      etcdMem = Math.max(etcdMem, m.memory);
    }
    if (etcdCpu >= 0) this.evaluateEtcd(now, etcdCpu, etcdMem);
  }

  private evaluateApiServers(now: number, count: number, maxCpu: number, avgDemand: number, mem: number): void {
    const cp = this.cp;
    const w = this.windows.apiServers;
    const rules = AUTOSCALER_RULES;
    const desired = cp.apiAsg?.getSnapshot().context.desired ?? count;
    const atMax = desired >= MAX_API_SERVERS;
    const sizeIdx = sizeIndex(cp.apiServerSize);
    w.scaleOutSince = since(w.scaleOutSince, avgDemand > rules.scaleOut.cpuAbove && !atMax, now);
    w.scaleInSince = since(
      w.scaleInSince,
      maxCpu < rules.scaleIn.cpuBelow && desired > MIN_API_SERVERS && (avgDemand * count) / (count - 1) < 0.5,
      now,
    );
    w.resizeUpSince = since(
      w.resizeUpSince,
      sizeIdx < SIZE_LADDER.length - 1 &&
        ((atMax && avgDemand > rules.resizeUp.cpuAbove) || mem > rules.resizeUp.memoryAbove),
      now,
    );
    w.resizeDownSince = since(
      w.resizeDownSince,
      sizeIdx > 0 && maxCpu < rules.resizeDown.cpuBelow && mem < rules.resizeDown.memoryBelow,
      now,
    );
    if (this.actors.apiServers.getSnapshot().value !== 'watching') return;
    if (cp.operations.some((o) => o.group === 'apiServers')) return;
    if (w.scaleOutSince !== null && now - w.scaleOutSince >= rules.scaleOut.forMs) {
      const target = Math.min(
        MAX_API_SERVERS,
        desired + 3,
        Math.max(desired + 1, Math.ceil((desired * avgDemand) / 0.5)),
      );
      this.decide('apiServers', 'scale-out', `${desired}`, `${target}`, rules.scaleOut.cooldownMs, avgDemand);
      cp.apiAsg?.send({ type: 'SET_DESIRED', desired: target });
      w.scaleOutSince = null;
    } else if (w.resizeUpSince !== null && now - w.resizeUpSince >= rules.resizeUp.forMs) {
      const to = sizeByIndex(sizeIdx + 1).name;
      this.decide('apiServers', 'resize-up', cp.apiServerSize, to, rules.resizeUp.cooldownMs, avgDemand);
      cp.apiServerSize = to;
      this.apiServers.continueResize();
      w.resizeUpSince = null;
    } else if (w.scaleInSince !== null && now - w.scaleInSince >= rules.scaleIn.forMs) {
      this.decide('apiServers', 'scale-in', `${desired}`, `${desired - 1}`, rules.scaleIn.cooldownMs, avgDemand);
      cp.apiAsg?.send({ type: 'SET_DESIRED', desired: desired - 1 });
      w.scaleInSince = null;
    } else if (w.resizeDownSince !== null && now - w.resizeDownSince >= rules.resizeDown.forMs) {
      const to = sizeByIndex(sizeIdx - 1).name;
      this.decide('apiServers', 'resize-down', cp.apiServerSize, to, rules.resizeDown.cooldownMs, avgDemand);
      cp.apiServerSize = to;
      this.apiServers.continueResize();
      w.resizeDownSince = null;
    }
  }

  private evaluateEtcd(now: number, cpu: number, mem: number): void {
    const cp = this.cp;
    const w = this.windows.etcd;
    const rules = AUTOSCALER_RULES;
    const idx = sizeIndex(cp.etcdSize);
    w.resizeUpSince = since(
      w.resizeUpSince,
      idx < SIZE_LADDER.length - 1 && (cpu > rules.resizeUp.cpuAbove || mem > rules.resizeUp.memoryAbove),
      now,
    );
    w.resizeDownSince = since(
      w.resizeDownSince,
      idx > 0 && cpu < rules.resizeDown.cpuBelow && mem < rules.resizeDown.memoryBelow,
      now,
    );
    if (this.actors.etcd.getSnapshot().value !== 'watching') return;
    if (cp.operations.some((o) => o.group === 'etcd')) return;
    if (w.resizeUpSince !== null && now - w.resizeUpSince >= rules.resizeUp.forMs) {
      const to = sizeByIndex(idx + 1).name;
      this.decide('etcd', 'resize-up', cp.etcdSize, to, rules.resizeUp.cooldownMs, cpu);
      cp.etcdSize = to;
      w.resizeUpSince = null;
    } else if (w.resizeDownSince !== null && now - w.resizeDownSince >= rules.resizeDown.forMs) {
      const to = sizeByIndex(idx - 1).name;
      this.decide('etcd', 'resize-down', cp.etcdSize, to, rules.resizeDown.cooldownMs, cpu);
      cp.etcdSize = to;
      w.resizeDownSince = null;
    }
  }

  private decide(
    group: Group,
    decision: ScalingDecision,
    from: string,
    to: string,
    cooldownMs: number,
    signal: number,
  ): void {
    const reason = `${group === 'etcd' ? 'etcd' : 'API server'} load at ${Math.round(signal * 100)} % of CPU capacity`;
    this.actors[group].send({ type: 'DECIDE', decision, cooldownMs });
    this.cp.groupsDirty = true;
    const record: DecisionRecord = { atMs: this.ctx.clock.now(), group, decision, from, to, reason, cooldownMs };
    this.decisions.push(record);
    if (this.decisions.length > DECISION_LIMIT) this.decisions.splice(0, this.decisions.length - DECISION_LIMIT);
    this.ctx.emit(
      `autoscaler.${decision}`,
      `autoscaler/${group}`,
      `Control-plane autoscaler: ${decision} of ${group === 'etcd' ? 'etcd' : 'API servers'} ${from} → ${to} (${reason}); cooldown ${formatDuration(cooldownMs)}`,
      { group, from, to, cooldownMs },
    );
  }
}
