import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { booleansAsEnumWords } from "../core/yaml/booleans-as-enum-words.js";
import { closestWord } from "../core/yaml/closest-word.js";
import { formatFieldPath } from "../core/yaml/format-field-path.js";
import { loadYamlDocuments, type YamlDocument } from "../core/yaml/load-yaml-documents.js";
import { pathFromJsonPointer } from "../core/yaml/path-from-json-pointer.js";
import { repoConfigSchema, type RepoConfig } from "../core/config/repo-config-schema.js";

export interface RepoConfigError {
  file: string;
  /** 1-based; 0 when the problem is the file as a whole. */
  line: number;
  message: string;
}

export type ParseRepoConfigResult =
  | { ok: true; config: RepoConfig; /** Line of a setting, so later findings can point at it. */ lineOf: (path: ReadonlyArray<string | number>) => number }
  | { ok: false; errors: RepoConfigError[] };

// The config file is small by nature; these bounds only stop abuse.
const configLimits = { maxFileBytes: 1_048_576, maxDocumentsPerFile: 10, maxDepth: 32, maxAliases: 100, maxAliasExpansion: 100_000 };

let validator: ValidateFunction | undefined;

function getValidator(): ValidateFunction {
  if (validator === undefined) {
    // The schema is Slipway's own and tested: checking it against the meta-schema costs a quarter second per start.
    const ajv = new Ajv({ allErrors: true, useDefaults: true, verbose: true, strict: false, validateSchema: false });
    addFormats.default(ajv, ["uri"]);
    validator = ajv.compile(repoConfigSchema);
  }
  return validator;
}

/**
 * Reads `.github/slipway.yml`: YAML, then the published JSON Schema (filling in defaults),
 * then what a schema cannot say (unique names, `needs` that exist and form no cycle).
 * Every problem comes back with its line and a sentence a person can act on.
 */
export function parseRepoConfig(text: string | Uint8Array, file: string): ParseRepoConfigResult {
  const loaded = loadYamlDocuments(text, { file, limits: configLimits });
  if (!loaded.ok) return { ok: false, errors: [loaded.error] };
  if (loaded.documents.length === 0) {
    return { ok: false, errors: [{ file, line: 0, message: "the file is empty; it needs at least `environments`" }] };
  }
  if (loaded.documents.length > 1) {
    const second = loaded.documents[1];
    return { ok: false, errors: [{ file, line: second.line, message: "expected one YAML document, found more than one" }] };
  }
  const document = loaded.documents[0];
  booleansAsEnumWords(document.value, repoConfigSchema);
  const validate = getValidator();
  if (!validate(document.value)) {
    const errors = dedupe((validate.errors ?? []).map((error) => describeSchemaError(error, document, file)));
    return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  }
  const config = document.value as RepoConfig;
  const errors = checkEnvironments(config, document, file);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config, lineOf: (path) => document.lineOf(path) };
}

function describeSchemaError(error: ErrorObject, document: YamlDocument, file: string): RepoConfigError {
  const path = pathFromJsonPointer(error.instancePath);
  const field = formatFieldPath(path);
  const at = (line: number, message: string): RepoConfigError => ({ file, line, message });
  const line = document.lineOf(path);
  switch (error.keyword) {
    case "required": {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return at(line, `${formatFieldPath([...path, missing])} is required`);
    }
    case "additionalProperties": {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const guess = closestWord(extra, known);
      const hint = guess ? ` (did you mean '${guess}'?)` : known.length > 0 ? ` (known: ${known.join(", ")})` : "";
      return at(document.lineOf([...path, extra]), `${field ? `${field}: ` : ""}unknown property '${extra}'${hint}`);
    }
    case "type": {
      const type = (error.params as { type: string }).type;
      if (field === "") return at(line, "the file must be a mapping of settings (key: value), with at least `environments`");
      return at(line, `${field} must be ${type === "object" ? "a mapping" : type === "array" ? "a list" : `a ${type}`}`);
    }
    case "enum": {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return at(line, `${field} must be one of: ${allowed.map((value) => String(value)).join(", ")}`);
    }
    case "pattern":
      return at(line, `${field} ${describePattern((error.params as { pattern: string }).pattern)}`);
    case "format":
      return at(line, `${field} must be a ${(error.params as { format: string }).format === "uri" ? "URL" : (error.params as { format: string }).format}`);
    default:
      return at(line, `${field || "the file"} ${error.message ?? "is invalid"}`);
  }
}

function describePattern(pattern: string): string {
  if (pattern === "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") {
    return "must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit";
  }
  if (pattern === "^[0-9]+(s|m|h)$") return "must be a duration such as 90s, 5m or 1h";
  if (pattern === "^[0-9]+\\.[0-9]+$") return "must be a Kubernetes version as major.minor, e.g. 1.31";
  return `must match ${pattern}`;
}

function checkEnvironments(config: RepoConfig, document: YamlDocument, file: string): RepoConfigError[] {
  const errors: RepoConfigError[] = [];
  const indexByName = new Map<string, number>();
  config.environments.forEach((environment, index) => {
    const first = indexByName.get(environment.name);
    if (first !== undefined) {
      errors.push({
        file,
        line: document.lineOf(["environments", index, "name"]),
        message: `environments[${index}].name: '${environment.name}' is already the name of environments[${first}]`,
      });
    } else {
      indexByName.set(environment.name, index);
    }
  });
  config.environments.forEach((environment, index) => {
    environment.needs.forEach((need, needIndex) => {
      const line = document.lineOf(["environments", index, "needs", needIndex]);
      if (need === environment.name) {
        errors.push({ file, line, message: `environments[${index}].needs: '${need}' cannot need itself` });
      } else if (!indexByName.has(need)) {
        const guess = closestWord(need, indexByName.keys());
        errors.push({
          file,
          line,
          message: `environments[${index}].needs: no environment is named '${need}'${guess ? ` (did you mean '${guess}'?)` : ""}`,
        });
      }
    });
  });
  if (errors.length === 0) {
    const cycle = findCycle(config);
    if (cycle) {
      const index = indexByName.get(cycle[0])!;
      errors.push({
        file,
        line: document.lineOf(["environments", index, "needs"]),
        message: `environments depend on each other in a cycle: ${cycle.join(" → ")}`,
      });
    }
  }
  return errors;
}

function findCycle(config: RepoConfig): string[] | undefined {
  const needs = new Map(config.environments.map((environment) => [environment.name, environment.needs]));
  const state = new Map<string, "visiting" | "done">();
  const trail: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "visiting") return [...trail.slice(trail.indexOf(name)), name];
    state.set(name, "visiting");
    trail.push(name);
    for (const need of needs.get(name) ?? []) {
      const cycle = visit(need);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const environment of config.environments) {
    const cycle = visit(environment.name);
    if (cycle) return cycle;
  }
  return undefined;
}

function dedupe(errors: RepoConfigError[]): RepoConfigError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.line}:${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
