import { AWS_SERVICES } from '../tools/aws/index';
import type { ParamKind, Service } from '../tools/aws/operation';
import type { HelpAnswer } from './types';

/**
 * The AWS CLI v2's help pages (`aws help`, `aws eks help`, `aws eks describe-cluster help`) as
 * its man-page renderer prints them, for the services and operations the simulator has: the
 * synopsis and options come from each operation's parameter table, the one-line descriptions
 * from the AWS CLI Command Reference (docs.aws.amazon.com/cli/latest/reference/).
 */

/**
 * `aws --version` on the lab host: an AWS CLI v2 release of early 2024 with its bundled Python,
 * on Amazon Linux 2's kernel (the nodes' AMI generation, answers/kubernetes/nodes.ts). The
 * layout is v2's (AWS CLI User Guide, "Installing or updating to the latest version").
 */
export const AWS_CLI_VERSION_LINE =
  'aws-cli/2.15.30 Python/3.11.8 Linux/5.10.210-201.852.amzn2.x86_64 exe/x86_64.amzn.2 prompt/off';

const SERVICE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  eks: 'Amazon Elastic Kubernetes Service (Amazon EKS) is a managed service that makes it easy for you to run Kubernetes on Amazon Web Services without needing to setup or maintain your own Kubernetes control plane.',
  ec2: 'You can access the features of Amazon Elastic Compute Cloud (Amazon EC2) programmatically.',
  iam: 'Identity and Access Management (IAM) is a web service for securely controlling access to Amazon Web Services services.',
  cloudformation:
    'CloudFormation allows you to create and manage Amazon Web Services infrastructure deployments predictably and repeatedly.',
  sts: 'Security Token Service (STS) enables you to request temporary, limited-privilege credentials for users.',
};

/** First sentences of each command's DESCRIPTION in the AWS CLI Command Reference. */
const OPERATION_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'eks create-cluster': 'Creates an Amazon EKS control plane.',
  'eks describe-cluster': 'Describes an Amazon EKS cluster.',
  'eks list-clusters':
    'Lists the Amazon EKS clusters in your Amazon Web Services account in the specified Amazon Web Services Region.',
  'eks update-cluster-config':
    'Updates an Amazon EKS cluster configuration. Your cluster continues to function during the update.',
  'eks update-cluster-version': 'Updates an Amazon EKS cluster to the specified Kubernetes version.',
  'eks describe-update': 'Describes an update to an Amazon EKS resource.',
  'eks list-updates':
    'Lists the updates associated with an Amazon EKS resource in your Amazon Web Services account, in the specified Amazon Web Services Region.',
  'eks list-nodegroups':
    'Lists the managed node groups associated with the specified cluster in your Amazon Web Services account in the specified Amazon Web Services Region.',
  'eks describe-nodegroup': 'Describes a managed node group.',
  'eks create-nodegroup': 'Creates a managed node group for an Amazon EKS cluster.',
  'eks delete-nodegroup': 'Deletes a managed node group.',
  'eks update-nodegroup-version': 'Updates the Kubernetes version or AMI version of an Amazon EKS managed node group.',
  'eks list-addons': 'Lists the installed add-ons.',
  'eks describe-addon': 'Describes an Amazon EKS add-on.',
  'eks describe-addon-versions': 'Describes the versions for an add-on.',
  'eks tag-resource': 'Associates the specified tags to an Amazon EKS resource with the specified resourceArn.',
  'eks untag-resource': 'Deletes specified tags from an Amazon EKS resource.',
  'eks list-tags-for-resource': 'List the tags for an Amazon EKS resource.',
  'eks create-addon': 'Creates an Amazon EKS add-on.',
  'eks delete-addon': 'Deletes an Amazon EKS add-on.',
  'eks wait nodegroup-active':
    'Wait until JMESPath query nodegroup.status returns ACTIVE when polling with describe-nodegroup. It will poll every 30 seconds until a successful state has been reached. This will exit with a return code of 255 after 80 failed checks.',
  'eks wait nodegroup-deleted':
    'Wait until ResourceNotFoundException is thrown when polling with describe-nodegroup. It will poll every 30 seconds until a successful state has been reached. This will exit with a return code of 255 after 40 failed checks.',
  'cloudformation wait stack-delete-complete':
    'Wait until JMESPath query Stacks[].StackStatus returns DELETE_COMPLETE when polling with describe-stacks. It will poll every 30 seconds until a successful state has been reached. This will exit with a return code of 255 after 120 failed checks.',
  'eks delete-cluster': 'Deletes an Amazon EKS cluster control plane.',
  'eks update-kubeconfig': 'Configures kubectl so that you can connect to an Amazon EKS cluster.',
  'eks get-token': 'Get a token for authentication with an Amazon EKS cluster.',
  'eks wait cluster-active':
    'Wait until JMESPath query cluster.status returns ACTIVE when polling with describe-cluster. It will poll every 30 seconds until a successful state has been reached. This will exit with a return code of 255 after 40 failed checks.',
  'eks wait cluster-deleted':
    'Wait until ResourceNotFoundException is thrown when polling with describe-cluster. It will poll every 30 seconds until a successful state has been reached. This will exit with a return code of 255 after 40 failed checks.',
  'ec2 describe-security-groups': 'Describes the specified security groups or all of your security groups.',
  'ec2 describe-instances': 'Describes the specified instances or all instances.',
  'ec2 describe-subnets': 'Describes your subnets.',
  'ec2 describe-vpcs': 'Describes your VPCs.',
  'ec2 describe-network-interfaces': 'Describes one or more of your network interfaces.',
  'ec2 authorize-security-group-ingress': 'Adds the specified inbound (ingress) rules to a security group.',
  'ec2 revoke-security-group-ingress': 'Removes the specified inbound (ingress) rules from a security group.',
  'iam list-roles': 'Lists the IAM roles that have the specified path prefix.',
  'iam get-role': 'Retrieves information about the specified role.',
  'iam list-attached-role-policies': 'Lists all managed policies that are attached to the specified IAM role.',
  'iam list-role-policies': 'Lists the names of the inline policies that are embedded in the specified IAM role.',
  'iam get-role-policy': 'Retrieves the specified inline policy document that is embedded with the specified IAM role.',
  'cloudformation describe-stacks':
    'Returns the description for the specified stack; if no stack name was specified, then it returns the description for all the stacks created.',
  'cloudformation describe-stack-events':
    'Returns all stack related events for a specified stack in reverse chronological order.',
  'cloudformation list-stack-resources': 'Returns descriptions of all resources of the specified stack.',
  'cloudformation list-stacks':
    'Returns the summary information for stacks whose status matches the specified StackStatusFilter.',
  'cloudformation delete-stack':
    'Deletes a specified stack. Once the call completes successfully, stack deletion starts.',
  'sts get-caller-identity':
    'Returns details about the IAM user or role whose credentials are used to call the operation.',
};

