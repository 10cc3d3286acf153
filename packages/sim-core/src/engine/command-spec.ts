/**
 * Commands are defined once, as data: a type name, a sentence for the docs, and the fields
 * with their kinds. The same spec validates input (naming the field that is wrong), types the
 * handler, and gives the server a JSON schema (`commandJsonSchema`).
 */

export type FieldKind = 'number' | 'integer' | 'string' | 'boolean' | 'string[]' | 'object';

export interface FieldSpec {
  readonly kind: FieldKind;
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Allowed values of a string field. */
  readonly oneOf?: readonly string[];
  readonly doc?: string;
}

export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

/** A command as it travels: JSON with a `type`. */
export interface Command {
  readonly type: string;
  readonly [field: string]: unknown;
}

export interface CommandOk {
  readonly ok: true;
  /** Human-readable text of what happened (the CLI and the shell print it). */
  readonly output?: string;
  /** Structured result (an update id, a reachability verdict, …). */
  readonly data?: unknown;
}

export interface CommandError {
  readonly ok: false;
  /** A stable code: `UnknownCommand`, `InvalidField`, `InvalidParameterException`, … */
  readonly code: string;
  /** What was wrong, where, and what to do. */
  readonly error: string;
}

export type CommandResult = CommandOk | CommandError;

export const ok = (output?: string, data?: unknown): CommandOk => ({ ok: true, output, data });
export const fail = (code: string, error: string): CommandError => ({ ok: false, code, error });

export interface CommandSpec {
  readonly type: string;
  readonly doc: string;
  readonly fields: FieldSpecs;
  /** Called only with a command whose fields passed `validateCommand`. Must not throw. */
  readonly handle: (command: Command) => CommandResult;
}

function describeKind(spec: FieldSpec): string {
  if (spec.oneOf) return `one of ${spec.oneOf.map((v) => `"${v}"`).join(', ')}`;
  const bounds: string[] = [];
  if (spec.min !== undefined) bounds.push(`≥ ${spec.min}`);
  if (spec.max !== undefined) bounds.push(`≤ ${spec.max}`);
  const article = spec.kind === 'integer' || spec.kind === 'object' ? 'an' : 'a';
  const kind = spec.kind === 'string[]' ? 'a list of strings' : `${article} ${spec.kind}`;
  return bounds.length ? `${kind} ${bounds.join(' and ')}` : kind;
}

function fieldOk(spec: FieldSpec, value: unknown): boolean {
  switch (spec.kind) {
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return false;
      if (spec.kind === 'integer' && !Number.isInteger(value)) return false;
      if (spec.min !== undefined && value < spec.min) return false;
      if (spec.max !== undefined && value > spec.max) return false;
      return true;
    }
    case 'string':
      return typeof value === 'string' && (!spec.oneOf || spec.oneOf.includes(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/** One wrong field of a command: which, what was wrong, and what would be accepted. */
export interface FieldIssue {
  readonly field: string;
  readonly problem: string;
  readonly accepted: string;
}

/** Every wrong field of a command (unknown, missing or of the wrong kind), in the spec's order. */
export function commandFieldIssues(spec: CommandSpec, command: Command): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const known = Object.keys(spec.fields);
  for (const key of Object.keys(command)) {
    if (key === 'type' || key in spec.fields) continue;
    issues.push({
      field: key,
      problem: `${spec.type}: unknown field "${key}"`,
      accepted: known.length ? `known fields: ${known.join(', ')}` : 'it takes no fields',
    });
  }
  for (const [name, field] of Object.entries(spec.fields)) {
    const value = command[name];
    if (value === undefined) {
      if (field.required) {
        issues.push({
          field: name,
          problem: `${spec.type}: field "${name}" is required`,
          accepted: describeKind(field),
        });
      }
      continue;
    }
    if (!fieldOk(field, value)) {
      issues.push({
        field: name,
        problem: `${spec.type}: field "${name}" must be ${describeKind(field)} (got ${JSON.stringify(value)})`,
        accepted: describeKind(field),
      });
    }
  }
  return issues;
}

/** Checks a command's fields against its spec; the error names the first wrong field. */
export function validateCommand(spec: CommandSpec, command: Command): CommandError | undefined {
  const first = commandFieldIssues(spec, command)[0];
  if (!first) return undefined;
  const isUnknown = !(first.field in spec.fields);
  if (isUnknown) return fail('InvalidField', `${first.problem} (${first.accepted})`);
  const required = command[first.field] === undefined;
  return fail('InvalidField', required ? `${first.problem} (${first.accepted})` : first.problem);
}

/** JSON schema of one command, for REST and WebSocket validation and the docs. */
export function commandJsonSchema(spec: CommandSpec): Record<string, unknown> {
  const properties: Record<string, unknown> = { type: { const: spec.type } };
  const required = ['type'];
  for (const [name, field] of Object.entries(spec.fields)) {
    const base: Record<string, unknown> =
      field.kind === 'string[]'
        ? { type: 'array', items: { type: 'string' } }
        : { type: field.kind === 'integer' ? 'integer' : field.kind };
    if (field.min !== undefined) base.minimum = field.min;
    if (field.max !== undefined) base.maximum = field.max;
    if (field.oneOf) base.enum = [...field.oneOf];
    if (field.doc) base.description = field.doc;
    properties[name] = base;
    if (field.required) required.push(name);
  }
  return { type: 'object', description: spec.doc, properties, required, additionalProperties: false };
}
