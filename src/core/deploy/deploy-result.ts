import type { HealthStatus } from "../health/health-status.js";
import type { SourcedObjectRef } from "../object-identity.js";

// The outcome of one deploy, as data: the job runner turns it into a GitHub deployment status
// and a message (summarizeDeploy), the store keeps it. No Secret value is ever part of it.

/** Where a deploy failed or is: apply (with CRDs established), prune, or health. */
export type DeployPhase = "apply" | "prune" | "health";

/** An object the deploy wrote (or, in a dry run, would write). */
export interface AppliedObject {
  ref: SourcedObjectRef;
  change: "created" | "changed";
}

export interface ObjectHealth {
  ref: SourcedObjectRef;
  status: HealthStatus;
  message: string;
}

export interface HealthReport {
  /** The worst state among the objects. */
  status: HealthStatus;
  /** Every applied or unchanged object, in apply order. */
  objects: ObjectHealth[];
  waitedMs: number;
  /** Set when the wait ended at the timeout rather than with every object settled. */
  timedOut: boolean;
}

/** One object the cluster refused, with the server's reason (Secret values redacted). */
export interface DeployObjectFailure {
  ref: SourcedObjectRef;
  reason: string;
}

interface DeployProgressCounts {
  dryRun: boolean;
  /** Written (created or changed). */
  applied: AppliedObject[];
  /** In Git and already as Git says: not written, so not churned. */
  unchanged: SourcedObjectRef[];
  /** Deleted (or, in a dry run, would be) because Git no longer has them. */
  pruned: SourcedObjectRef[];
  /** Absent in a dry run (nothing was written to wait for) and when apply or prune failed. */
  health?: HealthReport;
  durationMs: number;
}

export interface DeploySucceeded extends DeployProgressCounts {
  status: "succeeded";
}

export interface DeployFailed extends DeployProgressCounts {
  status: "failed";
  phase: DeployPhase;
  /** The object at fault, when there is one (a refused prune has none). */
  object?: SourcedObjectRef;
  /** A sentence for people. */
  reason: string;
  /** Every object that failed in the phase, the first of them being `object`. */
  failures: DeployObjectFailure[];
}

export type DeployResult = DeploySucceeded | DeployFailed;

/** What a deploy reports while it runs, for a live status line. */
export interface DeployProgress {
  phase: DeployPhase;
  done: number;
  total: number;
  message: string;
}
