/**
 * The REST and WebSocket messages between the server and the page, defined once as TypeBox
 * schemas (JSON Schema that fastify and ajv validate with) with their `Static` types
 * (docs/protocol.md, docs/api.md). A page imports `@eks-sim/protocol/client` instead.
 */
export { applyDelta } from './delta';
export * from './limits';
export * from './rest';
export * from './stream';
