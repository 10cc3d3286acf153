import type { NodegroupUpgradeView } from '../nodegroups/types';
import type { Boundary, SkewStatus, SupportPhase, UpgradePolicy } from './calendar';

export type { NodegroupUpgradeView } from '../nodegroups/types';

/** One control-plane version change, as the versions part of the snapshot keeps it. */
export interface VersionChange {
  readonly updateId: string;
  readonly fromVersion: string;
  readonly toVersion: string;
  /** `automatic`: EKS at the end of support (docs/versions-and-cost.md); `manual`: UpdateClusterVersion. */
  readonly trigger: 'automatic' | 'manual';
  /** For an automatic upgrade: the boundary that caused it (00:00 UTC of its date). */
  readonly boundaryDate?: string;
  readonly boundaryMs?: number;
  /** Why an automatic upgrade could not start at its boundary (the cluster was busy). */
  deferredReason?: string;
  readonly startedAtMs: number;
  readonly startedAt: string;
  completedAtMs: number | null;
  completedAt: string | null;
}

/** A node's kubelet against the API server (kubernetes.io "Version Skew Policy"). */
export interface NodeSkew {
  readonly nodegroup: string;
  readonly node: string;
  readonly kubeletVersion: string;
  readonly minorsBehind: number;
  readonly status: SkewStatus;
  /** True when the node is outside the skew policy (too old or newer than the API server). */
  readonly flagged: boolean;
}

export interface ClusterVersionView {
  readonly name: string;
  readonly version: string;
  readonly platformVersion: string;
  readonly phase: SupportPhase;
  readonly supportType: UpgradePolicy;
  /** The lifecycle machine's state: STANDARD_SUPPORT, EXTENDED_SUPPORT, AUTO_UPGRADE_DUE, UPDATING. */
  readonly lifecycleState: string;
  readonly nextBoundary: Boundary | null;
}

export interface VersionsView {
  readonly cluster: ClusterVersionView | null;
  /** Versions a new cluster may use today (standard or extended support). */
  readonly offered: readonly string[];
  /** Every control-plane version change, oldest first. */
  readonly history: readonly VersionChange[];
  readonly nodes: readonly NodeSkew[];
  readonly flaggedNodes: number;
  /** Allowed kubelet lag, in minor versions, for the current API server (3; 2 before 1.28). */
  readonly maxKubeletSkew: number | null;
  readonly nodegroupUpgrades: readonly NodegroupUpgradeView[];
}
