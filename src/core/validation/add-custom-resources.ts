import { Ajv, type ValidateFunction } from "ajv";
import { ajvBaseOptions, type KindValidator, type SchemaRegistry, type Scope } from "./create-schema-registry.js";
import { findRefusedPatterns } from "./find-refused-patterns.js";
import { linearRegExp } from "./linear-reg-exp.js";
import { toAjvSchema } from "./to-ajv-schema.js";

interface CustomResource {
  scope: Scope;
  /** Undefined when the version declares no schema: anything goes, as on the server. */
  schema: Record<string, unknown> | undefined;
}

// A repository writes these schemas: their patterns run on RE2, never on a backtracking engine.
const crdOptions = { ...ajvBaseOptions, code: { ...ajvBaseOptions.code, regExp: linearRegExp } };
// Made on first use: a run without CRDs never pays for them.
let instances: { fast: Ajv; detailed: Ajv } | undefined;
const ajvInstances = () =>
  (instances ??= { fast: new Ajv({ ...crdOptions, allErrors: false }), detailed: new Ajv({ ...crdOptions, allErrors: true, verbose: true }) });
const compiled = new Map<string, { validator: KindValidator; schema: Record<string, unknown> }>();
const maxCompiled = 500;

/**
 * Layers the CustomResourceDefinitions found in an environment over a registry, so custom
 * resources in the same repository validate against the `openAPIV3Schema` of each served
 * version. Compiled validators are cached by schema text, across environments and pushes.
 */
export function addCustomResources(base: SchemaRegistry | undefined, definitions: ReadonlyArray<Record<string, unknown>>): SchemaRegistry | undefined {
  const resources = new Map<string, CustomResource>();
  for (const definition of definitions) {
    const spec = definition.spec as Record<string, unknown> | undefined;
    const group = typeof spec?.group === "string" ? spec.group : undefined;
    const kind = (spec?.names as Record<string, unknown> | undefined)?.kind;
    if (group === undefined || typeof kind !== "string" || !Array.isArray(spec?.versions)) continue;
    const scope: Scope = spec.scope === "Cluster" ? "Cluster" : "Namespaced";
    for (const version of spec.versions as Array<Record<string, unknown>>) {
      if (typeof version?.name !== "string" || version.served === false) continue;
      const schema = (version.schema as Record<string, unknown> | undefined)?.openAPIV3Schema as Record<string, unknown> | undefined;
      resources.set(`${group}/${version.name}/${kind}`, { scope, schema });
    }
  }
  if (resources.size === 0) return base;
  const groupVersions = new Set([...resources.keys()].map((key) => key.slice(0, key.lastIndexOf("/"))));

  return {
    kubernetesVersion: base?.kubernetesVersion ?? "",
    validator(apiVersion, kind) {
      const resource = resources.get(`${apiVersion}/${kind}`);
      if (resource === undefined) return base?.validator(apiVersion, kind);
      return validatorFor(resource.schema);
    },
    scope(apiVersion, kind) {
      return resources.get(`${apiVersion}/${kind}`)?.scope ?? base?.scope(apiVersion, kind);
    },
    servesApiVersion: (apiVersion) => groupVersions.has(apiVersion) || (base?.servesApiVersion(apiVersion) ?? false),
    firstServedIn: (apiVersion) => base?.firstServedIn(apiVersion),
  };
}

function validatorFor(openApiSchema: Record<string, unknown> | undefined): KindValidator {
  const root = toAjvSchema(openApiSchema ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true }, (name) => name);
  // Every object may carry apiVersion, kind and metadata, whatever its schema lists.
  if (root.properties) {
    root.properties = { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" }, ...(root.properties as object) };
  }
  const key = JSON.stringify(root);
  const cached = compiled.get(key);
  if (cached) return cached.validator;

  const { fast, detailed } = ajvInstances();
  let validator: KindValidator;
  try {
    const quick = fast.compile(root);
    let thorough: ValidateFunction | undefined;
    const warnings = findRefusedPatterns(root).map(
      ({ pattern, reason }) =>
        `pattern ${JSON.stringify(pattern)} in the CustomResourceDefinition's schema is not checked: RE2, the engine the API server uses, refuses it (${reason})`,
    );
    validator = {
      ...(warnings.length > 0 ? { warnings } : {}),
      isValid: (object) => quick(object) as boolean,
      errors: (object) => {
        thorough ??= detailed.compile(root);
        return thorough(object) ? [] : [...(thorough.errors ?? [])];
      },
    };
  } catch (error) {
    const message = `the CustomResourceDefinition's schema cannot be used: ${error instanceof Error ? error.message : String(error)}`;
    validator = {
      isValid: () => false,
      errors: () => [{ keyword: "crdSchema", instancePath: "", schemaPath: "#", params: {}, message }],
    };
  }
  // A long-running App sees many CRDs over time: forget the oldest, in ajv too.
  if (compiled.size >= maxCompiled) {
    const [oldestKey, oldest] = compiled.entries().next().value as [string, { schema: Record<string, unknown> }];
    compiled.delete(oldestKey);
    fast.removeSchema(oldest.schema);
    detailed.removeSchema(oldest.schema);
  }
  compiled.set(key, { validator, schema: root });
  return validator;
}
