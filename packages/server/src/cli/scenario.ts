import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkScenarioText,
  formatIssue,
  type ParseScenarioOptions,
  type Scenario,
  type ScenarioIssue,
  scenarios,
} from '@eks-sim/sim-core';
import { Document, isMap, isScalar, type YAMLMap } from 'yaml';
import { parseFlags } from './args';
import { UsageError } from './usage-error';

const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const SCHEMA_FILE = resolve(REPO_ROOT, 'docs/scenario.schema.json');

const HELP = `usage: eks-sim scenario <command> [flags]

Tools for writing scenarios (the format: docs/scenarios.md).
  list                                 the built-in scenarios
  show NAME                            print a built-in scenario as YAML, commented
  new NAME [--from BUILT-IN] [--out FILE] [--force]
                                       write NAME.yaml (or FILE): a commented starting file,
                                       a small one, or a copy of a built-in with --from
  validate FILE... [--json]            check files completely; print every error as
                                       file:line:column: field: what is wrong (accepted: …);
                                       exit 2 if any file is not valid
`;

/** `eks-sim scenario`: list, show, new, validate. A thin shell over sim-core's parseScenario. */
export async function scenarioCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action === undefined || action === '--help' || action === '-h' || action === 'help') {
    process.stdout.write(HELP);
    return action === undefined ? 2 : 0;
  }
  switch (action) {
    case 'list':
      return list(rest);
    case 'show':
      return show(rest);
    case 'new':
      return create(rest);
    case 'validate':
      return validate(rest);
    default:
      throw new UsageError(`scenario: unknown command "${action}" (known: list, show, new, validate)`);
  }
}

/** Reads the files that `extends:` names, relative to the file that names them. */
export function scenarioFileReader(): NonNullable<ParseScenarioOptions['readFile']> {
  return (path, from) => {
    const absolute = resolve(dirname(resolve(from)), path);
    try {
      if (!statSync(absolute).isFile()) return undefined;
      return { file: relative(process.cwd(), absolute) || absolute, text: readFileSync(absolute, 'utf8') };
    } catch {
      return undefined;
    }
  };
}

/** Checks a scenario file; `file` is also how messages name it. */
export function checkScenarioFile(file: string): ReturnType<typeof checkScenarioText> {
  return checkScenarioText(readFileSync(file, 'utf8'), { file, readFile: scenarioFileReader() });
}

function list(argv: string[]): number {
  const { values } = parseFlags('scenario list', argv, { json: { type: 'boolean' } });
  const rows = Object.values(scenarios).map((s) => ({ name: s.name, title: s.title }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return 0;
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const row of rows) process.stdout.write(`${row.name.padEnd(width)}  ${row.title}\n`);
  return 0;
}

function builtIn(name: string | undefined, flag: string): Scenario {
  if (name === undefined)
    throw new UsageError(`scenario ${flag}: name a built-in scenario (${Object.keys(scenarios).join(', ')})`);
  const found = scenarios[name];
  if (!found) {
    throw new UsageError(
      `scenario ${flag}: no built-in scenario "${name}" (known: ${Object.keys(scenarios).join(', ')})`,
    );
  }
  return found;
}

function show(argv: string[]): number {
  const { positionals } = parseFlags('scenario show', argv, {}, true);
  if (positionals.length > 1) throw new UsageError('scenario show: one name only');
  const scenario = builtIn(positionals[0], 'show');
  process.stdout.write(toYaml(scenario, process.cwd()));
  return 0;
}

function create(argv: string[]): number {
  const { values, positionals } = parseFlags(
    'scenario new',
    argv,
    { from: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } },
    true,
  );
  const [name] = positionals;
  if (name === undefined || positionals.length > 1) throw new UsageError('scenario new: give one NAME, e.g. my-class');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new UsageError(
      `scenario new: "${name}" is not a scenario name (lower-case letters, digits and -, e.g. my-class)`,
    );
  }
  const out = values.out ?? `${name}.yaml`;
  if (existsSync(out) && !values.force) throw new UsageError(`scenario new: ${out} exists (use --force to replace it)`);
  const base = values.from === undefined ? starter(name) : { ...builtIn(values.from, 'new --from'), name };
  writeFileSync(out, toYaml(base, dirname(resolve(out))));
  process.stdout.write(
    `wrote ${out}\nnext: eks-sim scenario validate ${out}\n      eks-sim run --scenario ${out}\n      (or load it in the page: "Load scenario…")\n`,
  );
  return 0;
}

