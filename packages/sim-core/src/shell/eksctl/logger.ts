/**
 * eksctl's log lines: `2024-03-10 09:00:01 [ℹ]  message` — a timestamp in the host's time
 * (UTC on the lab's EC2), an icon per level, two spaces. `--verbose` (default 3) hides
 * info below 3 and shows debug (`[▶]`) from 4 (eksctl `--verbose` help text).
 */
import type { ToolInvocation } from '../tool';

const ICONS = { debug: '▶', info: 'ℹ', success: '✔', warning: '!', error: '✖' } as const;
export type LogLevel = keyof typeof ICONS;

const LEVEL_MIN_VERBOSITY: Record<LogLevel, number> = { error: 1, warning: 2, success: 3, info: 3, debug: 4 };

export function eksctlTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export interface EksctlLogger {
  log(level: LogLevel, message: string): void;
  info(message: string): void;
  success(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

export function createLogger(invocation: ToolInvocation, verbosity: number): EksctlLogger {
  const log = (level: LogLevel, message: string) => {
    if (verbosity < LEVEL_MIN_VERBOSITY[level]) return;
    invocation.out(`${eksctlTimestamp(invocation.ctx.clock.now())} [${ICONS[level]}]  ${message}\n`);
  };
  return {
    log,
    info: (m) => log('info', m),
    success: (m) => log('success', m),
    warning: (m) => log('warning', m),
    error: (m) => log('error', m),
    debug: (m) => log('debug', m),
  };
}