const KIND_NAMES: Readonly<Record<ParamKind, string>> = {
  string: 'string',
  integer: 'integer',
  boolean: 'boolean',
  list: 'list',
  structure: 'structure',
  filters: 'list',
};

/** The global options every synopsis ends with (the ones the simulated CLI reads). */
const GLOBAL_SYNOPSIS = [
  '[--debug]',
  '[--endpoint-url <value>]',
  '[--no-verify-ssl]',
  '[--no-paginate]',
  '[--output <value>]',
  '[--query <value>]',
  '[--profile <value>]',
  '[--region <value>]',
  '[--version <value>]',
  '[--no-cli-pager]',
];

/** Wraps prose at 70 columns under a 7-space indent, as the CLI's renderer does. */
function paragraph(text: string, indent = 7): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > 70) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => `${' '.repeat(indent)}${l}`).join('\n');
}

/** `EKS()                 EKS()` and the blank lines a man page starts with. */
function header(title: string): string {
  const name = `${title.toUpperCase()}()`;
  return `${name}${' '.repeat(Math.max(1, 78 - 2 * name.length))}${name}\n\n\n\n`;
}

function bullets(names: readonly string[]): string {
  return names.map((n) => `       o ${n}`).join('\n\n');
}

function topPage(): string {
  return (
    `${header('aws')}NAME\n       aws -\n\nDESCRIPTION\n${paragraph('The AWS Command Line Interface is a unified tool to manage your AWS services.')}\n\n` +
    'SYNOPSIS\n          aws [options] <command> <subcommand> [parameters]\n\n' +
    `${paragraph('Use aws command help for information on a specific command. The synopsis for each command shows its parameters and their usage. Optional parameters are shown in square brackets.')}\n\n` +
    'GLOBAL OPTIONS\n' +
    '       --debug (boolean)\n\n       Turn on debug logging.\n\n' +
    "       --endpoint-url (string)\n\n       Override command's default URL with the given URL.\n\n" +
    '       --output (string)\n\n       The formatting style for command output.\n\n       o   json\n\n       o   text\n\n       o   table\n\n' +
    '       --query (string)\n\n       A JMESPath query to use in filtering the response data.\n\n' +
    '       --profile (string)\n\n       Use a specific profile from your credential file.\n\n' +
    '       --region (string)\n\n       The region to use. Overrides config/env settings.\n\n' +
    '       --version (string)\n\n       Display the version of this tool.\n\n' +
    '       --no-cli-pager (boolean)\n\n       Disable cli pager for output.\n\n' +
    `AVAILABLE SERVICES\n${bullets(Object.keys(AWS_SERVICES).sort())}\n\n`
  );
}

