import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage-error';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Strict flag parsing for one subcommand: an unknown flag, a missing value or a stray
 * argument becomes a UsageError that names it.
 */
export function parseFlags<O extends Options>(command: string, argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (error) {
    // node:util's messages run over several lines; the CLI promises one line on stderr.
    const raw = (error as Error).message;
    const ambiguous = /^Option '(--[\w-]+)[^']*' argument is ambiguous/.exec(raw);
    const message = ambiguous
      ? `${ambiguous[1]} needs a value; for a value that starts with "-", write ${ambiguous[1]}=<value>`
      : (raw.split('\n')[0] as string).replace(/\. To specify a positional argument.*$/, '');
    throw new UsageError(`${command}: ${message}`);
  }
}
