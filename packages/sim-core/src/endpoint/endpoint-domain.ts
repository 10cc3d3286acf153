import { endpointHost } from '../cluster/endpoint-name';
import type { ClusterEndpointRulesPort } from '../cluster/ports';
import type { ClusterRecord, UpdateParam } from '../cluster/types';
import { type Command, type CommandResult, type CommandSpec, fail, ok } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Prng } from '../engine/prng';
import type { NodegroupsEndpointPort } from '../nodegroups/ports';
import { whyUnreachable } from './explain';
import type { EndpointPorts } from './ports';
import { dnsAnswer, reachApiServer, reachKubelet } from './reachability';
import {
  type EndpointConfig,
  type EndpointMode,
  type EndpointWorld,
  type Hop,
  type KubeletReachability,
  modeOf,
  type Reachability,
} from './types';
import { EKS_MESSAGES, endpointAccessRefusal } from './validation';
import { type WhatIfOptions, type WhatIfRow, whatIfEndpoint } from './whatif';

export type { EndpointConfig, EndpointMode, EndpointWorld, Hop, KubeletReachability, Reachability } from './types';

/**
 * An endpoint access change is an `EndpointAccessUpdate` that "should finish within a few
 * minutes"; the cluster shows UPDATING meanwhile and ACTIVE after (EKS API reference,
 * UpdateClusterConfig). The old settings stay in force until it completes.
 */
export const ENDPOINT_UPDATE_MS = { min: 4 * 60_000, max: 9 * 60_000 };

export interface EndpointSnapshotPart {
  readonly endpoint: {
    /** DNS name of the endpoint, or null without a cluster. */
    readonly name: string | null;
    readonly mode: EndpointMode | null;
    readonly endpointPublicAccess: boolean | null;
    readonly endpointPrivateAccess: boolean | null;
    readonly publicAccessCidrs: readonly string[];
    /** The EndpointAccessUpdate in progress, if any. */
    readonly pendingUpdate: {
      readonly id: string;
      readonly dueAtMs: number;
      readonly to: EndpointConfig;
      /** The mode `to` gives, so that no reader works it out again. */
      readonly mode: EndpointMode;
    } | null;
    /** Every vantage host's path to the API server now, and the control plane's to each kubelet. */
    readonly reachability: readonly Reachability[];
    readonly kubelets: readonly KubeletReachability[];
  };
}

/** Endpoint access modes, DNS answers and hop-by-hop reachability (docs/endpoint-modes.md, AWS EKS User Guide, cluster-endpoint.html). */
/** An endpoint access update in flight: what it changes to, and the mode it leaves (for the log line when it lands). */
interface PendingAccessUpdate {
  readonly id: string;
  readonly dueAtMs: number;
  readonly to: EndpointConfig;
  readonly before: EndpointMode;
}

