/**
 * What the schema cannot say about a scenario, checked before anything runs: each timeline
 * entry as the command it names (its spec's fields, the AZ or node group it means, its time,
 * the version step EKS would take), the cluster's version on the start date, the node groups,
 * and the network (network/layout.ts).
 */
import { createEndpointRefusal } from '../cluster/create-rules';
import { controlPlaneAzIds } from '../control-plane/facts';
import { EKS_MESSAGES, endpointAccessRefusal } from '../endpoint/validation';
import { type Command, type CommandSpec, commandFieldIssues } from '../engine/command-spec';
import { isoDate, parseDate, parseDuration } from '../engine/duration';
import { readNetworkLayout } from '../network/layout';
import { closestInstanceType, instanceType } from '../provisioning/instance-types';
import { calendarRow, kubeletSkew, maxKubeletSkew, minorOf, versionsOffered } from '../versions/calendar';
import { refuseVersionStep } from '../versions/upgrade-rules';
import type { PathIssue } from './issues';

type Path = (string | number)[];
type Data = Record<string, unknown>;
type Issue = PathIssue & { at?: 'key' | 'value' };

const isRecord = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Fields that name the cluster: they must name this scenario's cluster. */
const CLUSTER_NAME_FIELDS: Record<string, string> = {
  'cluster.update-version': 'name',
  'cluster.update-upgrade-policy': 'name',
  'cluster.delete': 'name',
  'provisioning.delete-cluster': 'name',
  'nodegroup.upgrade': 'clusterName',
};
/** A customer AZ name (`us-east-1a`), the usual mistake for a control-plane AZ id (`use1-az1`). */
const AZ_NAME = /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/;

export interface CheckContext {
  /** Every command the simulation understands. */
  readonly specs: readonly CommandSpec[];
}

