import type { LoadManifestsResult, ManifestObject } from "../manifests/load-manifests.js";
import { clusterScopedKinds } from "./cluster-scoped-kinds.js";
import { checkClusterPolicy } from "../policy/check-cluster-policy.js";
import type { ClusterPolicy } from "../policy/cluster-policy.js";
import { addCustomResources } from "./add-custom-resources.js";
import { checkRules, type RuleLevels } from "./check-rules.js";
import type { SchemaRegistry } from "./create-schema-registry.js";
import { describeSchemaError } from "./describe-schema-error.js";
import { removedApiVersion } from "./removed-api-version.js";
import type { EnvironmentValidation, ValidationResult } from "./validation-result.js";
import { groupKind, objectKey, type ObjectRef } from "../object-identity.js";

export interface ValidateEnvironmentParams {
  environment: { name: string; namespace?: string };
  manifests: LoadManifestsResult;
  /** The bundled schemas for the configured Kubernetes version; without them the schema check is left to the caller to report. */
  schemas: SchemaRegistry | undefined;
  unknownKinds: "warn" | "error";
  rules: RuleLevels;
  /** What the server's clusters file lets repositories manage on this environment's cluster; undefined: no cluster is named (the command line without a clusters file). */
  policy?: ClusterPolicy;
}

const maxSchemaErrorsPerObject = 20;

const policyChecks = {
  namespace: "structure/namespace-not-allowed",
  "cluster-resource": "policy/cluster-resource",
  "denied-kind": "policy/denied-kind",
} as const;

/**
 * Validates one environment's objects, in order:
 * 1. load errors become results;
 * 2. structure: apiVersion, kind and metadata.name present;
 * 3. schema: the kind's OpenAPI schema (CRDs in the environment included), or skipped when unknown;
 * 4. scope and the cluster's policy: no namespace on cluster-scoped kinds; allowed namespaces,
 *    cluster-scoped kinds and no denied kind (checkClusterPolicy);
 * 5. the same object defined twice;
 * 6. policy rules at their configured level.
 * An object with no finding gets one `valid` result.
 */
export function validateEnvironment(params: ValidateEnvironmentParams): EnvironmentValidation {
  const { manifests, environment, unknownKinds, rules, policy } = params;
  const results: ValidationResult[] = manifests.errors.map((error) => ({
    status: "error",
    severity: "error",
    file: error.file,
    line: error.line,
    check: "yaml",
    message: error.message,
  }));

  // A CRD of an API version the target no longer serves defines nothing there: its custom resources can't be checked.
  const definitions: Array<Record<string, unknown>> = [];
  const unservedDefinitions = new Map<string, ManifestObject>();
  for (const manifest of manifests.objects) {
    const { object } = manifest;
    if (object.kind !== "CustomResourceDefinition" || !String(object.apiVersion).startsWith("apiextensions.k8s.io/")) continue;
    if (params.schemas === undefined || params.schemas.servesApiVersion(String(object.apiVersion))) {
      definitions.push(object);
      continue;
    }
    const spec = isRecord(object.spec) ? object.spec : {};
    const definedKind = isRecord(spec.names) ? spec.names.kind : undefined;
    if (typeof spec.group === "string" && typeof definedKind === "string") unservedDefinitions.set(`${spec.group}/${definedKind}`, manifest);
  }
  const schemas = addCustomResources(params.schemas, definitions);
  const seen = new Map<string, ManifestObject>();

  for (const manifest of manifests.objects) {
    const { object } = manifest;
    const findings: ValidationResult[] = [];
    const apiVersion = typeof object.apiVersion === "string" && object.apiVersion !== "" ? object.apiVersion : undefined;
    const kind = typeof object.kind === "string" && object.kind !== "" ? object.kind : undefined;
    const metadata = isRecord(object.metadata) ? object.metadata : {};
    const name = typeof metadata.name === "string" && metadata.name !== "" ? metadata.name : undefined;
    const declaredNamespace = typeof metadata.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : undefined;
    const scope = apiVersion && kind ? schemas?.scope(apiVersion, kind) : undefined;
    const namespace = scope === "Cluster" ? declaredNamespace : (declaredNamespace ?? environment.namespace);
    const ref: Partial<ObjectRef> = { apiVersion, kind, namespace, name };

    const add = (
      check: string,
      severity: "error" | "warning",
      message: string,
      path: Array<string | number> = [],
      status: ValidationResult["status"] = "invalid",
    ) => findings.push({ status, severity, file: manifest.file, line: manifest.lineOf(path), object: ref, check, message });

    if (!apiVersion) add("structure/missing-field", "error", "apiVersion is required", ["apiVersion"]);
    if (!kind) add("structure/missing-field", "error", "kind is required", ["kind"]);
    if (!name) {
      const generated = typeof metadata.generateName === "string" && metadata.generateName !== "";
      add(
        "structure/missing-field",
        "error",
        generated
          ? "metadata.name is required: Slipway applies with server-side apply, which needs a name (metadata.generateName is not enough)"
          : "metadata.name is required",
        ["metadata", generated ? "generateName" : "name"],
      );
    }

    const unserved =
      apiVersion && kind && schemas && !schemas.servesApiVersion(apiVersion) ? describeUnserved(apiVersion, kind, schemas, unservedDefinitions) : undefined;
    if (unserved) {
      add(
        unserved.check,
        unserved.check === "schema/definition-not-served" ? (unknownKinds === "error" ? "error" : "warning") : "error",
        unserved.message,
        ["apiVersion"],
        unserved.check === "schema/definition-not-served" ? "skipped" : "invalid",
      );
    } else if (apiVersion && kind && schemas) {
      const validator = schemas.validator(apiVersion, kind);
      if (validator === undefined) {
        add(
          "schema/unknown-kind",
          unknownKinds === "error" ? "error" : "warning",
          `no schema for ${kind} in ${apiVersion} (Kubernetes ${params.schemas?.kubernetesVersion ?? "?"}); not validated`,
          ["kind"],
          "skipped",
        );
      } else {
        for (const warning of validator.warnings ?? []) add("schema/pattern-not-checked", "warning", warning, [], "skipped");
        const subject = withoutNulls(object);
        if (!validator.isValid(subject)) {
          const problems = dedupe(validator.errors(subject).map(describeSchemaError));
          for (const problem of problems.slice(0, maxSchemaErrorsPerObject)) add("schema", "error", problem.message, problem.path);
          if (problems.length > maxSchemaErrorsPerObject) add("schema", "error", `and ${problems.length - maxSchemaErrorsPerObject} more schema errors`);
        }
      }
    }

    if (scope === "Cluster" && declaredNamespace) {
      add("structure/cluster-scoped-namespace", "error", `${kind} is cluster-scoped: remove metadata.namespace`, ["metadata", "namespace"]);
    }
    if (policy && apiVersion && kind) {
      // Without a schema, the built-in kinds known to be cluster-scoped still count as such.
      const namespaced =
        scope === "Cluster" ? false : scope === "Namespaced" ? true : clusterScopedKinds.has(groupKind({ apiVersion, kind })) ? false : undefined;
      const refusal = checkClusterPolicy(policy, { apiVersion, kind, name: name ?? "", namespace, namespaced });
      if (refusal) add(policyChecks[refusal.rule], "error", refusal.message, refusal.path);
    }

    if (kind && name) {
      const key = objectKey({ apiVersion: apiVersion ?? "", kind, name, ...(namespace ? { namespace } : {}) });
      const first = seen.get(key);
      if (first) {
        add("structure/duplicate", "error", `${kind} ${namespace ? `${namespace}/` : ""}${name} is already defined at ${first.file}:${first.line}`, [
          "metadata",
          "name",
        ]);
      } else {
        seen.set(key, manifest);
      }
    }

    for (const finding of checkRules(object, rules)) {
      add(`rule/${finding.rule}`, rules[finding.rule] === "error" ? "error" : "warning", finding.message, finding.path);
    }

    if (findings.length === 0) {
      results.push({ status: "valid", severity: "info", file: manifest.file, line: manifest.line, object: ref, check: "valid", message: "valid" });
    } else {
      for (const finding of findings) results.push(finding);
    }
  }

  // Reading order: by file, then line; ties keep the order of the checks.
  results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { environment: environment.name, objects: manifests.objects.length, results };
}

