// The worker side of the work pool (createWorkPool): each export is one kind of task, a thin
// wrapper over a pure core function. Arguments and results cross the thread boundary by
// structured clone, so functions (a manifest's `lineOf`) travel as the YAML source they come from.
import { parseManifestFiles } from "../core/manifests/parse-manifest-files.js";
import type { ManifestFiles } from "../core/manifests/read-manifest-files.js";
import type { LoadManifestsResult, ManifestLimits } from "../core/manifests/load-manifests.js";
import type { EnvironmentPlan } from "../core/plan/environment-plan.js";
import { planObjects as planObjectsCore, type PlanObjectsParams } from "../core/plan/plan-objects.js";
import { planOffline as planOfflineCore, type PlanOfflineParams } from "../core/plan/plan-offline.js";
import type { EnvironmentValidation } from "../core/validation/validation-result.js";
import { validateEnvironment, type ValidateEnvironmentParams } from "../core/validation/validate-environment.js";
import { indexYamlPositions, type LineOf } from "../core/yaml/index-yaml-positions.js";
import { createSchemaRegistryCache, type SchemaRegistryLookup } from "../schemas/create-schema-registry-cache.js";

/** Where a manifest's lines can be found again: its file's YAML, by index into the task's `sources`. */
export interface SourceRef {
  source: number;
  documentIndex: number;
  /** The object's index in its List document's `items`, when it came from one. */
  listIndex?: number;
  line: number;
}

export interface WireSource {
  text: string;
  maxDepth: number;
}

export type WireManifest = Omit<LoadManifestsResult["objects"][number], "lineOf"> & { at?: SourceRef };

export interface WireManifests {
  objects: WireManifest[];
  errors: LoadManifestsResult["errors"];
  files: number;
}

export interface ParseTask {
  read: ManifestFiles;
  limits: ManifestLimits;
}

export interface ValidateTask extends Omit<ValidateEnvironmentParams, "manifests" | "schemas"> {
  manifests: WireManifests;
  sources: WireSource[];
  /** The bundled schemas by version, read in this worker once; undefined: none. */
  schemas: { root: string; version: string } | undefined;
}

export interface PlanObjectsTask extends Omit<PlanObjectsParams, "desired"> {
  desired: Array<Omit<PlanObjectsParams["desired"][number], "lineOf"> & { at?: SourceRef }>;
  sources: WireSource[];
}

/** One task for a worker: which core function, and its arguments. */
export type WorkTask =
  | { kind: "ready" }
  | { kind: "parseManifests"; task: ParseTask }
  | { kind: "validate"; task: ValidateTask }
  | { kind: "planOffline"; task: PlanOfflineParams }
  | { kind: "planObjects"; task: PlanObjectsTask };

/** What a worker answers to each kind of task. */
export interface WorkResults {
  ready: undefined;
  parseManifests: WireManifests;
  validate: EnvironmentValidation;
  planOffline: EnvironmentPlan;
  planObjects: EnvironmentPlan;
}

/** The worker's entry point (piscina calls the default export with each task). */
export default async function runWorkTask(work: WorkTask): Promise<WorkResults[WorkTask["kind"]]> {
  switch (work.kind) {
    case "ready":
      return undefined;
    case "parseManifests":
      return parseManifests(work.task);
    case "validate":
      return validate(work.task);
    case "planOffline":
      return planOfflineCore(work.task);
    case "planObjects":
      return planObjects(work.task);
  }
}

function parseManifests(task: ParseTask): WireManifests {
  const loaded = parseManifestFiles(task.read, task.limits);
  return { ...loaded, objects: loaded.objects.map(({ lineOf: _lineOf, ...manifest }) => manifest) };
}

async function validate(task: ValidateTask): Promise<EnvironmentValidation> {
  const lineOf = linesFrom(task.sources);
  const lookup = task.schemas ? await registryCache(task.schemas.root)(task.schemas.version) : undefined;
  return validateEnvironment({
    ...task,
    manifests: { ...task.manifests, objects: task.manifests.objects.map(({ at, ...manifest }) => ({ ...manifest, lineOf: lineOf(at, manifest.line) })) },
    schemas: lookup?.ok ? lookup.registry : undefined,
  });
}

function planObjects(task: PlanObjectsTask): EnvironmentPlan {
  const lineOf = linesFrom(task.sources);
  return planObjectsCore({ ...task, desired: task.desired.map(({ at, ...desired }) => ({ ...desired, lineOf: lineOf(at, desired.line) })) });
}

// One cache per schema root for the life of the worker, as on the main thread.
const caches = new Map<string, (version: string | undefined) => Promise<SchemaRegistryLookup>>();
function registryCache(root: string) {
  let cache = caches.get(root);
  if (!cache) caches.set(root, (cache = createSchemaRegistryCache(root)));
  return cache;
}

/** A `lineOf` per manifest, indexing its file's YAML only when a line is asked for. */
function linesFrom(sources: WireSource[]): (at: SourceRef | undefined, line: number) => LineOf {
  const positions = new Map<number, Array<LineOf | undefined>>();
  return (at, line) => (path) => {
    if (at === undefined) return line;
    let found = positions.get(at.source);
    if (!found) positions.set(at.source, (found = indexYamlPositions(sources[at.source]!.text, sources[at.source]!.maxDepth)));
    return found[at.documentIndex]?.(at.listIndex === undefined ? path : ["items", at.listIndex, ...path]) ?? at.line;
  };
}
