import type { ShellContext } from './ports';
import type { Vantage } from './vantage';

/** What a shell builtin or coreutils stand-in gets to run one invocation. */
export interface BuiltinInvocation {
  readonly args: readonly string[];
  readonly vantage: Vantage;
  readonly stdin: string | undefined;
  readonly ctx: ShellContext;
  out(text: string): void;
  err(text: string): void;
  commandNames(): string[];
}

/** A shell builtin or a small coreutils stand-in; returns the exit status. */
export type Builtin = (b: BuiltinInvocation) => number;
