import { type Actor, createActor } from 'xstate';
import { type Command, type CommandSpec, fail, ok } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Prng } from '../engine/prng';
import { clusterMachine } from './cluster-machine';
import { checkClusterCreate, ENDPOINT_DEFAULTS } from './create-rules';
import { endpointUrl } from './endpoint-name';
import { ACCOUNT_ID, CLUSTER_DELETE_MS, CONTROL_PLANE_CREATE_MS } from './facts';
import type { ClusterPorts } from './ports';
import type {
  ClusterRecord,
  ClusterSnapshotPart,
  ClusterStatus,
  ClusterUpdate,
  UpdateParam,
  UpdateType,
  VpcConfig,
} from './types';

export interface CreateClusterInput {
  readonly name: string;
  readonly version: string;
  readonly endpointPublicAccess?: boolean;
  readonly endpointPrivateAccess?: boolean;
  readonly publicAccessCidrs?: readonly string[];
  readonly supportType?: 'STANDARD' | 'EXTENDED';
  readonly roleArn?: string;
  readonly tags?: Record<string, string>;
  /** resourcesVpcConfig.subnetIds: subnets of the simulated VPC; absent, the scenario's layout picks them. */
  readonly subnetIds?: readonly string[];
  /** true: the cluster is ACTIVE at once (a scenario that starts with it built). */
  readonly alreadyActive?: boolean;
}

type ClusterListener = (cluster: ClusterRecord) => void;

/** The endpoint fields of resourcesVpcConfig (UpdateClusterConfig). */
export type EndpointAccess = Pick<VpcConfig, 'endpointPublicAccess' | 'endpointPrivateAccess'> & {
  readonly publicAccessCidrs: readonly string[];
};

/** What an update changes in the cluster record when it completes; the cluster applies it itself. */
export interface ClusterChange {
  readonly version?: string;
  readonly platformVersion?: string;
  readonly supportType?: 'STANDARD' | 'EXTENDED';
  readonly endpointAccess?: EndpointAccess;
}

/**
 * Owns the cluster record and its updates: it is the only writer of the record. Other domains
 * validate an update and start it with `startUpdate`, naming the change as data; the cluster
 * applies it when the update completes and tells them (`onDone`, `onEndpointAccessChanged`).
 * They learn of creation and deletion through `onCreated` etc.
 */
export class ClusterDomain implements Domain<ClusterSnapshotPart> {
  private record: ClusterRecord | null = null;
  private actor: Actor<typeof clusterMachine> | null = null;
  private readonly createdListeners: ClusterListener[] = [];
  private readonly activeListeners: ClusterListener[] = [];
  private readonly deletedListeners: ClusterListener[] = [];
  private readonly endpointAccessListeners: ClusterListener[] = [];
  private readonly rng: Prng;

  constructor(
    private readonly ctx: SimContext,
    private readonly ports: ClusterPorts,
    readonly region: string,
  ) {
    this.rng = ctx.rng('cluster');
  }

  readonly commands: readonly CommandSpec[] = [
    {
      type: 'cluster.create',
      doc: 'Create the EKS cluster (CreateCluster): CREATING for about 8-11 simulated minutes, then ACTIVE.',
      fields: {
        name: { kind: 'string', required: true },
        version: { kind: 'string', required: true, doc: 'Kubernetes minor version, e.g. "1.28"' },
        endpointPublicAccess: { kind: 'boolean' },
        endpointPrivateAccess: { kind: 'boolean' },
        publicAccessCidrs: { kind: 'string[]' },
        supportType: { kind: 'string', oneOf: ['STANDARD', 'EXTENDED'] },
        roleArn: { kind: 'string', doc: 'IAM role of the control plane; default: the one eksctl would create' },
        tags: { kind: 'tags', doc: 'tags as a string-to-string map' },
        subnetIds: {
          kind: 'string[]',
          doc: 'resourcesVpcConfig.subnetIds; each must exist in the simulated VPC, in two AZs at least',
        },
      },
      check: (c) => {
        const exists = this.existsRefusal();
        return exists
          ? fail('ResourceInUseException', exists)
          : checkClusterCreate(c, this.ports.network, this.ports.endpoint);
      },
      handle: (c) => this.handleCreate(c),
    },
    {
      type: 'cluster.delete',
      doc: 'Delete the EKS cluster (DeleteCluster): DELETING for a few simulated minutes, then gone.',
      fields: { name: { kind: 'string', required: true } },
      handle: (c) => this.handleDelete(String(c.name)),
    },
  ];

  get cluster(): ClusterRecord | null {
    return this.record;
  }

