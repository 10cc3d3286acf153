import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Scenario } from '../input/scenario';
import { BUILTINS, type Builtin } from './builtins';
import { completions } from './complete';
import { type ExpandContext, expandHeredoc, expandWords } from './expand';
import { parseScript, type SimpleCommand } from './parse';
import type { ShellContext, ShellPorts } from './ports';
import { ssh } from './ssh';
import type { ToolInvocation } from './tool';
import { TOOLS } from './tools';
import type { ExecOptions, ExecResult } from './types';
import { resolveVantage, type SavedVantage, Vantage, vantageNames } from './vantage';

export interface ShellSnapshotPart {
  readonly shell: {
    /** The newest lines run, oldest first: what a terminal panel can replay. */
    readonly history: readonly { atMs: number; from: string; line: string; exitCode: number }[];
  };
}

type HistoryLine = { atMs: number; from: string; line: string; exitCode: number };

/** The shell's part of a save: each session once, the other names that open it, the history. */
interface SavedShell {
  readonly sessions: readonly SavedVantage[];
  readonly aliases: readonly [string, string][];
  readonly history: readonly HistoryLine[];
}

/** How many lines the snapshot keeps. */
const HISTORY_IN_SNAPSHOT = 20;
/** `$(…)` inside `$(…)` inside … : a bound so a pathological line cannot recurse forever. */
const MAX_SUBSTITUTION_DEPTH = 8;

/** One stream chunk, in the order a terminal would show it. */
interface Chunk {
  readonly fd: 1 | 2;
  readonly text: string;
}

interface CommandOutcome {
  readonly status: number;
  readonly chunks: Chunk[];
}

/**
 * The simulated shell (docs/shell.md, ): bash's grammar for what a lab types, one
 * session per vantage host (its variables and files persist between lines), and the tools
 * (`aws`, `eksctl`, `kubectl`, `dig`, `curl`) that read and change the world. A tool that
 * blocks lets simulated time pass, so `exec` may advance the clock; a line that fails to
 * parse changes nothing.
 */
export class ShellDomain implements Domain<ShellSnapshotPart, SavedShell> {
  readonly commands: readonly CommandSpec[] = [];
  private readonly sessions = new Map<string, Vantage>();
  private readonly history: HistoryLine[] = [];
  private depth = 0;
  /** The login the line being run opened (ssh without a command), if any. */
  private login: { from: string; address: string } | undefined;

  private readonly ctx: ShellContext;

  constructor(
    ctx: SimContext,
    ports: ShellPorts,
    private readonly scenario?: Scenario,
  ) {
    this.ctx = { ...ctx, domains: ports };
  }

  save(): SavedShell {
    const aliases: [string, string][] = [];
    const sessions: SavedVantage[] = [];
    for (const [from, vantage] of this.sessions) {
      if (from === vantage.name) sessions.push(vantage.save());
      else aliases.push([from, vantage.name]);
    }
    return { sessions, aliases, history: this.history };
  }

  restore(saved: SavedShell): void {
    const byName = new Map(saved.sessions.map((s) => [s.name, Vantage.restore(s)]));
    for (const [name, vantage] of byName) this.sessions.set(name, vantage);
    for (const [from, name] of saved.aliases) {
      const vantage = byName.get(name);
      if (vantage) this.sessions.set(from, vantage);
    }
    this.history.push(...saved.history.map((h) => ({ ...h })));
  }

  /** Names `--from` accepts now: `bastion`, `laptop`, and the nodes that exist. */
  vantages(): string[] {
    return vantageNames(this.ctx);
  }

  /** The prompt bash shows on a vantage: `[root@myeks-host ~]# ` on the bastion (the seed's). */
  prompt(from = 'bastion'): string {
    const vantage = this.session(from);
    return vantage ? vantage.prompt() : '$ ';
  }

  /** Tool and builtin names, for tab completion. */
  commandNames(): string[] {
    return [...Object.keys(TOOLS), ...Object.keys(BUILTINS), 'ssh'].sort();
  }

