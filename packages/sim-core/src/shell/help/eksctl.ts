import type { HelpAnswer } from './types';

/**
 * eksctl's help (`eksctl --help`, `eksctl create --help`, `eksctl create cluster -h`), shortened
 * from eksctl's own (eksctl.io, "Usage"): every verb and noun it has, the flags of the commands
 * the simulator models.
 */

const COMMON_FLAGS =
  'Common flags:\n' +
  '  -C, --color string   toggle colorized logs (valid options: true, false, fabulous) (default "true")\n' +
  '  -d, --dump-logs      dump logs to disk on failure if set to true\n' +
  '  -h, --help           help for this command\n' +
  '  -v, --verbose int    set log level, use 0 to silence, 4 for debugging and 5 for debugging with AWS debug logging (default 3)\n';

/** verb → [summary, noun → summary] (eksctl's command tree). */
const VERBS: Readonly<Record<string, readonly [string, Readonly<Record<string, string>>]>> = {
  anywhere: ['EKS anywhere', {}],
  associate: [
    'Associate resources with a cluster',
    { identityprovider: 'Associate an identity provider with a cluster' },
  ],
  completion: ['Generates shell completion scripts for bash, zsh or fish', {}],
  create: [
    'Create resource(s)',
    {
      accessentry: 'Create access entries',
      addon: 'Create an Addon',
      cluster: 'Create a cluster',
      fargateprofile: 'Create a Fargate profile',
      iamidentitymapping: 'Create an IAM identity mapping',
      iamserviceaccount: 'Create an iamserviceaccount - AWS IAM role bound to a Kubernetes service account',
      nodegroup: 'Create a nodegroup',
      podidentityassociation: 'Create a pod identity association',
    },
  ],
  delete: [
    'Delete resource(s)',
    {
      accessentry: 'Delete access entries',
      addon: 'Delete an Addon',
      cluster: 'Delete a cluster',
      fargateprofile: 'Delete Fargate profile',
      iamidentitymapping: 'Delete a IAM identity mapping',
      iamserviceaccount: 'Delete an IAM service account',
      nodegroup: 'Delete a nodegroup',
      podidentityassociation: 'Delete a pod identity association',
    },
  ],
  deregister: ['Deregister a non-EKS cluster', {}],
  disassociate: ['Disassociate resources from a cluster', {}],
  drain: ['Drain resource(s)', { nodegroup: 'Cordon and drain a nodegroup' }],
  enable: ['Enable features in a cluster', {}],
  get: [
    'Get resource(s)',
    {
      accessentry: 'Get access entry(ies)',
      addon: 'Get an Addon',
      cluster: 'Get cluster(s)',
      fargateprofile: 'Get Fargate profile(s)',
      iamidentitymapping: 'Get IAM identity mapping(s)',
      iamserviceaccount: 'Get iamserviceaccount(s)',
      labels: 'Get nodegroup labels',
      nodegroup: 'Get nodegroup(s)',
      podidentityassociation: 'Get pod identity associations',
    },
  ],
  help: ['Help about any command', {}],
  info: ['Output the version of eksctl, kubectl and OS info', {}],
  register: ['Register a non-EKS cluster', {}],
  scale: ['Scale resources(s)', { nodegroup: 'Scale a nodegroup' }],
  set: ['Set values', { labels: 'Create or overwrite labels' }],
  unset: ['Unset values', { labels: 'Remove labels' }],
  update: [
    'Update resource(s)',
    { addon: 'Update an Addon', cluster: 'Update a cluster', nodegroup: 'Update a nodegroup' },
  ],
  upgrade: [
    'Upgrade resource(s)',
    { cluster: 'Upgrade control plane to the next version', nodegroup: 'Upgrade nodegroup' },
  ],
  utils: [
    'Various utils',
    {
      'associate-iam-oidc-provider': 'Setup IAM OIDC provider for a cluster to enable IAM roles for pods',
      'describe-addon-versions': 'Describe addon versions',
      'describe-stacks': 'Describe CloudFormation stack for a given cluster',
      schema: 'Output the ClusterConfig JSON Schema',
      'update-cluster-endpoints': 'Update Kubernetes API endpoint access configuration (deprecated)',
      'update-cluster-logging': 'Update cluster logging configuration',
      'update-cluster-vpc-config': 'Update Kubernetes API endpoint access configuration and public access CIDRs',
      'write-kubeconfig': 'Write kubeconfig file for a given cluster',
    },
  ],
  version: ['Output the version of eksctl', {}],
};

