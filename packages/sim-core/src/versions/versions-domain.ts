import type { Actor } from 'xstate';
import type { ClusterVersionsPort } from '../cluster/ports';
import type { ClusterRecord } from '../cluster/types';
import { type CommandResult, type CommandSpec, fail, ok } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import { formatDuration, isoTime } from '../engine/duration';
import type { Prng } from '../engine/prng';
import type { NodegroupsUpgradeTimingPort } from '../nodegroups/ports';
import type { NodegroupRecord } from '../nodegroups/types';
import {
  type Boundary,
  calendarRow,
  maxKubeletSkew,
  minorOf,
  nextBoundary,
  supportPhase,
  type UpgradePolicy,
  validateCreateVersion,
  versionsOffered,
} from './calendar';
import type { VersionsPorts } from './ports';
import { platformVersionOn } from './server-version';
import { nodeSkews, SkewWatch } from './skew';
import type { NodeSkew, VersionChange, VersionsView } from './types';
import { refuseVersionStep } from './upgrade-rules';
import { type LifecycleEmitted, lifecyclePhaseOf, versionLifecycleMachine } from './version-lifecycle-machine';

/** What a save keeps of versions: the upgrade history, the skew already announced; the lifecycle actor is saved apart. */
export interface SavedVersions {
  readonly history: readonly VersionChange[];
  readonly skewAnnounced: readonly (readonly [string, string])[];
  readonly lifecycle: boolean;
}

const LIFECYCLE_KEY = 'versions/lifecycle';

export interface VersionsSnapshotPart {
  readonly versions: VersionsView;
}

/**
 * How long the work takes, in simulated time. AWS gives no figure for a control-plane version
 * update beyond "several minutes"; a managed node group replaces nodes one batch of
 * `maxUnavailable` at a time, each node drained and then replaced by one on the new version.
 */
export const CONTROL_PLANE_UPDATE_MS = { min: 12 * 60_000, max: 20 * 60_000 };
export const NODE_DRAIN_MS = { min: 2 * 60_000, max: 4 * 60_000 };
export const NODE_REPLACE_MS = { min: 2 * 60_000, max: 3 * 60_000 };
export const UPGRADE_POLICY_UPDATE_MS = 60_000;

type Refusal = { readonly code: string; readonly message: string };

/**
 * The EKS version lifecycle of the cluster (docs/versions-and-cost.md, AWS EKS User Guide, kubernetes-versions.html): support phases from the
 * calendar, the automatic upgrade at the end of support, manual control-plane upgrades one minor
 * version at a time, rolling managed-node-group upgrades, and kubelet version skew.
 */
