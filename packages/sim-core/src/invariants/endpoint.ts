import type { SnapshotCheck, Violation } from './types';

/**
 * Private only: nothing outside the VPC reaches the API server (AWS EKS User Guide, cluster-endpoint.html: reachable only
 * from inside the VPC or a network connected to it by peering, VPN, Direct Connect or TGW).
 */
const privateOnlyKeepsOutsidersOut: SnapshotCheck = (snapshot) => {
  const { endpoint, network } = snapshot;
  if (endpoint.mode !== 'private') return [];
  const outside = new Set(
    network.hosts.filter((h) => h.subnetId === null && h.connectedNetwork === undefined).map((h) => h.name),
  );
  return endpoint.reachability
    .filter((r) => outside.has(r.client) && r.reachable)
    .map(
      (r): Violation => ({
        invariant: 'private-endpoint-unreachable-from-outside',
        atMs: snapshot.clock.nowMs,
        message: `${r.client} is outside the VPC yet reaches the API server of a private-only endpoint`,
      }),
    );
};

/** Public only: a node's traffic to the API server leaves the VPC (AWS EKS User Guide, cluster-endpoint.html). */
const publicOnlyNodesLeaveTheVpc: SnapshotCheck = (snapshot) => {
  const { endpoint, network } = snapshot;
  if (endpoint.mode !== 'public') return [];
  const fixed = new Set(network.hosts.map((h) => h.name));
  return endpoint.reachability
    .filter((r) => !fixed.has(r.client) && r.reachable && r.via !== 'public')
    .map(
      (r): Violation => ({
        invariant: 'public-endpoint-node-traffic-leaves-vpc',
        atMs: snapshot.clock.nowMs,
        message: `node ${r.client} reached the API server by the ${r.via} path while private access is off`,
      }),
    );
};

/** A reachable client's path has no refusing hop; a refused one names the hop that refused. */
const verdictsMatchTheirPaths: SnapshotCheck = (snapshot) =>
  [...snapshot.endpoint.reachability, ...snapshot.endpoint.kubelets]
    .filter((r) =>
      r.reachable
        ? r.path.some((h) => !h.ok) || r.refusedAt !== null
        : r.refusedAt !== r.path[r.path.length - 1]?.hop || r.path[r.path.length - 1]?.ok !== false,
    )
    .map(
      (r): Violation => ({
        invariant: 'reachability-verdict-matches-path',
        atMs: snapshot.clock.nowMs,
        message: `${r.client} (${r.mode}): reachable=${r.reachable} but refusedAt=${r.refusedAt} and path [${r.path.map((h) => `${h.hop}:${h.ok}`).join(', ')}]`,
      }),
    );

/** Invariants of the endpoint model (docs/control-plane.md). */
export const endpointChecks: readonly SnapshotCheck[] = [
  privateOnlyKeepsOutsidersOut,
  publicOnlyNodesLeaveTheVpc,
  verdictsMatchTheirPaths,
];
