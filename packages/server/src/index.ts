/** The server's public surface: build an app. The messages it speaks are `@eks-sim/protocol`. */
export { buildServer, type EksSimServer, type ServerOptions } from './app';
export { logHash } from './log-hash';
export { DEFAULT_SESSION_ID } from './session-store';
