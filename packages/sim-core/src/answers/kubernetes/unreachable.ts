/** Written once beside the reachability rules; the answers and the shell read it from here. */
export { whyUnreachable } from '../../endpoint/explain';
