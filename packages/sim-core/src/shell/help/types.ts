/** What a help or version request prints, and its exit status (the tool does not run). */
export interface HelpAnswer {
  readonly stdout?: string;
  readonly stderr?: string;
  readonly status: number;
}
