import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { parseClustersFile } from "../config/parse-clusters-file.js";
import { parseRepoConfig } from "../config/parse-repo-config.js";
import type { ClusterPolicy } from "../core/policy/cluster-policy.js";
import type { RepoConfig } from "../core/config/repo-config-schema.js";
import { loadManifests } from "../core/manifests/load-manifests.js";
import { createSchemaRegistry } from "../core/validation/create-schema-registry.js";
import { validateEnvironment } from "../core/validation/validate-environment.js";
import type { EnvironmentValidation, ValidationResult } from "../core/validation/validation-result.js";
import { createLocalSourceTree } from "./create-local-source-tree.js";
import { newestBundledVersion } from "../schemas/newest-bundled-version.js";
import { readSchemaSet } from "../schemas/read-schema-set.js";
import { createDiskValidatorCache } from "../schemas/create-disk-validator-cache.js";
import type { CommandIo } from "./command-io.js";
import { plural } from "../core/text.js";

export const validateUsage = `Usage: slipway validate [paths...] [--config FILE] [--clusters FILE] [--kubernetes-version X] [--format text|json]

Validates Kubernetes manifests as Slipway does on a pull request.
  paths                   folders or files to validate (default: every environment in the config)
  --config FILE           repository config (default: .github/slipway.yml when present)
  --clusters FILE         the server's clusters file: each environment is held to its alias's namespaces,
                          clusterResources and deniedKinds, as the App holds it
  --kubernetes-version X  schemas of Kubernetes X (major.minor; default: the config's, else the newest bundled)
  --format text|json      output (default: text)
  --schema-location DIR   folder of v<major.minor>/ schema sets (default: the bundled schema/kubernetes)
  --cache-dir DIR         where compiled schemas are kept between runs (default: $XDG_CACHE_HOME/slipway)
  --no-cache              compile the schemas every run

Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage or input error.`;

const defaultConfigPath = ".github/slipway.yml";

interface Target {
  name: string;
  path: string;
  namespace: string;
  /** The environment's cluster alias, when the target belongs to one. */
  cluster?: string;
}

/**
 * `slipway validate`: the same core as the App, over the local working tree.
 * 1. read arguments and the config; 2. pick the targets; 3. read the schema set;
 * 4. load and validate each target; 5. print text or JSON and return the exit status.
 */
