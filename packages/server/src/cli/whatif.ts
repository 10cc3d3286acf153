import { UsageError } from './usage-error';

/** `eks-sim whatif`: not built yet. */
export async function whatifCommand(_argv: string[]): Promise<number> {
  throw new UsageError('whatif: not implemented yet');
}
