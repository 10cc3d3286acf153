/**
 * `--output text` as the AWS CLI writes it: scalars of one object on one tab-separated line
 * (keys in order), a list of scalars on one line, nested lists of objects as their own lines
 * prefixed with the upper-cased key. Enough for `--query … --output text` in scripts.
 */
export function formatText(value: unknown): string {
  const lines: string[] = [];
  walk(value, undefined, lines);
  return lines.join('\n');
}

const isScalar = (v: unknown) => v === null || typeof v !== 'object';
const show = (v: unknown) => (v === null ? 'None' : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

function walk(value: unknown, key: string | undefined, lines: string[]): void {
  if (isScalar(value)) {
    lines.push(show(value));
    return;
  }
  if (Array.isArray(value)) {
    if (value.every(isScalar)) {
      lines.push([...(key ? [key.toUpperCase()] : []), ...value.map(show)].join('\t'));
      return;
    }
    for (const item of value) walk(item, key, lines);
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const scalars = entries.filter(([, v]) => isScalar(v));
  if (scalars.length) lines.push([...(key ? [key.toUpperCase()] : []), ...scalars.map(([, v]) => show(v))].join('\t'));
  for (const [k, v] of entries) if (!isScalar(v)) walk(v, k, lines);
}