  get status(): ClusterStatus | null {
    return this.record?.status ?? null;
  }

  onCreated(listener: ClusterListener): void {
    this.createdListeners.push(listener);
  }
  onActive(listener: ClusterListener): void {
    this.activeListeners.push(listener);
  }
  onDeleted(listener: ClusterListener): void {
    this.deletedListeners.push(listener);
  }
  /** After an EndpointAccessUpdate completed, in subscription order. */
  onEndpointAccessChanged(listener: ClusterListener): void {
    this.endpointAccessListeners.push(listener);
  }

  /** EKS attaches an extra security group to the cluster (eksctl's ControlPlaneSecurityGroup). */
  attachSecurityGroup(groupId: string): void {
    const vpc = this.record?.resourcesVpcConfig;
    if (vpc && !vpc.securityGroupIds.includes(groupId)) vpc.securityGroupIds.push(groupId);
  }

  /** Creates the cluster; returns an error text when EKS would refuse. */
  create(input: CreateClusterInput): ClusterRecord | string {
    const exists = this.existsRefusal();
    if (exists) return exists;
    // EKS refuses versions it does not offer that day (AWS EKS User Guide, kubernetes-versions.html); a cluster that already exists at the start is adopted as is.
    const versionRefusal = input.alreadyActive
      ? undefined
      : this.ports.versions.createVersionRefusal(input.version, this.ctx.clock.now());
    if (versionRefusal) return versionRefusal;
    const now = this.ctx.clock.now();
    const id = Array.from({ length: 32 }, () => '0123456789ABCDEF'[this.rng.int(0, 15)]).join('');
    const vpc = this.ports.network.provisionClusterNetworking(input.name, input.subnetIds);
    const record: ClusterRecord = {
      name: input.name,
      arn: `arn:aws:eks:${this.region}:${ACCOUNT_ID}:cluster/${input.name}`,
      createdAtMs: now,
      status: 'CREATING',
      version: input.version,
      platformVersion: 'eks.1',
      endpoint: endpointUrl(id, this.region),
      roleArn: input.roleArn ?? `arn:aws:iam::${ACCOUNT_ID}:role/eksctl-${input.name}-cluster-ServiceRole`,
      resourcesVpcConfig: {
        ...vpc,
        endpointPublicAccess: input.endpointPublicAccess ?? ENDPOINT_DEFAULTS.endpointPublicAccess,
        endpointPrivateAccess: input.endpointPrivateAccess ?? ENDPOINT_DEFAULTS.endpointPrivateAccess,
        publicAccessCidrs: [...(input.publicAccessCidrs ?? ENDPOINT_DEFAULTS.publicAccessCidrs)],
      },
      upgradePolicy: { supportType: input.supportType ?? 'EXTENDED' },
      tags: { ...(input.tags ?? {}) },
      updates: [],
    };
    this.record = record;
    this.actor = createActor(clusterMachine, { clock: this.ctx.clock.xstate });
    this.actor.subscribe((snap) => {
      if (this.record && snap.value !== 'DELETED') this.record.status = snap.value as ClusterStatus;
    });
    this.actor.start();
    this.ctx.emit(
      'cluster.creating',
      `cluster/${record.name}`,
      `Cluster ${record.name} (${record.version}) is CREATING`,
      {
        version: record.version,
      },
    );
    for (const l of this.createdListeners) l(record);
    const becomeActive = () => {
      this.actor?.send({ type: 'CONTROL_PLANE_READY' });
      this.ctx.emit('cluster.active', `cluster/${record.name}`, `Cluster ${record.name} is ACTIVE`);
      for (const l of this.activeListeners) l(record);
    };
    if (input.alreadyActive) becomeActive();
    else this.ctx.clock.after(this.rng.int(CONTROL_PLANE_CREATE_MS.min, CONTROL_PLANE_CREATE_MS.max), becomeActive);
    return record;
  }

  /** One cluster per simulation: EKS's refusal of a second, or undefined. */
  private existsRefusal(): string | undefined {
    return this.record ? `Cluster already exists with name: ${this.record.name}` : undefined;
  }

