import type { ShellContext } from './ports';

/** What a simulated tool (eksctl, aws, kubectl, dig, curl, …) gets to run one invocation. */
export interface ToolInvocation {
  /** Arguments after the tool name, already tokenized and expanded. */
  readonly args: readonly string[];
  /** Vantage host name: `bastion`, `laptop`, or a node name. */
  readonly from: string;
  /** The vantage's environment (after `export`s). */
  readonly env: Readonly<Record<string, string>>;
  readonly ctx: ShellContext;
  /** Appends to stdout as the tool runs (progress lines of long commands). */
  out(text: string): void;
  err(text: string): void;
  /** Lets simulated time pass while the tool blocks (cluster creation, updates). */
  wait(ms: number): void;
  /**
   * The vantage's files (a small in-memory filesystem per vantage): what a heredoc
   * `cat > cluster.yaml <<EOF … EOF` wrote, for `eksctl create cluster -f cluster.yaml`.
   * Relative paths are taken from the vantage's home directory (`/root` on the bastion).
   * Undefined when there is no such file.
   */
  readFile?(path: string): string | undefined;
  writeFile?(path: string, text: string): void;
  /** The text given on standard input (`tool <<EOF … EOF`), or undefined. */
  readonly stdin?: string;
}

/**
 * A tool returns its exit status; output goes through `out`/`err`. Help and version requests
 * (`--help`, `-h`, `help`, `aws --version`) never reach a tool: the shell answers them from the
 * help module (`help/index.ts`), where every tool's help text lives.
 */
export type Tool = (invocation: ToolInvocation) => number;
