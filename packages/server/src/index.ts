/** The server's public surface: build an app, and the stream protocol the page speaks. */
export { buildServer, type EksSimServer, type ServerOptions } from './app';
export { logHash } from './log-hash';
export * from './protocol';
export { DEFAULT_SESSION_ID } from './session-store';
