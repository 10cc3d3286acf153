import { UsageError } from './usage-error';

/** `eks-sim versions`: not built yet. */
export async function versionsCommand(_argv: string[]): Promise<number> {
  throw new UsageError('versions: not implemented yet');
}
