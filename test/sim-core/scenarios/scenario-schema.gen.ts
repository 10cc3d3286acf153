/**
 * Generates docs/scenario.schema.json from the TypeScript types (`ScenarioFile` in
 * packages/sim-core/src/scenarios/types.ts, by ts-json-schema-generator) and the command specs
 * (each command's own JSON schema), so the published schema cannot drift from either:
 * scenario-schema.test.ts regenerates it and fails on any difference.
 *
 * Write it anew with `pnpm schema` (then `pnpm lint` formats it as biome lays JSON out).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { commandJsonSchema, createSimulation } from '@eks-sim/sim-core';
import { createGenerator } from 'ts-json-schema-generator';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SCHEMA_FILE = `${ROOT}docs/scenario.schema.json`;

type JsonObject = Record<string, unknown>;

export function generateScenarioSchema(): JsonObject {
  const generated = createGenerator({
    path: `${ROOT}packages/sim-core/src/scenarios/types.ts`,
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

if (process.argv.includes('--write')) {
  writeFileSync(SCHEMA_FILE, `${JSON.stringify(generateScenarioSchema(), null, 2)}\n`);
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
