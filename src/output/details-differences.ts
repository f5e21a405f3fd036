/**
 * The differences view's data for one task: its details file read once, every
 * record fed to one accumulator per metric dialect (src/metrics/differences.ts).
 */
import { DialectComparison, type DiffRow, type StreamFacts } from '../metrics/differences.js';
import { readDetails } from './details-reader.js';

export async function differencesFromDetails(
  path: string,
  o: { maxConcurrency: number },
): Promise<{ rows: DiffRow[]; facts: StreamFacts }> {
  const cmp = new DialectComparison({ maxConcurrency: o.maxConcurrency });
  await readDetails(path, (r) => cmp.add(r));
  const { rows, facts } = cmp.finish();
  return { rows, facts };
}