export async function runValidateCommand(argv: string[], io: CommandIo): Promise<number> {
  const usageError = (message: string) => {
    io.stderr(`slipway validate: ${message}\n\n${validateUsage}\n`);
    return 2;
  };
  const inputError = (message: string) => {
    io.stderr(`slipway validate: ${message}\n`);
    return 2;
  };

  // 1. Arguments and config.
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: "string" },
        clusters: { type: "string" },
        "kubernetes-version": { type: "string" },
        format: { type: "string", default: "text" },
        "schema-location": { type: "string" },
        "cache-dir": { type: "string" },
        "no-cache": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${validateUsage}\n`);
    return 0;
  }
  if (values.format !== "text" && values.format !== "json") return usageError(`--format must be text or json, not ${values.format}`);
  const kubernetesVersionFlag = values["kubernetes-version"];
  if (kubernetesVersionFlag !== undefined && !/^\d+\.\d+$/.test(kubernetesVersionFlag)) {
    return usageError(`--kubernetes-version must be major.minor, e.g. 1.31, not ${kubernetesVersionFlag}`);
  }

  const configPath = values.config ?? (existsSync(resolve(io.cwd, defaultConfigPath)) ? defaultConfigPath : undefined);
  let config: RepoConfig;
  if (configPath !== undefined) {
    let text: Uint8Array;
    try {
      text = readFileSync(resolve(io.cwd, configPath));
    } catch {
      return inputError(`cannot read the config file ${configPath}`);
    }
    const result = parseRepoConfig(text, configPath);
    if (!result.ok) {
      for (const error of result.errors) io.stderr(`${error.file}${error.line > 0 ? `:${error.line}` : ""}: error: ${error.message}\n`);
      return 2;
    }
    config = result.config;
  } else {
    config = defaultConfig();
  }

  // 2. Targets: paths on the command line win over the config's environments.
  const targets: Target[] = [];
  if (positionals.length > 0) {
    for (const argument of positionals) {
      const absolute = resolve(io.cwd, argument);
      const path = relative(io.cwd, absolute).split(sep).join("/");
      if (isAbsolute(path) || path === ".." || path.startsWith("../")) return inputError(`${argument} is outside the current folder (the repository root)`);
      if (!existsSync(absolute)) return inputError(`${argument} does not exist`);
      const owner = configPath !== undefined ? config.environments.find((environment) => isWithin(path, environment.path)) : undefined;
      targets.push({ name: path || ".", path, namespace: owner?.namespace ?? "default", ...(owner ? { cluster: owner.cluster } : {}) });
    }
  } else if (configPath !== undefined) {
    for (const environment of config.environments) {
      if (!existsSync(resolve(io.cwd, environment.path))) return inputError(`environment ${environment.name}: ${environment.path} does not exist`);
      targets.push({ name: environment.name, path: environment.path, namespace: environment.namespace, cluster: environment.cluster });
    }
  } else {
    return usageError(`give paths to validate, or run where ${defaultConfigPath} exists`);
  }

  // The clusters file, when given, bounds each target by its alias's policy.
  const policies = new Map<string, ClusterPolicy>();
  if (values.clusters !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, values.clusters), "utf8");
    } catch {
      return inputError(`cannot read the clusters file ${values.clusters}`);
    }
    const clusters = parseClustersFile(text, values.clusters);
    if (!clusters.ok) return inputError(clusters.problems.join("\n"));
    for (const target of targets) {
      if (target.cluster === undefined) return inputError(`${target.path} belongs to no environment of the config, so no cluster's policy applies to it`);
      const alias = clusters.clusters.find((cluster) => cluster.alias === target.cluster);
      if (!alias) return inputError(`environment ${target.name}: cluster "${target.cluster}" is not in ${values.clusters}`);
      policies.set(target.name, alias);
    }
  }

  // 3. Schemas.
  const schemaRoot = values["schema-location"] ? resolve(io.cwd, values["schema-location"]) : io.bundledSchemaRoot;
  const version = kubernetesVersionFlag ?? config.validation.kubernetesVersion ?? newestBundledVersion(schemaRoot);
  if (version === undefined) return inputError(`no bundled schemas found in ${schemaRoot}`);
  const schemaSet = await readSchemaSet(schemaRoot, version);
  if (!schemaSet.ok) return inputError(schemaSet.message);
  const cacheDir = values["no-cache"] ? undefined : values["cache-dir"] !== undefined ? resolve(io.cwd, values["cache-dir"]) : io.cacheDir;
  const cache =
    cacheDir !== undefined && schemaSet.set.digest !== undefined
      ? createDiskValidatorCache({ dir: cacheDir, schemaSet: schemaSet.set.digest, slipwayVersion: io.slipwayVersion ?? "unknown" })
      : undefined;
  const schemas = createSchemaRegistry(schemaSet.set, cache ? { cache } : {});

  // 4. Load and validate.
  const tree = createLocalSourceTree(io.cwd);
  const { limits, rules, unknownKinds } = config.validation;
  const environments: EnvironmentValidation[] = [];
  for (const target of targets) {
    const manifests = await loadManifests({ tree, path: target.path, limits });
    const policy = policies.get(target.name);
    environments.push(
      validateEnvironment({
        environment: { name: target.name, namespace: target.namespace },
        manifests,
        schemas,
        unknownKinds,
        rules,
        ...(policy ? { policy } : {}),
      }),
    );
  }

  // 5. Output.
  const all = environments.flatMap((environment) => environment.results);
  const errors = all.filter((result) => result.severity === "error").length;
  const warnings = all.filter((result) => result.severity === "warning").length;
  const objects = environments.reduce((total, environment) => total + environment.objects, 0);
  if (values.format === "json") {
    io.stdout(`${JSON.stringify({ kubernetesVersion: version, summary: { objects, errors, warnings }, environments }, null, 2)}\n`);
  } else {
    for (const result of all) if (result.severity !== "info") io.stdout(`${formatResult(result)}\n`);
    io.stdout(`Summary: ${plural(objects, "object")}, ${plural(errors, "error")}, ${plural(warnings, "warning")} (Kubernetes ${version})\n`);
  }
  return errors > 0 ? 1 : 0;
}

function formatResult(result: ValidationResult): string {
  const where = result.line > 0 ? `${result.file}:${result.line}` : result.file;
  return `${where}: ${result.severity}: ${describeObject(result)}${result.message} [${result.check}]`;
}

// Each finding names its object, as a reader scanning a long list needs: `Deployment web: `.
function describeObject({ object }: ValidationResult): string {
  if (object === undefined || (object.kind === undefined && object.name === undefined)) return "";
  return `${object.kind ?? "object"} ${object.name ?? "(no name)"}: `;
}

function isWithin(path: string, folder: string): boolean {
  const normalized = folder.replace(/^\.\//, "").replace(/\/+$/, "");
  return normalized === "" || normalized === "." || path === normalized || path.startsWith(`${normalized}/`);
}

// Without a config, the schema's defaults apply: parse the smallest config there is.
function defaultConfig(): RepoConfig {
  const result = parseRepoConfig("environments: [{ name: local, path: ., cluster: local }]", "(defaults)");
  if (!result.ok) throw new Error("the default configuration does not validate");
  return result.config;
}
