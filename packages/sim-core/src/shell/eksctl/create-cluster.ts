/**
 * `eksctl create cluster` (docs/lessons/seed-week1.md, eksctl.io (VPC Networking)): from flags or `-f cluster.yaml`,
 * through the provisioning domain's CloudFormation stacks, printing eksctl's log as the stacks
 * move; `--dry-run` prints the ClusterConfig instead.
 */
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { parseDuration } from '../../engine/duration';
import {
  type ConfigResult,
  clusterConfigFromPlan,
  planFrom,
  planFromClusterConfig,
} from '../../provisioning/cluster-config';
import { unmodelledFields } from '../../provisioning/config-schema';
import type { ClusterPlan } from '../../provisioning/plan';
import { clusterStackName } from '../../provisioning/provisioning-domain';
import type { ToolInvocation } from '../tool';
import { configContext, type Eksctl, fatal, pollMs, setUp } from './context';
import { bool, type FlagSpec, int, list, str } from './flags';
import { eksctlKubeconfig } from './kubeconfig';

export const CREATE_CLUSTER_FLAGS: readonly FlagSpec[] = [
  {
    name: 'name',
    short: 'n',
    kind: 'string',
    usage: 'EKS cluster name (generated if unspecified, e.g. "fabulous-mushroom-1527688624")',
  },
  { name: 'config-file', short: 'f', kind: 'string', usage: "load configuration from a file (or stdin if set to '-')" },
  { name: 'version', kind: 'string', usage: 'Kubernetes version' },
  { name: 'tags', kind: 'strings', usage: 'Used to tag the AWS resources' },
  { name: 'zones', kind: 'strings', usage: '(auto-select if unspecified)' },
  { name: 'with-oidc', kind: 'bool', usage: 'Enable the IAM OIDC provider' },
  { name: 'without-nodegroup', kind: 'bool', usage: 'if set, initial nodegroup will not be created' },
  { name: 'managed', kind: 'bool', usage: 'Create EKS-managed nodegroup (default true)' },
  {
    name: 'nodegroup-name',
    kind: 'string',
    usage: 'name of the nodegroup (generated if unspecified, e.g. "ng-d4b2cd1c")',
  },
  { name: 'node-type', short: 't', kind: 'string', usage: 'node instance type (default "m5.large")' },
  { name: 'nodes', short: 'N', kind: 'int', usage: 'total number of nodes (for a static ASG) (default 2)' },
  { name: 'nodes-min', short: 'm', kind: 'int', usage: 'minimum nodes in ASG (default 2)' },
  { name: 'nodes-max', short: 'M', kind: 'int', usage: 'maximum nodes in ASG (default 2)' },
  { name: 'node-volume-size', kind: 'int', usage: 'node volume size in GB (default 80)' },
  { name: 'node-volume-type', kind: 'string', usage: 'node volume type (valid options: gp2, gp3) (default "gp3")' },
  { name: 'node-private-networking', short: 'P', kind: 'bool', usage: 'whether to make nodegroup networking private' },
  {
    name: 'node-ami-family',
    kind: 'string',
    usage: '\'AmazonLinux2\' for the Amazon EKS optimized AMI (default "AmazonLinux2")',
  },
  { name: 'node-labels', kind: 'strings', usage: 'extra labels to add when registering the nodes in the nodegroup' },
  {
    name: 'ssh-access',
    kind: 'bool',
    usage: 'control SSH access for nodes. Uses ~/.ssh/id_rsa.pub as default key path if enabled',
  },
  {
    name: 'ssh-public-key',
    kind: 'string',
    usage: 'SSH public key to use for nodes (import from local path, or use existing EC2 key pair)',
  },
  { name: 'external-dns-access', kind: 'bool', usage: 'enable IAM policy for external-dns' },
  {
    name: 'vpc-public-subnets',
    kind: 'strings',
    usage: 're-use public subnets of an existing VPC; the subnets must exist in availability zones',
  },
  {
    name: 'vpc-private-subnets',
    kind: 'strings',
    usage: 're-use private subnets of an existing VPC; the subnets must exist in availability zones',
  },
  { name: 'vpc-cidr', kind: 'string', usage: 'global CIDR to use for VPC (default 192.168.0.0/16)' },
  {
    name: 'vpc-nat-mode',
    kind: 'string',
    usage: 'VPC NAT mode, valid options: HighlyAvailable, Single, Disable (default "Single")',
  },
  { name: 'dry-run', kind: 'bool', usage: 'Dry-run mode that skips cluster creation and outputs a ClusterConfig' },
  {
    name: 'kubeconfig',
    kind: 'string',
    usage: 'path to write kubeconfig (incompatible with --auto-kubeconfig) (default "/root/.kube/config")',
  },
  { name: 'write-kubeconfig', kind: 'bool', usage: 'toggle writing of kubeconfig (default true)' },
  {
    name: 'set-kubeconfig-context',
    kind: 'bool',
    usage: 'if true then current-context will be set in kubeconfig (default true)',
  },
  {
    name: 'auto-kubeconfig',
    kind: 'bool',
    usage: 'save kubeconfig file by cluster name, e.g. "/root/.kube/eksctl/clusters/fabulous-mushroom-1527688624"',
  },
  // IAM add-on policy flags eksctl has; the simulator models only --external-dns-access.
  { name: 'asg-access', kind: 'bool', usage: 'enable IAM policy for cluster-autoscaler (not modelled)' },
  { name: 'full-ecr-access', kind: 'bool', usage: 'enable full access to ECR (not modelled)' },
  { name: 'appmesh-access', kind: 'bool', usage: 'enable full access to AppMesh (not modelled)' },
  { name: 'alb-ingress-access', kind: 'bool', usage: 'enable full access for alb-ingress-controller (not modelled)' },
  { name: 'enable-ssm', kind: 'bool', usage: 'Enable AWS Systems Manager (SSM) (not modelled)' },
  {
    name: 'fargate',
    kind: 'bool',
    usage: 'Create a Fargate profile scheduling pods in the default and kube-system namespaces (not modelled)',
  },
];

