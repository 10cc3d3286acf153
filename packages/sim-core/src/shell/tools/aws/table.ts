/**
 * `--output table` in the AWS CLI's layout: a titled box per object; scalar fields as
 * `key | value` rows (or as columns when a list holds objects of scalars), query results that
 * are lists of lists as plain rows, nested objects and lists as boxes inside the box, each
 * level adding a `|` on both sides.
 */
export function formatTable(title: string, value: unknown): string {
  // Measure first, then draw every nested box at the width of its parent.
  const width = box(title, value, 0)[0]?.length ?? 0;
  return `${box(title, value, width).join('\n')}\n`;
}

const isScalar = (v: unknown) => v === null || typeof v !== 'object';
const show = (v: unknown) => (v === null ? 'None' : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

/** Rows of cells laid out in columns of a common width, framed to `width`. */
function grid(rows: string[][], minWidth: number, header = false): { lines: string[]; width: number } {
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)) + 4);
  let width = widths.reduce((a, b) => a + b, 0) + columns + 1;
  if (width < minWidth) {
    const last = widths.length - 1;
    widths[last] = (widths[last] ?? 0) + (minWidth - width);
    width = minWidth;
  }
  const separator = `+${widths.map((w) => '-'.repeat(w)).join('+')}+`;
  const lines = [separator];
  rows.forEach((row, r) => {
    if (header && r === 0) {
      lines.push(`|${widths.map((w, c) => centre(row[c] ?? '', w)).join('|')}|`, separator);
      return;
    }
    lines.push(`|${widths.map((w, c) => `  ${(row[c] ?? '').padEnd(w - 2)}`).join('|')}|`);
  });
  lines.push(separator);
  return { lines, width };
}

function box(title: string, raw: unknown, minWidth: number): string[] {
  const children: [string, unknown][] = [];
  let rows: string[][] | undefined;
  let header = false;
  // A projection of projections (`Reservations[*].Instances[*].{…}`) is one list, as the CLI shows it.
  const value =
    Array.isArray(raw) &&
    raw.length > 0 &&
    raw.every((v) => Array.isArray(v)) &&
    !raw.every((v) => (v as unknown[]).every(isScalar))
      ? raw.flat()
      : raw;
  if (isScalar(value)) rows = [[show(value)]];
  else if (Array.isArray(value)) {
    if (value.every((v) => isScalar(v) || (Array.isArray(v) && v.every(isScalar)))) {
      rows = value.map((v) => (Array.isArray(v) ? v.map(show) : [show(v)]));
    } else if (value.every((v) => !isScalar(v) && !Array.isArray(v) && Object.values(v as object).every(isScalar))) {
      // The CLI sorts the columns of a list of objects by name and centres the header.
      const keys = [...new Set(value.flatMap((v) => Object.keys(v as object)))].sort();
      header = true;
      const cell = (v: unknown, k: string) => {
        const field = (v as Record<string, unknown>)[k];
        return field === undefined ? '' : show(field);
      };
      rows = [keys, ...value.map((v) => keys.map((k) => cell(v, k)))];
    } else {
      for (const item of value) children.push([title, item]);
    }
  } else {
    const entries = Object.entries(value as Record<string, unknown>);
    const scalars = entries.filter(([, v]) => isScalar(v));
    if (scalars.length) rows = scalars.map(([k, v]) => [k, show(v)]);
    for (const [k, v] of entries) if (!isScalar(v) && !(Array.isArray(v) && v.length === 0)) children.push([k, v]);
  }
  if (rows && rows.length === 0) rows = undefined;
  const natural = Math.max(
    rows ? grid(rows, 0, header).width : 0,
    title.length + 4,
    ...children.map(([t, v]) => (box(t, v, 0)[0]?.length ?? 0) + 2),
  );
  const width = Math.max(natural, minWidth);
  const out = ['-'.repeat(width), `|${centre(title, width - 2)}|`];
  out.push(...(rows ? grid(rows, width, header).lines : [`+${'-'.repeat(width - 2)}+`]));
  for (const [t, v] of children) for (const line of box(t, v, width - 2)) out.push(`|${line}|`);
  return out;
}

function centre(text: string, width: number): string {
  const left = Math.floor((width - text.length) / 2);
  return `${' '.repeat(Math.max(0, left))}${text}`.padEnd(width);
}