function validate(argv: string[]): number {
  const { values, positionals } = parseFlags('scenario validate', argv, { json: { type: 'boolean' } }, true);
  if (positionals.length === 0) throw new UsageError('scenario validate: name at least one FILE');
  const results: { file: string; ok: boolean; issues: readonly ScenarioIssue[] }[] = [];
  for (const file of positionals) {
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch {
      isFile = false;
    }
    if (!isFile) throw new UsageError(`scenario validate: ${file} is not a readable file`);
    const result = checkScenarioFile(file);
    results.push({ file, ok: result.ok, issues: result.ok ? [] : result.issues });
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(results)}\n`);
  } else {
    for (const result of results) {
      if (result.ok) {
        process.stdout.write(`${result.file}: valid\n`);
        continue;
      }
      const count = result.issues.length === 1 ? '1 error' : `${result.issues.length} errors`;
      process.stderr.write(`${result.file}: ${count}\n${result.issues.map(formatIssue).join('\n')}\n`);
    }
  }
  return results.every((r) => r.ok) ? 0 : 2;
}

/** The smallest useful scenario: the lab's cluster, a calm load, and one fault to watch. */
function starter(name: string): Scenario {
  return {
    name,
    title: 'My class: the lab cluster, and an AZ of the control plane failing at minute 12',
    summary: 'Edit me: what the class will see.',
    start: '2024-03-10T09:00:00Z',
    region: 'ap-northeast-2',
    seed: 1,
    duration: '2h',
    cluster: {
      name: 'myeks',
      version: '1.28',
      nodeGroups: [{ name: 'myeks-nodegroup', instanceType: 't3.medium', desiredCapacity: 2, subnets: 'public' }],
    },
    load: { profile: 'flat', kubectlRps: 0.5, controllersRps: 15 },
    timeline: [
      { at: '12m', command: { type: 'fault.az', az: 'apne2-az1' } },
      { at: '42m', command: { type: 'recover.az', az: 'apne2-az1' } },
    ],
  };
}

type SchemaNode = { description?: string; properties?: Record<string, SchemaNode>; $ref?: string };

/** The scenario as YAML, each field commented with its description from the published schema. */
function toYaml(scenario: Scenario, fromDir: string): string {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as SchemaNode & {
    definitions: Record<string, SchemaNode>;
  };
  const resolveRef = (node: SchemaNode | undefined): SchemaNode | undefined =>
    node?.$ref ? schema.definitions[node.$ref.replace('#/definitions/', '')] : node;
  const doc = new Document(scenario);
  const annotate = (map: unknown, node: SchemaNode | undefined) => {
    if (!isMap(map) || !node?.properties) return;
    for (const pair of (map as YAMLMap).items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const field = key ? node.properties[key] : undefined;
      if (field?.description && isScalar(pair.key))
        pair.key.commentBefore = ` ${field.description.replace(/\n/g, ' ')}`;
      annotate(pair.value, resolveRef(field));
    }
  };
  annotate(doc.contents, schema);
  const schemaPath = relative(fromDir, SCHEMA_FILE).split('\\').join('/');
  return `# yaml-language-server: $schema=${schemaPath}\n# The format: docs/scenarios.md. Check it with: eks-sim scenario validate FILE\n\n${doc.toString({ lineWidth: 100 })}`;
}