const USAGE = `Create a cluster

Usage: eksctl create cluster [flags]`;

/** Flags that set what a `-f` config file sets: eksctl refuses to mix them. */
const CONFIG_CONFLICTS = [
  'name',
  'version',
  'tags',
  'zones',
  'with-oidc',
  'without-nodegroup',
  'managed',
  'nodegroup-name',
  'node-type',
  'nodes',
  'nodes-min',
  'nodes-max',
  'node-volume-size',
  'node-volume-type',
  'node-private-networking',
  'node-ami-family',
  'node-labels',
  'ssh-access',
  'ssh-public-key',
  'external-dns-access',
  'vpc-public-subnets',
  'vpc-private-subnets',
  'vpc-cidr',
  'vpc-nat-mode',
  'region',
];

const UNMODELLED_FLAGS = [
  'asg-access',
  'full-ecr-access',
  'appmesh-access',
  'alb-ingress-access',
  'enable-ssm',
  'fargate',
];

function kv(items: readonly string[] | undefined, flag: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const item of items ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) return `${flag}: "${item}" is not of the form key=value`;
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** Flags → the ClusterConfig document eksctl would build from them. */
function documentFromFlags(e: Eksctl): Record<string, unknown> | string {
  const f = e.flags;
  const net = e.inv.ctx.domains.network;
  const name =
    str(f, 'name') ??
    f.positionals[0] ??
    `${e.rng.pick(['fabulous', 'wonderful', 'beautiful', 'exciting'])}-${e.rng.pick(['mushroom', 'sculpture', 'party', 'unicorn'])}-${Math.floor(e.inv.ctx.clock.now() / 1000)}`;
  if (str(f, 'name') && f.positionals[0]) {
    return `--name=${str(f, 'name')} and argument ${f.positionals[0]} cannot be used at the same time`;
  }
  const subnetMap = (
    ids: readonly string[] | undefined,
    flag: string,
  ): Record<string, unknown> | string | undefined => {
    if (!ids) return undefined;
    const out: Record<string, unknown> = {};
    for (const id of ids) {
      if (!id) return `${flag}: empty subnet ID in the list (is a $variable unset?)`;
      const subnet = net.subnet(id);
      out[subnet?.az ?? id] = { id };
    }
    return out;
  };
  const pub = subnetMap(list(f, 'vpc-public-subnets'), '--vpc-public-subnets');
  const priv = subnetMap(list(f, 'vpc-private-subnets'), '--vpc-private-subnets');
  if (typeof pub === 'string') return pub;
  if (typeof priv === 'string') return priv;
  const tags = kv(list(f, 'tags'), '--tags');
  if (typeof tags === 'string') return tags;
  const labels = kv(list(f, 'node-labels'), '--node-labels');
  if (typeof labels === 'string') return labels;
  const nodes = int(f, 'nodes');
  const nodesMin = int(f, 'nodes-min');
  const nodesMax = int(f, 'nodes-max');
  const desired = nodes ?? nodesMin ?? 2;
  const sshKey = str(f, 'ssh-public-key');
  const ssh = bool(f, 'ssh-access') ?? false;
  const nodegroup = {
    name:
      str(f, 'nodegroup-name') ??
      `ng-${Array.from({ length: 8 }, () => '0123456789abcdef'[e.rng.int(0, 15)]).join('')}`,
    instanceType: str(f, 'node-type') ?? 'm5.large',
    desiredCapacity: desired,
    minSize: nodesMin ?? desired,
    maxSize: nodesMax ?? Math.max(desired, nodesMin ?? desired),
    volumeSize: int(f, 'node-volume-size') ?? 80,
    volumeType: str(f, 'node-volume-type') ?? 'gp3',
    privateNetworking: bool(f, 'node-private-networking') ?? false,
    amiFamily: str(f, 'node-ami-family') ?? 'AmazonLinux2',
    labels,
    ssh: ssh ? { allow: true, publicKeyPath: sshKey ?? '~/.ssh/id_rsa.pub' } : { allow: false },
    iam: { withAddonPolicies: { externalDNS: bool(f, 'external-dns-access') ?? false } },
  };
  const managed = bool(f, 'managed') ?? true;
  const withoutNodegroup = bool(f, 'without-nodegroup') ?? false;
  const vpc: Record<string, unknown> = {};
  if (pub || priv) vpc.subnets = { ...(pub ? { public: pub } : {}), ...(priv ? { private: priv } : {}) };
  if (str(f, 'vpc-cidr')) vpc.cidr = str(f, 'vpc-cidr');
  if (str(f, 'vpc-nat-mode')) vpc.nat = { gateway: str(f, 'vpc-nat-mode') };
  return {
    apiVersion: 'eksctl.io/v1alpha5',
    kind: 'ClusterConfig',
    metadata: {
      name,
      region: e.region,
      ...(str(f, 'version') ? { version: str(f, 'version') } : {}),
      ...(Object.keys(tags).length ? { tags } : {}),
    },
    ...(list(f, 'zones') ? { availabilityZones: list(f, 'zones') } : {}),
    ...(bool(f, 'with-oidc') ? { iam: { withOIDC: true } } : {}),
    vpc,
    ...(withoutNodegroup ? {} : managed ? { managedNodeGroups: [nodegroup] } : { nodeGroups: [nodegroup] }),
  };
}

