/** The protocol's numbers: plain constants, so a page can import them without any schema code. */

/** Bumped when a message changes shape incompatibly. */
export const PROTOCOL_VERSION = 1;

/** At most this many stream updates (deltas) per second per session. */
export const MAX_UPDATES_PER_SECOND = 10;

/** Largest WebSocket frame a client may send, in bytes; bigger frames close the socket (1009). */
export const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

/** Speeds the clock may play at: simulated ms per wall ms. */
export const MIN_SPEED = 1;
export const MAX_SPEED = 100_000;

/** Longest simulated step one `step` may take: 30 simulated days. */
export const MAX_STEP_MS = 30 * 24 * 3600 * 1000;

/** Close codes the server uses besides the standard ones (1008 policy, 1009 too big). */
export const CloseCode = {
  /** The session does not exist or was deleted. */
  SessionGone: 4404,
  /** Too many messages too fast. */
  RateLimited: 4429,
} as const;
