import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import { loadCompiledValidator } from "./load-compiled-validator.js";
import { groupKind, parseApiVersion } from "../object-identity.js";
import { clusterScopedKinds } from "./cluster-scoped-kinds.js";
import { groupVersionOf } from "./group-version-of.js";
import { refOf, toAjvSchema } from "./to-ajv-schema.js";

/** The bundled OpenAPI v3 documents of one Kubernetes version, as served at `/openapi/v3/<path>`. */
export interface KubernetesSchemaSet {
  /** `major.minor`, e.g. `1.31`. */
  version: string;
  /** Path of the document (`apis/apps/v1.json` or `apis__apps__v1.json`) → parsed document. */
  documents: Record<string, unknown>;
  /** A hash of the documents as read, naming the set in caches. */
  digest?: string;
  /** Group-versions this version does not serve but a later bundled version does → the first such version. */
  laterServed?: Record<string, string>;
}

/** Validates one kind: a fast yes/no, and every error only when there is one. */
export interface KindValidator {
  /** Parts of the schema that were not checked, for the reader (e.g. a pattern RE2 refuses). */
  warnings?: readonly string[];
  isValid(object: unknown): boolean;
  errors(object: unknown): ErrorObject[];
}

export type Scope = "Namespaced" | "Cluster";

export interface SchemaRegistry {
  readonly kubernetesVersion: string;
  /** Undefined when the set has no schema for this apiVersion and kind. */
  validator(apiVersion: string, kind: string): KindValidator | undefined;
  scope(apiVersion: string, kind: string): Scope | undefined;
  /** Whether this Kubernetes version serves the group-version at all (`apps/v1`, `v1`). */
  servesApiVersion(apiVersion: string): boolean;
  /** The first later bundled Kubernetes version that serves a group-version this one does not. */
  firstServedIn(apiVersion: string): string | undefined;
}

interface OpenApiDocument {
  paths?: Record<string, Record<string, { "x-kubernetes-group-version-kind"?: Gvk } | unknown>>;
  components?: { schemas?: Record<string, Record<string, unknown>> };
}

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

const idPrefix = "https://slipway.invalid/kubernetes/";

/** Both ajv flavours share these: formats are not checked (the server checks few), union types are used. */
export const ajvBaseOptions = {
  strict: false,
  validateFormats: false,
  allowUnionTypes: true,
  validateSchema: false,
  // Generated code runs as fast unoptimized; compiling the pod spec tree takes half the time.
  code: { optimize: false },
} as const;

/**
 * Where compiled validators (ajv's standalone code) are kept between runs; keys already name the
 * schema set, the Slipway version and the kind. A missing or damaged entry means "compile".
 */
export interface CompiledValidatorCache {
  get(key: string): string | undefined;
  set(key: string, code: string): void;
}

/**
 * Indexes a schema set by group/version/kind and compiles a kind's validator on first use.
 * Component schemas are shared by name across group-versions and compiled once per ajv
 * instance, so the second Deployment costs nothing and a Pod reuses the Container schema.
 * With a cache, a kind compiled in an earlier run is loaded from its generated code instead.
 */
