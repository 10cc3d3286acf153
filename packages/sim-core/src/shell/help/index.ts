import { awsHelp } from './aws';
import { eksctlHelp } from './eksctl';
import { kubectlHelp } from './kubectl';
import { curlHelp, digHelp, filterHelp, sshHelp } from './tools';
import type { HelpAnswer } from './types';

export { AWS_CLI_VERSION_LINE, awsCommandNames } from './aws';
export { eksctlUsage, eksctlWords } from './eksctl';
export { KUBECTL_COMMANDS, KUBECTL_CONFIG_COMMANDS } from './kubectl';
export type { HelpAnswer } from './types';

/** Each tool's way of asking for help or its version. */
const CONVENTIONS: Readonly<Record<string, (args: readonly string[]) => HelpAnswer | undefined>> = {
  aws: awsHelp,
  kubectl: kubectlHelp,
  eksctl: eksctlHelp,
  curl: curlHelp,
  dig: digHelp,
  ssh: sshHelp,
};

/**
 * The one place the shell's help lives. The shell asks it before running any command: when the
 * line asks for help (`--help`, `-h`, `help` as each tool takes it) or the version
 * (`aws --version`, `curl -V`…), the answer is printed and the tool does not run; otherwise
 * undefined, and the tool runs. Tools therefore never parse `--help` themselves.
 */
export function helpRequest(command: string, args: readonly string[]): HelpAnswer | undefined {
  const convention = CONVENTIONS[command];
  return convention ? convention(args) : filterHelp(command, args);
}
