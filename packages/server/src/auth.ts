import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Session } from './session';
import type { SessionStore } from './session-store';

/** Constant-time comparison, so a token cannot be guessed byte by byte from response times. */
export function tokenMatches(session: Session, candidate: string | undefined): boolean {
  if (candidate === undefined) return false;
  const a = Buffer.from(session.token);
  const b = Buffer.from(candidate);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token of `Authorization: Bearer <token>`, if any. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function sendError(reply: FastifyReply, status: number, error: string, message: string): FastifyReply {
  return reply.code(status).send({ error, message });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The session named by `:id`, set by `findSession`. */
    session?: Session;
  }
}

/** preHandler: the session named by the `:id` parameter must exist (404 otherwise). */
export function findSession(store: SessionStore) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { id } = request.params as { id: string };
    const session = store.get(id);
    if (!session) {
      return sendError(reply, 404, 'SessionNotFound', `no session "${id}" (GET /api/sessions lists them)`);
    }
    request.session = session;
  };
}

/** preHandler after `findSession`: only the holder of the session's control token may change it. */
export async function requireControl(request: FastifyRequest, reply: FastifyReply) {
  const session = request.session as Session;
  const token = bearerToken(request);
  if (token === undefined) {
    return sendError(
      reply,
      401,
      'Unauthorized',
      `changing session "${session.id}" needs its control token: send "Authorization: Bearer <token>" (printed by eks-sim serve, returned by POST /api/sessions); without it you may only watch`,
    );
  }
  if (!tokenMatches(session, token)) {
    return sendError(reply, 403, 'Forbidden', `that is not the control token of session "${session.id}"`);
  }
}
