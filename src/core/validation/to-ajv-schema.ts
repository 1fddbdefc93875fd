type Schema = Record<string, unknown>;

const componentPrefix = "#/components/schemas/";

// Types the API server decodes more loosely than their OpenAPI declaration says.
const looseTypes: Record<string, Schema> = {
  "io.k8s.apimachinery.pkg.api.resource.Quantity": { type: ["string", "number"] },
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": { type: ["integer", "string"] },
  "io.k8s.apimachinery.pkg.apis.meta.v1.Time": { type: "string" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": { type: "string" },
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON": {},
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray": {},
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool": {},
  "io.k8s.apimachinery.pkg.runtime.RawExtension": { type: "object" },
};

/** Go's int32 and int64, as JSON numbers (2^63 - 1 is not one, so int64 ends below 2^63). */
export const integerRanges = {
  int32: { minimum: -(2 ** 31), exclusiveMaximum: 2 ** 31 },
  int64: { minimum: -(2 ** 63), exclusiveMaximum: 2 ** 63 },
} as const;

const copied = [
  "type",
  "enum",
  "const",
  "required",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
] as const;

/**
 * Rewrites one Kubernetes OpenAPI v3 schema node into plain JSON Schema for ajv:
 * `$ref`s (bare or wrapped in a one-element `allOf`) point at `refId(name)`, the
 * `x-kubernetes-*` extensions and `nullable` become ordinary keywords, and objects with
 * `properties` reject unknown fields like strict server-side field validation.
 */
export function toAjvSchema(node: unknown, refId: (name: string) => string, componentName?: string): Schema {
  if (componentName !== undefined && looseTypes[componentName]) return looseTypes[componentName];
  if (node === null || typeof node !== "object" || Array.isArray(node)) return {};
  const source = node as Schema;

  const ref = refOf(source);
  if (ref !== undefined) return { $ref: refId(ref) };

  if (source["x-kubernetes-int-or-string"] === true || source.format === "int-or-string") {
    return { type: ["integer", "string"] };
  }

  const out: Schema = {};
  for (const keyword of copied) if (source[keyword] !== undefined) out[keyword] = source[keyword];
  if (source.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  // The server decodes into Go's int32 and int64: a number past their range is refused, not wrapped.
  if (source.type === "integer" && (source.format === "int32" || source.format === "int64")) {
    const range = integerRanges[source.format];
    out.minimum ??= range.minimum;
    if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.exclusiveMaximum = range.exclusiveMaximum;
  }

  const preserveUnknown = source["x-kubernetes-preserve-unknown-fields"] === true;
  if (source.properties && typeof source.properties === "object") {
    const properties: Record<string, Schema> = {};
    for (const [name, child] of Object.entries(source.properties as Record<string, unknown>)) {
      properties[name] = toAjvSchema(child, refId);
    }
    if (source["x-kubernetes-embedded-resource"] === true) {
      properties.apiVersion ??= { type: "string" };
      properties.kind ??= { type: "string" };
      properties.metadata ??= { type: "object" };
    }
    out.properties = properties;
  }
  if (source.additionalProperties !== undefined) {
    out.additionalProperties = typeof source.additionalProperties === "boolean" ? source.additionalProperties : toAjvSchema(source.additionalProperties, refId);
  } else if (out.properties && !preserveUnknown) {
    out.additionalProperties = false;
  }
  if (source.items !== undefined && !Array.isArray(source.items)) out.items = toAjvSchema(source.items, refId);
  for (const combinator of ["allOf", "anyOf", "oneOf"] as const) {
    const list = source[combinator];
    if (Array.isArray(list)) out[combinator] = list.map((child) => toAjvSchema(child, refId));
  }
  if (source.not !== undefined) out.not = toAjvSchema(source.not, refId);
  return out;
}

/** The component a node stands for: `{$ref}` or `{allOf: [{$ref}]}` with nothing else that validates. */
export function refOf(node: Schema): string | undefined {
  if (typeof node.$ref === "string") return nameOf(node.$ref);
  const allOf = node.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && node.properties === undefined && node.type === undefined) {
    const only = allOf[0] as Schema | undefined;
    if (only && typeof only.$ref === "string") return nameOf(only.$ref);
  }
  return undefined;
}

function nameOf(ref: string): string {
  return ref.startsWith(componentPrefix) ? ref.slice(componentPrefix.length) : ref.slice(ref.lastIndexOf("/") + 1);
}
