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
}
