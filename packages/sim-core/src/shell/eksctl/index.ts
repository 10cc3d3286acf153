/**
 * The simulated `eksctl` (docs/lessons/seed-week1.md; eksctl.io (VPC Networking)), mimicking eksctl 0.173.0 — the
 * release of the seed's lab in March 2024 — and later releases on later simulated dates
 * (provisioning/facts.ts `EKSCTL_RELEASES`). Files for `-f` come from the vantage's files
 * (`invocation.readFile`, written by a heredoc) or standard input (`-f -`).
 */
import { isoDate } from '../../engine/duration';
import { eksctlRelease } from '../../provisioning/facts';
import { eksctlUsage, helpRequest } from '../help/index';
import type { Tool, ToolInvocation } from '../tool';
import { createCluster } from './create-cluster';
import { deleteCluster } from './delete-cluster';
import { describeStacks } from './describe-stacks';
import { getCluster, getNodegroup } from './get';
import { createNodegroup, deleteNodegroup } from './nodegroup';
import { updateClusterVpcConfig } from './update-vpc-config';
import { upgradeCluster, upgradeNodegroup } from './upgrade';
import { writeKubeconfig } from './write-kubeconfig';

type Subcommand = (inv: ToolInvocation, args: readonly string[]) => number;

/** verb → noun (with eksctl's aliases) → implementation. */
const COMMANDS: Readonly<Record<string, Readonly<Record<string, Subcommand>>>> = {
  create: { cluster: createCluster, nodegroup: createNodegroup, ng: createNodegroup },
  get: {
    cluster: getCluster,
    clusters: getCluster,
    cl: getCluster,
    nodegroup: getNodegroup,
    nodegroups: getNodegroup,
    ng: getNodegroup,
  },
  delete: { cluster: deleteCluster, nodegroup: deleteNodegroup, ng: deleteNodegroup },
  upgrade: { cluster: upgradeCluster, nodegroup: upgradeNodegroup },
  utils: {
    'update-cluster-vpc-config': updateClusterVpcConfig,
    // eksctl's older name for the same command.
    'update-cluster-endpoints': updateClusterVpcConfig,
    'write-kubeconfig': writeKubeconfig,
    'describe-stacks': describeStacks,
  },
};

/** Commands real eksctl has that the simulator does not model. */
const KNOWN_UNMODELLED: Readonly<Record<string, readonly string[]>> = {
  create: [
    'fargateprofile',
    'iamserviceaccount',
    'addon',
    'iamidentitymapping',
    'accessentry',
    'podidentityassociation',
  ],
  delete: [
    'fargateprofile',
    'iamserviceaccount',
    'addon',
    'iamidentitymapping',
    'accessentry',
    'podidentityassociation',
  ],
  get: ['addon', 'fargateprofile', 'iamserviceaccount', 'iamidentitymapping', 'labels', 'accessentry'],
  scale: ['nodegroup'],
  upgrade: ['addon'],
  utils: ['update-cluster-logging', 'associate-iam-oidc-provider', 'describe-addon-versions', 'schema'],
  drain: ['nodegroup'],
  update: ['addon', 'cluster', 'nodegroup'],
};

export const eksctlTool: Tool = (inv) => {
  const [verb, noun, ...rest] = inv.args;
  const version = eksctlRelease(isoDate(inv.ctx.clock.now())).version;
  if (verb === undefined) {
    // `--help` and `help` are answered by the shell's help module before eksctl runs.
    inv.out(eksctlUsage());
    return 0;
  }
  if (verb === 'version') {
    inv.out(`${version}\n`);
    return 0;
  }
  if (verb === 'info') {
    inv.out(`eksctl version: ${version}\nkubectl version: v1.28.5-eks-5e0fdde\nOS: linux\n`);
    return 0;
  }
  const nouns = COMMANDS[verb];
  if (!nouns && !KNOWN_UNMODELLED[verb]) {
    inv.err(`Error: unknown command "${verb}" for "eksctl"\nRun 'eksctl --help' for usage.\n`);
    return 1;
  }
  if (noun === undefined) {
    inv.out(helpRequest('eksctl', [verb, '--help'])?.stdout ?? '');
    return 1;
  }
  const run = nouns?.[noun];
  if (run) return run(inv, rest);
  if (KNOWN_UNMODELLED[verb]?.includes(noun)) {
    inv.err(`Error: "eksctl ${verb} ${noun}" is a real eksctl command that eks-sim does not model\n`);
    return 1;
  }
  inv.err(`Error: unknown command "${noun}" for "eksctl ${verb}"\nRun 'eksctl ${verb} --help' for usage.\n`);
  return 1;
};
