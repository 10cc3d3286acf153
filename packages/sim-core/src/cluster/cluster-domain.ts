import type { Actor } from 'xstate';
import { type Command, type CommandSpec, fail, ok } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Prng } from '../engine/prng';
import { type ClusterLine, type ClusterMachineState, clusterMachine } from './cluster-machine';
import { checkClusterCreate, ENDPOINT_DEFAULTS } from './create-rules';
import { endpointUrl } from './endpoint-name';
import { ACCOUNT_ID, CLUSTER_DELETE_MS, CONTROL_PLANE_CREATE_MS } from './facts';
import type { ClusterPorts } from './ports';
import { tagChange } from './tags';
import type {
  ClusterChange,
  ClusterRecord,
  ClusterSnapshotPart,
  ClusterStatus,
  ClusterUpdate,
  UpdateParam,
  UpdateType,
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
  /** When a cluster that exists at the start was made (before the start: eksctl built it earlier). */
  readonly createdAtMs?: number;
}

type ClusterListener = (cluster: ClusterRecord) => void;
/** An update completed: its record (now Successful) and the change the cluster applied. */
type UpdateListener = (cluster: ClusterRecord, update: ClusterUpdate, change: ClusterChange) => void;

export type { ClusterChange, EndpointAccess } from './types';

/**
 * Owns the cluster record and its updates: it is the only writer of the record. Other domains
 * validate an update and start it with `startUpdate`, naming the change as data; the cluster's
 * machine (cluster-machine.ts) times it, and when it completes the cluster applies the change and
 * tells them (`onUpdateSuccessful`, `onEndpointAccessChanged`). They learn of creation and
 * deletion through `onCreated`, `onActive` and `onDeleted`.
 */
