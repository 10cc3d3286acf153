import { UsageError } from './usage-error';

/** `eks-sim serve`: not built yet. */
export async function serveCommand(_argv: string[]): Promise<number> {
  throw new UsageError('serve: not implemented yet');
}
