import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** Hostnames that are this machine, as a browser would name it. */
export function ownHostnames(host: string): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]', host.includes(':') ? `[${host}]` : host]);
  if (host === '0.0.0.0' || host === '::') {
    for (const list of Object.values(networkInterfaces())) {
      for (const addr of list ?? []) names.add(addr.family === 'IPv6' ? `[${addr.address}]` : addr.address);
    }
  }
  return names;
}

/** The host name of a `Host` header (`[::1]:3000` → `[::1]`, `Teacher.local.:80` → `teacher.local`). */
export function hostnameOf(header: string): string {
  const trimmed = header.trim().toLowerCase();
  const name = trimmed.startsWith('[') ? trimmed.slice(0, trimmed.indexOf(']') + 1) : trimmed.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

/** Names a browser resolves to this machine whatever DNS says (RFC 6761 reserves `localhost`). */
function isLoopback(name: string): boolean {
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) ||
    name === '[::1]' ||
    /^\[::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}\]$/.test(name)
  );
}

const isIpLiteral = (name: string): boolean => isIP(name.replace(/^\[(.*)\]$/, '$1')) !== 0;

/**
 * The guard against DNS rebinding: a page on `evil.example` whose name is made to resolve to
 * 127.0.0.1 reaches a loopback server, but its requests still say `Host: evil.example`.
 * Bound to a loopback address, the server answers only loopback names and addresses and the
 * `--allow-host` names; bound to another address (`0.0.0.0` for a class), it answers IP
 * addresses (a rebinding page cannot send one as its Host) and the `--allow-host` names.
 * Returns a function giving the refusal to send, or undefined when the Host is fine.
 */
export function hostGuard(boundHost: string, allowedHosts: readonly string[]) {
  const bound = hostnameOf(boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost);
  const loopbackOnly = isLoopback(bound);
  const allowed = new Set(allowedHosts.map(hostnameOf));
  for (const name of ownHostnames(boundHost)) allowed.add(name);
  return (hostHeader: string | undefined): string | undefined => {
    // Only browsers are fooled by rebinding, and they always send Host.
    if (hostHeader === undefined || hostHeader === '') return undefined;
    const name = hostnameOf(hostHeader);
    if (isLoopback(name) || allowed.has(name)) return undefined;
    if (!loopbackOnly && isIpLiteral(name)) return undefined;
    const answered = loopbackOnly ? 'localhost and loopback addresses' : "this machine's addresses";
    return `this server does not answer for the host name "${name.slice(0, 100)}" (it answers ${answered}${allowedHosts.length > 0 ? ` and ${allowedHosts.join(', ')}` : ''}; a guard against DNS rebinding). If students reach it by that name, start it with --allow-host ${name.slice(0, 100)}`;
  };
}
