import type { Scenario } from '../input/scenario';
import type { VantageHost } from '../network/types';
import type { ShellContext } from './ports';
import { findHost, hostNames, networkView } from './world';

/** A session as a save keeps it. */
export interface SavedVantage {
  readonly name: string;
  readonly kind: 'bastion' | 'laptop' | 'node';
  readonly user: string;
  readonly hostname: string;
  readonly home: string;
  readonly host: VantageHost | null;
  readonly lastStatus: number;
  readonly vars: readonly [string, { value: string; exported: boolean }][];
  readonly files: readonly [string, string][];
  readonly knownHosts: readonly string[];
}

/**
 * One vantage host's shell session: who you are there, its variables (the seed's `export`s on
 * the bastion, docs/lessons/seed-week1.md), its files, and `$?`.
 */
export class Vantage {
  lastStatus = 0;
  private readonly vars = new Map<string, { value: string; exported: boolean }>();
  private readonly files = new Map<string, string>();
  private readonly knownHosts = new Set<string>();

  constructor(
    /** The name `--from` uses: `bastion`, `laptop`, or a node's name. */
    readonly name: string,
    readonly kind: 'bastion' | 'laptop' | 'node',
    readonly user: string,
    readonly hostname: string,
    readonly home: string,
    env: Record<string, string>,
    readonly host: VantageHost | undefined,
  ) {
    for (const [key, value] of Object.entries(env)) this.vars.set(key, { value, exported: true });
  }

  save(): SavedVantage {
    return {
      name: this.name,
      kind: this.kind,
      user: this.user,
      hostname: this.hostname,
      home: this.home,
      host: this.host ?? null,
      lastStatus: this.lastStatus,
      vars: [...this.vars].map(([key, v]) => [key, { ...v }]),
      files: [...this.files],
      knownHosts: [...this.knownHosts],
    };
  }

  static restore(saved: SavedVantage): Vantage {
    const v = new Vantage(saved.name, saved.kind, saved.user, saved.hostname, saved.home, {}, saved.host ?? undefined);
    v.lastStatus = saved.lastStatus;
    for (const [key, value] of saved.vars) v.vars.set(key, { ...value });
    for (const [path, text] of saved.files) v.files.set(path, text);
    for (const host of saved.knownHosts) v.knownHosts.add(host);
    return v;
  }

  /** bash's PS1 on each kind of host: Amazon Linux's `[user@host ~]# ` (the seed's prompt), Ubuntu's on the laptop. */
  prompt(): string {
    if (this.kind === 'laptop') return `${this.user}@${this.hostname}:~$ `;
    const short = this.hostname.split('.')[0];
    return `[${this.user}@${short} ~]${this.user === 'root' ? '#' : '$'} `;
  }

  lookup(name: string): string | undefined {
    if (name === '?') return String(this.lastStatus);
    if (name === '$') return '4242';
    if (name === '#') return '0';
    if (name === '0') return 'bash';
    return this.vars.get(name)?.value;
  }

  set(name: string, value: string, exported: boolean): void {
    const previous = this.vars.get(name);
    this.vars.set(name, { value, exported: exported || (previous?.exported ?? false) });
  }

  markExported(name: string): void {
    const previous = this.vars.get(name);
    if (previous) previous.exported = true;
    else this.vars.set(name, { value: '', exported: true });
  }

  unset(name: string): void {
    this.vars.delete(name);
  }

  /**
   * Exports the variables for one command (`NAME=value cmd`); the returned function puts back
   * what was there before.
   */
  setTemporarily(assignments: readonly (readonly [string, string])[]): () => void {
    const before = assignments.map(([name]) => [name, this.vars.get(name)] as const);
    for (const [name, value] of assignments) this.vars.set(name, { value, exported: true });
    return () => {
      for (const [name, previous] of before.reverse()) {
        if (previous) this.vars.set(name, previous);
        else this.vars.delete(name);
      }
    };
  }

