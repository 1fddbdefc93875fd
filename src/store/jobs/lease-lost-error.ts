/** A job's lease is gone (expired, or taken over by another replica): the job must write nothing more. */
export class LeaseLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LeaseLostError";
  }
}
