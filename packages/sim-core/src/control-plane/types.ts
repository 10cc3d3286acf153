/** The control plane's part of the snapshot: plain JSON the viz draws and the invariants read. */
import type { EtcdClusterView, EtcdMemberView } from '../etcd/etcd-cluster';
import type { LoadSnapshotPart } from '../load/types';
import type { ApiServerState } from './apiserver-machine';
import type { ScalingDecision } from './autoscaler-machine';
import type { AzHealth, AzNetwork } from './az-machine';
import type { NlbNodeState } from './nlb-node-machine';

export interface AzView {
  readonly id: string;
  readonly health: AzHealth;
  readonly network: AzNetwork;
}

export interface ApiServerView {
  readonly id: string;
  readonly az: string;
  readonly state: ApiServerState;
  readonly size: string;
  readonly seats: number;
  readonly cpu: number;
  readonly memory: number;
  readonly offeredRps: number;
  readonly servedRps: number;
  readonly throttled429PerSec: number;
  readonly unavailable503PerSec: number;
  readonly capacityRps: number;
  readonly inflight: number;
  readonly p99Ms: number;
  readonly launchedAtMs: number;
}

export interface NlbNodeView {
  readonly id: string;
  readonly az: string;
  readonly state: NlbNodeState;
  readonly inDns: boolean;
  readonly ips: readonly string[];
  /** API servers in its AZ that pass health checks. */
  readonly healthyTargets: readonly string[];
}

export interface AsgView {
  readonly name: string;
  readonly state: 'InService' | 'Pending';
  readonly min: number;
  readonly desired: number;
  readonly max: number;
  readonly instanceSize: string;
}

export interface DecisionRecord {
  readonly atMs: number;
  readonly group: 'apiServers' | 'etcd';
  readonly decision: ScalingDecision;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly cooldownMs: number;
}

export interface OperationView {
  readonly kind: 'replace' | 'resize' | 'rebalance';
  readonly group: 'apiServers' | 'etcd';
  readonly newId: string;
  readonly replaces: string | null;
  readonly startedAtMs: number;
}

export interface ControlPlaneView {
  /** false until a cluster exists (and again after it is deleted). */
  readonly exists: boolean;
  readonly region: string;
  readonly azs: readonly AzView[];
  readonly apiServers: readonly ApiServerView[];
  readonly etcd: readonly EtcdMemberView[];
  readonly etcdCluster: Omit<EtcdClusterView, 'members'>;
  readonly nlbs: readonly NlbNodeView[];
  readonly asgs: { readonly apiServers: AsgView; readonly etcd: AsgView };
  readonly autoscaler: {
    readonly apiServers: { readonly state: string; readonly cooldownMs: number };
    readonly etcd: { readonly state: string; readonly cooldownMs: number };
    readonly decisions: readonly DecisionRecord[];
  };
  readonly operations: readonly OperationView[];
  /** What the recovery invariant reads. */
  readonly recovery: {
    readonly lastDisruptionMs: number | null;
    readonly recoveryBoundMs: number;
    readonly azsUpAndConnected: number;
  };
}

export type ControlPlaneSnapshotPart = { readonly controlPlane: ControlPlaneView } & LoadSnapshotPart;
