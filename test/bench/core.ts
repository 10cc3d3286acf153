import type { BenchLine } from './bench';

/** The core fields of the bench line. Not measured yet. */
export async function measureCore(): Promise<Partial<BenchLine>> {
  return {};
}
