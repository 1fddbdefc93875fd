/** Blob contents by SHA for one job, read at most once each and a bounded number at a time. */
export interface BlobCache {
  /** The blob's bytes: from the cache, or from `load` (which waits for a free read slot). */
  read(sha: string, load: () => Promise<Uint8Array>): Promise<Uint8Array>;
}

/**
 * One cache per job, shared by every source tree the job reads (head and base, every
 * environment): a blob's SHA names its content, so a file that several environments or both
 * sides of a plan share is downloaded once. At most `concurrency` downloads run at a time
 * however many trees and symlinks ask; a failed read is forgotten so a retry asks again.
 */
export function createBlobCache(concurrency = 8): BlobCache {
  const blobs = new Map<string, Promise<Uint8Array>>();
  const waiting: Array<() => void> = [];
  let running = 0;

  const limited = async (load: () => Promise<Uint8Array>): Promise<Uint8Array> => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await load();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };

  return {
    read(sha, load) {
      let blob = blobs.get(sha);
      if (!blob) {
        blob = limited(load);
        blobs.set(sha, blob);
        blob.catch(() => blobs.delete(sha));
      }
      return blob;
    },
  };
}
