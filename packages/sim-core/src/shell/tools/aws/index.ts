import jmespath from 'jmespath';
import type { Tool, ToolInvocation } from '../../tool';
import { cloudformationService } from './cloudformation';
import { ec2Service } from './ec2';
import { eksService } from './eks';
import { iamService } from './iam';
import { type Filter, type OperationInput, parseStructure, type Service, type Structure } from './operation';
import { stsService } from './sts';
import { formatTable } from './table';
import { formatText } from './text';

/** The services the simulated AWS CLI knows. */
export const AWS_SERVICES: Readonly<Record<string, Service>> = {
  cloudformation: cloudformationService,
  ec2: ec2Service,
  eks: eksService,
  iam: iamService,
  sts: stsService,
};

/**
 * AWS CLI v2 return codes (AWS CLI User Guide, "Command line return codes in the AWS CLI",
 * docs.aws.amazon.com/cli/latest/userguide/cli-usage-returncodes.html): 252 invalid syntax or
 * unknown parameter, 253 invalid environment or configuration, 254 the service returned an error.
 */
const EXIT_USAGE = 252;
const EXIT_CONFIG = 253;
const EXIT_SERVICE_ERROR = 254;
/** 255: the command failed otherwise (a waiter that gave up). */
const EXIT_GENERAL = 255;

const USAGE =
  'usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n' +
  'To see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n';

function usageError(inv: ToolInvocation, message: string): number {
  inv.err(`\n${USAGE}\n${message}\n`);
  return EXIT_USAGE;
}

function choices(names: readonly string[]): string {
  return names
    .slice()
    .sort()
    .map((n) => `  ${n}`)
    .join('\n');
}

/** Global options (before or after the service and operation, as the real CLI allows). */
interface Globals {
  region?: string;
  output: string;
  query?: string;
}

/**
 * `aws <service> <operation> [--param value …]` with `--region`, `--output json|text|table`,
 * `--query` (JMESPath, as the real CLI), `--no-cli-pager`. Output is the API's response as the
 * AWS CLI prints it; a service error is `An error occurred (Code) when calling the Op
 * operation: message` with exit status 254; a bad command line is the CLI's usage error, 252.
 */
