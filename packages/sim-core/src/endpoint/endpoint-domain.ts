import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Domains } from '../simulation';

export type EndpointMode = 'public' | 'public-private' | 'private';

/** One step of a request's path (DNS answer → route → SG egress → CIDR check / SG ingress → NLB or ENI → API server). */
export interface Hop {
  readonly hop: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface Reachability {
  readonly client: string;
  readonly mode: EndpointMode;
  readonly reachable: boolean;
  readonly path: readonly Hop[];
  /** Name of the first hop that refused, or null. */
  readonly refusedAt: string | null;
  /** The smallest change that would let the client through, or null. */
  readonly fix: string | null;
}

export interface EndpointSnapshotPart {
  readonly endpoint: Record<string, unknown>;
}

/** Endpoint access modes and reachability (seed §8). Placeholder until the endpoint issue lands. */
export class EndpointDomain implements Domain<EndpointSnapshotPart> {
  readonly commands: readonly CommandSpec[] = [];
  constructor(private readonly ctx: SimContext<Domains>) {}
  /** Can `client` (a vantage host name) reach the API server now, by which hops, and if not why. */
  reach(client: string): Reachability {
    return { client, mode: 'public', reachable: true, path: [], refusedAt: null, fix: null };
  }

  /** What the endpoint's DNS name resolves to from `from` (a vantage host name). */
  dnsAnswer(from: string): { name: string; addresses: string[]; kind: 'public' | 'private' } {
    return { name: from, addresses: [], kind: 'public' };
  }

  snapshot(): EndpointSnapshotPart {
    void this.ctx;
    return { endpoint: {} };
  }
}
