import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Domains } from '../simulation';
import type { ExecOptions, ExecResult } from './types';

export interface ShellSnapshotPart {
  readonly shell: Record<string, unknown>;
}

/** The simulated shell (DESIGN §4). Placeholder until the shell issue lands. */
export class ShellDomain implements Domain<ShellSnapshotPart> {
  readonly commands: readonly CommandSpec[] = [];
  constructor(private readonly ctx: SimContext<Domains>) {}

  exec(line: string, _opts: ExecOptions = {}): ExecResult {
    void this.ctx;
    const tool = line.trim().split(/\s+/)[0] ?? '';
    return { exitCode: 127, stdout: '', stderr: `bash: ${tool}: command not found\n`, tookMs: 0 };
  }

  snapshot(): ShellSnapshotPart {
    return { shell: {} };
  }
}
