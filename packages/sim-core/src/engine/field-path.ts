/** `['timeline', 0, 'command', 'az']` → `timeline[0].command.az`: a field named as people write it. */
export function fieldPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}
