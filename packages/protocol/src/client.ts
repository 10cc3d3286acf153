/**
 * What a page needs of the protocol: every message and reply type, the numbers, and
 * `applyDelta`. Types only besides those two: importing this adds no schema or validator
 * code to a bundle (the server imports `@eks-sim/protocol`, which has the schemas).
 */
export { applyDelta } from './delta';
export * from './limits';
export type * from './rest';
export type * from './stream';