export const awsTool: Tool = (inv) => {
  const globals: Globals = { output: inv.env.AWS_DEFAULT_OUTPUT ?? 'json' };
  const rest: string[] = [];
  const args = inv.args;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (
      flag === '--region' ||
      flag === '--output' ||
      flag === '--query' ||
      flag === '--profile' ||
      flag === '--endpoint-url'
    ) {
      const value = inline ?? args[++i];
      if (value === undefined) return usageError(inv, `aws: error: argument ${flag}: expected one argument`);
      if (flag === '--region') globals.region = value;
      if (flag === '--output') globals.output = value;
      if (flag === '--query') globals.query = value;
      continue;
    }
    if (flag === '--no-cli-pager' || flag === '--no-paginate' || flag === '--debug' || flag === '--no-verify-ssl')
      continue;
    rest.push(arg);
  }
  if (!['json', 'text', 'table'].includes(globals.output)) {
    return usageError(
      inv,
      'aws: error: argument --output: Invalid choice, valid choices are (in the simulator):\n\njson | text | table',
    );
  }
  const [serviceName, firstWord, ...params] = rest;
  // Waiters are two words: `aws eks wait cluster-active --name …`.
  const operationName =
    firstWord === 'wait' && params[0] && !params[0].startsWith('-') ? `wait ${params.shift()}` : firstWord;
  if (serviceName === undefined || serviceName === 'help') {
    return usageError(inv, 'aws: error: the following arguments are required: command');
  }
  const service = AWS_SERVICES[serviceName];
  if (!service) {
    return usageError(
      inv,
      `aws: error: argument command: Invalid choice, valid choices are (in the simulator):\n\n${choices(Object.keys(AWS_SERVICES))}`,
    );
  }
  if (operationName === undefined)
    return usageError(inv, 'aws: error: the following arguments are required: operation');
  const operation = service[operationName];
  if (!operation) {
    return usageError(
      inv,
      `aws: error: argument operation: Invalid choice, valid choices are (in the simulator):\n\n${choices(Object.keys(service))}`,
    );
  }
  const strings: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  const booleans: Record<string, boolean> = {};
  const structures: Record<string, Structure> = {};
  const filters: Filter[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < params.length; i++) {
    const raw = params[i] as string;
    const eq = raw.startsWith('--') ? raw.indexOf('=') : -1;
    const flag = eq > 0 ? raw.slice(0, eq) : raw;
    const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
    const name = flag.replace(/^--/, '');
    const negated = name.startsWith('no-') ? name.slice(3) : undefined;
    const spec = operation.params[name] ?? (negated ? operation.params[negated] : undefined);
    if (!flag.startsWith('--') || !spec) {
      unknown.push(raw);
      continue;
    }
    if (spec.kind === 'boolean') {
      booleans[negated && !operation.params[name] ? negated : name] = !(negated && !operation.params[name]);
      continue;
    }
    const values: string[] = inline !== undefined ? [inline] : [];
    if (inline === undefined) {
      while (i + 1 < params.length && !(params[i + 1] as string).startsWith('--')) {
        values.push(params[++i] as string);
        if (spec.kind !== 'list' && spec.kind !== 'filters') break;
      }
    }
    if (values.length === 0) return usageError(inv, `aws: error: argument --${name}: expected one argument`);
    if (spec.kind === 'string' || spec.kind === 'integer') {
      if (spec.kind === 'integer' && !/^-?\d+$/.test(values[0] as string)) {
        return usageError(inv, `aws: error: argument --${name}: invalid int value: '${values[0]}'`);
      }
      strings[name] = values[0] as string;
    } else if (spec.kind === 'list') {
      lists[name] = [...(lists[name] ?? []), ...values.flatMap((v) => (v.startsWith('[') ? safeJsonList(v) : [v]))];
    } else if (spec.kind === 'structure') {
      const parsed = parseStructure(values[0] as string);
      if (typeof parsed === 'string') {
        inv.err(`\nError parsing parameter '--${name}': ${parsed}\n`);
        return EXIT_USAGE;
      }
      structures[name] = parsed;
    } else {
      for (const value of values) {
        const parsed = parseStructure(value);
        const filterName = typeof parsed === 'string' ? undefined : (parsed.Name as string | undefined);
        if (typeof parsed === 'string' || filterName === undefined) {
          inv.err(`\nError parsing parameter '--${name}': Expected: 'Name=…,Values=…', received: '${value}'\n`);
          return EXIT_USAGE;
        }
        const raw = parsed.Values;
        filters.push({
          name: filterName,
          values: Array.isArray(raw) ? raw.map(String) : raw === undefined ? [] : [String(raw)],
        });
      }
    }
  }
  if (unknown.length) return usageError(inv, `Unknown options: ${unknown.join(', ')}`);
  const missing = Object.entries(operation.params)
    .filter(
      ([name, spec]) =>
        spec.required && strings[name] === undefined && lists[name] === undefined && structures[name] === undefined,
    )
    .map(([name]) => `--${name}`);
  if (missing.length) return usageError(inv, `aws: error: the following arguments are required: ${missing.join(', ')}`);

  const region = globals.region ?? inv.env.AWS_DEFAULT_REGION ?? inv.env.AWS_REGION;
  if (!region) {
    inv.err('You must specify a region. You can also configure your region by running "aws configure".\n');
    return EXIT_CONFIG;
  }
  const input: OperationInput = { strings, lists, booleans, structures, filters, region };
  // The simulated account lives in one region; elsewhere it is empty, as a fresh region is. IAM is
  // global; `aws eks` asks the answer layer about that region itself (no cluster there).
  if (region !== inv.ctx.domains.cluster.region && serviceName !== 'iam' && serviceName !== 'eks') {
    const named = input.strings['stack-name'];
    if (operation.api === 'DescribeStacks' && named !== undefined) {
      inv.err(
        `\nAn error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id ${named} does not exist\n`,
      );
      return EXIT_SERVICE_ERROR;
    }
    // Deleting what a region does not hold is no error for CloudFormation, and a waiter for a
    // stack's deletion is done at once there.
    if (operation.api === 'DeleteStack' || operationName.startsWith('wait ')) return 0;
    return print(inv, globals, emptyIn(operation.api), operation.api);
  }
  const outcome = operation.run(input, inv);
  if (!outcome.ok) {
    if (outcome.code === 'WaiterError') {
      inv.err(`\n${outcome.message}\n`);
      return EXIT_GENERAL;
    }
    inv.err(`\nAn error occurred (${outcome.code}) when calling the ${operation.api} operation: ${outcome.message}\n`);
    return EXIT_SERVICE_ERROR;
  }
  return print(inv, globals, outcome.data, operation.api);
};

function safeJsonList(text: string): string[] {
  try {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value.map(String) : [text];
  } catch {
    return [text];
  }
}

/** What a list/describe call returns in a region with nothing in it. */
function emptyIn(api: string): unknown {
  const empty: Record<string, unknown> = {
    ListClusters: { clusters: [] },
    DescribeSecurityGroups: { SecurityGroups: [] },
    DescribeSubnets: { Subnets: [] },
    DescribeVpcs: { Vpcs: [] },
    DescribeStacks: { Stacks: [] },
    ListStacks: { StackSummaries: [] },
    DescribeInstances: { Reservations: [] },
    DescribeNetworkInterfaces: { NetworkInterfaces: [] },
  };
  return empty[api] ?? {};
}

function print(inv: ToolInvocation, globals: Globals, data: unknown, api: string): number {
  let result = data;
  if (globals.query !== undefined) {
    try {
      result = jmespath.search(data as Parameters<typeof jmespath.search>[0], globals.query);
    } catch (error) {
      inv.err(`\nBad value for --query ${globals.query}: ${(error as Error).message}\n\n`);
      return 255;
    }
  }
  if (result === undefined || (result === null && globals.query === undefined)) return 0;
  if (globals.output === 'table') {
    inv.out(formatTable(api, result));
    return 0;
  }
  if (globals.output === 'text') {
    const text = formatText(result);
    if (text) inv.out(`${text}\n`);
    return 0;
  }
  inv.out(`${JSON.stringify(result, null, 4)}\n`);
  return 0;
}
