import { availableParallelism } from "node:os";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import type { LoadManifestsResult, ManifestLimits } from "../core/manifests/load-manifests.js";
import { readManifestFiles } from "../core/manifests/read-manifest-files.js";
import type { SourceTree } from "../core/manifests/source-tree.js";
import type { EnvironmentPlan } from "../core/plan/environment-plan.js";
import type { PlanObjectsParams } from "../core/plan/plan-objects.js";
import type { PlanOfflineParams } from "../core/plan/plan-offline.js";
import type { ValidateEnvironmentParams } from "../core/validation/validate-environment.js";
import type { EnvironmentValidation, ValidationResult } from "../core/validation/validation-result.js";
import { indexYamlPositions, type LineOf } from "../core/yaml/index-yaml-positions.js";
import { mapLimited } from "../core/map-limited.js";
import type { PlanObjectsTask, SourceRef, ValidateTask, WireManifests, WireSource, WorkResults, WorkTask } from "./work-tasks.js";

/**
 * The CPU-heavy steps of a job, off the main thread and within a budget: async stand-ins for
 * the core functions of the same names, so webhooks, commands and other jobs go on while a
 * hostile repository is parsed, validated or diffed.
 */
export interface WorkPool {
  loadManifests(params: { tree: SourceTree; path: string; limits: ManifestLimits }): Promise<LoadManifestsResult>;
  /** `schemas` must come from the bundled schemas (the worker reads its own copy by version). */
  validateEnvironment(params: ValidateEnvironmentParams): Promise<EnvironmentValidation>;
  planOffline(params: PlanOfflineParams): Promise<EnvironmentPlan>;
  planObjects(params: PlanObjectsParams): Promise<EnvironmentPlan>;
  close(): Promise<void>;
}

export interface WorkPoolOptions {
  /** Where the bundled Kubernetes schemas live, for validation in the workers. */
  schemaRoot: string;
  /** Worker threads; default: the cores this process may use. */
  threads?: number;
  /** Wall-clock time one task may run before its worker is stopped; default 20 s. */
  timeoutMs?: number;
  /** Heap one worker may use before it is stopped; default 512 MB. */
  memoryMb?: number;
}

/** A task past its budget: the worker was stopped; `exceeded` (e.g. "took more than 20 s, ...") goes in a finding. */
type Outcome<T> = { ok: true; value: T } | { ok: false; exceeded: string };

const defaultTimeoutMs = 20_000;
const defaultMemoryMb = 512;
const utf8 = new TextDecoder("utf-8", { ignoreBOM: false });

/**
 * Starts a pool of worker threads (piscina) that run work-tasks.ts. Each task gets a free
 * thread at once (tasks beyond the pool wait here, not in the pool, so waiting does not count
 * against the budget), a timer that stops its worker, and a heap limit; a task past either
 * comes back as a sentence for the reader, and the pool replaces the worker.
 */
