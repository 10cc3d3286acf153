import type { CommandSpec } from '../engine/command-spec';
import type { Domain, SimContext } from '../engine/domain';
import type { Scenario } from '../input/scenario';
import { ArithmeticError } from './arith';
import type { Builtin } from './builtin';
import { BUILTINS } from './builtins';
import { completions } from './complete';
import { eksctlKubeconfig } from './eksctl/kubeconfig';
import { type ExpandContext, ExpansionError, expandAssignmentValue, expandHeredoc, expandWords } from './expand';
import { helpRequest } from './help/index';
import { type Command, type ForLoop, parseScript, type Script, type SimpleCommand, type Word } from './parse';
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
  /** An expansion failed: bash abandons the rest of the line (as an interactive shell does). */
  readonly abandon?: boolean;
}

/**
 * The simulated shell (docs/shell.md, ): bash's grammar for what a lab types, one
 * session per vantage host (its variables and files persist between lines), and the tools
 * (`aws`, `eksctl`, `kubectl`, `dig`, `curl`) that read and change the world. A tool that
 * blocks lets simulated time pass, so `exec` may advance the clock; a line that fails to
 * parse changes nothing.
 */
/** `NAME=value…` as a word: the name, and the rest of the word as the value (its parts unexpanded). */
function splitAssignment(word: Word): { name: string; value: Word } | undefined {
  const head = word[0];
  if (head?.kind !== 'text' || head.quoted) return undefined;
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(head.text);
  if (!m) return undefined;
  const rest = head.text.slice(m[0].length);
  return {
    name: m[1] as string,
    value: [...(rest ? [{ ...head, text: rest }] : []), ...word.slice(1)],
  };
}

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
    const { status, chunks } = this.runScript(parsed.script, vantage, undefined);
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
    this.kubeconfigOfPrebuiltCluster(vantage);
    return vantage;
  }

  /**
   * A scenario whose cluster is built at the start had it built by eksctl on the bastion
   * (docs/lessons/seed-week1.md), which wrote the kubeconfig there: the bastion starts with it.
   */
  private kubeconfigOfPrebuiltCluster(vantage: Vantage): void {
    const cluster = this.ctx.domains.cluster.cluster;
    const scenario = this.scenario;
    if (vantage.kind !== 'bastion' || !scenario || scenario.cluster.existsAtStart === false) return;
    if (!cluster || cluster.name !== scenario.cluster.name) return;
    vantage.writeFile(`${vantage.home}/.kube/config`, eksctlKubeconfig(cluster, this.ctx.domains.cluster.region));
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
      assign: (name, value) => vantage.set(name, value, false),
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

  /** A list: each pipeline in turn, `&&` and `||` by the status so far; `$?` after each. */
  private runScript(script: Script, vantage: Vantage, stdin: string | undefined): CommandOutcome {
    const chunks: Chunk[] = [];
    let status = 0;
    for (const [index, { op, pipeline }] of script.entries()) {
      if (index > 0 && ((op === '&&' && status !== 0) || (op === '||' && status === 0))) continue;
      let input = stdin;
      for (const [i, command] of pipeline.entries()) {
        const outcome = this.runCommand(command, vantage, input);
        status = outcome.status;
        if (outcome.abandon) {
          chunks.push(...outcome.chunks);
          vantage.lastStatus = status;
          return { status, chunks, abandon: true };
        }
        if (i < pipeline.length - 1) {
          input = outcome.chunks
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
    return { status, chunks };
  }

  private runCommand(command: Command, vantage: Vantage, pipedStdin: string | undefined): CommandOutcome {
    const chunks: Chunk[] = [];
    const err = (text: string) => {
      if (text) chunks.push({ fd: 2, text });
    };
    let substitutionStatus = 0;
    const expand = this.expandContext(vantage, err, (s) => {
      substitutionStatus = s;
    });
    try {
      const outcome =
        command.kind === 'for'
          ? this.runFor(command, vantage, pipedStdin, expand)
          : this.runSimple(command, vantage, pipedStdin, expand, () => substitutionStatus);
      chunks.push(...outcome.chunks);
      return { ...outcome, chunks: this.redirect(command, vantage, chunks, expand) };
    } catch (error) {
      if (!(error instanceof ExpansionError || error instanceof ArithmeticError)) throw error;
      // bash: a failed expansion prints its error and the command does not run (status 1).
      err(`bash: ${error.message}\n`);
      return { status: 1, chunks, abandon: true };
    }
  }

  /** `for NAME in WORDS; do BODY; done`: the body's status of the last round, 0 with no rounds. */
  private runFor(loop: ForLoop, vantage: Vantage, stdin: string | undefined, expand: ExpandContext): CommandOutcome {
    const chunks: Chunk[] = [];
    let status = 0;
    for (const item of expandWords(loop.items, expand)) {
      vantage.set(loop.name, item, false);
      const round = this.runScript(loop.body, vantage, stdin);
      chunks.push(...round.chunks);
      status = round.status;
      if (round.abandon) return { status, chunks, abandon: true };
    }
    return { status, chunks };
  }

  private runSimple(
    command: SimpleCommand,
    vantage: Vantage,
    pipedStdin: string | undefined,
    expand: ExpandContext,
    substitutionStatus: () => number,
  ): CommandOutcome {
    const chunks: Chunk[] = [];
    // `NAME=value` words before the command name: bash expands their values without splitting.
    const assignments: [string, string][] = [];
    let first = 0;
    for (; first < command.words.length; first++) {
      const split = splitAssignment(command.words[first] as Word);
      if (!split) break;
      assignments.push([split.name, expandAssignmentValue(split.value, expand)]);
    }
    const words = expandWords(command.words.slice(first), expand);
    let stdin = pipedStdin;
    if (command.heredoc) {
      stdin = command.heredoc.expand ? expandHeredoc(command.heredoc.body, expand) : command.heredoc.body;
    }
    if (words.length === 0) {
      for (const [name, value] of assignments) vantage.set(name, value, false);
      // bash: a line of assignments has the status of its last command substitution.
      return { status: substitutionStatus(), chunks };
    }
    // `NAME=value cmd`: the variables are in cmd's environment only (bash manual, "Environment").
    const restore = vantage.setTemporarily(assignments);
    try {
      return { status: this.runProgram(words as [string, ...string[]], vantage, stdin, chunks), chunks };
    } finally {
      restore();
    }
  }

  /** Runs a builtin, ssh or a tool by name; output goes to `chunks`. */
  private runProgram(
    [name, ...args]: readonly [string, ...string[]],
    vantage: Vantage,
    stdin: string | undefined,
    chunks: Chunk[],
  ): number {
    const out = (text: string) => {
      if (text) chunks.push({ fd: 1, text });
    };
    const err = (text: string) => {
      if (text) chunks.push({ fd: 2, text });
    };
    const help = helpRequest(name, args);
    if (help) {
      out(help.stdout ?? '');
      err(help.stderr ?? '');
      return help.status;
    }
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
    return status;
  }

  /**
   * Applies `>`, `>>`, `2>`, `2>&1`, `&>` to a command's output, left to right as bash does:
   * each one points a descriptor somewhere, so `>/dev/null 2>&1` silences both while
   * `2>&1 >/dev/null` keeps stderr on the terminal.
   */
  private redirect(command: Command, vantage: Vantage, chunks: Chunk[], expand: ExpandContext): Chunk[] {
    if (command.redirects.length === 0) return chunks;
    type Destination = { terminal: 1 | 2 } | { file: string };
    const destination: Record<1 | 2, Destination> = { 1: { terminal: 1 }, 2: { terminal: 2 } };
    const files = new Map<string, string>();
    for (const redirect of command.redirects) {
      if (redirect.op === '>&1') {
        destination[2] = destination[1];
        continue;
      }
      const target = redirect.target ? expandWords([redirect.target], expand).join(' ') : '';
      if (!files.has(target)) files.set(target, redirect.op === '>>' ? (vantage.readFile(target) ?? '') : '');
      const to = { file: target };
      if (redirect.fd === 'both' || redirect.fd === 1) destination[1] = to;
      if (redirect.fd === 'both' || redirect.fd === 2) destination[2] = to;
    }
    const result: Chunk[] = [];
    for (const chunk of chunks) {
      const to = destination[chunk.fd];
      if ('terminal' in to) result.push({ fd: to.terminal, text: chunk.text });
      else files.set(to.file, `${files.get(to.file) ?? ''}${chunk.text}`);
    }
    for (const [path, text] of files) if (path !== '/dev/null') vantage.writeFile(path, text);
    return result;
  }
}
