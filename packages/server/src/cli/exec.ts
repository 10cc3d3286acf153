import { UsageError } from './usage-error';

/** `eks-sim exec`: not built yet. */
export async function execCommand(_argv: string[]): Promise<number> {
  throw new UsageError('exec: not implemented yet');
}
