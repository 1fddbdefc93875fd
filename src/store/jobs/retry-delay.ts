export interface RetryDelayOptions {
  baseMs: number;
  maxMs: number;
  /** A number in [0, 1); Math.random by default, fixed in tests. */
  random?: () => number;
}

/**
 * Exponential backoff for the attempt that just failed (1-based), with jitter so jobs that
 * failed together (an outage) do not all retry at the same moment: a random delay between
 * half and all of `baseMs * 2^(attempt - 1)`, capped at `maxMs`.
 */
export function retryDelay(attempt: number, options: RetryDelayOptions): number {
  const random = options.random ?? Math.random;
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
