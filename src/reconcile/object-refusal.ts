import { ClusterError, ConflictError, ForbiddenError, InvalidError, NotFoundError, UnavailableError, UnknownKindError } from "../cluster/cluster-error.js";
import type { PlanRejection } from "../core/plan/environment-plan.js";
import type { ObjectOwnership } from "../core/plan/object-ownership.js";

/**
 * Why one desired object is not applied, as data: the plan shows it as a rejection at the
 * object's file and line, the deploy as the reason it failed before (or while) writing.
 */
export type ObjectRefusal =
  /** Written without `metadata.name`. */
  | { cause: "no-name" }
  /** The clusters file's policy refuses it; nothing about it is ever sent. `path` is the field at fault. */
  | { cause: "policy"; message: string; path: ReadonlyArray<string | number> }
  /** Another manifest of the change defines the same object first. */
  | { cause: "duplicate"; first: { file: string; line: number } }
  /** It exists and is not this environment's to take (another environment's, or nobody's without `adopt`). */
  | { cause: "not-owned"; ownership: Exclude<ObjectOwnership, { status: "owned" }> }
  /** The cluster refused it: discovery, the dry run or the apply. `message` has Secret values redacted. */
  | { cause: "cluster"; reason: PlanRejection["reason"]; message: string; fields: Array<{ field: string; message: string }> };

/**
 * The refusal for an error the cluster answered about one object (invalid, conflicting,
 * forbidden, missing namespace or kind). An outage, bad credentials or a bug is not the
 * object's fault: it is thrown, so the job can be retried or the plan made offline.
 */
export function clusterRefusal(error: unknown): Extract<ObjectRefusal, { cause: "cluster" }> {
  if (error instanceof UnavailableError || !(error instanceof ClusterError)) throw error;
  // 401: the credentials, not the object, are at fault.
  if (error instanceof ForbiddenError && error.status === 401) throw error;
  const fields = error instanceof InvalidError ? error.fields.map((f) => ({ field: f.field, message: f.message })) : [];
  let reason: PlanRejection["reason"] = "error";
  if (error instanceof UnknownKindError) reason = "unknown-kind";
  else if (error instanceof NotFoundError) reason = "not-found";
  else if (error instanceof InvalidError) reason = /field is immutable/.test(error.message) ? "immutable" : "invalid";
  else if (error instanceof ForbiddenError) reason = "forbidden";
  else if (error instanceof ConflictError) reason = "conflict";
  return { cause: "cluster", reason, message: error.message, fields };
}
