import { RESOURCES, versionDocument } from '../../../answers/index';
import type { ClusterRecord } from '../../../cluster/types';
import type { Tool, ToolInvocation } from '../../tool';
import { auth } from './auth';
import { connectOrFail, DISCOVERY_ATTEMPTS, hasKubeconfig } from './connect';
import { describe } from './describe';
import { type KubectlFlags, parseFlags } from './flags';
import { get } from './get';
import { alignColumns, printJson, printYaml } from './printers';
import { cordon, drain, scale } from './writes';

export { humanDuration } from '../../../answers/index';

/** The kubectl on the lab host: the EKS-vended 1.28 binary of the seed's era, with its Kustomize. */
const CLIENT = {
  major: '1',
  minor: '28',
  gitVersion: 'v1.28.5-eks-5e0fdde',
  gitCommit: '5e0fdde2c7d2a4e5a5f3e4b8b7c0c1c8d6f0a3b2',
  gitTreeState: 'clean',
  buildDate: '2024-01-02T20:34:38Z',
  goVersion: 'go1.20.12',
  compiler: 'gc',
  platform: 'linux/amd64',
};
const KUSTOMIZE_VERSION = 'v5.0.4-0.20230601165947-6ce0bf390ce3';

const SUBCOMMANDS = [
  'version',
  'get',
  'describe',
  'cluster-info',
  'api-resources',
  'cordon',
  'uncordon',
  'drain',
  'scale',
  'config',
  'auth',
];

function version(inv: ToolInvocation, flags: KubectlFlags): number {
  const { ctx, out } = inv;
  const server = () =>
    versionDocument(
      (ctx.domains.cluster.cluster as ClusterRecord).version,
      (ctx.domains.cluster.cluster as ClusterRecord).platformVersion,
    );
  if (flags.output === 'json' || flags.output === 'yaml') {
    if (!flags.client) {
      const failed = connectOrFail(inv, 0);
      if (failed !== undefined) return failed;
    }
    const doc = {
      clientVersion: CLIENT,
      kustomizeVersion: KUSTOMIZE_VERSION,
      ...(flags.client ? {} : { serverVersion: server() }),
    };
    out(flags.output === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : printYaml(doc));
    return 0;
  }
  out(`Client Version: ${CLIENT.gitVersion}\nKustomize Version: ${KUSTOMIZE_VERSION}\n`);
  if (flags.client) return 0;
  const failed = connectOrFail(inv, 0);
  if (failed !== undefined) return failed;
  const info = server();
  out(`Server Version: ${info.gitVersion}\n`);
  const skew = Math.abs(Number(info.minor.replace('+', '')) - Number(CLIENT.minor));
  if (skew > 1) {
    inv.err(
      `WARNING: version difference between client (1.${CLIENT.minor}) and server (${info.major}.${info.minor.replace('+', '')}) exceeds the supported minor version skew of +/-1\n`,
    );
  }
  return 0;
}

function clusterInfo(inv: ToolInvocation): number {
  const failed = connectOrFail(inv, DISCOVERY_ATTEMPTS);
  if (failed !== undefined) return failed;
  const cluster = inv.ctx.domains.cluster.cluster as ClusterRecord;
  inv.out(
    `Kubernetes control plane is running at ${cluster.endpoint}\n` +
      `CoreDNS is running at ${cluster.endpoint}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\n` +
      "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
  );
  return 0;
}

function apiResources(inv: ToolInvocation): number {
  const rows = [
    ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'],
    ...[...RESOURCES]
      .sort((a, b) => (a.group === b.group ? a.name.localeCompare(b.name) : a.group.localeCompare(b.group)))
      .map((r) => [
        r.name,
        r.shortNames.join(','),
        r.group ? `${r.group}/${r.version}` : r.version,
        String(r.namespaced),
        r.kind,
      ]),
  ];
  inv.out(alignColumns(rows));
  return 0;
}

/** The vantage's kubeconfig as `aws eks update-kubeconfig` or eksctl write it (ARN-named context, `aws eks get-token`). */
function kubeconfigOf(inv: ToolInvocation) {
  const cluster = inv.ctx.domains.cluster.cluster;
  if (!cluster || !hasKubeconfig(inv)) return undefined;
  return {
    apiVersion: 'v1',
    clusters: [
      { cluster: { 'certificate-authority-data': 'DATA+OMITTED', server: cluster.endpoint }, name: cluster.arn },
    ],
    contexts: [{ context: { cluster: cluster.arn, user: cluster.arn }, name: cluster.arn }],
    'current-context': cluster.arn,
    kind: 'Config',
    preferences: {},
    users: [
      {
        name: cluster.arn,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            args: [
              '--region',
              inv.ctx.domains.cluster.region,
              'eks',
              'get-token',
              '--cluster-name',
              cluster.name,
              '--output',
              'json',
            ],
            command: 'aws',
            env: null,
            interactiveMode: 'IfAvailable',
            provideClusterInfo: false,
          },
        },
      },
    ],
  };
}

