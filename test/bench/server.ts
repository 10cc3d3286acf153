import type { BenchLine } from './bench';

/** The server fields of the bench line. Not measured yet. */
export async function measureServer(): Promise<Partial<BenchLine>> {
  return {};
}