function readPlan(e: Eksctl): ConfigResult {
  const f = e.flags;
  const configFile = str(f, 'config-file');
  const cctx = configContext(e.inv);
  if (configFile === undefined) {
    const doc = documentFromFlags(e);
    if (typeof doc === 'string') return { ok: false, error: doc };
    const refused = unmodelledFields(doc);
    if (refused.length) return { ok: false, error: `eks-sim does not model: ${refused.join(', ')}` };
    return planFrom(doc, cctx);
  }
  for (const flag of CONFIG_CONFLICTS) {
    if (f.values.has(flag)) return { ok: false, error: `cannot use --${flag} when --config-file/-f is set` };
  }
  const text = configFile === '-' ? e.inv.stdin : e.inv.readFile?.(configFile);
  if (text === undefined) {
    return {
      ok: false,
      error: `reading config file "${configFile}": open ${configFile}: no such file or directory (write it first, e.g. cat > ${configFile} <<EOF … EOF)`,
    };
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    return { ok: false, error: `loading config file "${configFile}": error converting YAML to JSON: ${message}` };
  }
  return planFromClusterConfig(doc, cctx, configFile);
}

function subnetSummary(plan: ClusterPlan): string {
  const map = (subnets: ClusterPlan['vpc']['publicSubnets']) =>
    `map[${subnets.map((s) => `${s.az}:{${s.id} ${s.az} ${s.cidr} 0 }`).join(' ')}]`;
  return `(private:${map(plan.vpc.privateSubnets)} public:${map(plan.vpc.publicSubnets)})`;
}

