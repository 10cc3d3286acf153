import { identityOf, kubernetesGet, whyUnreachable } from '../../answers/index';
import type { Tool } from '../tool';
import { clusterByHost, kubeModelOf, LINUX_CONNECT_TIMEOUT_MS } from './api-server';
import { IMDS_ADDRESS, instanceMetadata } from './imds';

const HELP_HINT = "curl: try 'curl --help' or 'curl --manual' for more information\n";

/** Flags that take a value (accepted; only the timeouts change what happens). */
const VALUE_FLAGS = new Set([
  '-H',
  '--header',
  '-X',
  '--request',
  '-o',
  '--output',
  '-m',
  '--max-time',
  '--connect-timeout',
  '-u',
  '--user',
  '-d',
  '--data',
  '--cacert',
]);

/**
 * `curl [-k] [-s] [-S] [-i] [-H 'Authorization: Bearer …'] https://<endpoint or address>[/path]`
 * as a client of the API server, printing the answer layer's answer: without a token `/version`
 * answers and `/` is refused with a 403 Status, a token EKS would reject gets 401, and
 * without `-k` the cluster's private CA fails verification. A client that cannot reach the
 * endpoint waits out the TCP connect timeout in simulated time, then gets curl's error (28)
 * and one line from the simulator naming the hop that refused and the fix (docs/endpoint-modes.md).
 */
