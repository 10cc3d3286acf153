/**
 * Generates docs/scenario.schema.json from the TypeScript types (`ScenarioFile` in
 * packages/sim-core/src/input/scenario.ts, by ts-json-schema-generator) and the command specs
 * (each command's own JSON schema), so the published schema cannot drift from either:
 * scenario-schema.test.ts regenerates it and fails on any difference.
 *
 * Write it anew with `pnpm schema` (then `pnpm lint` formats it as biome lays JSON out).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CommandSpec, commandJsonSchema, createSimulation } from '@eks-sim/sim-core';
import { createGenerator } from 'ts-json-schema-generator';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SCHEMA_FILE = `${ROOT}docs/scenario.schema.json`;
export const SCENARIOS_DOC = `${ROOT}docs/scenarios.md`;
const COMMANDS_START =
  '<!-- commands: generated from the command specs by `npx -y pnpm@12.21.0 schema`; do not edit -->';
const COMMANDS_END = '<!-- end of commands -->';

type JsonObject = Record<string, unknown>;

export function generateScenarioSchema(): JsonObject {
  const generated = createGenerator({
    path: `${ROOT}packages/sim-core/src/input/scenario.ts`,
    tsconfig: `${ROOT}packages/sim-core/tsconfig.json`,
    type: 'ScenarioFile',
    additionalProperties: false,
    skipTypeCheck: true,
    topRef: false,
    sortProps: false,
  }).createSchema('ScenarioFile') as JsonObject;
  const definitions = (generated.definitions ?? {}) as Record<string, JsonObject>;

  // `Command` is `{ type, ...fields }` in TypeScript; in the schema each command is its own branch.
  const specs = [...createSimulation().commands].sort((a, b) => a.type.localeCompare(b.type));
  for (const spec of specs) definitions[`command:${spec.type}`] = commandJsonSchema(spec);
  definitions.Command = {
    type: 'object',
    description: 'A command of the simulation: `type` names it; the other fields are its own (docs/scenarios.md).',
    required: ['type'],
    properties: { type: { type: 'string', enum: specs.map((s) => s.type) } },
    oneOf: specs.map((s) => ({ $ref: `#/definitions/command:${s.type}` })),
  };

  // What TypeScript cannot say: a file that extends nothing must give the fields a run needs.
  const { $schema, ...rest } = generated;
  return {
    $schema,
    title: 'eks-sim scenario',
    ...rest,
    if: { not: { required: ['extends'] } },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a promise
    then: {
      required: ['name', 'start', 'region', 'cluster'],
      properties: { cluster: { required: ['name', 'version'] } },
    },
    definitions,
  };
}

const commandSpecs = (): CommandSpec[] => [...createSimulation().commands].sort((a, b) => a.type.localeCompare(b.type));

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The timeline's commands as docs/scenarios.md lists them: each spec's sentence and fields. */
export function commandsSection(): string {
  const parts = commandSpecs().map((spec) => {
    const rows = Object.entries(spec.fields).map(([name, field]) => {
      const kind = field.oneOf ? field.oneOf.map((v) => `\`${v}\``).join(', ') : field.kind;
      const bounds = [field.min !== undefined ? `≥ ${field.min}` : '', field.max !== undefined ? `≤ ${field.max}` : '']
        .filter(Boolean)
        .join(', ');
      return `| \`${name}\` | ${cell(kind)}${bounds ? ` (${bounds})` : ''} | ${field.required ? 'yes' : ''} | ${cell(field.doc ?? '')} |`;
    });
    const table = rows.length
      ? `\n\n| field | kind | required | meaning |\n|---|---|---|---|\n${rows.join('\n')}`
      : '\n\nNo fields.';
    return `### \`${spec.type}\`\n\n${spec.doc}${table}`;
  });
  return `${COMMANDS_START}\n\n${parts.join('\n\n')}\n\n${COMMANDS_END}`;
}

/** The section as it stands in docs/scenarios.md (between its markers). */
export function commandsSectionInDoc(): string | undefined {
  const doc = readFileSync(SCENARIOS_DOC, 'utf8');
  const start = doc.indexOf(COMMANDS_START);
  const end = doc.indexOf(COMMANDS_END);
  return start < 0 || end < 0 ? undefined : doc.slice(start, end + COMMANDS_END.length);
}

if (process.argv.includes('--write')) {
  writeFileSync(SCHEMA_FILE, `${JSON.stringify(generateScenarioSchema(), null, 2)}\n`);
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
  const current = commandsSectionInDoc();
  if (current !== undefined) {
    writeFileSync(SCENARIOS_DOC, readFileSync(SCENARIOS_DOC, 'utf8').replace(current, commandsSection()));
    process.stdout.write(`wrote the commands of ${SCENARIOS_DOC}\n`);
  }
}
