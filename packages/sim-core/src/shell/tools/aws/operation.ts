import type { Command } from '../../../engine/command-spec';
import type { ToolInvocation } from '../../tool';

/** How a parameter is written on the command line (AWS CLI v2 conventions). */
export type ParamKind = 'string' | 'integer' | 'boolean' | 'list' | 'structure' | 'filters';

export interface ParamSpec {
  readonly kind: ParamKind;
  readonly required?: boolean;
}

/** A parsed structure parameter: shorthand `a=1,b=x,y` or JSON. */
export type Structure = Record<string, string | string[] | boolean | number | unknown>;

export interface Filter {
  readonly name: string;
  readonly values: readonly string[];
}

export interface OperationInput {
  readonly strings: Readonly<Record<string, string>>;
  readonly lists: Readonly<Record<string, readonly string[]>>;
  readonly booleans: Readonly<Record<string, boolean>>;
  readonly structures: Readonly<Record<string, Structure>>;
  readonly filters: readonly Filter[];
  readonly region: string;
}

/** An operation's outcome: the API's response document, or an AWS error code and message. */
export type AwsOutcome =
  | { readonly ok: true; readonly data: unknown }
  | { readonly ok: false; readonly code: string; readonly message: string };

export const success = (data: unknown): AwsOutcome => ({ ok: true, data });
export const failure = (code: string, message: string): AwsOutcome => ({ ok: false, code, message });

export interface Operation {
  /** The API operation's name, as the error line names it (`DescribeCluster`). */
  readonly api: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  run(input: OperationInput, inv: ToolInvocation): AwsOutcome;
}

export type Service = Readonly<Record<string, Operation>>;

/** Splits shorthand at top-level commas (not inside `[...]`, `{...}` or quotes). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = null;
      else current += c;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') {
      depth++;
      current += c;
    } else if (c === ']' || c === '}') {
      depth--;
      current += c;
    } else if (c === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/**
 * AWS CLI shorthand: `endpointPublicAccess=false,endpointPrivateAccess=true` or
 * `Name=group-name,Values=a,b` (a bare item after `k=v` extends k's list), or a JSON object.
 */
export function parseStructure(text: string): Structure | string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value = JSON.parse(trimmed) as unknown;
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Structure;
    } catch {
      return `Invalid JSON: ${trimmed}`;
    }
  }
  const result: Record<string, string | string[]> = {};
  let lastKey: string | undefined;
  for (const part of splitTopLevel(trimmed)) {
    const eq = part.indexOf('=');
    if (eq > 0 && /^[A-Za-z][A-Za-z0-9:_.-]*$/.test(part.slice(0, eq))) {
      lastKey = part.slice(0, eq);
      let value = part.slice(eq + 1);
      if (value.startsWith('[') && value.endsWith(']')) {
        result[lastKey] = splitTopLevel(value.slice(1, -1)).filter((v) => v !== '');
        continue;
      }
      value = value.replace(/^"(.*)"$/, '$1');
      result[lastKey] = value;
    } else if (lastKey !== undefined) {
      const previous = result[lastKey];
      result[lastKey] = [...(Array.isArray(previous) ? previous : [previous as string]), part];
    } else {
      return `Error parsing parameter: Expected: '=', received: 'EOF' for input:\n${text}`;
    }
  }
  return result;
}

/** An EC2 filter value as a pattern: `*` any run of characters, `?` one (EC2 API reference, "Filtering"). */
export const wildcard = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

export const asList = (value: unknown): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)];

export const asBoolean = (value: unknown): boolean | undefined => {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  return undefined;
};

/** AWS CLI v2 prints timestamps in ISO 8601 with microseconds and an offset (UTC here). */
export const awsTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');

/**
 * Applies a command through the simulation's dispatcher as the shell's (fields left undefined
 * are absent, as in JSON); a field of the wrong kind is what AWS calls a bad parameter.
 */
export function applyAsShell(
  inv: ToolInvocation,
  type: string,
  fields: Record<string, unknown>,
): { ok: true; data?: unknown } | { ok: false; code: string; error: string } {
  const command = Object.fromEntries(
    Object.entries({ type, ...fields }).filter(([, value]) => value !== undefined),
  ) as unknown as Command;
  const result = inv.ctx.apply(command, 'shell');
  if (result.ok) return { ok: true, data: result.data };
  return {
    ok: false,
    code: result.code === 'InvalidField' ? 'InvalidParameterException' : result.code,
    error: result.error,
  };
}