export class VersionsDomain
  implements Domain<VersionsSnapshotPart, SavedVersions>, ClusterVersionsPort, NodegroupsUpgradeTimingPort
{
  private actor: Actor<typeof versionLifecycleMachine> | null = null;
  private readonly history: VersionChange[] = [];
  private readonly rng: Prng;
  private readonly skewWatch: SkewWatch;

  constructor(
    private readonly ctx: SimContext,
    private readonly ports: VersionsPorts,
  ) {
    this.rng = ctx.rng('versions');
    this.skewWatch = new SkewWatch((type, source, message, data) => ctx.emit(type, source, message, data));
    ports.cluster.onUpdateSuccessful((record, update, change) => {
      if (update.type === 'UpgradePolicyUpdate' && change.supportType) this.policyChanged(record, change.supportType);
      if (update.type === 'VersionUpdate') this.versionUpdated(record, update.id);
    });
    // Each node of a rolling upgrade Ready on its new kubelet, and each group done, may change the skew.
    ports.nodegroups.onUpgradeProgress(() => this.checkSkew());
  }

  readonly commands: readonly CommandSpec[] = [
    {
      type: 'cluster.update-version',
      doc: 'Upgrade the control plane one minor version (UpdateClusterVersion): a VersionUpdate of 12-20 simulated minutes. Node groups must be on the current version first; they are never upgraded with it.',
      fields: {
        name: { kind: 'string', doc: 'cluster name (default: the cluster)' },
        version: { kind: 'string', required: true, doc: 'target minor version, e.g. "1.29"' },
      },
      handle: (c) => this.result(this.updateClusterVersion(c.name as string | undefined, String(c.version))),
    },
    {
      type: 'cluster.update-upgrade-policy',
      doc: 'Set upgradePolicy.supportType (UpdateClusterConfig): EXTENDED (default) stays on a version through extended support; STANDARD is upgraded automatically at the end of standard support.',
      fields: {
        name: { kind: 'string', doc: 'cluster name (default: the cluster)' },
        supportType: { kind: 'string', required: true, oneOf: ['STANDARD', 'EXTENDED'] },
      },
      handle: (c) =>
        this.result(this.setUpgradePolicy(c.name as string | undefined, String(c.supportType) as UpgradePolicy)),
    },
    {
      type: 'nodegroup.upgrade',
      doc: "Upgrade a managed node group's kubelets (UpdateNodegroupVersion): rolling, at most maxUnavailable nodes out at a time. Default target: the control plane's version.",
      fields: {
        nodegroup: { kind: 'string', required: true },
        version: { kind: 'string', doc: 'target minor version (default: the control plane’s)' },
        clusterName: { kind: 'string' },
      },
      handle: (c) =>
        this.result(
          this.upgradeNodegroup(
            String(c.nodegroup),
            c.version as string | undefined,
            c.clusterName as string | undefined,
          ),
        ),
    },
  ];

  start(): void {
    this.listen();
  }

  save(): SavedVersions {
    return {
      history: JSON.parse(JSON.stringify(this.history)) as VersionChange[],
      skewAnnounced: this.skewWatch.save(),
      lifecycle: this.actor !== null,
    };
  }

  restore(saved: SavedVersions): void {
    this.listen();
    this.history.push(...saved.history);
    this.skewWatch.restore(saved.skewAnnounced);
    if (saved.lifecycle) {
      const actor = this.ctx.actors.revive(LIFECYCLE_KEY, versionLifecycleMachine);
      this.actor = actor;
      actor.on('*', (said) => this.heardLifecycle(said));
    }
  }

  /** Wired in `start` or `restore`, in the order the other domains wire theirs. */
  private listen(): void {
    const cluster = this.ports.cluster;
    cluster.onCreated((record) => this.adoptCluster(record));
    cluster.onDeleted(() => this.forgetCluster());
  }

  createVersionRefusal(version: string, atMs: number): string | undefined {
    return validateCreateVersion(version, atMs);
  }

  platformVersionOn(version: string, atMs: number): string {
    return platformVersionOn(version, atMs);
  }

  // ---- control plane ---------------------------------------------------------------------

  /** Starts UpdateClusterVersion; returns the update id, or EKS's refusal. */
  updateClusterVersion(name: string | undefined, version: string): { updateId: string } | Refusal {
    const record = this.ports.cluster.cluster;
    if (!record || (name !== undefined && name !== record.name)) {
      return { code: 'ResourceNotFoundException', message: `No cluster found for name: ${name ?? '(none)'}.` };
    }
    const refused = refuseVersionStep(record.version, version, this.ctx.clock.now());
    if (refused) return { code: refused.code, message: refused.message };
    if (record.status !== 'ACTIVE') {
      return {
        code: 'ResourceInUseException',
        message: `Cluster ${record.name} is ${record.status}; an update needs ACTIVE (one update at a time).`,
      };
    }
    // AWS "Update existing cluster": managed nodes must be on the control plane's minor first.
    const behind = this.groupsOf(record).filter((g) => g.version !== record.version);
    if (behind.length > 0) {
      return {
        code: 'InvalidRequestException',
        message: `Nodegroups ${behind.map((g) => g.name).join(', ')} must be updated to match cluster version ${record.version} before updating cluster version`,
      };
    }
    return this.startVersionUpdate(record, version, 'manual');
  }

  /** Sets the upgrade policy as an UpgradePolicyUpdate; returns the update id or a refusal. */
  setUpgradePolicy(name: string | undefined, supportType: UpgradePolicy): { updateId: string } | Refusal {
    const record = this.ports.cluster.cluster;
    if (!record || (name !== undefined && name !== record.name)) {
      return { code: 'ResourceNotFoundException', message: `No cluster found for name: ${name ?? '(none)'}.` };
    }
    const phase = supportPhase(record.version, this.ctx.clock.now());
    // "You cannot disable extended support once your cluster has entered it" (AWS EKS User Guide,
    // disable-extended-support, read 2026-11-25): upgrade to a version in standard support first.
    if (supportType === 'STANDARD' && phase !== 'standard') {
      return {
        code: 'InvalidRequestException',
        message: `Cluster ${record.name} runs ${record.version}, which is in ${phase} support; upgrade to a version in standard support before setting supportType STANDARD`,
      };
    }
    const update = this.ports.cluster.startUpdate(
      'UpgradePolicyUpdate',
      [{ type: 'UpgradePolicy', value: supportType }],
      UPGRADE_POLICY_UPDATE_MS,
      { supportType },
    );
    if (typeof update === 'string') return { code: 'ResourceInUseException', message: update };
    return { updateId: update.id };
  }

  private policyChanged(record: ClusterRecord, supportType: UpgradePolicy): void {
    this.actor?.send({ type: 'UPGRADE_POLICY_CHANGED', policy: supportType });
    this.ctx.emit(
      'versions.upgrade-policy-changed',
      `cluster/${record.name}`,
      `Upgrade policy of ${record.name} is now ${supportType}`,
      { supportType },
    );
    this.scheduleNextBoundary();
  }

  private versionUpdated(record: ClusterRecord, updateId: string): void {
    const change = this.history.find((h) => h.updateId === updateId);
    if (!change) return;
    const { fromVersion, toVersion, trigger } = change;
    const now = this.ctx.clock.now();
    change.completedAtMs = now;
    change.completedAt = isoTime(now);
    this.actor?.send({ type: 'VERSION_UPDATE_SUCCESSFUL', phase: supportPhase(toVersion, now), version: toVersion });
    this.ctx.emit(
      'versions.control-plane-upgraded',
      `cluster/${record.name}`,
      `Control plane of ${record.name} upgraded ${fromVersion} → ${toVersion} (${trigger}); node groups stay where they were (docs/versions-and-cost.md)`,
      { fromVersion, toVersion, trigger, platformVersion: record.platformVersion },
    );
    this.checkSkew();
    this.scheduleNextBoundary();
  }

  private startVersionUpdate(
    record: ClusterRecord,
    toVersion: string,
    trigger: 'automatic' | 'manual',
    boundary?: Boundary,
    deferredReason?: string,
  ): { updateId: string } | Refusal {
    const fromVersion = record.version;
    // The newest platform version of the new minor on the day the upgrade starts (versions/platform-versions.ts).
    const platformVersion = platformVersionOn(toVersion, this.ctx.clock.now());
    const durationMs = this.rng.int(CONTROL_PLANE_UPDATE_MS.min, CONTROL_PLANE_UPDATE_MS.max);
    const update = this.ports.cluster.startUpdate(
      'VersionUpdate',
      [
        { type: 'Version', value: toVersion },
        { type: 'PlatformVersion', value: platformVersion },
      ],
      durationMs,
      { version: toVersion, platformVersion },
    );
    if (typeof update === 'string') return { code: 'ResourceInUseException', message: update };
    const now = this.ctx.clock.now();
    const change: VersionChange = {
      updateId: update.id,
      fromVersion,
      toVersion,
      trigger,
      ...(boundary ? { boundaryDate: boundary.date, boundaryMs: boundary.atMs } : {}),
      ...(deferredReason ? { deferredReason } : {}),
      startedAtMs: now,
      startedAt: isoTime(now),
      completedAtMs: null,
      completedAt: null,
    };
    this.history.push(change);
    this.actor?.send({ type: 'VERSION_UPDATE_STARTED', trigger });
    this.ctx.emit(
      trigger === 'automatic' ? 'versions.auto-upgrade-started' : 'versions.upgrade-started',
      `cluster/${record.name}`,
      trigger === 'automatic'
        ? `EKS is upgrading ${record.name} automatically from ${fromVersion} to ${toVersion} (${boundary?.kind ?? 'end of support'} ${boundary?.date ?? ''}; takes ${formatDuration(durationMs)})`
        : `Upgrading ${record.name} from ${fromVersion} to ${toVersion} (takes ${formatDuration(durationMs)})`,
      { updateId: update.id, fromVersion, toVersion, trigger, durationMs },
    );
    return { updateId: update.id };
  }

  private adoptCluster(record: ClusterRecord): void {
    this.ctx.actors.stop(LIFECYCLE_KEY);
    const input = {
      phase: supportPhase(record.version, this.ctx.clock.now()),
      policy: record.upgradePolicy.supportType,
      clusterName: record.name,
      version: record.version,
    };
    this.ctx.actors.start(LIFECYCLE_KEY, versionLifecycleMachine, { input }, (actor) => {
      this.actor = actor;
      actor.on('*', (said) => this.heardLifecycle(said));
    });
    this.scheduleNextBoundary();
  }

  /** What the lifecycle machine said: a line for the log, or that the automatic upgrade is owed. */
  private heardLifecycle(said: LifecycleEmitted): void {
    if (said.type === 'auto-upgrade-due') {
      this.tryAutomaticUpgrade(said.fromVersion, said.boundary, said.deferredReason);
      return;
    }
    this.ctx.emit(said.type, said.source, said.message, said.data);
    if (said.type === 'versions.extended-support-started') this.scheduleNextBoundary();
  }

  private forgetCluster(): void {
    // Stopping the actor cancels its boundary and its retry.
    this.ctx.actors.stop(LIFECYCLE_KEY);
    this.actor = null;
  }

  /** Names the next calendar boundary of the cluster's version and policy to the lifecycle machine. */
  private scheduleNextBoundary(): void {
    const record = this.ports.cluster.cluster;
    if (!record) return;
    const now = this.ctx.clock.now();
    const boundary = nextBoundary(record.version, record.upgradePolicy.supportType, now) ?? null;
    this.actor?.send({ type: 'BOUNDARY_AHEAD', boundary, inMs: boundary ? boundary.atMs - now : 0 });
  }

  /** The lifecycle machine says an automatic upgrade is owed: start it, or say why not yet. */
  private tryAutomaticUpgrade(fromVersion: string, boundary: Boundary, deferredReason?: string): void {
    const record = this.ports.cluster.cluster;
    // A manual upgrade that landed meanwhile already moved the cluster on.
    if (!record || record.version !== fromVersion || !boundary.upgradeTo) return;
    if (record.status !== 'ACTIVE') {
      if (record.status === 'DELETING' || record.status === 'FAILED') return;
      const reason =
        deferredReason ??
        `cluster was ${record.status} at ${isoTime(this.ctx.clock.now())}; EKS retries once it is ACTIVE`;
      this.actor?.send({ type: 'UPGRADE_DEFERRED', reason });
      return;
    }
    // Re-armed after the busy update finished (its completion reschedules the boundary): still late, say why.
    const late = this.ctx.clock.now() !== boundary.atMs;
    const lastDeferral = this.actor?.getSnapshot().context.lastDeferral;
    const reason = deferredReason ?? (late ? (lastDeferral ?? 'started after its boundary') : undefined);
    this.startVersionUpdate(record, boundary.upgradeTo, 'automatic', boundary, reason);
  }

  // ---- node groups ---------------------------------------------------------------------

  private groupsOf(record: ClusterRecord): readonly NodegroupRecord[] {
    return this.ports.nodegroups.all.filter((g) => g.clusterName === record.name);
  }

  /** UpdateNodegroupVersion: a rolling replacement honouring `maxUnavailable`. */
  upgradeNodegroup(
    nodegroupName: string,
    version: string | undefined,
    clusterName?: string,
  ): { nodegroup: string; toVersion: string } | Refusal {
    const record = this.ports.cluster.cluster;
    if (!record || (clusterName !== undefined && clusterName !== record.name)) {
      return { code: 'ResourceNotFoundException', message: `No cluster found for name: ${clusterName ?? '(none)'}.` };
    }
    const group = this.groupsOf(record).find((g) => g.name === nodegroupName);
    if (!group) {
      return { code: 'ResourceNotFoundException', message: `No node group found for name: ${nodegroupName}.` };
    }
    const target = version ?? record.version;
    const targetMinor = minorOf(target);
    if (targetMinor === undefined || !calendarRow(target)) {
      return { code: 'InvalidParameterException', message: `unsupported Kubernetes version ${target}` };
    }
    if (targetMinor > (minorOf(record.version) ?? 0)) {
      return {
        code: 'InvalidParameterException',
        message: `Requested Nodegroup version ${target} is newer than the cluster version ${record.version}; a node group cannot run ahead of its control plane`,
      };
    }
    if (targetMinor <= (minorOf(group.version) ?? 0)) {
      return {
        code: 'InvalidParameterException',
        message: `Nodegroup ${group.name} is already on ${group.version}; it can only be upgraded (to at most ${record.version})`,
      };
    }
    if (group.status !== 'ACTIVE') {
      return {
        code: 'ResourceInUseException',
        message: `Nodegroup ${group.name} is ${group.status}; an update needs ACTIVE (one update at a time).`,
      };
    }
    const view = this.ports.nodegroups.startUpgrade(group.name, target);
    if (!view) {
      return { code: 'ResourceInUseException', message: `Nodegroup ${group.name} cannot be updated now.` };
    }
    return { nodegroup: group.name, toVersion: target };
  }

  /** A node of a rolling upgrade drains for this long (the node groups ask; see NodegroupsUpgradeTimingPort). */
  nodeDrainMs(): number {
    return this.rng.int(NODE_DRAIN_MS.min, NODE_DRAIN_MS.max);
  }

  /** Its replacement boots for this long. */
  nodeReplaceMs(): number {
    return this.rng.int(NODE_REPLACE_MS.min, NODE_REPLACE_MS.max);
  }

  // ---- version skew ----------------------------------------------------------------------

  private nodeSkews(): NodeSkew[] {
    const record = this.ports.cluster.cluster;
    return record ? nodeSkews(record.version, this.groupsOf(record)) : [];
  }

  /** Emits a warning for each node whose skew status became worrying (and a note when it clears). */
  checkSkew(): void {
    const record = this.ports.cluster.cluster;
    if (record) this.skewWatch.check(record.version, this.nodeSkews());
  }

  // ---- snapshot --------------------------------------------------------------------------

  snapshot(): VersionsSnapshotPart {
    const now = this.ctx.clock.now();
    const record = this.ports.cluster.cluster;
    const nodes = this.nodeSkews();
    const boundary = record ? nextBoundary(record.version, record.upgradePolicy.supportType, now) : undefined;
    const view: VersionsView = {
      cluster: record
        ? {
            name: record.name,
            version: record.version,
            platformVersion: record.platformVersion,
            phase: calendarRow(record.version) ? supportPhase(record.version, now) : 'unsupported',
            supportType: record.upgradePolicy.supportType,
            lifecycleState: this.actor ? lifecyclePhaseOf(this.actor.getSnapshot().value) : 'UNKNOWN',
            nextBoundary: boundary ? { ...boundary } : null,
          }
        : null,
      offered: versionsOffered(now),
      history: this.history.map((h) => ({ ...h })),
      nodes,
      flaggedNodes: nodes.filter((n) => n.flagged).length,
      maxKubeletSkew: record ? maxKubeletSkew(record.version) : null,
      nodegroupUpgrades: this.ports.nodegroups.upgrades.map((u) => ({ ...u })),
    };
    return { versions: view };
  }

  private result(outcome: object & ({ code: string; message: string } | Record<string, unknown>)): CommandResult {
    if ('code' in outcome && 'message' in outcome) {
      return fail(String(outcome.code), String(outcome.message));
    }
    if ('updateId' in outcome) return ok(`Update ${String(outcome.updateId)} InProgress`, outcome);
    return ok('Node group update started', outcome);
  }
}
