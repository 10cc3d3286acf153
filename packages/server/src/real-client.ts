import { type KubeIdentity, type Reachability, whyUnreachable } from '@eks-sim/sim-core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Session } from './session';

/**
 * Where a real client (kubectl or curl on this machine, through the server's `/k8s` endpoint)
 * stands in the simulated world, and what it gets when it cannot reach the API server from
 * there. By default it is the laptop, outside the VPC; `clientHosts` places an access key
 * elsewhere (`--client-host AKID=bastion`; `*` for every key), and the `x-eks-sim-from`
 * header, when sent, wins. The endpoint model (endpoint mode, publicAccessCidrs, faults) then
 * decides, as for the simulated shell's tools.
 *
 * A locked-out real client gets what it would get from EKS, a connection that hangs until it
 * times out, only shorter (`unreachableTimeoutMs`), and then, since a timeout carries no words,
 * the places HTTP leaves for them: a `Status` (504, `Timeout`) whose message is the dial error
 * kubectl would print plus the simulator's explanation, and a `Warning` header with the
 * explanation, which kubectl prints whatever the request; the server then closes the connection. The explanation also reaches the server's log and, as an `endpoint.client-refused`
 * event, the page's event list, at once.
 */
export const VANTAGE_HEADER = 'x-eks-sim-from';

/** How long a locked-out real client's request hangs before the server gives up on it. */
export const DEFAULT_UNREACHABLE_TIMEOUT_MS = 5_000;

/** The same refusal is logged once per this long (kubectl retries discovery several times a run). */
const REPEAT_NOTICE_MS = 30_000;

export interface RealClientOptions {
  /** Access key id → vantage host name; `*` for any other key (and for clients without a token). */
  readonly clientHosts: Readonly<Record<string, string>>;
  readonly unreachableTimeoutMs: number;
  /** The server's log line. */
  readonly notice: (message: string) => void;
}

/** The vantage host a request's client stands on. */
export function vantageOf(request: FastifyRequest, identity: KubeIdentity, hosts: RealClientOptions['clientHosts']) {
  const header = request.headers[VANTAGE_HEADER];
  if (typeof header === 'string' && header !== '') return header;
  const key = identity.kind === 'user' ? identity.accessKeyId : undefined;
  return (key !== undefined ? hosts[key] : undefined) ?? hosts['*'] ?? 'laptop';
}

/** `kubectl/v1.32.4 (linux/amd64) kubernetes/…` → `kubectl/v1.32.4`. */
function programOf(request: FastifyRequest): string {
  const agent = request.headers['user-agent'];
  const program = typeof agent === 'string' ? (agent.split(/\s/)[0] ?? '') : '';
  return /^[\w.\-/]{1,80}$/.test(program) ? program : 'a client';
}

/** A `Warning: 299 - "…"` header (RFC 7234 §5.5, as kube-apiserver sends them): ASCII, quotes escaped. */
export function warningHeader(text: string): string {
  const ascii = text.replace(/[\u2012-\u2015]/g, '-').replace(/[^\x20-\x7e]/g, '?');
  return `299 - "${ascii.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function lockout(options: RealClientOptions) {
  const lastNotice = new Map<string, number>();

  /** Logs the refusal (server log, session event) unless the same one was logged just now. */
  function tell(session: Session, from: string, who: string, why: string): void {
    const key = `${session.id}\u0000${from}\u0000${who}\u0000${why}`;
    const now = Date.now();
    if ((lastNotice.get(key) ?? Number.NEGATIVE_INFINITY) > now - REPEAT_NOTICE_MS) return;
    lastNotice.set(key, now);
    if (lastNotice.size > 1000) lastNotice.clear();
    options.notice(`session ${session.id}: ${who} on ${from} could not reach the API server: ${why}`);
    session.apply({ type: 'endpoint.client-refused', from, client: who.slice(0, 200) });
  }

  /**
   * A request whose client cannot reach the API server: logs why, hangs for the timeout, and
   * gives the message of the timeout Status to send (then the connection is closed), or null
   * when the client gave up first.
   */
  return async function refuse(
    request: FastifyRequest,
    reply: FastifyReply,
    refused: { session: Session; from: string; reach: Reachability; identity: KubeIdentity; endpointHost: string },
  ): Promise<string | null> {
    const { session, from, reach, identity } = refused;
    const why = whyUnreachable(reach);
    const who = identity.kind === 'user' ? `${programOf(request)} (${identity.username})` : programOf(request);
    tell(session, from, who, why);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.unreachableTimeoutMs);
      timer.unref();
      // Before a reply, the response closes only when the connection does.
      reply.raw.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (reply.raw.destroyed || reply.raw.writableEnded || request.raw.socket?.destroyed) return null;
    reply.header('connection', 'close');
    // client-go prints every `Warning` header to stderr, even on an error it words itself
    // (kubectl version's 504 becomes "the server was unable to return a response in the time allotted").
    reply.header('warning', warningHeader(why));
    return `Unable to connect to the server: dial tcp ${refused.endpointHost}:443: i/o timeout (${why})`;
  };
}