/**
 * Why the target Kubernetes version does not serve an object's API version, when that is known:
 * removed (and what replaces it), first served later, or its CustomResourceDefinition is itself of
 * a removed version. Otherwise undefined, and the object is an unknown kind like any other.
 */
function describeUnserved(
  apiVersion: string,
  kind: string,
  schemas: SchemaRegistry,
  unservedDefinitions: Map<string, ManifestObject>,
): { check: string; message: string } | undefined {
  const target = schemas.kubernetesVersion;
  const removed = removedApiVersion(apiVersion, kind, target);
  if (removed) {
    const instead = removed.use ? `; use ${removed.use}` : "; nothing replaces it";
    return {
      check: "schema/removed-api-version",
      message: `${kind} ${apiVersion} was removed in Kubernetes ${removed.removedIn}${instead} (validating for Kubernetes ${target})`,
    };
  }
  const later = schemas.firstServedIn(apiVersion);
  if (later) {
    return {
      check: "schema/unserved-api-version",
      message: `${apiVersion} is not served by Kubernetes ${target}: the bundled schemas first serve it in Kubernetes ${later}`,
    };
  }
  const definition = unservedDefinitions.get(groupKind({ apiVersion, kind }));
  if (definition) {
    return {
      check: "schema/definition-not-served",
      message: `${kind} ${apiVersion} cannot be checked: its CustomResourceDefinition (${definition.file}:${definition.line}) is ${String(definition.object.apiVersion)}, which Kubernetes ${target} does not serve`,
    };
  }
  return undefined;
}

// YAML's `field:` (null) means "not set" to the API server; the schemas say nothing of null.
function withoutNulls(value: unknown): unknown {
  if (!hasNull(value)) return value;
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) if (child !== null) out[key] = withoutNulls(child);
    return out;
  }
  return value;
}

function hasNull(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== "object") return false;
  if (Array.isArray(value)) {
    for (const item of value) if (item === null || (typeof item === "object" && hasNull(item))) return true;
    return false;
  }
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key];
    if (child === null || (typeof child === "object" && hasNull(child))) return true;
  }
  return false;
}

function dedupe<T extends { message: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.message) && (seen.add(item.message), true));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