function commandsOf(service: Service): string[] {
  const names = new Set(Object.keys(service).map((o) => (o.startsWith('wait ') ? 'wait' : o)));
  return [...names].sort();
}

function servicePage(name: string, service: Service): string {
  return (
    `${header(name)}NAME\n       ${name} -\n\nDESCRIPTION\n${paragraph(SERVICE_DESCRIPTIONS[name] ?? '')}\n\n` +
    `AVAILABLE COMMANDS\n${bullets(commandsOf(service))}\n\n`
  );
}

function waitPage(service: string, waiters: readonly string[]): string {
  return (
    `${header('wait')}NAME\n       wait -\n\nDESCRIPTION\n${paragraph(`Wait until a particular condition is satisfied. Each subcommand polls an API until the listed requirement is met.`)}\n\n` +
    `AVAILABLE COMMANDS\n${bullets(waiters)}\n\n` +
    `${paragraph(`See 'aws ${service} wait <waiter> help' for a waiter's options.`)}\n`
  );
}

function operationPage(serviceName: string, operationName: string, service: Service): string {
  const operation = service[operationName];
  const command = operationName.replace(/^wait /, '');
  const params = Object.entries(operation?.params ?? {});
  const synopsis = params.map(([name, spec]) => {
    const usage = spec.kind === 'boolean' ? `--${name} | --no-${name}` : `--${name} <value>`;
    return spec.required ? usage : `[${usage}]`;
  });
  const options = params.map(([name, spec]) => `       --${name} (${KIND_NAMES[spec.kind]})`).join('\n\n');
  const description = OPERATION_DESCRIPTIONS[`${serviceName} ${operationName}`];
  return (
    `${header(command)}NAME\n       ${command} -\n\n` +
    (description ? `DESCRIPTION\n${paragraph(description)}\n\n` : '') +
    `SYNOPSIS\n            ${command}\n${[...synopsis, ...GLOBAL_SYNOPSIS].map((s) => `          ${s}`).join('\n')}\n\n` +
    `OPTIONS\n${options || '       None'}\n\n${paragraph("See 'aws help' for descriptions of global parameters.")}\n`
  );
}

/**
 * `aws … help` (and `--help`, `-h`) prints the page of the deepest command named before it;
 * `aws --version` prints the version line, wherever it stands, as the CLI's global flag does.
 */
export function awsHelp(args: readonly string[]): HelpAnswer | undefined {
  if (args.includes('--version')) return { stdout: `${AWS_CLI_VERSION_LINE}\n`, status: 0 };
  const words = args.filter((a) => !a.startsWith('-'));
  const asked = args.includes('--help') || args.includes('-h') || args[args.length - 1] === 'help';
  if (!asked) return undefined;
  const [serviceName, operationName, waiter] = words.filter((w) => w !== 'help');
  if (serviceName === undefined) return { stdout: topPage(), status: 0 };
  const service = AWS_SERVICES[serviceName];
  // An unknown service or operation: the CLI's own usage error says so (the tool answers).
  if (!service) return undefined;
  if (operationName === undefined) return { stdout: servicePage(serviceName, service), status: 0 };
  if (operationName === 'wait') {
    const waiters = Object.keys(service)
      .filter((o) => o.startsWith('wait '))
      .map((o) => o.slice(5));
    if (waiter === undefined) return { stdout: waitPage(serviceName, waiters), status: 0 };
    if (!waiters.includes(waiter)) return undefined;
    return { stdout: operationPage(serviceName, `wait ${waiter}`, service), status: 0 };
  }
  if (!service[operationName]) return undefined;
  return { stdout: operationPage(serviceName, operationName, service), status: 0 };
}

/** The service's commands, for Tab completion. */
export function awsCommandNames(service: string): string[] {
  const ops = AWS_SERVICES[service];
  return ops ? commandsOf(ops) : [];
}