export class EndpointDomain
  implements
    Domain<EndpointSnapshotPart, { pending: PendingAccessUpdate | null }>,
    NodegroupsEndpointPort,
    ClusterEndpointRulesPort
{
  private readonly rng: Prng;
  private pending: PendingAccessUpdate | null = null;

  constructor(
    private readonly ctx: SimContext,
    private readonly ports: EndpointPorts,
  ) {
    this.rng = ctx.rng('endpoint');
    // Wired here, before the network and the node groups wire theirs in `start`: the change is
    // announced before they react to it.
    ports.cluster.onEndpointAccessChanged((record) => this.accessChanged(record));
  }

  save(): { pending: PendingAccessUpdate | null } {
    return { pending: this.pending };
  }

  restore(saved: { pending: PendingAccessUpdate | null }): void {
    this.pending = saved.pending;
  }

  private accessChanged(record: Readonly<ClusterRecord>): void {
    const done = this.pending;
    if (!done) return;
    this.pending = null;
    const { to, before } = done;
    this.ctx.emit(
      'endpoint.access-changed',
      `cluster/${record.name}`,
      `Endpoint access is now ${modeOf(to)} (was ${before}); publicAccessCidrs [${to.publicAccessCidrs.join(', ')}]`,
      { mode: modeOf(to), publicAccessCidrs: [...to.publicAccessCidrs] },
    );
  }

  readonly commands: readonly CommandSpec[] = [
    {
      type: 'endpoint.update',
      doc: 'Change endpoint access (UpdateClusterConfig resourcesVpcConfig): an EndpointAccessUpdate taking a few simulated minutes, the cluster UPDATING meanwhile.',
      fields: {
        public: { kind: 'boolean', doc: 'endpointPublicAccess' },
        private: { kind: 'boolean', doc: 'endpointPrivateAccess' },
        publicAccessCidrs: { kind: 'string[]', doc: 'CIDR blocks allowed to the public endpoint (at most 40)' },
      },
      check: (c) => {
        const to = this.target(c);
        const refusal = to && endpointAccessRefusal(to);
        return refusal ? fail('InvalidParameterException', refusal) : undefined;
      },
      handle: (c) => this.handleUpdate(c),
    },
    {
      type: 'endpoint.client-refused',
      doc: 'A real client (kubectl on this machine, through the server) could not reach the API server from the host it stands on: logs why, for the page. The server applies it; it changes nothing.',
      fields: {
        from: {
          kind: 'string',
          required: true,
          maxLength: 64,
          doc: 'the vantage host the client stands on (laptop, bastion, a node)',
        },
        client: {
          kind: 'string',
          required: true,
          maxLength: 200,
          doc: 'who: the client program and the identity it presented',
        },
      },
      handle: (c) => this.handleClientRefused(c.from as string, c.client as string),
    },
  ];

  private handleClientRefused(from: string, client: string): CommandResult {
    if (!this.ports.network.host(from)) return fail('InvalidParameterException', `no host named "${from}"`);
    const reach = this.reach(from);
    if (reach.reachable) return fail('InvalidParameterException', `${from} can reach the API server now`);
    const why = whyUnreachable(reach);
    this.ctx.emit('endpoint.client-refused', `client/${from}`, `${client} on ${from} timed out: ${why}`, {
      from,
      client,
      refusedAt: reach.refusedAt,
    });
    return ok(why);
  }

  endpointAccessRefusal(settings: EndpointConfig): string | undefined {
    return endpointAccessRefusal(settings);
  }

  /** The settings in force now, or null without a cluster. */
  config(): EndpointConfig | null {
    const vpc = this.ports.cluster.cluster?.resourcesVpcConfig;
    if (!vpc) return null;
    return {
      endpointPublicAccess: vpc.endpointPublicAccess,
      endpointPrivateAccess: vpc.endpointPrivateAccess,
      publicAccessCidrs: vpc.publicAccessCidrs,
    };
  }

  mode(): EndpointMode | null {
    const config = this.config();
    return config ? modeOf(config) : null;
  }

  /** Everything reachability depends on now, as data (live objects: copy before changing). */
  world(): EndpointWorld {
    const d = this.ports;
    const cluster = d.cluster.cluster;
    const ready = new Set(
      d.nodegroups
        .nodes()
        .filter(({ node }) => node.state === 'Ready')
        .map(({ node }) => node.name),
    );
    const nodes = d.network
      .hosts()
      .filter((h) => h.kind === 'node')
      .map((h) => ({ ...h, ready: ready.has(h.name) }));
    return {
      network: d.network.view(),
      endpointName: cluster ? endpointHost(cluster.endpoint) : null,
      nlbNodes: d.controlPlane.nlbNodesInDns(),
      apiServerServing: d.controlPlane.canServe('read'),
      nodes,
    };
  }

  /** Can `client` (a vantage host name) reach the API server now, by which hops, and if not why. */
  reach(client: string): Reachability {
    return this.reachIn(this.world(), client);
  }

  private reachIn(world: EndpointWorld, client: string): Reachability {
    const config = this.config() ?? { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: [] };
    const host = this.ports.network.host(client);
    if (!host) {
      const known = this.ports.network
        .hosts()
        .map((h) => h.name)
        .join(', ');
      const path: Hop[] = [
        { hop: 'placement', kind: 'client', ok: false, detail: `no host named "${client}" (known: ${known})` },
      ];
      return {
        client,
        mode: modeOf(config),
        reachable: false,
        via: null,
        path,
        refusedAt: 'placement',
        fix: null,
        fixCommand: null,
      };
    }
    return { ...reachApiServer(world, config, host), client };
  }

  /** Control plane → kubelet of every node, through the EKS-owned ENIs (whatever the mode). */
  reachKubelets(): KubeletReachability[] {
    const config = this.config();
    if (!config) return [];
    const world = this.world();
    return world.nodes.map((node) => reachKubelet(world, config, node));
  }

  /** What the endpoint's DNS name resolves to from `from` (a vantage host name). */
  dnsAnswer(from: string): { name: string; addresses: string[]; kind: 'public' | 'private' } {
    const config = this.config();
    const host = this.ports.network.host(from);
    if (!config || !host) return { name: '', addresses: [], kind: 'public' };
    const answer = dnsAnswer(this.world(), config, host);
    return { name: answer.name, addresses: answer.addresses, kind: answer.kind };
  }

  /** The what-if matrix over hypothetical endpoint settings; changes nothing. Throws RangeError on bad options. */
  whatIf(options: WhatIfOptions = {}): WhatIfRow[] {
    const config = this.config() ?? {
      endpointPublicAccess: true,
      endpointPrivateAccess: false,
      publicAccessCidrs: ['0.0.0.0/0'],
    };
    return whatIfEndpoint(this.world(), config, options);
  }

  snapshot(): EndpointSnapshotPart {
    const config = this.config();
    const cluster = this.ports.cluster.cluster;
    const hosts = config ? this.ports.network.hosts() : [];
    const world = this.world();
    return {
      endpoint: {
        name: cluster ? endpointHost(cluster.endpoint) : null,
        mode: config ? modeOf(config) : null,
        endpointPublicAccess: config?.endpointPublicAccess ?? null,
        endpointPrivateAccess: config?.endpointPrivateAccess ?? null,
        publicAccessCidrs: config ? [...config.publicAccessCidrs] : [],
        pendingUpdate: this.pending
          ? { ...JSON.parse(JSON.stringify(this.pending)), mode: modeOf(this.pending.to) }
          : null,
        // Fresh plain objects from the pure functions: no copy needed.
        reachability: hosts.map((h) => this.reachIn(world, h.name)),
        kubelets: config ? world.nodes.map((node) => reachKubelet(world, config, node)) : [],
      },
    };
  }

  /** The settings an `endpoint.update` asks for: what it gives over what is in force; null without a cluster. */
  private target(c: Command): EndpointConfig | null {
    const vpc = this.ports.cluster.cluster?.resourcesVpcConfig;
    if (!vpc) return null;
    return {
      endpointPublicAccess: (c.public as boolean | undefined) ?? vpc.endpointPublicAccess,
      endpointPrivateAccess: (c.private as boolean | undefined) ?? vpc.endpointPrivateAccess,
      publicAccessCidrs: (c.publicAccessCidrs as string[] | undefined) ?? vpc.publicAccessCidrs,
    };
  }

  private handleUpdate(c: Command): CommandResult {
    const cluster = this.ports.cluster.cluster;
    if (!cluster)
      return fail('ResourceNotFoundException', 'No cluster found: create the cluster before changing its endpoint.');
    if (c.public === undefined && c.private === undefined && c.publicAccessCidrs === undefined) {
      return fail(
        'InvalidParameterException',
        'endpoint.update: give at least one of public, private, publicAccessCidrs',
      );
    }
    const vpc = cluster.resourcesVpcConfig;
    const to = this.target(c) as EndpointConfig;
    if (
      to.endpointPublicAccess === vpc.endpointPublicAccess &&
      to.endpointPrivateAccess === vpc.endpointPrivateAccess &&
      to.publicAccessCidrs.join(',') === vpc.publicAccessCidrs.join(',')
    ) {
      return fail(
        'InvalidParameterException',
        EKS_MESSAGES.noChange(vpc.endpointPrivateAccess, vpc.endpointPublicAccess, vpc.publicAccessCidrs),
      );
    }
    const params: UpdateParam[] = [];
    if (c.public !== undefined) params.push({ type: 'EndpointPublicAccess', value: String(to.endpointPublicAccess) });
    if (c.private !== undefined)
      params.push({ type: 'EndpointPrivateAccess', value: String(to.endpointPrivateAccess) });
    if (c.publicAccessCidrs !== undefined) {
      params.push({ type: 'PublicAccessCidrs', value: JSON.stringify(to.publicAccessCidrs) });
    }
    const duration = this.rng.int(ENDPOINT_UPDATE_MS.min, ENDPOINT_UPDATE_MS.max);
    // One update at a time, so the settings in force when it completes are these.
    const before = modeOf(vpc);
    // The cluster applies `to` to its record when the update completes; this domain, the network
    // and the node groups hear it through the cluster's onEndpointAccessChanged.
    const update = this.ports.cluster.startUpdate('EndpointAccessUpdate', params, duration, { endpointAccess: to });
    if (typeof update === 'string') return fail('ResourceInUseException', update);
    this.pending = { id: update.id, dueAtMs: update.dueAtMs, to, before };
    return ok(
      `EndpointAccessUpdate ${update.id} InProgress: to ${modeOf(to)} in about ${Math.round(duration / 60_000)} minutes (cluster UPDATING meanwhile)`,
      { update: JSON.parse(JSON.stringify(update)) },
    );
  }
}
