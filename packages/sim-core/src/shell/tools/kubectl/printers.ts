import { stringify as toYaml } from 'yaml';
import type { ColumnDefinition, KubeObject, ResourceType } from '../../../answers/index';

/**
 * kubectl's printers over what the API server answers: the server-side Table as columns
 * (k8s.io/cli-runtime's table printer: upper-case headers, columns padded by three spaces as
 * its tabwriter does), `-o json|yaml|name`, and `-o jsonpath=`.
 */

interface TableLike {
  readonly columnDefinitions: readonly ColumnDefinition[];
  readonly rows: readonly {
    readonly cells: readonly unknown[];
    readonly object: { metadata: { namespace?: string } };
  }[];
}

/** Columns padded as kubectl's tabwriter does (three spaces between columns). */
export function alignColumns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) => `${r.map((cell, c) => (c < r.length - 1 ? cell.padEnd((widths[c] ?? 0) + 3) : cell)).join('')}\n`)
    .join('');
}

const cellText = (cell: unknown): string => (cell === null || cell === undefined ? '<none>' : String(cell));

/** A Table as `kubectl get` prints it: priority-0 columns, all with `-o wide`, NAMESPACE first with `-A`. */
export function printTable(
  table: TableLike,
  opts: { wide: boolean; withNamespace: boolean; noHeaders: boolean },
): string {
  const shown = table.columnDefinitions.map((c, i) => [c, i] as const).filter(([c]) => opts.wide || c.priority === 0);
  const header = [...(opts.withNamespace ? ['NAMESPACE'] : []), ...shown.map(([c]) => c.name.toUpperCase())];
  const rows = table.rows.map((row) => [
    ...(opts.withNamespace ? [row.object.metadata.namespace ?? ''] : []),
    ...shown.map(([, i]) => cellText(row.cells[i])),
  ]);
  return alignColumns(opts.noHeaders ? rows : [header, ...rows]);
}

/** `pod/coredns-…`, `deployment.apps/coredns`: kind in lower case, with the group for a named group. */
export const objectName = (r: ResourceType, o: KubeObject): string =>
  `${r.kind.toLowerCase()}${r.group ? `.${r.group}` : ''}/${o.metadata.name}`;

/** Go's encoding/json sorts map keys, and kubectl prints unstructured objects through it. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as object)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** `-o json`: four-space indentation, sorted keys. */
export const printJson = (value: unknown): string => `${JSON.stringify(sortKeys(value), null, 4)}\n`;

/**
 * `-o yaml` (sigs.k8s.io/yaml over go-yaml): sorted keys, sequences at their key's indentation,
 * and YAML 1.1's quoting, so a time or a "true" stays a string (`creationTimestamp: "2024-…"`).
 */
export const printYaml = (value: unknown): string =>
  toYaml(sortKeys(value), { version: '1.1', indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });

/** Several objects as kubectl prints them for `-o json|yaml`: a `List`. */
export const asList = (items: readonly KubeObject[]) => ({
  apiVersion: 'v1',
  items,
  kind: 'List',
  metadata: { resourceVersion: '' },
});

/**
 * kubectl's JSONPath templates (Kubernetes docs, "JSONPath Support"): `{.a.b}`, `{.items[*].x}`,
 * `{.items[0].x}`, `{range .items[*]}…{end}`, quoted literals `{"\n"}` and plain text. Written
 * here because the JavaScript JSONPath libraries implement the JSONPath query language, not
 * kubectl's templates (range/end, text between expressions, space-joined results).
 */
export function jsonPath(template: string, data: unknown): string | { error: string } {
  const tokens: { kind: 'text' | 'expr'; value: string }[] = [];
  let rest = template;
  while (rest.length) {
    const open = rest.indexOf('{');
    if (open < 0) {
      tokens.push({ kind: 'text', value: rest });
      break;
    }
    if (open > 0) tokens.push({ kind: 'text', value: rest.slice(0, open) });
    const close = rest.indexOf('}', open);
    if (close < 0) return { error: `error parsing jsonpath ${template}, unclosed action` };
    tokens.push({ kind: 'expr', value: rest.slice(open + 1, close).trim() });
    rest = rest.slice(close + 1);
  }
  const run = (
    from: number,
    context: unknown,
    stopAtEnd: boolean,
  ): { out: string; next: number } | { error: string } => {
    let out = '';
    for (let i = from; i < tokens.length; i++) {
      const t = tokens[i] as { kind: 'text' | 'expr'; value: string };
      if (t.kind === 'text') {
        out += t.value;
        continue;
      }
      if (t.value === 'end') {
        if (stopAtEnd) return { out, next: i };
        return { error: `error parsing jsonpath ${template}, not in range, nothing to end` };
      }
      if (t.value.startsWith('range ')) {
        const items = evaluate(t.value.slice('range '.length).trim(), context);
        if ('error' in items) return items;
        let body: { out: string; next: number } | { error: string } = { out: '', next: i };
        let end = -1;
        for (const item of items.values) {
          body = run(i + 1, item, true);
          if ('error' in body) return body;
          out += body.out;
          end = body.next;
        }
        if (end < 0) {
          // An empty range still has to find its end.
          const skip = run(i + 1, {}, true);
          if ('error' in skip) return skip;
          end = skip.next;
        }
        i = end;
        continue;
      }
      if (/^".*"$/.test(t.value)) {
        out += JSON.parse(t.value) as string;
        continue;
      }
      const result = evaluate(t.value, context);
      if ('error' in result) return result;
      out += result.values.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))).join(' ');
    }
    return { out, next: tokens.length };
  };
  const result = run(0, data, false);
  return 'error' in result ? result : result.out;
}

/** The values a path (`.items[*].metadata.name`, `.spec.replicas`) selects from `context`. */
function evaluate(expr: string, context: unknown): { values: unknown[] } | { error: string } {
  let values: unknown[] = [context];
  const path = expr.replace(/^\$/, '');
  const steps = path.match(/\.[^.[\]]+|\[[^\]]*\]|\.\.|\./g) ?? [];
  if (steps.join('') !== path) return { error: `error parsing jsonpath {${expr}}, unrecognized character` };
  for (const step of steps) {
    if (step === '.') continue;
    const next: unknown[] = [];
    for (const v of values) {
      if (v === null || typeof v !== 'object') continue;
      if (step.startsWith('[')) {
        const inner = step.slice(1, -1);
        if (!Array.isArray(v)) continue;
        if (inner === '*') next.push(...v);
        else if (/^-?\d+$/.test(inner)) {
          const at = Number(inner);
          const item = v[at < 0 ? v.length + at : at];
          if (item !== undefined) next.push(item);
        } else return { error: `error parsing jsonpath {${expr}}, unsupported filter ${step}` };
      } else {
        const key = step.slice(1);
        if (key === '*') next.push(...(Array.isArray(v) ? v : Object.values(v)));
        else if (Array.isArray(v))
          next.push(...v.map((x) => (x as Record<string, unknown>)?.[key]).filter((x) => x !== undefined));
        else if (key in v) next.push((v as Record<string, unknown>)[key]);
      }
    }
    values = next;
  }
  return { values };
}