  /** What Tab offers for the last word of `line` on a vantage (tools, `$VARS`, subcommands, options). */
  complete(line: string, from = 'bastion'): string[] {
    const vantage = this.session(from);
    return vantage ? completions(line, vantage, this.commandNames()) : [];
  }

  exec(line: string, opts: ExecOptions = {}): ExecResult {
    const from = opts.from ?? 'bastion';
    const startMs = this.ctx.clock.now();
    const vantage = this.session(from);
    if (!vantage) {
      const known = this.vantages().join(', ');
      const stderr = `eks-sim: unknown vantage "${from}" (known: ${known})\n`;
      return { exitCode: 2, stdout: '', stderr, output: stderr, tookMs: 0 };
    }
    const parsed = parseScript(line);
    if (!parsed.ok) {
      const stderr = `bash: ${parsed.error}\n`;
      vantage.lastStatus = 2;
      return { exitCode: 2, stdout: '', stderr, output: stderr, tookMs: 0 };
    }
    if (parsed.script.length === 0) {
      return { exitCode: vantage.lastStatus, stdout: '', stderr: '', output: '', tookMs: 0 };
    }
    // A `$(…)` runs inside the line that contains it: only the typed line is logged.
    const typed = this.depth === 0;
    if (typed) {
      this.ctx.emit('shell.command', `shell/${vantage.name}`, `${vantage.prompt()}${line.trim()}`, {
        from: vantage.name,
        line,
      });
    }
    const chunks: Chunk[] = [];
    let status = 0;
    for (const [index, { op, pipeline }] of parsed.script.entries()) {
      if (index > 0 && ((op === '&&' && status !== 0) || (op === '||' && status === 0))) continue;
      let stdin: string | undefined;
      for (const [i, command] of pipeline.entries()) {
        const outcome = this.runCommand(command, vantage, stdin);
        status = outcome.status;
        if (i < pipeline.length - 1) {
          stdin = outcome.chunks
            .filter((c) => c.fd === 1)
            .map((c) => c.text)
            .join('');
          chunks.push(...outcome.chunks.filter((c) => c.fd === 2));
        } else {
          chunks.push(...outcome.chunks);
        }
      }
      vantage.lastStatus = status;
    }
    const join = (fd?: 1 | 2) =>
      chunks
        .filter((c) => fd === undefined || c.fd === fd)
        .map((c) => c.text)
        .join('');
    if (typed) {
      this.history.push({ atMs: startMs, from: vantage.name, line, exitCode: status });
      if (this.history.length > HISTORY_IN_SNAPSHOT) this.history.shift();
    }
    const login = typed ? this.login : undefined;
    if (typed) this.login = undefined;
    return {
      exitCode: status,
      stdout: join(1),
      stderr: join(2),
      output: join(),
      tookMs: this.ctx.clock.now() - startMs,
      ...(login ? { login } : {}),
    };
  }

  snapshot(): ShellSnapshotPart {
    return { shell: { history: this.history.map((h) => ({ ...h })) } };
  }

  private session(from: string): Vantage | undefined {
    const existing = this.sessions.get(from);
    if (existing) return existing;
    const vantage = resolveVantage(this.ctx, from, this.scenario);
    if (!vantage) return undefined;
    // `bastion` and `myeks-host` are one machine with one session.
    const same = this.sessions.get(vantage.name);
    if (same) return same;
    this.sessions.set(vantage.name, vantage);
    if (from !== vantage.name) this.sessions.set(from, vantage);
    return vantage;
  }

  /**
   * Expansion for one command. A `$(…)` runs on the same vantage; its stderr goes to the
   * terminal as bash's does, and its status is reported for `X=$(…)` lines.
   */
  private expandContext(
    vantage: Vantage,
    err: (text: string) => void,
    onStatus: (status: number) => void,
  ): ExpandContext {
    return {
      lookup: (name) => vantage.lookup(name),
      substitute: (script) => {
        if (this.depth >= MAX_SUBSTITUTION_DEPTH) {
          err('bash: command substitution nested too deeply\n');
          return '';
        }
        this.depth++;
        try {
          const result = this.exec(script, { from: vantage.name });
          err(result.stderr);
          onStatus(result.exitCode);
          return result.stdout;
        } finally {
          this.depth--;
        }
      },
    };
  }