function taskTree(plan: ClusterPlan): string {
  const groups = plan.nodeGroups.map((ng) =>
    ng.managed ? `create managed nodegroup "${ng.name}"` : `create nodegroup "${ng.name}"`,
  );
  if (groups.length === 0) return `1 task: { create cluster control plane "${plan.name}" }`;
  const inner =
    groups.length === 1
      ? groups[0]
      : `${groups.length} parallel sub-tasks: { \n            ${groups.join(',\n            ')},\n        }`;
  const ready = plan.withOIDC
    ? '2 sequential sub-tasks: { \n            wait for control plane to become ready,\n            associate IAM OIDC provider,\n        }'
    : 'wait for control plane to become ready';
  return `\n2 sequential tasks: { create cluster control plane "${plan.name}", \n    2 sequential sub-tasks: { \n        ${ready},\n        ${inner},\n    } \n}`;
}

function kubeconfigYaml(inv: ToolInvocation, plan: ClusterPlan): string {
  const cluster = inv.ctx.domains.cluster.cluster;
  return eksctlKubeconfig(cluster ?? { arn: plan.name, endpoint: '', name: plan.name }, plan.region);
}

/** How long eksctl waits for its stacks unless `--timeout` says otherwise (its help: "default 25m0s"). */
const DEFAULT_TIMEOUT_MS = 25 * 60_000;

