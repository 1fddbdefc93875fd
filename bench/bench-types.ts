/** One line of the results table. */
export interface BenchResult {
  benchmark: string;
  subject: string;
  /** Column → value, printed in insertion order. */
  values: Record<string, string | number>;
}

/** A module in bench/ that `npm run bench` runs: it exports `benchmark` of this shape. */
export interface Benchmark {
  name: string;
  run(log: (line: string) => void): Promise<{ results: BenchResult[]; notes: string[] }>;
}