  private runCommand(command: SimpleCommand, vantage: Vantage, pipedStdin: string | undefined): CommandOutcome {
    const chunks: Chunk[] = [];
    const out = (text: string) => {
      if (text) chunks.push({ fd: 1, text });
    };
    const err = (text: string) => {
      if (text) chunks.push({ fd: 2, text });
    };
    let substitutionStatus = 0;
    const expand = this.expandContext(vantage, err, (s) => {
      substitutionStatus = s;
    });
    const words = expandWords(command.words, expand);
    let stdin = pipedStdin;
    if (command.heredoc) {
      stdin = command.heredoc.expand ? expandHeredoc(command.heredoc.body, expand) : command.heredoc.body;
    }

    // `NAME=value` alone sets a shell variable; `NAME=value cmd` is not needed by any lab.
    const assignments: [string, string][] = [];
    while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] as string)) {
      const word = words.shift() as string;
      const eq = word.indexOf('=');
      assignments.push([word.slice(0, eq), word.slice(eq + 1)]);
    }
    if (words.length === 0) {
      for (const [name, value] of assignments) vantage.set(name, value, false);
      // bash: a line of assignments has the status of its last command substitution.
      return { status: substitutionStatus, chunks };
    }
    const [name, ...args] = words as [string, ...string[]];
    let status: number;
    const builtin: Builtin | undefined = BUILTINS[name];
    const tool = TOOLS[name];
    if (name === 'ssh') {
      status = ssh({
        ctx: this.ctx,
        vantage,
        args,
        out,
        err,
        runOn: (host, line) => this.exec(line, { from: host }),
        enter: (host, address) => {
          this.login = { from: host, address };
        },
      });
    } else if (builtin) {
      status = builtin({ args, vantage, out, err, stdin, ctx: this.ctx, commandNames: () => this.commandNames() });
    } else if (tool) {
      const invocation: ToolInvocation = {
        args,
        from: vantage.name,
        env: vantage.environment(),
        ctx: this.ctx,
        out,
        err,
        wait: (ms) => {
          if (Number.isFinite(ms) && ms > 0) this.ctx.clock.runUntil(this.ctx.clock.now() + ms);
        },
        readFile: (path) => vantage.readFile(path),
        writeFile: (path, text) => vantage.writeFile(path, text),
        stdin,
      };
      try {
        status = tool(invocation);
      } catch (error) {
        // A tool that throws is a bug in the simulator; show it as a failed command, never crash.
        err(`${name}: internal error in the simulator: ${(error as Error).message}\n`);
        status = 70;
      }
    } else {
      err(`bash: ${name}: command not found\n`);
      status = 127;
    }
    return { status, chunks: this.redirect(command, vantage, chunks, expand) };
  }

  /** Applies `>`, `>>`, `2>`, `2>&1`, `&>` to a command's output. */
  private redirect(command: SimpleCommand, vantage: Vantage, chunks: Chunk[], expand: ExpandContext): Chunk[] {
    let result = chunks;
    for (const redirect of command.redirects) {
      if (redirect.op === '>&1') {
        result = result.map((c) => ({ fd: 1, text: c.text }));
        continue;
      }
      const target = redirect.target ? expandWords([redirect.target], expand).join(' ') : '';
      const takes = (c: Chunk) => redirect.fd === 'both' || c.fd === redirect.fd;
      const text = result
        .filter(takes)
        .map((c) => c.text)
        .join('');
      result = result.filter((c) => !takes(c));
      if (target === '/dev/null') continue;
      const before = redirect.op === '>>' ? (vantage.readFile(target) ?? '') : '';
      vantage.writeFile(target, before + text);
    }
    return result;
  }
}