/** Issues of a merged scenario (after `extends:`), by path from its root. */
export function checkScenarioData(scenario: Data, ctx: CheckContext): Issue[] {
  const issues: Issue[] = [];
  const add = (path: Path, problem: string, accepted: string, at: 'key' | 'value' = 'value') =>
    issues.push({ path, problem, accepted, at });
  const startMs = str(scenario.start) !== undefined ? parseDate(scenario.start as string) : undefined;
  if (str(scenario.start) !== undefined && startMs === undefined) {
    add(['start'], `"${scenario.start}" is not a real date`, 'an ISO date such as 2024-03-10T09:00:00Z');
  }
  const region = str(scenario.region);
  const cluster = isRecord(scenario.cluster) ? scenario.cluster : {};
  const clusterName = str(cluster.name);
  const clusterExists = cluster.existsAtStart !== false;
  const version = str(cluster.version);
  const nodeGroups = Array.isArray(cluster.nodeGroups) ? cluster.nodeGroups.filter(isRecord) : [];

  if (version !== undefined && minorOf(version) !== undefined && startMs !== undefined) {
    const offered = versionsOffered(startMs);
    if (!offered.includes(version)) {
      add(
        ['cluster', 'version'],
        calendarRow(version)
          ? `EKS does not offer ${version} on ${isoDate(startMs)} (it is not in standard or extended support then)`
          : `${version} is not a Kubernetes version EKS has released`,
        `a version EKS offers on ${isoDate(startMs)}: ${offered.join(', ')}`,
      );
    }
  }
  // The cluster a scenario starts with passes the rule CreateCluster does (cluster/create-rules.ts).
  const endpointRefusal = clusterExists ? createEndpointRefusal(cluster, { endpointAccessRefusal }) : undefined;
  if (endpointRefusal) {
    add(
      ['cluster', endpointRefusal === EKS_MESSAGES.bothOff ? 'endpointPublicAccess' : 'publicAccessCidrs'],
      `EKS refuses this cluster: ${endpointRefusal}`,
      'at least one of endpointPublicAccess, endpointPrivateAccess true, and valid publicAccessCidrs',
    );
  }
  checkNodeGroups(nodeGroups, version, add);
  for (const issue of readNetworkLayout(
    scenario.network,
    nodeGroups.map((g) => str(g.subnets)),
  ).issues) {
    issues.push({ ...issue, at: issue.problem.startsWith('unknown field') ? 'key' : 'value' });
  }

  const azIds = region ? controlPlaneAzIds(region) : undefined;
  const specs = new Map(ctx.specs.map((s) => [s.type, s]));
  const checkCommand = (command: unknown, path: Path): Command | undefined => {
    if (!isRecord(command)) {
      add(path, 'a command must be a mapping with a "type"', `{ type: ${[...specs.keys()][0]}, … }`);
      return undefined;
    }
    const type = command.type;
    const spec = typeof type === 'string' ? specs.get(type) : undefined;
    if (!spec) {
      add(
        [...path, 'type'],
        typeof type === 'string' ? `unknown command type "${type}"` : 'a command needs a "type"',
        `one of ${[...specs.keys()].sort().join(', ')}`,
      );
      return undefined;
    }
    for (const field of commandFieldIssues(spec, command as Command)) {
      add([...path, field.field], field.problem, field.accepted, field.field in spec.fields ? 'value' : 'key');
    }
    if (azIds && 'az' in spec.fields && typeof command.az === 'string' && !azIds.includes(command.az)) {
      const hint = AZ_NAME.test(command.az)
        ? ` ("${command.az}" is an AZ name as a customer account sees it; the control plane's AZs are named by AZ id)`
        : '';
      add([...path, 'az'], `${region} has no control-plane AZ "${command.az}"${hint}`, `one of ${azIds.join(', ')}`);
    }
    const nameField = CLUSTER_NAME_FIELDS[spec.type];
    const named = nameField ? command[nameField] : undefined;
    if (clusterName && typeof named === 'string' && named !== clusterName) {
      add(
        [...path, nameField as string],
        `there is no cluster "${named}" in this scenario`,
        `"${clusterName}" (or leave it out)`,
      );
    }
    const createRefusal =
      spec.type === 'cluster.create' ? createEndpointRefusal(command, { endpointAccessRefusal }) : undefined;
    if (createRefusal) {
      add(
        path,
        `EKS refuses this cluster.create: ${createRefusal}`,
        'at least one of endpointPublicAccess, endpointPrivateAccess true, and valid publicAccessCidrs',
      );
    }
    if (
      spec.type === 'load.spike' &&
      typeof command.duration === 'string' &&
      parseDuration(command.duration) === undefined
    ) {
      add([...path, 'duration'], `"${command.duration}" is not a duration`, 'a duration such as 20m or 1h30m');
    }
    if (spec.type === 'nodegroup.upgrade' && clusterExists && typeof command.nodegroup === 'string') {
      const names = nodeGroups.map((g) => str(g.name)).filter((n): n is string => n !== undefined);
      if (!names.includes(command.nodegroup)) {
        add(
          [...path, 'nodegroup'],
          `there is no node group "${command.nodegroup}" in this scenario`,
          names.length ? `one of ${names.join(', ')}` : 'a node group listed under cluster.nodeGroups',
        );
      }
    }
    return command as Command;
  };

  const timeline = Array.isArray(scenario.timeline) ? scenario.timeline : [];
  const timed: { atMs: number; index: number; command: Command }[] = [];
  timeline.forEach((entry, i) => {
    if (!isRecord(entry)) return; // the schema has said so
    const atMs = checkTime(entry.at, ['timeline', i, 'at'], startMs, add);
    const command = checkCommand(entry.command, ['timeline', i, 'command']);
    if (command && atMs !== undefined) timed.push({ atMs, index: i, command });
  });
  if (clusterExists && version !== undefined && minorOf(version) !== undefined) {
    checkVersionSteps(timed, version, nodeGroups, add);
  }
  const steps = isRecord(scenario.lesson) && Array.isArray(scenario.lesson.steps) ? scenario.lesson.steps : [];
  steps.forEach((step, s) => {
    if (!isRecord(step) || !Array.isArray(step.commands)) return;
    step.commands.forEach((command, c) => {
      checkCommand(command, ['lesson', 'steps', s, 'commands', c]);
    });
    if (typeof step.wait === 'string' && parseDuration(step.wait) === undefined) {
      add(['lesson', 'steps', s, 'wait'], `"${step.wait}" is not a duration`, 'a duration such as 15m');
    }
  });
  return issues;
}

function checkTime(
  at: unknown,
  path: Path,
  startMs: number | undefined,
  add: (path: Path, problem: string, accepted: string) => void,
): number | undefined {
  if (typeof at !== 'string') return undefined; // the schema has said so
  const accepted = 'an offset from the start such as 1h30m, or an ISO date at or after the start';
  const offset = parseDuration(at);
  if (offset !== undefined) return startMs === undefined ? undefined : startMs + offset;
  const atMs = parseDate(at);
  if (atMs === undefined) {
    add(path, `"${at}" is neither an offset nor a date`, accepted);
    return undefined;
  }
  if (startMs !== undefined && atMs < startMs) {
    add(path, `${at} is before the scenario's start (${new Date(startMs).toISOString()})`, accepted);
    return undefined;
  }
  return atMs;
}