export class ClusterDomain implements Domain<ClusterSnapshotPart, SavedCluster> {
  private record: ClusterRecord | null = null;
  private actor: Actor<typeof clusterMachine> | null = null;
  private readonly createdListeners: ClusterListener[] = [];
  private readonly activeListeners: ClusterListener[] = [];
  private readonly deletedListeners: ClusterListener[] = [];
  private readonly endpointAccessListeners: ClusterListener[] = [];
  private readonly updateListeners: UpdateListener[] = [];
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
    {
      type: 'cluster.tag',
      doc: 'Add or overwrite tags on the cluster (TagResource on its ARN).',
      fields: { name: { kind: 'string', required: true }, tags: { kind: 'tags', required: true } },
      handle: (c) => this.retag(String(c.name), { add: c.tags as Record<string, string> }),
    },
    {
      type: 'cluster.untag',
      doc: 'Remove tags from the cluster by key (UntagResource on its ARN).',
      fields: {
        name: { kind: 'string', required: true },
        keys: { kind: 'string[]', required: true, maxLength: 128 },
      },
      handle: (c) => this.retag(String(c.name), { remove: c.keys as string[] }),
    },
  ];

  /** TagResource / UntagResource on the cluster: its record's tags change, and the log says which keys. */
  private retag(name: string, change: { add?: Record<string, string>; remove?: string[] }) {
    const record = this.record;
    if (!record || record.name !== name) return fail('NotFoundException', `No cluster found for name: ${name}.`);
    const changed = tagChange(record.tags, change);
    if (typeof changed === 'string') return fail('BadRequestException', changed);
    const { tags, keys, verb } = changed;
    for (const key of Object.keys(record.tags)) delete record.tags[key];
    Object.assign(record.tags, tags);
    this.ctx.emit(`cluster.${verb}`, `cluster/${name}`, `Cluster ${name} ${verb}: ${keys.join(', ')}`, { keys });
    return ok(`Cluster ${name} ${verb}`);
  }

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
  /** After any update completed and its change was applied, before the endpoint-access listeners. */
  onUpdateSuccessful(listener: UpdateListener): void {
    this.updateListeners.push(listener);
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
    const createMs = input.alreadyActive ? 0 : this.rng.int(CONTROL_PLANE_CREATE_MS.min, CONTROL_PLANE_CREATE_MS.max);
    const vpc = this.ports.network.provisionClusterNetworking(input.name, input.subnetIds);
    let actor: Actor<typeof clusterMachine> | null = null;
    const record = recordOver(() => actor as Actor<typeof clusterMachine>, {
      name: input.name,
      arn: `arn:aws:eks:${this.region}:${ACCOUNT_ID}:cluster/${input.name}`,
      createdAtMs: input.alreadyActive && input.createdAtMs !== undefined ? input.createdAtMs : now,
      version: input.version,
      platformVersion: this.ports.versions.platformVersionOn(
        input.version,
        input.alreadyActive && input.createdAtMs !== undefined ? input.createdAtMs : now,
      ),
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
    });
    this.record = record;
    this.ctx.actors.start(
      actorKey(record.name),
      clusterMachine,
      {
        input: {
          name: input.name,
          version: input.version,
          createMs,
          builtBeforeScenario: input.alreadyActive === true,
        },
      },
      (started) => {
        actor = started;
        this.actor = started;
        started.on('*', (line) => this.heard(record, line));
      },
    );
    return record;
  }

  save(): SavedCluster {
    if (!this.record) return { record: null };
    const { status: _status, ...data } = JSON.parse(JSON.stringify(this.record)) as ClusterRecord;
    return { record: data };
  }

  restore(saved: SavedCluster): void {
    const data = saved.record;
    if (!data) return;
    const actor = this.ctx.actors.revive(actorKey(data.name), clusterMachine);
    const record = recordOver(() => actor, data);
    this.record = record;
    this.actor = actor;
    actor.on('*', (line) => this.heard(record, line));
  }

  /** What the machine announced: its log line, and what follows for the record and the listeners. */
  private heard(record: ClusterRecord, line: ClusterLine): void {
    if (line.type === 'cluster.update-successful' && line.completed) {
      const { completed } = line;
      this.apply(record, completed.change);
      const update = record.updates.find((u) => u.id === completed.id) as ClusterUpdate;
      for (const l of this.updateListeners) l(record, update, completed.change);
      if (completed.change.endpointAccess) for (const l of this.endpointAccessListeners) l(record);
      update.status = 'Successful';
    }
    if (line.type === 'cluster.deleted') {
      this.ctx.actors.stop(actorKey(record.name));
      this.actor = null;
      this.record = null;
    }
    this.ctx.emit(line.type, line.source, line.message, line.data);
    if (line.type === 'cluster.creating') for (const l of this.createdListeners) l(record);
    if (line.type === 'cluster.active') for (const l of this.activeListeners) l(record);
    if (line.type === 'cluster.deleted') for (const l of this.deletedListeners) l(record);
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
    this.actor?.send({
      type: 'DELETE_REQUESTED',
      deleteMs: this.rng.int(CLUSTER_DELETE_MS.min, CLUSTER_DELETE_MS.max),
    });
    return undefined;
  }

  /**
   * Records an update; `durationMs` later the cluster applies `change` and tells the
   * `onUpdateSuccessful` listeners. The cluster is UPDATING meanwhile; a second update while one
   * runs is refused (returns the error text).
   */
  startUpdate(
    type: UpdateType,
    params: readonly UpdateParam[],
    durationMs: number,
    change: ClusterChange,
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
    this.actor?.send({ type: 'UPDATE_STARTED', update: { id: update.id, type, params, durationMs, change } });
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

/** What a save keeps of the cluster: its record without the status (the actor is saved apart). */
export interface SavedCluster {
  readonly record: Omit<ClusterRecord, 'status'> | null;
}

const actorKey = (name: string) => `cluster/${name}`;

/** The record others read: its data, and its status read from the cluster's machine. */
function recordOver(actor: () => Actor<typeof clusterMachine>, data: Omit<ClusterRecord, 'status'>): ClusterRecord {
  const { name, arn, createdAtMs, ...rest } = data;
  return {
    name,
    arn,
    createdAtMs,
    get status() {
      return statusOf(actor().getSnapshot().value as ClusterMachineState);
    },
    ...rest,
  };
}

/**
 * DescribeCluster's status for the machine's state. A deleted cluster's record is dropped; the
 * `onDeleted` listeners, told of it, still see it DELETING.
 */
function statusOf(state: ClusterMachineState): ClusterStatus {
  return state === 'DELETED' ? 'DELETING' : state;
}
