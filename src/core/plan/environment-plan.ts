import type { ObjectRef } from "../object-identity.js";

// What a plan says about one environment, as data: renderers turn it into a comment, a check run,
// text or JSON. Every diff and message in it is already masked (no Secret value appears).

export type PlanAction = "create" | "update" | "delete" | "unchanged";

export interface SecretKeyChange {
  key: string;
  change: "added" | "removed" | "changed" | "unchanged";
}

export interface PlanRisk {
  kind: "deletion" | "replicas-to-zero" | "rbac" | "image" | "immutable-field";
  /** `high` for what loses data or access (namespaces, volumes, CRDs, replacements). */
  level: "high" | "warning";
  message: string;
}

/** Why the API server refused an object on the dry run (an expected failure, not an error). */
export interface PlanRejection {
  /**
   * `not-allowed`: the clusters file's policy refuses the object (nothing was sent about it);
   * `not-owned`: it exists and is not this environment's (its content is not shown).
   */
  reason: "invalid" | "immutable" | "forbidden" | "conflict" | "not-found" | "unknown-kind" | "duplicate" | "not-allowed" | "not-owned" | "error";
  message: string;
  /** Fields the server named, e.g. `spec.replicas`. */
  fields: Array<{ field: string; message: string }>;
  /** 1-based line of the first named field, when the manifest has it; else the object's line. */
  line?: number;
}

export interface PlannedObject {
  ref: ObjectRef;
  /** What applying would do; for a rejected object, what it was meant to do. */
  action: PlanAction;
  /** Where the object is written; absent for a live object that Git no longer has. */
  file?: string;
  line?: number;
  /** Unified diff of the YAML (`--- live` / `+++ planned`, or base / head offline); empty when unchanged. */
  diff: string;
  /** For a Secret: each key and how it changes; values never appear. */
  secretKeys?: SecretKeyChange[];
  risks: PlanRisk[];
  /** Sentences for a reader, e.g. that the namespace is created by the same change. */
  notes: string[];
  rejection?: PlanRejection;
}

export interface PlanCounts {
  create: number;
  update: number;
  delete: number;
  unchanged: number;
  rejected: number;
}

export interface EnvironmentPlan {
  /** The environment's name in the repository config. */
  environment: string;
  /** The `slipway.dev/environment` label value. */
  environmentId: string;
  /** `live`: desired vs the cluster (server-side dry run); `offline`: base vs head from Git only. */
  mode: "live" | "offline";
  /** For an offline plan: why it is offline, and what it was compared with. */
  offline?: { reason: string; base?: string };
  prune: boolean;
  /** In apply order; deletions last. */
  objects: PlannedObject[];
  /** Objects labelled for this environment that Git no longer has, kept because prune is off. */
  kept: ObjectRef[];
  counts: PlanCounts;
}
