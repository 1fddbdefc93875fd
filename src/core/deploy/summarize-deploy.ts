import type { HealthStatus } from "../health/health-status.js";
import type { SourcedObjectRef } from "../object-identity.js";
import type { DeployPhase, DeployResult } from "./deploy-result.js";
import { plural } from "../text.js";

export interface DeploySummary {
  status: "succeeded" | "failed";
  dryRun: boolean;
  /** One line for a deployment status or a commit: "applied 12 objects (3 changed), pruned 1, all healthy". */
  headline: string;
  counts: { objects: number; created: number; changed: number; unchanged: number; pruned: number };
  /** Set when the deploy failed. */
  failedPhase?: DeployPhase;
  /** Objects the cluster refused, then objects not healthy, each with a sentence. */
  problems: Array<{ ref: SourcedObjectRef; status?: HealthStatus; message: string }>;
}

/** The data of a deploy's message, from its result; the renderer decides the words around it. */
export function summarizeDeploy(result: DeployResult): DeploySummary {
  const created = result.applied.filter((a) => a.change === "created").length;
  const changed = result.applied.length - created;
  const counts = {
    objects: result.applied.length + result.unchanged.length,
    created,
    changed,
    unchanged: result.unchanged.length,
    pruned: result.pruned.length,
  };
  const [applied, pruned] = result.dryRun ? ["would apply", "would prune"] : ["applied", "pruned"];

  const parts: string[] = [];
  if (result.applied.length === 0 && result.pruned.length === 0) {
    parts.push(`nothing to change: ${plural(counts.objects, "object")} already as in Git`);
  } else {
    const changes = [created > 0 ? `${created} created` : "", changed > 0 ? `${changed} changed` : ""].filter(Boolean).join(", ");
    parts.push(`${applied} ${plural(counts.objects, "object")} (${changes || "none changed"})`);
    if (result.pruned.length > 0) parts.push(`${pruned} ${result.pruned.length}`);
  }
  if (result.health) parts.push(describeHealth(result.health.status, result.health.objects.length));

  const problems: DeploySummary["problems"] = [];
  if (result.status === "failed") for (const failure of result.failures) problems.push({ ref: failure.ref, message: failure.reason });
  for (const object of result.health?.objects ?? []) {
    if (object.status !== "Healthy" && object.status !== "Suspended") problems.push({ ref: object.ref, status: object.status, message: object.message });
  }

  const prefix = result.dryRun ? "dry run: " : "";
  if (result.status === "succeeded") return { status: "succeeded", dryRun: result.dryRun, headline: prefix + parts.join(", "), counts, problems };
  // What happened before the failure matters: an apply that failed half-way left changes behind.
  const before = result.applied.length + result.pruned.length > 0 ? `; ${parts.slice(0, result.pruned.length > 0 ? 2 : 1).join(", ")} before that` : "";
  const headline = `${prefix}failed in ${result.phase}: ${result.reason}${result.phase === "health" ? `; ${parts[0]}` : before}`;
  return { status: "failed", dryRun: result.dryRun, headline, counts, failedPhase: result.phase, problems };
}

function describeHealth(status: HealthStatus, objects: number): string {
  if (objects === 0) return "nothing to wait for";
  if (status === "Healthy") return "all healthy";
  if (status === "Suspended") return "all healthy or suspended";
  return `not all healthy (${status})`;
}
