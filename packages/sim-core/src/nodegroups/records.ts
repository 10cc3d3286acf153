import type { Actor } from 'xstate';
import { type nodeMachine, nodeStateOf, type ZoneOutage } from './node-machine';
import { type nodegroupMachine, nodegroupStatusOf } from './nodegroup-machine';
import type { NodegroupRecord, NodegroupUpgradeView, WorkerNode } from './types';

// The records the node groups domain hands out: plain data, with the fields a machine owns
// (state, version, status, health) read from that machine, so there is one source for each.

export type NodeData = Omit<WorkerNode, 'kubeletVersion' | 'state'>;
export type GroupData = Omit<NodegroupRecord, 'version' | 'status' | 'health' | 'nodes'>;

/** What a save keeps of the node groups: their records without what the actors hold, and the upgrades. */
export interface SavedNodegroups {
  readonly groups: readonly (GroupData & { readonly nodes: readonly NodeData[] })[];
  readonly upgrades: readonly NodegroupUpgradeView[];
  /** The AZs out (down or cut off), by customer name. */
  readonly zonesOut?: readonly (readonly [string, ZoneOutage])[];
}

export const groupKey = (name: string) => `nodegroup/${name}`;
export const nodeKey = (name: string) => `node/${name}`;

/** A node's record: its data, and its state and kubelet read from its machine. */
export function nodeOver(actor: () => Actor<typeof nodeMachine>, data: NodeData): WorkerNode {
  return {
    name: data.name,
    instanceId: data.instanceId,
    az: data.az,
    subnetId: data.subnetId,
    privateIp: data.privateIp,
    publicIp: data.publicIp,
    securityGroupIds: data.securityGroupIds,
    get kubeletVersion() {
      return actor().getSnapshot().context.kubeletVersion;
    },
    get state() {
      return nodeStateOf(actor().getSnapshot().value);
    },
  };
}

/** A group's record: its data and nodes, and its version, status and health read from its machine. */
export function groupOver(
  actor: () => Actor<typeof nodegroupMachine>,
  nodes: WorkerNode[],
  data: GroupData,
): NodegroupRecord {
  return {
    name: data.name,
    clusterName: data.clusterName,
    instanceType: data.instanceType,
    volumeSizeGiB: data.volumeSizeGiB,
    scaling: data.scaling,
    maxUnavailable: data.maxUnavailable,
    get version() {
      return actor().getSnapshot().context.version;
    },
    get status() {
      return nodegroupStatusOf(actor().getSnapshot().value);
    },
    subnetKind: data.subnetKind,
    subnetIds: data.subnetIds,
    nodes,
    nodeRoleArn: data.nodeRoleArn,
    createdAtMs: data.createdAtMs,
    // A save from before node groups had tags has none.
    tags: data.tags ?? {},
    get health() {
      return actor().getSnapshot().context.health;
    },
  };
}