export function createSchemaRegistry(set: KubernetesSchemaSet, options: { cache?: CompiledValidatorCache } = {}): SchemaRegistry {
  const { cache } = options;
  const components = new Map<string, Record<string, unknown>>();
  const kinds = new Map<string, string>();
  const namespaced = new Set<string>();
  const served = new Set<string>();
  const groupVersions = new Set<string>();

  // Prefer a kind's own group-version document when several carry its schema.
  const documentNames = Object.keys(set.documents).sort();
  for (const documentName of documentNames) {
    const document = set.documents[documentName] as OpenApiDocument;
    groupVersions.add(groupVersionOf(documentName));
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      if (!components.has(name)) components.set(name, schema);
      const gvks = schema["x-kubernetes-group-version-kind"];
      if (!Array.isArray(gvks)) continue;
      for (const gvk of gvks as Gvk[]) {
        const key = gvkKey(gvk.group, gvk.version, gvk.kind);
        if (!kinds.has(key) || sameGroupVersion(documentName, gvk)) kinds.set(key, name);
      }
    }
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const operation of Object.values(item ?? {})) {
        const gvk = (operation as { "x-kubernetes-group-version-kind"?: Gvk } | null)?.["x-kubernetes-group-version-kind"];
        if (!gvk) continue;
        const key = gvkKey(gvk.group, gvk.version, gvk.kind);
        served.add(key);
        if (path.includes("{namespace}")) namespaced.add(key);
      }
    }
  }

  // Generated source is kept only when it is to be cached.
  const code = cache ? { ...ajvBaseOptions.code, source: true } : ajvBaseOptions.code;
  const fast = new Ajv({ ...ajvBaseOptions, code, allErrors: false });
  const detailed = new Ajv({ ...ajvBaseOptions, code, allErrors: true, verbose: true });
  const added = new Map<Ajv, Set<string>>([
    [fast, new Set()],
    [detailed, new Set()],
  ]);
  const validators = new Map<string, KindValidator>();
  const refId = (name: string) => `${idPrefix}${encodeURIComponent(name)}`;

  // Registers every component reachable from `name`, so compiling it finds each `$ref`.
  const register = (ajv: Ajv, name: string): void => {
    const done = added.get(ajv)!;
    const pending = [name];
    while (pending.length > 0) {
      const next = pending.pop()!;
      if (done.has(next)) continue;
      done.add(next);
      const raw = components.get(next);
      ajv.addSchema(raw === undefined ? {} : toAjvSchema(raw, refId, next), refId(next));
      if (raw !== undefined) collectRefs(raw, pending);
    }
  };

  const compile = (ajv: Ajv, name: string): ValidateFunction => {
    const key = `${ajv === fast ? "fast" : "detailed"}:${name}`;
    const cached = cache?.get(key);
    const loaded = cached === undefined ? undefined : loadCompiledValidator(cached);
    if (loaded) return loaded;
    register(ajv, name);
    const validate = ajv.getSchema(refId(name))!;
    if (cache) cache.set(key, standaloneCode.default(ajv, validate));
    return validate;
  };

  return {
    kubernetesVersion: set.version,
    validator(apiVersion, kind) {
      const key = keyOf(apiVersion, kind);
      const name = kinds.get(key);
      if (name === undefined) return undefined;
      let validator = validators.get(key);
      if (validator === undefined) {
        let quick: ValidateFunction | undefined;
        let thorough: ValidateFunction | undefined;
        validator = {
          isValid: (object) => (quick ??= compile(fast, name))(object) as boolean,
          errors: (object) => {
            thorough ??= compile(detailed, name);
            return thorough(object) ? [] : [...(thorough.errors ?? [])];
          },
        };
        validators.set(key, validator);
      }
      return validator;
    },
    servesApiVersion: (apiVersion) => groupVersions.has(apiVersion),
    firstServedIn: (apiVersion) => set.laterServed?.[apiVersion],
    scope(apiVersion, kind) {
      const key = keyOf(apiVersion, kind);
      if (namespaced.has(key)) return "Namespaced";
      if (served.has(key)) return "Cluster";
      if (!kinds.has(key)) return undefined;
      return clusterScopedKinds.has(groupKind({ apiVersion, kind })) ? "Cluster" : "Namespaced";
    },
  };
}

function collectRefs(node: unknown, into: string[]): void {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const child of node) collectRefs(child, into);
    return;
  }
  const ref = refOf(node as Record<string, unknown>);
  if (ref !== undefined) into.push(ref);
  for (const child of Object.values(node)) collectRefs(child, into);
}

function keyOf(apiVersion: string, kind: string): string {
  const { group, version } = parseApiVersion(apiVersion);
  return gvkKey(group, version, kind);
}

function gvkKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

function sameGroupVersion(documentName: string, gvk: Gvk): boolean {
  const normalized = documentName
    .replace(/\.json$/, "")
    .split("/")
    .join("__");
  return normalized === (gvk.group === "" ? `api__${gvk.version}` : `apis__${gvk.group}__${gvk.version}`);
}
