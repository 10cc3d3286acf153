import { unixDate } from '../format';
import type { Tool } from '../tool';
import { clusterByHost } from './api-server';

/** The lab host's resolver: AmazonProvidedDNS at the VPC base + 2 (192.168.0.2 in the lab VPC). */
const VPC_RESOLVER = '192.168.0.2';
/** Route 53 answers for the endpoint name carry a 60 s TTL (AWS EKS User Guide, cluster-endpoint.html). */
const ENDPOINT_TTL = 60;

/**
 * `dig NAME [A] [+short]`: the endpoint name's A records as the vantage's resolver answers them
 * (docs/lessons/seed-week1.md: two addresses in the lab, one per NLB node whose AZ has a healthy API server;
 * private ENI addresses inside the VPC with private access on). Other names get NXDOMAIN: the
 * simulated world has no other DNS.
 */
export const digTool: Tool = ({ args, from, ctx, out, err }) => {
  let short = false;
  let name: string | undefined;
  for (const arg of args) {
    if (arg === '+short') short = true;
    else if (arg.startsWith('+')) {
      // dig's other query options (+noall, +answer, …) change only the layout; accept them.
    } else if (arg === 'A' || arg === 'IN') {
    } else if (arg.startsWith('-')) {
      err(`Invalid option: ${arg}\nUsage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n`);
      return 1;
    } else if (arg.startsWith('@')) {
    } else if (name === undefined) name = arg.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  }
  if (name === undefined) {
    // dig with no name asks for the root servers; nothing a lab needs.
    err(';; no name given: try dig <cluster endpoint name> [+short]\n');
    return 1;
  }
  const cluster = clusterByHost(ctx, name);
  const answer = cluster ? ctx.domains.endpoint.dnsAnswer(from) : undefined;
  const addresses = answer?.addresses ?? [];
  if (short) {
    for (const a of addresses) out(`${a}\n`);
    return 0;
  }
  const fqdn = name.endsWith('.') ? name : `${name}.`;
  const when = unixDate(ctx.clock.now());
  const status = answer ? 'NOERROR' : 'NXDOMAIN';
  const id = ((ctx.clock.now() / 1000) % 65536) | 0;
  const lines = [
    '',
    `; <<>> DiG 9.11.4-P2-RedHat-9.11.4-26.P2.amzn2.13 <<>> ${name}`,
    ';; global options: +cmd',
    ';; Got answer:',
    `;; ->>HEADER<<- opcode: QUERY, status: ${status}, id: ${id}`,
    `;; flags: qr rd ra; QUERY: 1, ANSWER: ${addresses.length}, AUTHORITY: ${answer ? 0 : 1}, ADDITIONAL: 1`,
    '',
    ';; OPT PSEUDOSECTION:',
    '; EDNS: version: 0, flags:; udp: 4096',
    ';; QUESTION SECTION:',
    `;${fqdn}\t\tIN\tA`,
    '',
  ];
  if (addresses.length) {
    lines.push(';; ANSWER SECTION:');
    for (const a of addresses) lines.push(`${fqdn} ${ENDPOINT_TTL}\tIN\tA\t${a}`);
    lines.push('');
  }
  const server = from === 'laptop' ? '127.0.0.53#53(127.0.0.53)' : `${VPC_RESOLVER}#53(${VPC_RESOLVER})`;
  lines.push(
    ';; Query time: 2 msec',
    `;; SERVER: ${server}`,
    `;; WHEN: ${when}`,
    `;; MSG SIZE  rcvd: ${60 + 16 * addresses.length}`,
    '',
  );
  out(`${lines.join('\n')}\n`);
  return 0;
};
