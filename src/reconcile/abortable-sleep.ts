import { setTimeout as delay } from "node:timers/promises";

/** A sleep that aborting interrupts, rejecting with the signal's reason as everything else does. */
export function abortableSleep(signal: AbortSignal | undefined): (ms: number) => Promise<void> {
  return (ms) =>
    delay(ms, undefined, { signal }).catch((error: unknown) => {
      signal?.throwIfAborted();
      throw error;
    });
}
