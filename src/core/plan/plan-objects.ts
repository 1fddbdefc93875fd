import { compareApplyOrder, compareDeleteOrder } from "../apply-order.js";
import { describeObject, objectKey, objectRef, type ObjectRef } from "../object-identity.js";
import { collectSecretValues, isSecret } from "./collect-secret-values.js";
import { createSecretMasker } from "./create-secret-masker.js";
import type { EnvironmentPlan, PlanCounts, PlannedObject, PlanRejection } from "./environment-plan.js";
import { findRisks } from "./find-risks.js";
import { maskObjectPair } from "./mask-object-pair.js";
import { maskSecretChange } from "./mask-secret-change.js";
import { normalizeObject } from "./normalize-object.js";
import { describeNotOwned, objectOwnership } from "./object-ownership.js";
import { renderObjectDiff } from "./render-object-diff.js";
import { ENVIRONMENT_LABEL, MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "./slipway-labels.js";

/** What the server said to the dry run of one desired object. */
export type DryRunOutcome =
  /** The object as the server would have it after the apply (defaults filled in). */
  | { status: "applied"; object: Record<string, unknown> }
  /** The server refused it: an expected failure, reported at the manifest's file and line. */
  | { status: "rejected"; rejection: PlanRejection }
  /**
   * Not sent: it depends on a namespace or CRD that the same change creates, so the server
   * cannot judge it yet. Planned in order as a creation of the object as written.
   */
  | { status: "deferred"; note: string };

export interface DesiredObject {
  /** The object as written, namespace filled in. */
  object: Record<string, unknown>;
  file: string;
  line: number;
  /** Line of a field in the manifest, to point a rejection at the field the server named. */
  lineOf?: (path: ReadonlyArray<string | number>) => number;
  dryRun: DryRunOutcome;
}

export interface PlanObjectsParams {
  /** Display name; defaults to the environment id. */
  environment?: string;
  environmentId: string;
  desired: DesiredObject[];
  /**
   * Live objects: those labelled for this environment, and the current state of any desired
   * object that exists without the label. Server-owned fields are dropped here.
   */
  live: Array<Record<string, unknown>>;
  prune: boolean;
  /** Take over existing objects without Slipway's labels (the environment's `adopt`); never another environment's. */
  adopt?: boolean;
  /** Diff headers; `live` and `planned` unless an offline plan says `base` and `head`. */
  diffLabels?: { before: string; after: string };
}

/**
 * Desired versus live, object by object: create, update, unchanged, or rejected by the server;
 * and, with prune, delete for labelled live objects that Git no longer has. Secret values are
 * masked in the objects themselves before anything is rendered from them (diffs, risks), and in
 * every message; objects come in apply order, deletions last.
 */
export function planObjects(params: PlanObjectsParams): EnvironmentPlan {
  const { environmentId, prune } = params;
  const secretValues = collectSecretValues([
    ...params.desired.map((d) => d.object),
    ...params.desired.flatMap((d) => (d.dryRun.status === "applied" ? [d.dryRun.object] : [])),
    ...params.live,
  ]);
  const mask = createSecretMasker(secretValues);
  // Slipway's own label values are public (the environment id comes from the repository's name).
  const slipwayValues = new Set([environmentId, MANAGED_BY_VALUE]);
  const labels = { beforeLabel: params.diffLabels?.before ?? "live", afterLabel: params.diffLabels?.after ?? "planned" };

  const live = new Map<string, Record<string, unknown>>();
  for (const object of params.live) live.set(objectKey(objectRef(object)), object);
  const matched = new Set<string>();
  const firstSeen = new Map<string, DesiredObject>();
  const objects: PlannedObject[] = [];

  for (const desired of params.desired) {
    const source = desired.dryRun.status === "applied" ? desired.dryRun.object : desired.object;
    const ref = objectRef(source);
    const key = objectKey(ref);
    const current = live.get(key);
    const where = { file: desired.file, line: desired.line };
    const intended = current ? "update" : "create";

    const earlier = firstSeen.get(key);
    if (earlier) {
      const rejection: PlanRejection = {
        reason: "duplicate",
        message: `${describeObject(ref)} is also defined at ${earlier.file}:${earlier.line}`,
        fields: [],
      };
      objects.push({ ref, action: intended, ...where, diff: "", risks: [], notes: [], rejection });
      continue;
    }
    firstSeen.set(key, desired);
    if (current) matched.add(key);
    // An object this environment does not own is never shown by value: not its live content,
    // nor the dry run's answer, which merges it.
    const ownership = current ? objectOwnership(current, environmentId) : undefined;
    if (ownership && ownership.status !== "owned" && (ownership.status === "other-environment" || !params.adopt)) {
      const rejection: PlanRejection = { reason: "not-owned", message: mask(describeNotOwned(ownership)), fields: [] };
      objects.push({ ref, action: intended, ...where, diff: "", risks: [], notes: [], rejection });
      continue;
    }
    const before = current ? normalizeObject(current) : undefined;

    if (desired.dryRun.status === "rejected") {
      const rejection = maskRejection(desired.dryRun.rejection, desired, mask);
      const masked = maskPair(before, normalizeObject(desired.object), mask, slipwayValues);
      const risks = findRisks({ action: intended, before: masked.before, after: masked.after, rejection });
      objects.push({ ref, action: intended, ...where, diff: "", risks, notes: [], rejection });
      continue;
    }

    const after = normalizeObject(source);
    const notes = desired.dryRun.status === "deferred" ? [mask(desired.dryRun.note)] : [];
    if (ownership?.status === "unmanaged") notes.push("exists in the cluster without Slipway's labels; applying adopts it (`adopt: true`)");
    const masked = maskPair(before, after, mask, slipwayValues);
    const diff = renderObjectDiff(masked.before, masked.after, labels);
    const action = !current ? "create" : diff === "" ? "unchanged" : "update";
    objects.push({
      ref,
      action,
      ...where,
      diff,
      ...(masked.keys ? { secretKeys: masked.keys } : {}),
      risks: findRisks({ action, before: masked.before, after: masked.after }),
      notes,
    });
  }

  const kept: ObjectRef[] = [];
  for (const [key, object] of live) {
    if (matched.has(key) || !labelledFor(object, environmentId)) continue;
    const ref = objectRef(object);
    if (!prune) {
      kept.push(ref);
      continue;
    }
    const before = normalizeObject(object);
    const masked = maskPair(before, undefined, mask, slipwayValues);
    const diff = renderObjectDiff(masked.before, undefined, labels);
    objects.push({
      ref,
      action: "delete",
      diff,
      ...(masked.keys ? { secretKeys: masked.keys } : {}),
      risks: findRisks({ action: "delete", before: masked.before }),
      notes: ["no longer in Git; prune is on"],
    });
  }

  return {
    environment: params.environment ?? environmentId,
    environmentId,
    mode: "live",
    prune,
    objects: sortForApply(objects),
    kept: kept.sort(compareRefs),
    counts: countActions(objects),
  };
}

/**
 * Both sides masked: a Secret by structure (keys only, see maskSecretChange), then every string of
 * either side that holds a Secret value of the plan, masked by `mask` (see maskObjectPair); for a Secret, also the
 * change of each key. `keep`: strings that are public already (see maskObjectValues).
 */
export function maskPair(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
  mask: (text: string) => string,
  keep: ReadonlySet<string> = new Set(),
): { before?: Record<string, unknown>; after?: Record<string, unknown>; keys?: ReturnType<typeof maskSecretChange>["keys"] } {
  const structural = isSecret(after ?? before) ? maskSecretChange(before, after) : { before, after, keys: undefined };
  return { ...maskObjectPair(structural.before, structural.after, mask, keep), ...(structural.keys ? { keys: structural.keys } : {}) };
}

/** Apply order (compareApplyOrder: the order a deploy applies in); deletions last, in reverse. */
export function sortForApply(objects: PlannedObject[]): PlannedObject[] {
  const applied = objects.filter((o) => o.action !== "delete").sort((a, b) => compareApplyOrder(a.ref, b.ref));
  const deleted = objects.filter((o) => o.action === "delete").sort((a, b) => compareDeleteOrder(a.ref, b.ref));
  return [...applied, ...deleted];
}

export function countActions(objects: PlannedObject[]): PlanCounts {
  const counts: PlanCounts = { create: 0, update: 0, delete: 0, unchanged: 0, rejected: 0 };
  for (const object of objects) {
    if (object.rejection) counts.rejected += 1;
    else counts[object.action] += 1;
  }
  return counts;
}

function compareRefs(a: ObjectRef, b: ObjectRef): number {
  const ka = `${a.kind}\u0000${a.namespace ?? ""}\u0000${a.name}`;
  const kb = `${b.kind}\u0000${b.namespace ?? ""}\u0000${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function maskRejection(rejection: PlanRejection, desired: DesiredObject, mask: (text: string) => string): PlanRejection {
  const fields = rejection.fields.map((f) => ({ field: mask(f.field), message: mask(f.message) }));
  let line = rejection.line;
  if (line === undefined && desired.lineOf) {
    for (const { field } of fields) {
      const path = fieldPath(field);
      if (path.length === 0) continue;
      const found = desired.lineOf(path);
      if (found > desired.line) {
        line = found;
        break;
      }
    }
  }
  return { reason: rejection.reason, message: mask(rejection.message), fields, ...(line !== undefined ? { line } : {}) };
}

// `spec.template.spec.containers[0].image` → [spec, template, spec, containers, 0, image]; a
// server-side apply key such as `containers[name="web"]` ends the path (its index is unknown).
function fieldPath(field: string): Array<string | number> {
  const path: Array<string | number> = [];
  for (const part of field.replace(/^\./, "").split(".")) {
    const match = /^([^[\]]*)((?:\[\d+\])*)(.*)$/.exec(part);
    if (!match || match[3] !== "") {
      if (match?.[1]) path.push(match[1]);
      break;
    }
    if (match[1]) path.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  return path;
}

function labelOf(object: Record<string, unknown>, label: string): string | undefined {
  const labels = ((object.metadata ?? {}) as Record<string, unknown>).labels as Record<string, string> | undefined;
  return labels?.[label];
}

function labelledFor(object: Record<string, unknown>, environmentId: string): boolean {
  return labelOf(object, MANAGED_BY_LABEL) === MANAGED_BY_VALUE && labelOf(object, ENVIRONMENT_LABEL) === environmentId;
}
