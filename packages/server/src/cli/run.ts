import { UsageError } from './usage-error';

/** `eks-sim run`: not built yet. */
export async function runCommand(_argv: string[]): Promise<number> {
  throw new UsageError('run: not implemented yet');
}