const CLUSTER_FLAG = '  -c, --cluster string   EKS cluster name\n';
const CONFIG_FILE_FLAG = "  -f, --config-file string   load configuration from a file (or stdin if set to '-')\n";
const REGION_FLAG =
  '  -r, --region string    AWS region. Defaults to the value set in your AWS config (~/.aws/config)\n';

/** The flags of the modelled commands (`eksctl create cluster --help` and friends). */
const NOUN_FLAGS: Readonly<Record<string, string>> = {
  'create cluster':
    'General flags:\n  -n, --name string               EKS cluster name (generated if unspecified, e.g. "attractive-sculpture-1685948230")\n      --tags stringToString       Used to tag the AWS resources (default [])\n  -r, --region string             AWS region\n      --version string            Kubernetes version (valid options: 1.23, 1.24, 1.25, 1.26, 1.27, 1.28, 1.29) (default "1.29")\n  -f, --config-file string        load configuration from a file (or stdin if set to \'-\')\n\n' +
    'Initial nodegroup flags:\n      --nodegroup-name string          name of the nodegroup (generated if unspecified, e.g. "ng-2f4bb0f3")\n      --without-nodegroup              if set, initial nodegroup will not be created\n  -t, --node-type string               node instance type\n  -N, --nodes int                      total number of nodes (for a static ASG) (default 2)\n      --node-volume-size int           node volume size in GB (default 80)\n      --ssh-access                     control SSH access for nodes. Uses ~/.ssh/id_rsa.pub as default key path if enabled\n      --managed                        Create EKS-managed nodegroup (default true)\n\n' +
    'Cluster and nodegroup add-ons flags:\n      --external-dns-access        enable IAM policy for external-dns\n\n' +
    'VPC networking flags:\n      --vpc-public-subnets strings    re-use public subnets for nodes and control plane\n      --vpc-private-subnets strings   re-use private subnets for nodes and control plane\n',
  'delete cluster': `General flags:\n  -n, --name string          EKS cluster name\n${REGION_FLAG}  -w, --wait                 wait for deletion of all resources before exiting\n${CONFIG_FILE_FLAG}`,
  'get cluster': `General flags:\n  -n, --name string      EKS cluster name\n  -A, --all-regions      List clusters across all supported regions\n${REGION_FLAG}  -o, --output string    specifies the output format (valid option: table, json, yaml) (default "table")\n`,
  'get nodegroup': `General flags:\n${CLUSTER_FLAG}  -n, --name string      Name of the nodegroup\n${REGION_FLAG}  -o, --output string    specifies the output format (valid option: table, json, yaml) (default "table")\n`,
  'create nodegroup': `General flags:\n${CLUSTER_FLAG}  -n, --name string      name of the new nodegroup (generated if unspecified)\n  -t, --node-type string   node instance type\n  -N, --nodes int          total number of nodes (for a static ASG) (default 2)\n${CONFIG_FILE_FLAG}`,
  'delete nodegroup': `General flags:\n${CLUSTER_FLAG}  -n, --name string      Name of the nodegroup to delete\n      --drain            Drain and cordon all nodes in the nodegroup before deletion (default true)\n  -w, --wait             wait for deletion of all resources before exiting\n${CONFIG_FILE_FLAG}`,
  'upgrade cluster': `General flags:\n  -n, --name string      EKS cluster name\n${REGION_FLAG}      --version string   Kubernetes version (default: the next minor version)\n      --approve          Apply the changes\n${CONFIG_FILE_FLAG}`,
  'upgrade nodegroup': `General flags:\n${CLUSTER_FLAG}  -n, --name string                  Nodegroup name\n      --kubernetes-version string    Kubernetes version\n      --release-version string       AMI version of the EKS optimized AMI to use\n      --wait                         wait for the upgrade to finish (default true)\n`,
  'utils write-kubeconfig': `General flags:\n${CLUSTER_FLAG}${REGION_FLAG}      --kubeconfig string          path to write kubeconfig (incompatible with --auto-kubeconfig)\n      --set-kubeconfig-context     if true then current-context will be set in kubeconfig (default true)\n`,
  'utils update-cluster-vpc-config': `General flags:\n${CLUSTER_FLAG}${REGION_FLAG}      --private-access             access for private (VPC) clients\n      --public-access              access for public clients\n      --public-access-cidrs strings   CIDR blocks that EKS uses to create a security group on the public endpoint\n      --control-plane-subnet-ids strings  Subnet IDs for the control plane\n      --approve                    Apply the changes\n${CONFIG_FILE_FLAG}`,
  'utils describe-stacks': `General flags:\n${CLUSTER_FLAG}${REGION_FLAG}      --all                  include deleted stacks\n      --events               include stack events\n`,
};