  /** Starts deletion; returns an error text when EKS would refuse. */
  delete(name: string): string | undefined {
    const record = this.record;
    if (!record || record.name !== name) return `No cluster found for name: ${name}.`;
    if (record.status === 'DELETING') return `Cluster ${name} is already being deleted.`;
    if (record.status === 'UPDATING') return `Cluster has an update in progress: ${name}`;
    this.actor?.send({ type: 'DELETE_REQUESTED' });
    this.ctx.emit('cluster.deleting', `cluster/${name}`, `Cluster ${name} is DELETING`);
    this.ctx.clock.after(this.rng.int(CLUSTER_DELETE_MS.min, CLUSTER_DELETE_MS.max), () => {
      this.actor?.send({ type: 'DELETED' });
      this.actor?.stop();
      this.actor = null;
      this.record = null;
      this.ctx.emit('cluster.deleted', `cluster/${name}`, `Cluster ${name} was deleted`);
      for (const l of this.deletedListeners) l(record);
    });
    return undefined;
  }

  /**
   * Records an update; `durationMs` later the cluster applies `change` and runs `onDone`. The
   * cluster is UPDATING meanwhile; a second update while one runs is refused (returns the error text).
   */
  startUpdate(
    type: UpdateType,
    params: readonly UpdateParam[],
    durationMs: number,
    change: ClusterChange,
    onDone?: (record: Readonly<ClusterRecord>) => void,
  ): ClusterUpdate | string {
    const record = this.record;
    if (!record) return 'No cluster found.';
    if (record.status !== 'ACTIVE') {
      return `Cluster is in ${record.status} state; an update needs ACTIVE (one update at a time).`;
    }
    const now = this.ctx.clock.now();
    const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[this.rng.int(0, 15)]).join('');
    const update: ClusterUpdate = {
      id: `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[this.rng.int(0, 3)]}${hex(3)}-${hex(12)}`,
      type,
      status: 'InProgress',
      params,
      createdAtMs: now,
      dueAtMs: now + durationMs,
      errors: [],
    };
    record.updates.push(update);
    this.actor?.send({ type: 'UPDATE_STARTED' });
    this.ctx.emit('cluster.update-started', `cluster/${record.name}`, `${type} ${update.id} started`, {
      updateId: update.id,
      updateType: type,
      params: params.map((p) => ({ ...p })),
    });
    this.ctx.clock.after(durationMs, () => {
      this.apply(record, change);
      onDone?.(record);
      if (change.endpointAccess) for (const l of this.endpointAccessListeners) l(record);
      update.status = 'Successful';
      this.actor?.send({ type: 'UPDATE_FINISHED' });
      this.ctx.emit('cluster.update-successful', `cluster/${record.name}`, `${type} ${update.id} Successful`, {
        updateId: update.id,
        updateType: type,
      });
    });
    return update;
  }

  private apply(record: ClusterRecord, change: ClusterChange): void {
    if (change.version !== undefined) record.version = change.version;
    if (change.platformVersion !== undefined) record.platformVersion = change.platformVersion;
    if (change.supportType !== undefined) record.upgradePolicy.supportType = change.supportType;
    const access = change.endpointAccess;
    if (access) {
      record.resourcesVpcConfig.endpointPublicAccess = access.endpointPublicAccess;
      record.resourcesVpcConfig.endpointPrivateAccess = access.endpointPrivateAccess;
      record.resourcesVpcConfig.publicAccessCidrs = [...access.publicAccessCidrs];
    }
  }

  findUpdate(id: string): ClusterUpdate | undefined {
    return this.record?.updates.find((u) => u.id === id);
  }

  snapshot(): ClusterSnapshotPart {
    return {
      cluster: this.record ? (JSON.parse(JSON.stringify(this.record)) as ClusterRecord) : null,
      region: this.region,
      accountId: ACCOUNT_ID,
    };
  }

  private handleCreate(c: Command) {
    const result = this.create({
      name: String(c.name),
      version: String(c.version),
      endpointPublicAccess: c.endpointPublicAccess as boolean | undefined,
      endpointPrivateAccess: c.endpointPrivateAccess as boolean | undefined,
      publicAccessCidrs: c.publicAccessCidrs as string[] | undefined,
      supportType: c.supportType as 'STANDARD' | 'EXTENDED' | undefined,
      roleArn: c.roleArn as string | undefined,
      tags: c.tags as Record<string, string> | undefined,
      subnetIds: c.subnetIds as string[] | undefined,
    });
    if (typeof result === 'string') {
      const invalid = result.startsWith('unsupported Kubernetes version');
      return fail(invalid ? 'InvalidParameterException' : 'ResourceInUseException', result);
    }
    return ok(`Cluster ${result.name} is CREATING`, { name: result.name, status: result.status });
  }

  private handleDelete(name: string) {
    const error = this.delete(name);
    if (error) {
      return fail(error.startsWith('No cluster') ? 'ResourceNotFoundException' : 'ResourceInUseException', error);
    }
    return ok(`Cluster ${name} is DELETING`);
  }
}
