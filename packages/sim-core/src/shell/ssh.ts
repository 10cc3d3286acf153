import { findAllowingRule } from '../network/rules';
import type { VantageHost } from '../network/types';
import type { ShellContext } from './ports';
import { LINUX_CONNECT_TIMEOUT_MS } from './tools/api-server';
import type { Vantage } from './vantage';

/** What `ssh` needs from the shell: run a line on another vantage and let time pass. */
export interface SshContext {
  readonly ctx: ShellContext;
  readonly vantage: Vantage;
  readonly args: readonly string[];
  out(text: string): void;
  err(text: string): void;
  runOn(host: string, line: string): { exitCode: number; stdout: string; stderr: string };
  /** Opens a login session on `host` (reached as `address`): see `ExecResult.login`. */
  enter(host: string, address: string): void;
}

const SSH_PORT = 22;
/** ssh's options that take a value (`-i key`, `-o StrictHostKeyChecking=no`, …). */
const VALUE_OPTIONS = new Set(['-i', '-o', '-p', '-l', '-F', '-J']);

/**
 * `ssh [-i key] [-o opt] [user@]host command…` to a worker node (docs/lessons/seed-week1.md: `--ssh-access`
 * lets the work EC2 in on port 22; docs/endpoint-modes.md: the remoteAccess group opens 22). The path is
 * checked like any other: a route (private addresses only inside the VPC), the client's
 * egress and the node's ingress rules for TCP 22, and the key eksctl installed (the bastion's
 * `~/.ssh/id_rsa.pub`). The command runs on the node's vantage; without one it is a login:
 * the terminal (`eks-sim shell`, the live view) carries on there until `exit`.
 */
export function ssh(s: SshContext): number {
  const { ctx, vantage, err } = s;
  let user: string | undefined;
  let target: string | undefined;
  let port = SSH_PORT;
  const command: string[] = [];
  for (let i = 0; i < s.args.length; i++) {
    const arg = s.args[i] as string;
    if (target !== undefined) {
      command.push(arg);
      continue;
    }
    if (VALUE_OPTIONS.has(arg)) {
      const value = s.args[++i];
      if (value === undefined) {
        err(
          `option requires an argument -- ${arg.slice(1)}\nusage: ssh [-i identity_file] [-o option] [-p port] destination [command]\n`,
        );
        return 255;
      }
      if (arg === '-l') user = value;
      if (arg === '-p') port = Number(value);
      continue;
    }
    if (arg.startsWith('-')) continue;
    const at = arg.lastIndexOf('@');
    if (at >= 0) user = arg.slice(0, at);
    target = at >= 0 ? arg.slice(at + 1) : arg;
  }
  if (target === undefined) {
    err('usage: ssh [-i identity_file] [-o option] [-p port] destination [command]\n');
    return 255;
  }
  const network = ctx.domains.network;
  const node = network
    .hosts()
    .find((h) => h.kind === 'node' && (h.privateIp === target || h.publicIp === target || h.name === target));
  const from = network.host(vantage.name);
  if (!node) {
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(target)) {
      err(`ssh: Could not resolve hostname ${target}: Name or service not known\n`);
      return 255;
    }
    // Nobody answers at that address: the SYNs go unanswered until the kernel gives up.
    ctx.clock.runUntil(ctx.clock.now() + LINUX_CONNECT_TIMEOUT_MS);
    err(`ssh: connect to host ${target} port ${port}: Connection timed out\n`);
    return 255;
  }
  const via = node.publicIp === target ? node.publicIp : node.privateIp;
  const refused = pathRefusal(ctx, from, node, via);
  if (refused || port !== SSH_PORT) {
    ctx.clock.runUntil(ctx.clock.now() + LINUX_CONNECT_TIMEOUT_MS);
    err(`ssh: connect to host ${target} port ${port}: Connection timed out\n`);
    if (refused) err(`eks-sim: ${refused}\n`);
    return 255;
  }
  const login = user ?? (vantage.kind === 'bastion' ? 'root' : vantage.user);
  if (vantage.kind !== 'bastion' || login !== 'ec2-user') {
    err(`${login}@${target}: Permission denied (publickey,gssapi-keyex,gssapi-with-mic).\n`);
    if (vantage.kind !== 'bastion')
      err('eks-sim: eksctl installed the bastion’s ~/.ssh/id_rsa.pub on the nodes; this host has no matching key\n');
    else err('eks-sim: the nodes’ user is ec2-user: ssh ec2-user@' + target + ' …\n');
    return 255;
  }
  if (!vantage.knowsHost(target)) {
    err(`Warning: Permanently added '${target}' (ED25519) to the list of known hosts.\n`);
    vantage.addKnownHost(target);
  }
  if (command.length === 0) {
    // An interactive login: the caller's terminal continues on the node until `exit`.
    s.enter(node.name, target);
    return 0;
  }
  const result = s.runOn(node.name, command.join(' '));
  s.out(result.stdout);
  err(result.stderr);
  return result.exitCode;
}

/** Why TCP 22 from `from` to `node` (at address `via`) would not get through, or undefined. */
function pathRefusal(
  ctx: ShellContext,
  from: VantageHost | undefined,
  node: VantageHost,
  via: string | null,
): string | undefined {
  if (!from || via === null) return 'no address to connect to';
  const network = ctx.domains.network;
  const groups = (ids: readonly string[]) => ids.flatMap((id) => network.group(id) ?? []);
  const insideVpc = from.subnetId !== null;
  if (via === node.privateIp && !insideVpc)
    return `${via} is a private address of the VPC: no route to it from ${from.label}`;
  const sourceIp = via === node.privateIp ? from.privateIp : from.publicIp;
  const egress = findAllowingRule(groups(from.securityGroupIds), 'egress', 'tcp', SSH_PORT, {
    ip: via,
    groupIds: node.securityGroupIds,
  });
  if (insideVpc && !egress) return `${from.label}'s security groups do not allow TCP 22 out to ${via}`;
  const ingress = findAllowingRule(groups(node.securityGroupIds), 'ingress', 'tcp', SSH_PORT, {
    ip: sourceIp,
    groupIds: via === node.privateIp ? from.securityGroupIds : [],
  });
  if (!ingress)
    return `no security group of ${node.label} allows TCP 22 from ${from.label} (${sourceIp ?? 'no address'})`;
  return undefined;
}