  /** The exported variables: what a tool sees as its environment. */
  environment(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [key, { value, exported }] of this.vars) if (exported) env[key] = value;
    return env;
  }

  private path(path: string): string {
    if (path.startsWith('/')) return path;
    if (path.startsWith('~/')) return `${this.home}/${path.slice(2)}`;
    return `${this.home}/${path.replace(/^\.\//, '')}`;
  }

  readFile(path: string): string | undefined {
    return this.files.get(this.path(path));
  }

  writeFile(path: string, text: string): void {
    this.files.set(this.path(path), text);
  }

  /** ssh's ~/.ssh/known_hosts. */
  knowsHost(host: string): boolean {
    return this.knownHosts.has(host);
  }

  addKnownHost(host: string): void {
    this.knownHosts.add(host);
  }

  fileNames(): string[] {
    return [...this.files.keys()].sort();
  }
}

/** The names `--from` accepts. */
export function vantageNames(ctx: ShellContext): string[] {
  const names = hostNames(ctx);
  for (const fixed of ['bastion', 'laptop']) if (!names.includes(fixed)) names.unshift(fixed);
  return [...new Set(names)];
}

function clusterName(ctx: ShellContext, scenario: Scenario | undefined): string {
  return ctx.domains.cluster.cluster?.name ?? scenario?.cluster.name ?? 'myeks';
}

/**
 * The session of a vantage host, with its starting environment. On the bastion that is what
 * the seed's author exported before creating the cluster (docs/lessons/seed-week1.md): the region, the
 * cluster name, and the lab VPC's and subnets' real ids.
 */
export function resolveVantage(ctx: ShellContext, from: string, scenario: Scenario | undefined): Vantage | undefined {
  const host = findHost(ctx, from);
  const kind = host?.kind ?? (from === 'bastion' || from === 'laptop' ? from : undefined);
  if (!kind) return undefined;
  const region = ctx.domains.cluster.region;
  const name = clusterName(ctx, scenario);
  const base = { AWS_DEFAULT_REGION: region, SHELL: '/bin/bash', LANG: 'C.UTF-8' };
  if (kind === 'bastion') {
    const view = networkView(ctx);
    const subnets = view?.subnets ?? [];
    const publicSubnets = subnets.filter((s) => s.kind === 'public');
    const privateSubnets = subnets.filter((s) => s.kind === 'private');
    const hostname = host?.label ?? `${name}-host`;
    const env: Record<string, string> = {
      ...base,
      HOME: '/root',
      USER: 'root',
      HOSTNAME: hostname,
      PATH: '/usr/local/bin:/usr/bin:/usr/local/sbin:/usr/sbin:/root/bin',
      CLUSTER_NAME: name,
    };
    if (view) env.VPCID = view.vpcId;
    publicSubnets.slice(0, 2).forEach((s, i) => {
      env[`PubSubnet${i + 1}`] = s.id;
    });
    privateSubnets.slice(0, 2).forEach((s, i) => {
      env[`PrivateSubnet${i + 1}`] = s.id;
    });
    return new Vantage(host?.name ?? 'bastion', 'bastion', 'root', hostname, '/root', env, host);
  }
  if (kind === 'laptop') {
    const env = {
      ...base,
      HOME: '/home/learner',
      USER: 'learner',
      CLUSTER_NAME: name,
      PATH: '/usr/local/bin:/usr/bin:/bin',
    };
    return new Vantage(host?.name ?? 'laptop', 'laptop', 'learner', 'laptop', '/home/learner', env, host);
  }
  const hostname = host?.label ?? from;
  const env = {
    ...base,
    HOME: '/home/ec2-user',
    USER: 'ec2-user',
    HOSTNAME: hostname,
    PATH: '/usr/local/bin:/usr/bin',
  };
  return new Vantage(host?.name ?? from, 'node', 'ec2-user', hostname, '/home/ec2-user', env, host);
}