function checkNodeGroups(
  groups: Data[],
  version: string | undefined,
  add: (path: Path, problem: string, accepted: string) => void,
): void {
  const seen = new Set<string>();
  groups.forEach((g, i) => {
    const at = (field: string): Path => ['cluster', 'nodeGroups', i, field];
    const name = str(g.name);
    if (name !== undefined) {
      if (seen.has(name)) add(at('name'), `node group "${name}" is listed twice`, 'a name of its own');
      seen.add(name);
    }
    const type = str(g.instanceType);
    if (type !== undefined && !instanceType(type)) {
      const near = closestInstanceType(type);
      add(
        at('instanceType'),
        `EC2 has no instance type "${type}"`,
        near ? `${near}, or another EC2 instance type` : 'an EC2 instance type such as t3.medium or m5.large',
      );
    }
    const desired = typeof g.desiredCapacity === 'number' ? g.desiredCapacity : undefined;
    const min = typeof g.minSize === 'number' ? g.minSize : undefined;
    const max = typeof g.maxSize === 'number' ? g.maxSize : undefined;
    if (desired !== undefined && min !== undefined && desired < min) {
      add(at('desiredCapacity'), `${desired} is below minSize ${min}`, `a number from minSize to maxSize`);
    }
    if (desired !== undefined && max !== undefined && desired > max) {
      add(at('desiredCapacity'), `${desired} is above maxSize ${max}`, `a number from minSize to maxSize`);
    }
    const kubelet = str(g.version);
    if (
      kubelet !== undefined &&
      version !== undefined &&
      minorOf(kubelet) !== undefined &&
      minorOf(version) !== undefined
    ) {
      const skew = kubeletSkew(version, kubelet);
      if (skew.status === 'newer-than-api-server' || skew.status === 'beyond-policy') {
        add(
          at('version'),
          skew.status === 'newer-than-api-server'
            ? `kubelet ${kubelet} would be newer than the control plane's ${version}`
            : `kubelet ${kubelet} is ${skew.minorsBehind} minor versions behind ${version}, beyond the skew policy`,
          `a version from 1.${(minorOf(version) ?? 0) - maxKubeletSkew(version)} to ${version}`,
        );
      }
    }
  });
}

/** Follows the timeline's version steps in time order, as EKS would take them. */
function checkVersionSteps(
  timed: { atMs: number; index: number; command: Command }[],
  startVersion: string,
  nodeGroups: Data[],
  add: (path: Path, problem: string, accepted: string) => void,
): void {
  let control = startVersion;
  const kubelets = new Map(nodeGroups.map((g) => [str(g.name) ?? '', str(g.version) ?? startVersion]));
  const ordered = [...timed].sort((a, b) => a.atMs - b.atMs || a.index - b.index);
  for (const { atMs, index, command } of ordered) {
    const path: Path = ['timeline', index, 'command', 'version'];
    if (command.type === 'cluster.update-version' && typeof command.version === 'string') {
      const refused = refuseVersionStep(control, command.version, atMs);
      if (refused) {
        add(path, `EKS would refuse this step: ${refused.message}`, refused.accepted);
        continue;
      }
      const behind = [...kubelets].filter(([, v]) => v !== control).map(([name]) => name);
      if (behind.length > 0) {
        add(
          path,
          `EKS would refuse this step: node groups ${behind.join(', ')} must be upgraded to ${control} first`,
          `a nodegroup.upgrade of ${behind.join(', ')} earlier in the timeline`,
        );
        continue;
      }
      control = command.version;
    }
    if (command.type === 'nodegroup.upgrade' && typeof command.nodegroup === 'string') {
      const target = typeof command.version === 'string' ? command.version : control;
      if ((minorOf(target) ?? 0) > (minorOf(control) ?? 0)) {
        add(
          path,
          `EKS would refuse this step: ${target} is newer than the control plane's ${control} at that time`,
          `a version up to ${control}`,
        );
        continue;
      }
      if (kubelets.has(command.nodegroup)) kubelets.set(command.nodegroup, target);
    }
  }
}