export function createWorkPool(options: WorkPoolOptions): WorkPool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const memoryMb = options.memoryMb ?? defaultMemoryMb;
  // From dist/ (production) the tasks are plain JavaScript; from the TypeScript sources (tests,
  // tsx) a worker thread does not inherit the loader, so a small module registers it first.
  const fromSources = extname(fileURLToPath(import.meta.url)) === ".ts";
  const filename = fileURLToPath(new URL(fromSources ? "./work-tasks-from-sources.mjs" : "./work-tasks.js", import.meta.url));
  const pool = new Piscina({
    filename,
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.ceil(memoryMb / 8)) },
  });
  const timeBudget = `${Math.round(timeoutMs / 100) / 10} s`;
  const memoryBudget = `${memoryMb} MB`;

  let running = 0;
  const waiting: Array<() => void> = [];
  // A finished task hands its thread straight to the next waiting one.
  const acquire = (): Promise<void> => (running < threads ? ((running += 1), Promise.resolve()) : new Promise((resolve) => waiting.push(resolve)));
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  // Starting a worker (loading Slipway's modules) is not the task's time: while workers may be
  // starting, a task first waits for one to answer, without a timer.
  let cold = threads;
  const run = async <Kind extends WorkTask["kind"]>(work: WorkTask & { kind: Kind }): Promise<Outcome<WorkResults[Kind]>> => {
    await acquire();
    if (cold > 0) {
      cold -= 1;
      await pool.run({ kind: "ready" } satisfies WorkTask);
    }
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      // A worker answers each kind of task with that kind's result (`runWorkTask`); piscina types it as any.
      const value: WorkResults[Kind] = await pool.run(work, { signal: abort.signal });
      return { ok: true, value };
    } catch (error) {
      // Either way the worker is gone, and its replacement starts cold.
      if (abort.signal.aborted) {
        cold += 1;
        return { ok: false, exceeded: `took more than ${timeBudget}, Slipway's time budget for one task` };
      }
      if ((error as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY") {
        cold += 1;
        return { ok: false, exceeded: `ran out of Slipway's memory budget for one task (${memoryBudget})` };
      }
      throw error;
    } finally {
      clearTimeout(timer);
      release();
    }
  };

  // Each manifest the pool loaded keeps the way back to its YAML, so its lines can be found in a worker.
  const sourceOf = new WeakMap<LineOf, { file: FileSource; documentIndex: number; listIndex?: number; line: number }>();
  const wire = () => {
    const sources: WireSource[] = [];
    const index = new Map<FileSource, number>();
    const at = (lineOf: LineOf | undefined): SourceRef | undefined => {
      const found = lineOf && sourceOf.get(lineOf);
      if (!found) return undefined;
      let source = index.get(found.file);
      if (source === undefined) {
        source = sources.push({ text: found.file.text(), maxDepth: found.file.maxDepth }) - 1;
        index.set(found.file, source);
      }
      return { source, documentIndex: found.documentIndex, ...(found.listIndex !== undefined ? { listIndex: found.listIndex } : {}), line: found.line };
    };
    return { sources, at };
  };

  return {
    async loadManifests(params) {
      const read = await readManifestFiles(params);
      const result: LoadManifestsResult = { objects: [], errors: [...read.errors], files: read.files.length };
      // One task per file, so a budget exceeded names the file.
      const parsed = await mapLimited(read.files, threads, async (file): Promise<Outcome<WireManifests> | undefined> =>
        file.read.ok ? await run({ kind: "parseManifests", task: { read: { errors: [], files: [file] }, limits: params.limits } }) : undefined,
      );
      read.files.forEach((file, i) => {
        const outcome = parsed[i];
        if (!file.read.ok || outcome === undefined) {
          if (!file.read.ok) result.errors.push({ file: file.path, line: 0, message: file.read.message });
          return;
        }
        if (!outcome.ok) {
          result.errors.push({ file: file.path, line: 0, message: `reading this file ${outcome.exceeded}; nothing in it was checked` });
          return;
        }
        for (const error of outcome.value.errors) result.errors.push(error);
        const source = fileSource(file.read.bytes, params.limits.maxDepth);
        for (const manifest of outcome.value.objects) {
          const lineOf = lazyLineOf(source, manifest.documentIndex, manifest.listIndex, manifest.line);
          sourceOf.set(lineOf, {
            file: source,
            documentIndex: manifest.documentIndex,
            ...(manifest.listIndex !== undefined ? { listIndex: manifest.listIndex } : {}),
            line: manifest.line,
          });
          result.objects.push({ ...manifest, lineOf });
        }
      });
      return result;
    },

    async validateEnvironment(params) {
      const { sources, at } = wire();
      const manifests = { ...params.manifests, objects: params.manifests.objects.map((manifest) => stripLineOf(manifest, at)) };
      // Everything but the manifests' functions and the compiled schemas crosses as it is.
      const { manifests: _manifests, schemas, ...rest } = params;
      const task: ValidateTask = {
        ...rest,
        manifests,
        sources,
        schemas: schemas ? { root: options.schemaRoot, version: schemas.kubernetesVersion } : undefined,
      };
      const outcome = await run({ kind: "validate", task });
      if (outcome.ok) return outcome.value;
      // The load errors still count; the objects were not checked.
      const results: ValidationResult[] = params.manifests.errors.map((error) => ({
        status: "error",
        severity: "error",
        file: error.file,
        line: error.line,
        check: "yaml",
        message: error.message,
      }));
      const first = params.manifests.objects[0];
      results.push({
        status: "error",
        severity: "error",
        file: first?.file ?? ".",
        line: 0,
        check: "budget",
        message: `validating the ${params.manifests.objects.length} objects of environment ${params.environment.name} ${outcome.exceeded}; they were not checked`,
      });
      return { environment: params.environment.name, objects: params.manifests.objects.length, results };
    },

    async planOffline(params) {
      const strip = ({ object, file, line }: PlanOfflineParams["head"][number]) => ({ object, file, line });
      const outcome = await run({ kind: "planOffline", task: { ...params, base: params.base.map(strip), head: params.head.map(strip) } });
      if (outcome.ok) return outcome.value;
      throw new Error(`planning environment ${params.environment ?? params.environmentId} ${outcome.exceeded}`);
    },

    async planObjects(params) {
      const { sources, at } = wire();
      const task: PlanObjectsTask = { ...params, desired: params.desired.map((desired) => stripLineOf(desired, at)), sources };
      const outcome = await run({ kind: "planObjects", task });
      if (outcome.ok) return outcome.value;
      throw new Error(`planning environment ${params.environment ?? params.environmentId} ${outcome.exceeded}`);
    },

    async close() {
      await pool.destroy();
    },
  };
}

interface FileSource {
  text(): string;
  maxDepth: number;
}

function fileSource(bytes: Uint8Array, maxDepth: number): FileSource {
  let text: string | undefined;
  return { text: () => (text ??= utf8.decode(bytes)), maxDepth };
}

/** On this thread only if something here asks for a line; validation and plans ask in a worker. */
function lazyLineOf(source: FileSource, documentIndex: number, listIndex: number | undefined, line: number): LineOf {
  let positions: Array<LineOf | undefined> | undefined;
  return (path) => {
    positions ??= indexYamlPositions(source.text(), source.maxDepth);
    return positions[documentIndex]?.(listIndex === undefined ? path : ["items", listIndex, ...path]) ?? line;
  };
}

function stripLineOf<T extends { lineOf?: LineOf }>(
  item: T,
  at: (lineOf: LineOf | undefined) => SourceRef | undefined,
): Omit<T, "lineOf"> & { at?: SourceRef } {
  const { lineOf, ...rest } = item;
  const ref = at(lineOf);
  return ref ? { ...rest, at: ref } : rest;
}
