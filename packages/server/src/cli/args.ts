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
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/, '');
    throw new UsageError(`${command}: ${message}`);
  }
}
