/** The control plane's snapshot: what the viz, the server and the tests see of it, built from its state. */
import type { Actor } from 'xstate';
import { type EtcdCluster, round3 } from '../etcd/etcd-cluster';
import type { ClassRps, LoadPoint, LoadProfile } from '../load/types';
import type { asgMachine } from './asg-machine';
import type { autoscalerMachine } from './autoscaler-machine';
import {
  type ApiServerRecord,
  type AzRecord,
  type Group,
  type NlbRecord,
  type Operation,
  r1,
} from './control-plane-records';
import { MIN_API_SERVERS, MIN_ETCD_MEMBERS, RECOVERY_BOUND_MS, sizeByIndex, sizeIndex } from './facts';
import { nlbInDns } from './nlb-node-machine';
import type { ControlPlaneSnapshotPart, DecisionRecord, OperationView } from './types';

/** The load figures of the last tick, summed over the API servers. */
export interface LoadTotals {
  readonly offeredRps: number;
  readonly servedRps: number;
  readonly readRps: number;
  readonly writeRps: number;
  readonly capacityRps: number;
  readonly throttled: number;
  readonly unavailable: number;
  readonly p99: number;
  readonly byClass: ClassRps;
  readonly nodes: number;
}

/** The state of ControlPlaneDomain the snapshot reads (and never changes). */
export interface ControlPlaneSnapshotSource {
  readonly etcd: EtcdCluster;
  readonly exists: boolean;
  readonly region: string;
  readonly azIds: readonly string[];
  readonly azs: ReadonlyMap<string, AzRecord>;
  readonly apiServers: readonly ApiServerRecord[];
  readonly nlbs: readonly NlbRecord[];
  readonly servingIn: (az: string) => readonly ApiServerRecord[];
  readonly apiAsg: Actor<typeof asgMachine> | null;
  readonly etcdAsg: Actor<typeof asgMachine> | null;
  readonly apiServerSize: string;
  readonly etcdSize: string;
  readonly autoscalers: Readonly<Record<Group, Actor<typeof autoscalerMachine>>>;
  readonly decisions: readonly DecisionRecord[];
  readonly operations: readonly Operation[];
  readonly lastDisruptionMs: number | null;
  readonly profile: LoadProfile;
  readonly totals: LoadTotals;
  readonly spike: { factor: number; untilMs: number } | null;
  readonly counters: { total429: number; total503: number; totalServed: number; committedWrites: number };
  readonly series: readonly LoadPoint[];
}

export function buildControlPlaneSnapshot(s: ControlPlaneSnapshotSource): ControlPlaneSnapshotPart {
  const etcdView = s.etcd.view();
  const { members, ...etcdCluster } = etcdView;
  const asgView = (name: string, actor: Actor<typeof asgMachine> | null, size: string, min: number) => {
    const snap = actor?.getSnapshot();
    return {
      name,
      state: (snap?.value as 'InService' | 'Pending') ?? 'InService',
      min: snap?.context.min ?? min,
      desired: snap?.context.desired ?? 0,
      max: snap?.context.max ?? 0,
      instanceSize: size,
    };
  };
  const t = s.totals;
  const azsUpAndConnected = s.azIds.filter((id) => {
    const az = s.azs.get(id);
    return az && az.health !== 'down' && az.network === 'connected';
  }).length;
  return {
    controlPlane: {
      exists: s.exists,
      region: s.region,
      azs: s.azIds.map((id) => {
        const az = s.azs.get(id) as AzRecord;
        return { id, health: az.health, network: az.network };
      }),
      apiServers: s.apiServers.map((a) => ({
        id: a.id,
        az: a.az,
        state: a.state,
        size: a.size,
        seats: sizeByIndex(sizeIndex(a.size)).seats,
        cpu: round3(a.load?.cpu ?? 0),
        memory: round3(a.load?.memory ?? 0),
        offeredRps: r1(a.load?.offeredRps ?? 0),
        servedRps: r1((a.load?.servedRps ?? 0) - a.unavailableRps),
        throttled429PerSec: r1(a.load?.throttledRps ?? 0),
        unavailable503PerSec: r1(a.unavailableRps),
        capacityRps: r1(a.load?.capacityRps ?? 0),
        inflight: r1(a.load?.inflight ?? 0),
        p99Ms: r1(a.load?.p99Ms ?? 0),
        launchedAtMs: a.launchedAtMs,
      })),
      etcd: members,
      etcdCluster,
      nlbs: s.nlbs.map((n) => ({
        id: n.id,
        az: n.az,
        state: n.state,
        inDns: nlbInDns(n.state),
        ips: [...n.ips],
        healthyTargets: s.servingIn(n.az).map((a) => a.id),
      })),
      asgs: {
        apiServers: asgView('eks-apiserver', s.apiAsg, s.apiServerSize, MIN_API_SERVERS),
        etcd: asgView('eks-etcd', s.etcdAsg, s.etcdSize, MIN_ETCD_MEMBERS),
      },
      autoscaler: {
        apiServers: {
          state: String(s.autoscalers.apiServers.getSnapshot().value),
          cooldownMs: s.autoscalers.apiServers.getSnapshot().context.cooldownMs,
        },
        etcd: {
          state: String(s.autoscalers.etcd.getSnapshot().value),
          cooldownMs: s.autoscalers.etcd.getSnapshot().context.cooldownMs,
        },
        decisions: [...s.decisions],
      },
      operations: s.operations.map(
        (o): OperationView => ({
          kind: o.kind,
          group: o.group,
          newId: o.newId,
          replaces: o.replaces,
          startedAtMs: o.startedAtMs,
        }),
      ),
      recovery: { lastDisruptionMs: s.lastDisruptionMs, recoveryBoundMs: RECOVERY_BOUND_MS, azsUpAndConnected },
    },
    load: {
      profile: s.profile,
      offeredRps: r1(t.offeredRps),
      servedRps: r1(t.servedRps),
      readRps: r1(t.readRps),
      writeRps: r1(t.writeRps),
      capacityRps: r1(t.capacityRps),
      throttled429PerSec: r1(t.throttled),
      unavailable503PerSec: r1(t.unavailable),
      p99LatencyMs: r1(t.p99),
      byClass: {
        kubectl: r1(t.byClass.kubectl),
        controllers: r1(t.byClass.controllers),
        kubelets: r1(t.byClass.kubelets),
      },
      nodes: t.nodes,
      spike: s.spike ? { ...s.spike } : null,
      total429: Math.round(s.counters.total429),
      total503: Math.round(s.counters.total503),
      totalServed: Math.round(s.counters.totalServed),
      committedWrites: s.counters.committedWrites,
      series: [...s.series],
    },
  };
}
