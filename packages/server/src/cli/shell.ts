import { UsageError } from './usage-error';

/** `eks-sim shell`: not built yet. */
export async function shellCommand(_argv: string[]): Promise<number> {
  throw new UsageError('shell: not implemented yet');
}
