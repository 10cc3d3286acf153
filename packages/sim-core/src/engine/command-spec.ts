/**
 * Commands are defined once, as data: a type name, a sentence for the docs, and the fields
 * with their kinds. The same spec validates input (naming the field that is wrong), types the
 * handler, and gives the server a JSON schema (`commandJsonSchema`).
 */

import { checkInputBounds, INPUT_LIMITS, type InputLimits } from '../input/bounds';
import type { Command } from '../input/command';

/** `tags` is a string-to-string map as AWS resources carry them. */
export type FieldKind = 'number' | 'integer' | 'string' | 'boolean' | 'string[]' | 'tags' | 'object';

export interface FieldSpec {
  readonly kind: FieldKind;
  readonly required?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Allowed values of a string field. */
  readonly oneOf?: readonly string[];
  /** Longest string (of a `string` field, each item of a `string[]`); default `MAX_STRING_CHARS`. */
  readonly maxLength?: number;
  /** Most items of a `string[]` or entries of `tags`; default `MAX_LIST_ITEMS` (`TAG_LIMITS.count` for tags). */
  readonly maxItems?: number;
  readonly doc?: string;
}

/** Every string field is bounded, so no command can carry an unbounded value into the model and its log. */
export const MAX_STRING_CHARS = 1024;
export const MAX_LIST_ITEMS = 100;

/**
 * EKS's tag limits: at most 50 tags per resource, keys of 1-128 characters, values of at most
 * 256 (https://docs.aws.amazon.com/eks/latest/userguide/eks-using-tags.html#tag-restrictions).
 */
export const TAG_LIMITS = { count: 50, keyChars: 128, valueChars: 256 } as const;

/** Bounds on a free-form `object` field (an eksctl ClusterConfig is the largest one). */
export const OBJECT_FIELD_LIMITS: InputLimits = {
  ...INPUT_LIMITS,
  maxDepth: 16,
  maxStringChars: 4096,
  maxEntries: 1000,
  maxNodes: 10_000,
};

export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

export type { Command } from '../input/command';

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
  /**
   * EKS's rules on the command's values (both endpoint accesses off, bad CIDRs, unknown
   * subnets): checked after the fields, before `handle`, by the one dispatcher, so every
   * surface refuses with the same error. Undefined when the command passes.
   */
  readonly check?: (command: Command) => CommandError | undefined;
  /** Called only with a command whose fields passed `validateCommand` and `check`. Must not throw. */
  readonly handle: (command: Command) => CommandResult;
}

const maxLengthOf = (spec: FieldSpec): number => spec.maxLength ?? MAX_STRING_CHARS;
const maxItemsOf = (spec: FieldSpec): number =>
  spec.maxItems ?? (spec.kind === 'tags' ? TAG_LIMITS.count : MAX_LIST_ITEMS);

function describeKind(spec: FieldSpec): string {
  if (spec.oneOf) return `one of ${spec.oneOf.map((v) => `"${v}"`).join(', ')}`;
  switch (spec.kind) {
    case 'string':
      return `a string of at most ${maxLengthOf(spec)} characters`;
    case 'string[]':
      return `a list of at most ${maxItemsOf(spec)} strings of at most ${maxLengthOf(spec)} characters`;
    case 'tags':
      return `a map of at most ${maxItemsOf(spec)} tags (keys of 1-${TAG_LIMITS.keyChars} characters, string values of at most ${TAG_LIMITS.valueChars})`;
    default: {
      const bounds: string[] = [];
      if (spec.min !== undefined) bounds.push(`≥ ${spec.min}`);
      if (spec.max !== undefined) bounds.push(`≤ ${spec.max}`);
      const kind = `${spec.kind === 'integer' || spec.kind === 'object' ? 'an' : 'a'} ${spec.kind}`;
      return bounds.length ? `${kind} ${bounds.join(' and ')}` : kind;
    }
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A short, bounded rendering of a bad value for an error message. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (isRecord(value)) return 'an object';
  return String(value);
}

/** What is wrong with one field's value ("" when only its kind is wrong), or undefined when it is fine. */
function fieldProblem(spec: FieldSpec, value: unknown): string | undefined {
  switch (spec.kind) {
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return '';
      if (spec.kind === 'integer' && !Number.isInteger(value)) return '';
      if (spec.min !== undefined && value < spec.min) return '';
      if (spec.max !== undefined && value > spec.max) return '';
      return undefined;
    }
    case 'string':
      if (typeof value !== 'string' || (spec.oneOf && !spec.oneOf.includes(value))) return '';
      return value.length > maxLengthOf(spec) ? `is ${value.length} characters long` : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : '';
    case 'string[]': {
      if (!Array.isArray(value)) return '';
      if (value.length > maxItemsOf(spec)) return `has ${value.length} items`;
      const bad = value.findIndex((v) => typeof v !== 'string' || v.length > maxLengthOf(spec));
      return bad < 0 ? undefined : `item ${bad} is ${shown(value[bad])}`;
    }
    case 'tags': {
      if (!isRecord(value)) return '';
      const entries = Object.entries(value);
      if (entries.length > maxItemsOf(spec)) return `has ${entries.length} tags`;
      for (const [key, tag] of entries) {
        if (key.length < 1 || key.length > TAG_LIMITS.keyChars) return `has a key of ${key.length} characters`;
        if (typeof tag !== 'string') return `tag ${shown(key)} has a value that is ${shown(tag)}, not a string`;
        if (tag.length > TAG_LIMITS.valueChars) return `tag ${shown(key)} has a value of ${tag.length} characters`;
      }
      return undefined;
    }
    case 'object': {
      if (!isRecord(value)) return '';
      const tooBig = checkInputBounds(value, OBJECT_FIELD_LIMITS);
      return tooBig ? `is too large: ${tooBig.message}` : undefined;
    }
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
    const problem = fieldProblem(field, value);
    if (problem !== undefined) {
      issues.push({
        field: name,
        problem: `${spec.type}: field "${name}" must be ${describeKind(field)} (${problem || `got ${shown(value)}`})`,
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
        ? { type: 'array', maxItems: maxItemsOf(field), items: { type: 'string', maxLength: maxLengthOf(field) } }
        : field.kind === 'tags'
          ? {
              type: 'object',
              maxProperties: maxItemsOf(field),
              propertyNames: { minLength: 1, maxLength: TAG_LIMITS.keyChars },
              additionalProperties: { type: 'string', maxLength: TAG_LIMITS.valueChars },
            }
          : { type: field.kind === 'integer' ? 'integer' : field.kind };
    if (field.kind === 'string' && !field.oneOf) base.maxLength = maxLengthOf(field);
    if (field.min !== undefined) base.minimum = field.min;
    if (field.max !== undefined) base.maximum = field.max;
    if (field.oneOf) base.enum = [...field.oneOf];
    if (field.doc) base.description = field.doc;
    properties[name] = base;
    if (field.required) required.push(name);
  }
  return { type: 'object', description: spec.doc, properties, required, additionalProperties: false };
}