export const curlTool: Tool = (inv) => {
  const { args, from, ctx, out, err, wait } = inv;
  let insecure = false;
  let silent = false;
  let showErrors = false;
  let includeHeaders = false;
  let timeoutMs: number | undefined;
  let authorization: string | undefined;
  let url: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (VALUE_FLAGS.has(arg)) {
      const value = args[++i];
      if (value === undefined) {
        err(`curl: option ${arg}: requires parameter\n${HELP_HINT}`);
        return 2;
      }
      if (arg === '-m' || arg === '--max-time' || arg === '--connect-timeout') {
        if (!/^\d+(\.\d+)?$/.test(value)) {
          err(`curl: option ${arg}: expected a proper numerical parameter\n${HELP_HINT}`);
          return 2;
        }
        timeoutMs = Math.min(timeoutMs ?? Number.POSITIVE_INFINITY, Number(value) * 1000);
      }
      const header = /^authorization:\s*(.*)$/i.exec(value);
      if ((arg === '-H' || arg === '--header') && header) authorization = header[1];
      continue;
    }
    if (arg === '--insecure') insecure = true;
    else if (arg === '--silent') silent = true;
    else if (arg === '--show-error') showErrors = true;
    else if (arg === '--include') includeHeaders = true;
    else if (arg === '--verbose' || arg === '--fail' || arg === '--location') {
    } else if (/^-[a-zA-Z]+$/.test(arg)) {
      for (const f of arg.slice(1)) {
        if (f === 'k') insecure = true;
        else if (f === 's') silent = true;
        else if (f === 'S') showErrors = true;
        else if (f === 'i') includeHeaders = true;
        else if (f === 'v' || f === 'L' || f === 'f') {
        } else {
          err(`curl: option -${f}: is unknown\n${HELP_HINT}`);
          return 2;
        }
      }
    } else if (arg.startsWith('--')) {
      err(`curl: option ${arg}: is unknown\n${HELP_HINT}`);
      return 2;
    } else url = arg;
  }
  const say = (text: string) => {
    if (!silent || showErrors) err(text);
  };
  /**
   * Packets dropped (a security group, no route): curl waits. Its own --connect-timeout /
   * --max-time ends the wait with "Timeout was reached"; otherwise the kernel gives up after
   * its SYN retries and curl 7.8x/8.x says "Couldn't connect to server" (both exit 28, as
   * curl's issue tracker shows them, e.g. curl/curl#18484 and reports of ~129 s timeouts).
   */
  const connectTimeout = (host: string, port: number, limitMs: number | undefined): number => {
    if (limitMs !== undefined && limitMs < LINUX_CONNECT_TIMEOUT_MS) {
      wait(limitMs);
      say(`curl: (28) Failed to connect to ${host} port ${port} after ${limitMs + 6} ms: Timeout was reached\n`);
    } else {
      wait(LINUX_CONNECT_TIMEOUT_MS);
      say(
        `curl: (28) Failed to connect to ${host} port ${port} after ${LINUX_CONNECT_TIMEOUT_MS} ms: Couldn't connect to server\n`,
      );
    }
    return 28;
  };
  if (url === undefined) {
    err(`curl: no URL specified!\n${HELP_HINT}`);
    return 2;
  }
  const m = /^(?:(https?):\/\/)?([^/:?#]+)(?::(\d+))?([/?][^#]*)?$/.exec(url);
  if (!m) {
    say(`curl: (3) URL using bad/illegal format or missing URL\n`);
    return 3;
  }
  const scheme = m[1] ?? 'http';
  const host = m[2] as string;
  const port = Number(m[3] ?? (scheme === 'https' ? 443 : 80));
  const path = m[4] ?? '/';
  if (host === IMDS_ADDRESS) {
    // Link-local: only an EC2 instance has a metadata service to answer.
    if (ctx.domains.network.host(from)?.kind === 'laptop') {
      return connectTimeout(host, port, timeoutMs);
    }
    out(instanceMetadata(inv, path) ?? '<?xml version="1.0" encoding="iso-8859-1"?>\n<title>404 - Not Found</title>\n');
    return 0;
  }
  const answer = ctx.domains.endpoint.dnsAnswer(from);
  let cluster: ReturnType<typeof clusterByHost>;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    // An address needs no DNS: curl connects to it. The endpoint's addresses (any that its name
    // resolves to, from anywhere) answer alike (docs/lessons/seed-week1.md); nothing else in
    // the simulated world listens, so the SYNs go unanswered.
    const endpointAddresses = new Set(
      ctx.domains.network.hosts().flatMap((h) => ctx.domains.endpoint.dnsAnswer(h.name).addresses),
    );
    const outsideVpc = ctx.domains.network.host(from)?.kind === 'laptop';
    const privateAddress = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host);
    if (!endpointAddresses.has(host) || (outsideVpc && privateAddress)) {
      const status = connectTimeout(host, port, timeoutMs);
      err(
        outsideVpc && privateAddress
          ? `eks-sim: ${host} is a private address of the VPC: there is no route to it from the internet\n`
          : `eks-sim: nothing in the simulated world answers at ${host} (the endpoint's addresses are what dig returns for its name)\n`,
      );
      return status;
    }
    cluster = ctx.domains.cluster.cluster ?? undefined;
  } else {
    cluster = clusterByHost(ctx, host);
    if (!cluster || answer.addresses.length === 0) {
      say(`curl: (6) Could not resolve host: ${host}\n`);
      return 6;
    }
  }
  if (!cluster) {
    say(`curl: (6) Could not resolve host: ${host}\n`);
    return 6;
  }
  const reach = ctx.domains.endpoint.reach(from);
  if (!reach.reachable || port !== 443 || scheme !== 'https') {
    const status = connectTimeout(host, port, timeoutMs);
    if (!reach.reachable) err(`${whyUnreachable(reach)}\n`);
    return status;
  }
  if (!insecure) {
    say(
      'curl: (60) SSL certificate problem: unable to get local issuer certificate\n' +
        'More details here: https://curl.se/docs/sslcerts.html\n\n' +
        'curl failed to verify the legitimacy of the server and therefore could not\n' +
        'establish a secure connection to it. To learn more about this situation and\n' +
        'how to fix it, please visit the web page mentioned above.\n',
    );
    return 60;
  }
  const reply = kubernetesGet(kubeModelOf(ctx), path, identityOf(authorization));
  // kube-apiserver indents JSON for a client like curl that does not ask for a compact form.
  const body = 'json' in reply ? `${JSON.stringify(reply.json, null, 2)}\n` : reply.text;
  if (includeHeaders) {
    const type = 'json' in reply ? 'application/json' : 'text/plain; charset=utf-8';
    out(
      `HTTP/2 ${reply.code} \r\naudit-id: ${ctx.rng(`curl-${ctx.clock.now()}`).int(100000, 999999)}\r\ncache-control: no-cache, private\r\ncontent-type: ${type}\r\ncontent-length: ${body.length}\r\n\r\n`,
    );
  }
  out(body);
  return 0;
};
