import type { ClusterDomain } from '../cluster/cluster-domain';
import { tagChange } from '../cluster/tags';
import type { ClusterRecord } from '../cluster/types';
import { type CommandResult, type CommandSpec, fail, ok } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import { type AddonName, addonBuildsOn, defaultAddonBuild, EKS_ADDONS, isAddonName } from '../versions/addon-versions';

/**
 * EKS add-ons installed as EKS add-ons (CreateAddon). A cluster made through CreateCluster or
 * eksctl runs vpc-cni, kube-proxy and CoreDNS as self-managed add-ons, which ListAddons does not
 * show ("Amazon EKS automatically installs self-managed add-ons such as the Amazon VPC CNI plugin
 * for Kubernetes, kube-proxy, and CoreDNS", AWS EKS User Guide, eks-add-ons.html): until
 * someone creates one, a cluster has none here.
 */
export type AddonStatus = 'CREATING' | 'ACTIVE' | 'DELETING';

export interface AddonRecord {
  readonly name: AddonName;
  readonly clusterName: string;
  readonly version: string;
  status: AddonStatus;
  readonly createdAtMs: number;
  modifiedAtMs: number;
  tags: Record<string, string>;
  readonly serviceAccountRoleArn?: string;
}

export interface AddonsSnapshotPart {
  readonly addons: readonly AddonRecord[];
}

export interface SavedAddons {
  readonly addons: readonly AddonRecord[];
}

export interface AddonsPorts {
  readonly cluster: Pick<ClusterDomain, 'cluster' | 'onDeleted'>;
}

/** Creating or deleting an EKS add-on takes about a minute (the CLI's addon waiters poll every 10 s). */
const ADDON_CHANGE_MS = 60_000;
const SETTLED = 'addons.settled';

export class AddonsDomain implements Domain<AddonsSnapshotPart, SavedAddons> {
  private readonly records: AddonRecord[] = [];

  constructor(
    private readonly ctx: SimContext,
    private readonly ports: AddonsPorts,
  ) {
    ctx.timers.on<{ name: string; status: AddonStatus }>(SETTLED, ({ name, status }) => this.settle(name, status));
  }

  readonly commands: readonly CommandSpec[] = [
    {
      type: 'addon.create',
      doc: 'Install an EKS add-on (CreateAddon): vpc-cni, coredns, kube-proxy or eks-pod-identity-agent, at a version EKS offers that day for the cluster’s Kubernetes version (default: EKS’s default build). CREATING for a minute, then ACTIVE.',
      fields: {
        clusterName: { kind: 'string', required: true },
        addon: { kind: 'string', required: true, maxLength: 100 },
        version: { kind: 'string', maxLength: 100, doc: 'addonVersion, e.g. "v1.16.4-eksbuild.2"' },
        serviceAccountRoleArn: { kind: 'string', maxLength: 2048 },
        tags: { kind: 'tags' },
      },
      handle: (c) =>
        this.create(
          String(c.clusterName),
          String(c.addon),
          c.version as string | undefined,
          c.tags as Record<string, string> | undefined,
          c.serviceAccountRoleArn as string | undefined,
        ),
    },
    {
      type: 'addon.delete',
      doc: 'Remove an EKS add-on (DeleteAddon): DELETING for a minute, then gone.',
      fields: { clusterName: { kind: 'string', required: true }, addon: { kind: 'string', required: true } },
      handle: (c) => this.delete(String(c.clusterName), String(c.addon)),
    },
    {
      type: 'addon.tag',
      doc: 'Add or overwrite tags on an EKS add-on (TagResource).',
      fields: {
        clusterName: { kind: 'string', required: true },
        addon: { kind: 'string', required: true },
        tags: { kind: 'tags', required: true },
      },
      handle: (c) =>
        this.retag(String(c.clusterName), String(c.addon), { add: c.tags as Record<string, string> }, 'tagged'),
    },
    {
      type: 'addon.untag',
      doc: 'Remove tags from an EKS add-on by key (UntagResource).',
      fields: {
        clusterName: { kind: 'string', required: true },
        addon: { kind: 'string', required: true },
        keys: { kind: 'string[]', required: true, maxLength: 128 },
      },
      handle: (c) => this.retag(String(c.clusterName), String(c.addon), { remove: c.keys as string[] }, 'untagged'),
    },
  ];

  start(): void {
    this.listen();
  }

  private listen(): void {
    // An add-on goes with its cluster.
    this.ports.cluster.onDeleted((cluster) => this.forget(cluster.name));
  }

  get all(): readonly AddonRecord[] {
    return this.records;
  }

  find(clusterName: string, name: string): AddonRecord | undefined {
    return this.records.find((a) => a.clusterName === clusterName && a.name === name);
  }

  private theCluster(name: string): ClusterRecord | undefined {
    const cluster = this.ports.cluster.cluster;
    return cluster && cluster.name === name ? cluster : undefined;
  }

