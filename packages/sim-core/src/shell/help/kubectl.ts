import type { HelpAnswer } from './types';

/**
 * kubectl's help (`kubectl --help`, `kubectl get -h`, `kubectl help config view`), shortened
 * from kubectl 1.28's own texts (kubernetes.io/docs/reference/kubectl/generated/): the first
 * lines, the common examples and options, and the usage line.
 */

const OPTIONS_HINT = 'Use "kubectl options" for a list of global command-line options (applies to all commands).\n';

/** The command groups of `kubectl --help`, in kubectl's order: name → one-line summary. */
const GROUPS: readonly [string, readonly [string, string][]][] = [
  [
    'Basic Commands (Beginner)',
    [
      ['create', 'Create a resource from a file or from stdin'],
      ['expose', 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service'],
      ['run', 'Run a particular image on the cluster'],
      ['set', 'Set specific features on objects'],
    ],
  ],
  [
    'Basic Commands (Intermediate)',
    [
      ['explain', 'Get documentation for a resource'],
      ['get', 'Display one or many resources'],
      ['edit', 'Edit a resource on the server'],
      ['delete', 'Delete resources by file names, stdin, resources and names, or by resources and label selector'],
    ],
  ],
  [
    'Deploy Commands',
    [
      ['rollout', 'Manage the rollout of a resource'],
      ['scale', 'Set a new size for a deployment, replica set, or replication controller'],
      ['autoscale', 'Auto-scale a deployment, replica set, stateful set, or replication controller'],
    ],
  ],
  [
    'Cluster Management Commands',
    [
      ['certificate', 'Modify certificate resources.'],
      ['cluster-info', 'Display cluster information'],
      ['top', 'Display resource (CPU/memory) usage'],
      ['cordon', 'Mark node as unschedulable'],
      ['uncordon', 'Mark node as schedulable'],
      ['drain', 'Drain node in preparation for maintenance'],
      ['taint', 'Update the taints on one or more nodes'],
    ],
  ],
  [
    'Troubleshooting and Debugging Commands',
    [
      ['describe', 'Show details of a specific resource or group of resources'],
      ['logs', 'Print the logs for a container in a pod'],
      ['attach', 'Attach to a running container'],
      ['exec', 'Execute a command in a container'],
      ['port-forward', 'Forward one or more local ports to a pod'],
      ['proxy', 'Run a proxy to the Kubernetes API server'],
      ['cp', 'Copy files and directories to and from containers'],
      ['auth', 'Inspect authorization'],
      ['debug', 'Create debugging sessions for troubleshooting workloads and nodes'],
      ['events', 'List events'],
    ],
  ],
  [
    'Advanced Commands',
    [
      ['diff', 'Diff the live version against a would-be applied version'],
      ['apply', 'Apply a configuration to a resource by file name or stdin'],
      ['patch', 'Update fields of a resource'],
      ['replace', 'Replace a resource by file name or stdin'],
      ['wait', 'Experimental: Wait for a specific condition on one or many resources'],
      ['kustomize', 'Build a kustomization target from a directory or URL'],
    ],
  ],
  [
    'Settings Commands',
    [
      ['label', 'Update the labels on a resource'],
      ['annotate', 'Update the annotations on a resource'],
      ['completion', 'Output shell completion code for the specified shell (bash, zsh, fish, or powershell)'],
    ],
  ],
  [
    'Other Commands',
    [
      ['api-resources', 'Print the supported API resources on the server'],
      ['api-versions', 'Print the supported API versions on the server, in the form of "group/version"'],
      ['config', 'Modify kubeconfig files'],
      ['plugin', 'Provides utilities for interacting with plugins'],
      ['version', 'Print the client and server version information'],
    ],
  ],
];

const ROOT =
  'kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\n' +
  GROUPS.map(
    ([group, commands]) => `${group}:\n${commands.map(([n, s]) => `  ${n.padEnd(15)} ${s}`).join('\n')}\n`,
  ).join('\n') +
  '\nUsage:\n  kubectl [flags] [options]\n\nUse "kubectl <command> --help" for more information about a given command.\n' +
  OPTIONS_HINT;

/** A command's page: summary, examples, options, usage (kubectl's layout). */
function page(summary: string, examples: string, options: string, usage: string): string {
  return `${summary}\n\nExamples:\n${examples}\n${options ? `\nOptions:\n${options}\n` : ''}\nUsage:\n  ${usage}\n\n${OPTIONS_HINT}`;
}

const NAMESPACE_OPTIONS =
  '    -A, --all-namespaces=false:\n\tIf present, list the requested object(s) across all namespaces. Namespace in current context is\n\tignored even if specified with --namespace.\n\n' +
  "    -o, --output='':\n\tOutput format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile,\n\tjsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide).\n\n" +
  "    -l, --selector='':\n\tSelector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2).\n\n" +
  '    -w, --watch=false:\n\tAfter listing/getting the requested object, watch for changes.';

const CONFIG_COMMANDS: readonly [string, string][] = [
  ['current-context', 'Display the current-context'],
  ['delete-cluster', 'Delete the specified cluster from the kubeconfig'],
  ['delete-context', 'Delete the specified context from the kubeconfig'],
  ['get-clusters', 'Display clusters defined in the kubeconfig'],
  ['get-contexts', 'Describe one or many contexts'],
  ['rename-context', 'Rename a context from the kubeconfig file'],
  ['set-context', 'Set a context entry in kubeconfig'],
  ['use-context', 'Set the current-context in a kubeconfig file'],
  ['view', 'Display merged kubeconfig settings or a specified kubeconfig file'],
];

/** Pages by command path (`get`, `config view`). */
const PAGES: Readonly<Record<string, string>> = {
  get: page(
    'Display one or many resources.\n\n Prints a table of the most important information about the specified resources. You can filter the\nlist using a label selector and the --selector flag. If the desired resource type is namespaced you will\nonly see results in your current namespace unless you pass --all-namespaces.\n\nUse "kubectl api-resources" for a complete list of supported resources.',
    '  # List all pods in ps output format\n  kubectl get pods\n\n  # List all pods in ps output format with more information (such as node name)\n  kubectl get pods -o wide\n\n  # List a single node with specified NAME in JSON output format\n  kubectl get -o json node ip-192-168-1-39.ap-northeast-2.compute.internal\n\n  # List all pods in all namespaces\n  kubectl get pods -A\n\n  # Return only the phase value of the specified pod\n  kubectl get -o template pod/web-pod-13je7 --template={{.status.phase}}',
    NAMESPACE_OPTIONS,
    'kubectl get\n[(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide]\n[(TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]',
  ),
  describe: page(
    'Show details of a specific resource or group of resources.\n\n Print a detailed description of the selected resources, including related resources such as events or\ncontrollers.',
    '  # Describe a node\n  kubectl describe nodes ip-192-168-1-39.ap-northeast-2.compute.internal\n\n  # Describe a pod\n  kubectl describe pods/nginx\n\n  # Describe all pods\n  kubectl describe pods',
    "    -A, --all-namespaces=false:\n\tIf present, list the requested object(s) across all namespaces.\n\n    -l, --selector='':\n\tSelector (label query) to filter on.",
    'kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]',
  ),
  version: page(
    'Print the client and server version information for the current context.',
    '  # Print the client and server versions for the current context\n  kubectl version',
    "    --client=false:\n\tIf true, shows client version only (no server required).\n\n    -o, --output='':\n\tOne of 'yaml' or 'json'.",
    'kubectl version [flags] [options]',
  ),
  'cluster-info': page(
    "Display addresses of the control plane and services with label kubernetes.io/cluster-service=true. To\nfurther debug and diagnose cluster problems, use 'kubectl cluster-info dump'.",
    '  # Print the address of the control plane and cluster services\n  kubectl cluster-info',
    '',
    'kubectl cluster-info [flags] [options]',
  ),
  'api-resources': page(
    'Print the supported API resources on the server.',
    '  # Print the supported API resources\n  kubectl api-resources\n\n  # Print the supported API resources with more information\n  kubectl api-resources -o wide',
    "    --namespaced=true:\n\tIf false, non-namespaced resources will be returned, otherwise returning namespaced resources by\n\tdefault.\n\n    -o, --output='':\n\tOutput format. One of: (wide, name).",
    'kubectl api-resources [flags] [options]',
  ),
  'api-versions': page(
    'Print the supported API versions on the server, in the form of "group/version".',
    '  # Print the supported API versions\n  kubectl api-versions',
    '',
    'kubectl api-versions [flags] [options]',
  ),
  cordon: page(
    'Mark node as unschedulable.',
    '  # Mark node "foo" as unschedulable\n  kubectl cordon foo',
    '    --dry-run=\'none\':\n\tMust be "none", "server", or "client".\n\n    -l, --selector=\'\':\n\tSelector (label query) to filter on.',
    'kubectl cordon NODE [options]',
  ),
  uncordon: page(
    'Mark node as schedulable.',
    '  # Mark node "foo" as schedulable\n  kubectl uncordon foo',
    '    --dry-run=\'none\':\n\tMust be "none", "server", or "client".\n\n    -l, --selector=\'\':\n\tSelector (label query) to filter on.',
    'kubectl uncordon NODE [options]',
  ),
  drain: page(
    "Drain node in preparation for maintenance.\n\n The given node will be marked unschedulable to prevent new pods from arriving. 'drain' evicts the pods\nif the API server supports https://kubernetes.io/docs/concepts/workloads/pods/disruptions/ eviction.",
    '  # Drain node "foo", even if there are pods not managed by a replication controller, replica set, job,\ndaemon set, or stateful set on it\n  kubectl drain foo --force\n\n  # As above, but abort if there are pods not managed by a replication controller, replica set, job,\ndaemon set, or stateful set, and use a grace period of 15 minutes\n  kubectl drain foo --grace-period=900',
    '    --delete-emptydir-data=false:\n\tContinue even if there are pods using emptyDir (local data that will be deleted when the node is\n\tdrained).\n\n    --force=false:\n\tContinue even if there are pods that do not declare a controller.\n\n    --ignore-daemonsets=false:\n\tIgnore DaemonSet-managed pods.',
    'kubectl drain NODE [options]',
  ),
  scale: page(
    'Set a new size for a deployment, replica set, replication controller, or stateful set.',
    "  # Scale a replica set named 'foo' to 3\n  kubectl scale --replicas=3 rs/foo\n\n  # Scale the CoreDNS deployment to 3 replicas\n  kubectl scale deployment coredns --replicas=3 -n kube-system",
    '    --replicas=0:\n\tThe new desired number of replicas. Required.',
    'kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME |\nTYPE NAME) [options]',
  ),
  logs: page(
    'Print the logs for a container in a pod or specified resource. If the pod has only one container, the\ncontainer name is optional.',
    '  # Return snapshot logs from pod nginx with only one container\n  kubectl logs nginx',
    "    -c, --container='':\n\tPrint the logs of this container\n\n    -f, --follow=false:\n\tSpecify if the logs should be streamed.",
    'kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]',
  ),
  config: `Modify kubeconfig files using subcommands like "kubectl config set current-context my-context"\n\n The loading order follows these rules:\n\n  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and\nno merging takes place.\n  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path\ndelimiting rules for your system). These paths are merged.\n  3.  Otherwise, \${HOME}/.kube/config is used and no merging takes place.\n\nAvailable Commands:\n${CONFIG_COMMANDS.map(([n, s]) => `  ${n.padEnd(17)} ${s}`).join('\n')}\n\nUsage:\n  kubectl config SUBCOMMAND [options]\n\nUse "kubectl <command> --help" for more information about a given command.\n${OPTIONS_HINT}`,
  'config view': page(
    'Display merged kubeconfig settings or a specified kubeconfig file.\n\n You can use --output jsonpath={...} to extract specific values using a jsonpath expression.',
    '  # Show merged kubeconfig settings\n  kubectl config view\n\n  # Show merged kubeconfig settings and raw certificate data and exposed secrets\n  kubectl config view --raw\n\n  # Get the password for the e2e user\n  kubectl config view -o jsonpath=\'{.users[?(@.name == "e2e")].user.password}\'',
    "    --minify=false:\n\tRemove all information not used by current-context from the output\n\n    -o, --output='yaml':\n\tOutput format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile,\n\tjsonpath, jsonpath-as-json, jsonpath-file).\n\n    --raw=false:\n\tDisplay raw byte data and sensitive data",
    'kubectl config view [flags] [options]',
  ),
  'config current-context': page(
    'Display the current-context.',
    '  # Display the current-context\n  kubectl config current-context',
    '',
    'kubectl config current-context [options]',
  ),
  'config get-contexts': page(
    'Display one or many contexts from the kubeconfig file.',
    '  # List all the contexts in your kubeconfig file\n  kubectl config get-contexts\n\n  # Describe one context in your kubeconfig file\n  kubectl config get-contexts my-context',
    "    --no-headers=false:\n\tWhen using the default or custom-column output format, don't print headers (default print headers).\n\n    -o, --output='':\n\tOutput format. One of: (name).",
    'kubectl config get-contexts [(-o|--output=)name)] [options]',
  ),
  auth: `Inspect authorization.\n\nAvailable Commands:\n  can-i         Check whether an action is allowed\n  reconcile     Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects\n  whoami        Experimental: Check self subject attributes\n\nUsage:\n  kubectl auth [flags] [options]\n\nUse "kubectl auth <command> --help" for more information about a given command.\n${OPTIONS_HINT}`,
  'auth whoami': page(
    'Experimental: Check who you are and your attributes (groups, extra).\n\n  This command is helpful to get yourself aware of the current user attributes,\n  especially when dynamic authentication, e.g., token webhook, auth proxy, or OIDC provider,\n  is enabled in the Kubernetes cluster.',
    '  # Get your subject attributes\n  kubectl auth whoami\n\n  # Get your subject attributes in JSON format\n  kubectl auth whoami -o json',
    "    -o, --output='':\n\tOutput format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile,\n\tjsonpath, jsonpath-as-json, jsonpath-file).",
    'kubectl auth whoami [flags] [options]',
  ),
  'config use-context': page(
    'Set the current-context in a kubeconfig file.',
    '  # Use the context for the minikube cluster\n  kubectl config use-context minikube',
    '',
    'kubectl config use-context CONTEXT_NAME [options]',
  ),
};

/** Flags whose value is the next word (so that word is not a command name). */
const VALUE_FLAGS = new Set([
  '-n',
  '--namespace',
  '-o',
  '--output',
  '-l',
  '--selector',
  '-f',
  '--filename',
  '-c',
  '--container',
  '--context',
  '--kubeconfig',
  '--cluster',
  '--user',
  '-s',
  '--server',
  '--replicas',
  '--token',
]);

/** kubectl's commands (every one `kubectl --help` lists), for Tab completion. */
export const KUBECTL_COMMANDS: readonly string[] = GROUPS.flatMap(([, commands]) => commands.map(([name]) => name));

/** `kubectl config`'s subcommands, for Tab completion. */
export const KUBECTL_CONFIG_COMMANDS: readonly string[] = CONFIG_COMMANDS.map(([name]) => name);

/** The positional words of a kubectl command line (flags and their values left out). */
function commandWords(args: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (VALUE_FLAGS.has(arg)) i++;
    else if (!arg.startsWith('-')) words.push(arg);
  }
  return words;
}

/**
 * `kubectl [command…] -h|--help` and `kubectl help [command…]`: the page of the deepest command
 * named; an unknown command is kubectl's error.
 */
export function kubectlHelp(args: readonly string[]): HelpAnswer | undefined {
  const flagged = args.includes('-h') || args.includes('--help');
  const words = commandWords(args);
  if (!flagged && words[0] !== 'help') return undefined;
  const path = words[0] === 'help' ? words.slice(1) : words;
  const [command, sub] = path;
  if (command === undefined) return { stdout: ROOT, status: 0 };
  if (!KUBECTL_COMMANDS.includes(command)) {
    return { stderr: `error: unknown command "${command}" for "kubectl"\n`, status: 1 };
  }
  const text = (sub !== undefined ? PAGES[`${command} ${sub}`] : undefined) ?? PAGES[command];
  const summary = GROUPS.flatMap(([, c]) => c).find(([n]) => n === command)?.[1] ?? '';
  return {
    stdout: text ?? `${summary}.\n\nUsage:\n  kubectl ${command} [flags] [options]\n\n${OPTIONS_HINT}`,
    status: 0,
  };
}