function config(inv: ToolInvocation, flags: KubectlFlags, args: readonly string[]): number {
  const [verb] = args;
  const kubeconfig = kubeconfigOf(inv);
  if (verb === 'view') {
    const empty = {
      apiVersion: 'v1',
      clusters: null,
      contexts: null,
      'current-context': '',
      kind: 'Config',
      preferences: {},
      users: null,
    };
    const doc = kubeconfig ?? empty;
    inv.out(flags.output === 'json' ? printJson(doc) : printYaml(doc));
    return 0;
  }
  if (verb === 'current-context') {
    if (!kubeconfig) {
      inv.err('error: current-context is not set\n');
      return 1;
    }
    inv.out(`${kubeconfig['current-context']}\n`);
    return 0;
  }
  if (verb === 'get-contexts') {
    const rows = [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']];
    if (kubeconfig) {
      for (const c of kubeconfig.contexts) rows.push(['*', c.name, c.context.cluster, c.context.user, '']);
    }
    inv.out(alignColumns(rows));
    return 0;
  }
  inv.err(
    verb === undefined
      ? 'Modify kubeconfig files using subcommands like "kubectl config set current-context my-context"\n\nSimulated subcommands: view, current-context, get-contexts\n'
      : `error: unknown command "${verb}" for "kubectl config"\n`,
  );
  return verb === undefined ? 0 : 1;
}

/**
 * The simulated kubectl: `get` of every resource the API serves (`-n`, `-A`, `-o
 * wide|json|yaml|name|jsonpath=`, `-l`, `--field-selector`), `describe`, `cordon`, `uncordon`,
 * `drain`, `scale`, `auth whoami`, `api-resources`, `cluster-info`, `version`, `config
 * view|current-context|get-contexts`. Each asks the same answer layer as the server's `/k8s`
 * endpoint, and answers only when the vantage reaches the API server (docs/endpoint-modes.md);
 * otherwise kubectl's errors after its dial timeouts in simulated time.
 */
export const kubectlTool: Tool = (inv) => {
  const parsed = parseFlags(inv.args);
  const firstPositional = inv.args.find((a) => !a.startsWith('-')) ?? '';
  if ('bad' in parsed) {
    const flag = parsed.bad.replace(/=.*$/, '');
    inv.err(
      parsed.missing
        ? `error: flag needs an argument: '${flag.replace(/^-+/, '')}' in ${flag}\nSee 'kubectl ${firstPositional} --help' for usage.\n`
        : `error: unknown flag: ${flag}\nSee 'kubectl ${firstPositional} --help' for usage.\n`.replace(
            'kubectl  --help',
            'kubectl --help',
          ),
    );
    return 1;
  }
  const { flags, positional } = parsed;
  const [sub, ...rest] = positional;
  if (sub === undefined) {
    inv.out(
      `kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\nSimulated commands: ${SUBCOMMANDS.join(', ')}\n`,
    );
    return 0;
  }
  if (!SUBCOMMANDS.includes(sub)) {
    inv.err(`error: unknown command "${sub}" for "kubectl"\n`);
    return 1;
  }
  if (sub === 'version') return version(inv, flags);
  if (sub === 'config') return config(inv, flags, rest);
  const failed = connectOrFail(inv, DISCOVERY_ATTEMPTS);
  if (failed !== undefined) return failed;
  switch (sub) {
    case 'cluster-info':
      return clusterInfo(inv);
    case 'api-resources':
      return apiResources(inv);
    case 'describe':
      return describe(inv, flags, rest);
    case 'cordon':
      return cordon(inv, rest, true);
    case 'uncordon':
      return cordon(inv, rest, false);
    case 'drain':
      return drain(inv, flags, rest);
    case 'scale':
      return scale(inv, flags, rest);
    case 'auth':
      return auth(inv, flags, rest);
    default: {
      const status = get(inv, flags, rest);
      if (flags.watch && status === 0) {
        inv.err(
          "eks-sim: the simulated shell prints the list once; `kubectl get -w` streams against the server's /k8s endpoint\n",
        );
      }
      return status;
    }
  }
};