function root(): string {
  return (
    'The official CLI for Amazon EKS\n\nUsage: eksctl [command] [flags]\n\nCommands:\n' +
    Object.entries(VERBS)
      .map(([verb, [summary]]) => `  ${`eksctl ${verb}`.padEnd(39)}${summary}`)
      .join('\n') +
    `\n\n${COMMON_FLAGS}\nUse 'eksctl [command] --help' for more information about a command.\n\n\nFor detailed docs go to https://eksctl.io/\n`
  );
}

function verbPage(verb: string, summary: string, nouns: Readonly<Record<string, string>>): string {
  const list = Object.entries(nouns)
    .map(([noun, s]) => `  ${`eksctl ${verb} ${noun}`.padEnd(39)}${s}`)
    .join('\n');
  return `${summary}\n\nUsage: eksctl ${verb} [flags]\n\n${list ? `Commands:\n${list}\n\n` : ''}${COMMON_FLAGS}\nUse 'eksctl ${verb} [command] --help' for more information about a command.\n\n\nFor detailed docs go to https://eksctl.io/\n`;
}

function nounPage(verb: string, noun: string, summary: string): string {
  const flags = NOUN_FLAGS[`${verb} ${noun}`] ?? '';
  return `${summary}\n\nUsage: eksctl ${verb} ${noun} [flags]\n\n${flags ? `${flags}\n` : ''}AWS client flags:\n  -p, --profile string        AWS credentials profile to use (defaults to value of the AWS_PROFILE environment variable)\n\n${COMMON_FLAGS}\nUse 'eksctl ${verb} ${noun} [command] --help' for more information about a command.\n\n\nFor detailed docs go to https://eksctl.io/\n`;
}

/** eksctl's aliases for its nouns. */
const NOUN_ALIASES: Readonly<Record<string, string>> = {
  clusters: 'cluster',
  cl: 'cluster',
  nodegroups: 'nodegroup',
  ng: 'nodegroup',
};

/** eksctl's root help (also what `eksctl` alone prints). */
export const eksctlUsage = root;

/** eksctl's verbs and their nouns, for Tab completion. */
export function eksctlWords(verb?: string): string[] {
  if (verb === undefined) return Object.keys(VERBS);
  return Object.keys(VERBS[verb]?.[1] ?? {});
}

/** `eksctl [verb [noun]] -h|--help` and `eksctl help [verb [noun]]`. */
export function eksctlHelp(args: readonly string[]): HelpAnswer | undefined {
  const flagged = args.includes('-h') || args.includes('--help');
  const words = args.filter((a) => !a.startsWith('-'));
  if (!flagged && words[0] !== 'help') return undefined;
  const [verb, typed] = words[0] === 'help' ? words.slice(1) : words;
  const noun = typed === undefined ? undefined : (NOUN_ALIASES[typed] ?? typed);
  if (verb === undefined) return { stdout: root(), status: 0 };
  const entry = VERBS[verb];
  if (!entry) return undefined;
  const [summary, nouns] = entry;
  const nounSummary = noun !== undefined ? nouns[noun] : undefined;
  if (nounSummary !== undefined && noun !== undefined) return { stdout: nounPage(verb, noun, nounSummary), status: 0 };
  return { stdout: verbPage(verb, summary, nouns), status: 0 };
}
