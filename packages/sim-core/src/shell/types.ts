export interface ExecOptions {
  /** Vantage host: `bastion` (default, myeks-host), `laptop`, or a node's name. */
  readonly from?: string;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved in the order a terminal shows them. */
  readonly output: string;
  /** Simulated ms the command took (the clock advanced by this much). */
  readonly tookMs: number;
  /**
   * Set when the line logged in somewhere (`ssh ec2-user@192.168.1.39`): a terminal runs the
   * next lines `from` that vantage, shows its prompt, and on `exit` prints `logout` and
   * `Connection to <address> closed.` and returns to where it was.
   */
  readonly login?: { readonly from: string; readonly address: string };
}
