/**
 * Durations as people write them: `90s`, `15m`, `24h`, `7d`, `2w`, `1h30m`, or plain
 * milliseconds, up to `MAX_DURATION_MS`. Returns undefined for anything else so callers can
 * name the bad input.
 */
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Longest duration anything accepts: 10 years of 365 days (no lesson needs more; larger ones stall the clock). */
export const MAX_DURATION_MS = 10 * 365 * 86_400_000;
export const MAX_DURATION_TEXT = '10 years';

export function parseDuration(text: string): number | undefined {
  const ms = parseUnboundedDuration(text);
  return ms !== undefined && ms <= MAX_DURATION_MS ? ms : undefined;
}

function parseUnboundedDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
    consumed = part.lastIndex;
  }
  if (consumed === 0 || consumed !== trimmed.length) return undefined;
  return Math.round(total);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  let rest = Math.round(ms / 1000) * 1000;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out || '0s';
}

/** `2024-03-10` or a full ISO timestamp → epoch ms (UTC); undefined if not a real date. */
export function parseDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Date.parse(m[4] ? (m[7] ? text.trim() : `${text.trim()}Z`) : `${text.trim()}T00:00:00Z`);
  if (Number.isNaN(ms)) return undefined;
  // Reject dates JavaScript silently rolls over (2025-02-30 → March 2).
  const d = new Date(ms);
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() + 1 !== Number(m[2]) || d.getUTCDate() !== Number(m[3])) {
    return m[7] ? ms : undefined;
  }
  return ms;
}

export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const isoTime = (ms: number): string => new Date(ms).toISOString();