export function createCluster(inv: ToolInvocation, args: readonly string[]): number {
  const e = setUp(inv, args, CREATE_CLUSTER_FLAGS, USAGE);
  if (typeof e === 'number') return e;
  for (const flag of UNMODELLED_FLAGS) {
    if (e.flags.values.get(flag) === true) {
      return fatal(inv, `--${flag}: eks-sim does not model this option's IAM policies or add-ons; leave it out`);
    }
  }
  const timeout = str(e.flags, 'timeout');
  const timeoutMs = timeout === undefined ? DEFAULT_TIMEOUT_MS : parseDuration(timeout);
  if (timeoutMs === undefined || timeoutMs <= 0) {
    return fatal(inv, `invalid argument "${timeout}" for "--timeout" flag: time: invalid duration "${timeout}"`);
  }
  const result = readPlan(e);
  if (!result.ok) return fatal(inv, result.error);
  const plan = result.plan;
  if (e.flags.values.get('dry-run') === true) {
    inv.out(toYaml(clusterConfigFromPlan(plan)));
    return 0;
  }
  const { log } = e;
  const prov = inv.ctx.domains.provisioning;
  log.info(`eksctl version ${e.release.version}`);
  log.info(`using region ${plan.region}`);
  if (plan.vpc.mode === 'existing') {
    log.success(`using existing VPC (${plan.vpc.id}) and subnets ${subnetSummary(plan)}`);
    log.warning(
      "custom VPC/subnets will be used; if resulting cluster doesn't function as expected, make sure to review the configuration of VPC/subnets",
    );
  } else {
    log.info(`setting availability zones to [${plan.vpc.availabilityZones.join(' ')}]`);
    for (const az of plan.vpc.availabilityZones) {
      const pub = plan.vpc.publicSubnets.find((s) => s.az === az)?.cidr ?? '';
      const priv = plan.vpc.privateSubnets.find((s) => s.az === az)?.cidr ?? '';
      log.info(`subnets for ${az} - public:${pub} private:${priv}`);
    }
  }
  for (const ng of plan.nodeGroups) {
    log.info(`nodegroup "${ng.name}" will use "" [${ng.amiFamily}/${ng.version}]`);
    if (ng.ssh.allow) {
      const fingerprint = Array.from({ length: 16 }, () => e.rng.int(0, 255).toString(16).padStart(2, '0')).join(':');
      const keyPath = (ng.ssh.publicKeyPath ?? '~/.ssh/id_rsa.pub').replace(/^~/, inv.env.HOME ?? '/root');
      log.info(`using SSH public key "${keyPath}" as "eksctl-${plan.name}-nodegroup-${ng.name}-${fingerprint}" `);
    }
  }
  log.info(`using Kubernetes version ${plan.version}`);
  const managedCount = plan.nodeGroups.filter((n) => n.managed).length;
  log.info(
    `creating EKS cluster "${plan.name}" in "${plan.region}" region with ${managedCount > 0 ? 'managed nodes' : plan.nodeGroups.length > 0 ? 'un-managed nodes' : ''}`.trimEnd(),
  );
  log.debug(`cfg.json = \\\n${JSON.stringify(clusterConfigFromPlan(plan), null, 4)}`);
  if (plan.nodeGroups.length === 1) {
    log.info(
      `will create 2 separate CloudFormation stacks for cluster itself and the initial ${managedCount ? 'managed ' : ''}nodegroup`,
    );
  } else {
    log.info(
      `will create a CloudFormation stack for cluster itself and ${plan.nodeGroups.length - managedCount} nodegroup stack(s)`,
    );
    log.info(`will create a CloudFormation stack for cluster itself and ${managedCount} managed nodegroup stack(s)`);
  }
  log.info(
    `if you encounter any issues, check CloudFormation console or try 'eksctl utils describe-stacks --region=${plan.region} --cluster=${plan.name}'`,
  );
  log.info(
    `Kubernetes API endpoint access will use ${plan.endpointPrivateAccess ? 'provided values' : 'default of'} {publicAccess=${plan.endpointPublicAccess}, privateAccess=${plan.endpointPrivateAccess}} for cluster "${plan.name}" in "${plan.region}"`,
  );
  if (plan.logTypes.length) {
    const off = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].filter(
      (t) => !plan.logTypes.includes(t),
    );
    log.info(
      `configuring CloudWatch logging for cluster "${plan.name}" in "${plan.region}" (enabled types: ${plan.logTypes.join(', ')} & ${off.length ? `disabled types: ${off.join(', ')}` : 'no types disabled'})`,
    );
  } else {
    log.info(`CloudWatch logging will not be enabled for cluster "${plan.name}" in "${plan.region}"`);
    log.info(
      `you can enable it with 'eksctl utils update-cluster-logging --enable-types={SPECIFY-YOUR-LOG-TYPES-HERE (e.g. all)} --region=${plan.region} --cluster=${plan.name}'`,
    );
  }
  log.info(taskTree(plan));
  const stackName = clusterStackName(plan.name);
  log.info(`building cluster stack "${stackName}"`);
  const refused = prov.createCluster(plan);
  if (refused) {
    log.error(refused);
    return fatal(inv, `failed to create cluster "${plan.name}"`);
  }
  log.debug(`started task: create cluster control plane "${plan.name}"`);
  log.info(`deploying stack "${stackName}"`);

  const deadline = inv.ctx.clock.now() + timeoutMs;
  const progress = () => prov.creation(plan.name);
  const failed = () => progress()?.phase === 'failed';
  const waitForStack = (name: string, done: () => boolean): boolean => {
    while (!done() && !failed()) {
      if (inv.ctx.clock.now() > deadline) return false;
      inv.wait(pollMs(e));
      if (!done() && !failed()) log.info(`waiting for CloudFormation stack "${name}"`);
    }
    return !failed();
  };
  const reportFailure = (name: string): number => {
    if (!failed() && inv.ctx.clock.now() > deadline) {
      log.error(`exceeded max wait time for StackCreateComplete waiter (waiting for CloudFormation stack "${name}")`);
      prov.abandonCreation(plan.name);
      log.warning('the stack in flight goes on in CloudFormation; eksctl will not create what was to follow it');
      return fatal(inv, `failed to create cluster "${plan.name}"`);
    }
    const status = prov.stack(name)?.StackStatus ?? 'ROLLBACK_COMPLETE';
    log.error(`unexpected status "${status}" while waiting for CloudFormation stack "${name}"`);
    log.info('fetching stack events in attempt to troubleshoot the root cause of the failure');
    for (const ev of prov.stackEvents(name) ?? []) {
      if (ev.ResourceStatus === 'CREATE_FAILED') {
        log.warning(`${ev.ResourceType}/${ev.LogicalResourceId}: CREATE_FAILED – "${ev.ResourceStatusReason ?? ''}"`);
      }
    }
    log.warning(
      "1 error(s) occurred and cluster hasn't been created properly, you may wish to check CloudFormation console",
    );
    log.info(`to cleanup resources, run 'eksctl delete cluster --region=${plan.region} --name=${plan.name}'`);
    log.error('ResourceNotReady: failed waiting for successful resource state');
    return fatal(inv, `failed to create cluster "${plan.name}"`);
  };

  if (!waitForStack(stackName, () => progress()?.phase !== 'cluster-stack')) return reportFailure(stackName);
  log.debug(`completed task: create cluster control plane "${plan.name}"`);
  if (plan.withOIDC) {
    log.info(`will create IAM Open ID Connect provider for cluster "${plan.name}" in "${plan.region}"`);
    log.success(`created IAM Open ID Connect provider for cluster "${plan.name}" in "${plan.region}"`);
  }
  if (plan.nodeGroups.length > 0) {
    // eksctl's next task starts right after its poll sees the stack complete.
    while ((progress()?.nodegroupStacks.length ?? 0) < plan.nodeGroups.length && !failed()) {
      if (inv.ctx.clock.now() > deadline || !progress()) return reportFailure(stackName);
      inv.wait(1000);
    }
    for (const ng of plan.nodeGroups) {
      const name = `eksctl-${plan.name}-nodegroup-${ng.name}`;
      log.info(`building ${ng.managed ? 'managed ' : ''}nodegroup stack "${name}"`);
      log.info(`deploying stack "${name}"`);
    }
    const first = progress()?.nodegroupStacks[0] as string;
    if (!waitForStack(first, () => progress()?.phase !== 'nodegroup-stacks')) {
      const broken = progress()?.nodegroupStacks.find((n) => prov.stack(n)?.StackStatus !== 'CREATE_COMPLETE') ?? first;
      return reportFailure(broken);
    }
  }
  log.info('waiting for the control plane to become ready');
  const kubeconfig = str(e.flags, 'kubeconfig') ?? `${inv.env.HOME ?? '/root'}/.kube/config`;
  if (bool(e.flags, 'write-kubeconfig') !== false) {
    inv.writeFile?.(kubeconfig, kubeconfigYaml(inv, plan));
    log.success(`saved kubeconfig as "${kubeconfig}"`);
  }
  log.info('no tasks');
  log.success(`all EKS cluster resources for "${plan.name}" have been created`);
  for (const ng of plan.nodeGroups) {
    const group = inv.ctx.domains.nodegroups.find(ng.name);
    const nodes = group?.nodes ?? [];
    log.info(`nodegroup "${ng.name}" has ${nodes.length} node(s)`);
    for (const node of nodes) log.info(`node "${node.name}" is ${node.state === 'Ready' ? 'ready' : 'not ready'}`);
  }
  if (managedCount > 0) log.success(`created ${managedCount} managed nodegroup(s) in cluster "${plan.name}"`);
  if (plan.nodeGroups.length > managedCount) {
    log.success(`created ${plan.nodeGroups.length - managedCount} nodegroup(s) in cluster "${plan.name}"`);
  }
  log.info(`kubectl command should work with "${kubeconfig}", try 'kubectl get nodes'`);
  log.success(`EKS cluster "${plan.name}" in "${plan.region}" region is ready`);
  return 0;
}
