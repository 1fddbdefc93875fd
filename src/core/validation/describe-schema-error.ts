import type { ErrorObject } from "ajv";
import { closestWord } from "../yaml/closest-word.js";
import { formatFieldPath } from "../yaml/format-field-path.js";
import { pathFromJsonPointer } from "../yaml/path-from-json-pointer.js";
import { integerRanges } from "./to-ajv-schema.js";

export interface SchemaProblem {
  /** Path of the field the line should point at. */
  path: Array<string | number>;
  message: string;
}

/**
 * One ajv error as a sentence about the field, e.g. `spec.replicas: must be integer`.
 * Never quotes the offending value: it may be a Secret's.
 */
export function describeSchemaError(error: ErrorObject): SchemaProblem {
  const path = pathFromJsonPointer(error.instancePath);
  const field = formatFieldPath(path);
  const prefix = field === "" ? "" : `${field}: `;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const extra = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const guess = closestWord(extra, known);
      return { path: [...path, extra], message: `${formatFieldPath([...path, extra])}: unknown field${guess ? ` (did you mean ${guess}?)` : ""}` };
    }
    case "required":
      return { path, message: `${formatFieldPath([...path, String(params.missingProperty)])}: required field is missing` };
    case "type": {
      const types = String(params.type).split(",");
      return { path, message: `${prefix}must be ${types.join(" or ")}` };
    }
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(", ");
      return { path, message: `${prefix}must be one of ${allowed}` };
    }
    case "minimum":
    case "exclusiveMaximum": {
      const bits = Object.entries(integerRanges).find(([, range]) => range[error.keyword as "minimum" | "exclusiveMaximum"] === params.limit)?.[0];
      if (bits) return { path, message: `${prefix}must fit in a ${bits === "int32" ? "32" : "64"}-bit integer, as the API server reads it` };
      return { path, message: `${prefix}${error.message ?? "is invalid"}` };
    }
    default:
      return { path, message: `${prefix}${error.message ?? "is invalid"}` };
  }
}