  private create(
    clusterName: string,
    name: string,
    version: string | undefined,
    tags: Record<string, string> | undefined,
    serviceAccountRoleArn: string | undefined,
  ): CommandResult {
    const cluster = this.theCluster(clusterName);
    if (!cluster) return fail('ResourceNotFoundException', `No cluster found for name: ${clusterName}.`);
    if (!isAddonName(name)) {
      return fail(
        'InvalidParameterException',
        `Addon ${name} specified is not supported (eks-sim models ${EKS_ADDONS.map((a) => a.name).join(', ')})`,
      );
    }
    if (cluster.status !== 'ACTIVE' && cluster.status !== 'UPDATING') {
      return fail('ResourceInUseException', `Cluster '${clusterName}' is in ${cluster.status} state.`);
    }
    if (this.find(clusterName, name)) return fail('ResourceInUseException', `Addon ${name} already exists.`);
    const now = this.ctx.clock.now();
    const build = version
      ? addonBuildsOn(name, now, cluster.version).find((b) => b.build.version === version)?.build
      : defaultAddonBuild(name, now, cluster.version);
    if (!build) {
      return fail(
        'InvalidParameterException',
        version
          ? `Addon version specified ${version} is not supported for ${name} on Kubernetes ${cluster.version} (aws eks describe-addon-versions --addon-name ${name} --kubernetes-version ${cluster.version} lists those offered)`
          : `EKS offers no ${name} build for Kubernetes ${cluster.version} on this date`,
      );
    }
    const record: AddonRecord = {
      name,
      clusterName,
      version: build.version,
      status: 'CREATING',
      createdAtMs: now,
      modifiedAtMs: now,
      tags: { ...(tags ?? {}) },
      ...(serviceAccountRoleArn ? { serviceAccountRoleArn } : {}),
    };
    this.records.push(record);
    this.ctx.timers.after(ADDON_CHANGE_MS, SETTLED, { name: `${clusterName}/${name}`, status: 'CREATING' });
    this.ctx.emit(
      'addon.creating',
      `addon/${name}`,
      `Installing EKS add-on ${name} ${build.version} on ${clusterName}`,
      {
        version: build.version,
      },
    );
    return ok(`Addon ${name} ${build.version} is CREATING`, { addon: name });
  }

  private delete(clusterName: string, name: string): CommandResult {
    if (!this.theCluster(clusterName)) {
      return fail('ResourceNotFoundException', `No cluster found for name: ${clusterName}.`);
    }
    const record = this.find(clusterName, name);
    if (!record) return fail('ResourceNotFoundException', `No addon: ${name} found in cluster: ${clusterName}`);
    if (record.status === 'DELETING') return ok(`Addon ${name} is already DELETING`, { addon: name });
    record.status = 'DELETING';
    record.modifiedAtMs = this.ctx.clock.now();
    this.ctx.timers.after(ADDON_CHANGE_MS, SETTLED, { name: `${clusterName}/${name}`, status: 'DELETING' });
    this.ctx.emit('addon.deleting', `addon/${name}`, `Removing EKS add-on ${name} from ${clusterName}`);
    return ok(`Addon ${name} is DELETING`, { addon: name });
  }

  private retag(
    clusterName: string,
    name: string,
    change: { add?: Record<string, string>; remove?: string[] },
    verb: 'tagged' | 'untagged',
  ): CommandResult {
    const record = this.find(clusterName, name);
    if (!record) return fail('NotFoundException', `No addon: ${name} found in cluster: ${clusterName}`);
    const changed = tagChange(record.tags, change);
    if (typeof changed === 'string') return fail('BadRequestException', changed);
    record.tags = changed.tags;
    const { keys } = changed;
    this.ctx.emit(`addon.${verb}`, `addon/${name}`, `Add-on ${name} of ${clusterName} ${verb}: ${keys.join(', ')}`, {
      keys,
    });
    return ok(`Add-on ${name} ${verb}`);
  }

  /** A CREATING add-on becomes ACTIVE; a DELETING one is gone (a timer whose change was overtaken does nothing). */
  private settle(key: string, status: AddonStatus): void {
    const record = this.records.find((a) => `${a.clusterName}/${a.name}` === key);
    if (!record || record.status !== status) return;
    if (record.status === 'CREATING') {
      record.status = 'ACTIVE';
      record.modifiedAtMs = this.ctx.clock.now();
      this.ctx.emit(
        'addon.active',
        `addon/${record.name}`,
        `EKS add-on ${record.name} is ACTIVE on ${record.clusterName}`,
      );
    } else if (record.status === 'DELETING') {
      this.records.splice(this.records.indexOf(record), 1);
      this.ctx.emit(
        'addon.deleted',
        `addon/${record.name}`,
        `EKS add-on ${record.name} removed from ${record.clusterName}`,
      );
    }
  }

  private forget(clusterName: string): void {
    for (let i = this.records.length - 1; i >= 0; i--) {
      if (this.records[i]?.clusterName === clusterName) this.records.splice(i, 1);
    }
  }

  save(): SavedAddons {
    return { addons: JSON.parse(JSON.stringify(this.records)) as AddonRecord[] };
  }

  restore(saved: SavedAddons): void {
    this.listen();
    this.records.push(...(JSON.parse(JSON.stringify(saved.addons)) as AddonRecord[]));
  }

  snapshot(): AddonsSnapshotPart {
    return { addons: JSON.parse(JSON.stringify(this.records)) as AddonRecord[] };
  }
}
