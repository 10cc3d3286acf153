import type { BenchLine } from './bench';

/** The viz fields of the bench line. Not measured yet. */
export async function measureViz(): Promise<Partial<BenchLine>> {
  return {};
}
