/**
 * A scenario file checked against the published JSON Schema (docs/scenario.schema.json, made
 * from the TypeScript types and the command specs), each error turned into an issue that
 * names the field, what was wrong and what would be accepted.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import scenarioSchema from '../../../../docs/scenario.schema.json';
import type { PathIssue } from './issues';

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // verbose: each error carries the schema around it, whose description says what is accepted.
  compiled ??= new Ajv({ allErrors: true, verbose: true, strict: false }).compile(scenarioSchema);
  return compiled;
}

/** `/timeline/0/command` → `['timeline', 0, 'command']`. */
function pathOf(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Commands are checked field by field against their own spec (check.ts), with better words than a oneOf. */
const isInsideCommand = (path: readonly (string | number)[]): boolean =>
  (path[0] === 'timeline' && path[2] === 'command') || (path[0] === 'lesson' && path[3] === 'commands');

type SchemaNode = { description?: string; properties?: Record<string, SchemaNode>; type?: string };

function describe(error: ErrorObject, path: (string | number)[]): (PathIssue & { at: 'key' | 'value' }) | undefined {
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  const got = JSON.stringify(error.data);
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String((error.params as { additionalProperty: string }).additionalProperty);
      const known = Object.keys(parent.properties ?? {});
      return {
        path: [...path, field],
        problem: `unknown field "${field}"`,
        accepted: known.length ? `known fields here: ${known.join(', ')}` : 'no fields here',
        at: 'key',
      };
    }
    case 'required': {
      const field = String((error.params as { missingProperty: string }).missingProperty);
      const why = error.schemaPath.includes('/then/') ? ' (in a file that does not use extends:)' : '';
      const about = parent.properties?.[field]?.description;
      return {
        path,
        problem: `"${field}" is required${why}`,
        accepted: about ? `${field}: ${about}` : `a value for ${field}`,
        at: 'value',
      };
    }
    case 'type':
      return {
        path,
        problem: `must be ${/^[aeiou]/.test(String(error.schema)) ? 'an' : 'a'} ${String(error.schema)} (got ${got})`,
        accepted: parent.description ?? `${String(error.schema)}`,
        at: 'value',
      };
    case 'enum':
      return {
        path,
        problem: `${got} is not allowed here`,
        accepted: `one of ${(error.schema as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        at: 'value',
      };
    case 'pattern':
      return {
        path,
        problem: `${got} is not in the right form`,
        accepted: parent.description ?? `text matching ${String(error.schema)}`,
        at: 'value',
      };
    case 'minimum':
    case 'maximum':
      return {
        path,
        problem: `${got} is ${error.keyword === 'minimum' ? 'too small' : 'too large'}`,
        accepted: `a number ${error.keyword === 'minimum' ? '≥' : '≤'} ${String(error.schema)}`,
        at: 'value',
      };
    case 'if':
      return undefined;
    default:
      return {
        path,
        problem: error.message ?? 'is not valid',
        accepted: parent.description ?? 'see docs/scenarios.md',
        at: 'value',
      };
  }
}

/** Every schema error of one file's data (commands excepted: check.ts reads them against their specs). */
export function schemaIssues(data: unknown): (PathIssue & { at: 'key' | 'value' })[] {
  const validate = validator();
  if (validate(data)) return [];
  const issues: (PathIssue & { at: 'key' | 'value' })[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const path = pathOf(error.instancePath);
    if (isInsideCommand(path)) continue;
    const issue = describe(error, path);
    if (!issue) continue;
    const key = `${issue.path.join('/')}|${issue.problem}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}
