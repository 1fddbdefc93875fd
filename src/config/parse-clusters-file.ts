import { Ajv, type ValidateFunction } from "ajv";
import yaml from "js-yaml";
import type { ClusterPolicy } from "../core/policy/cluster-policy.js";

/**
 * The server's clusters file: which cluster aliases exist, how to reach them, which repositories
 * each alias accepts and what they may manage there. Credentials stay on the server; a repository
 * only names an alias.
 *
 * clusters:
 *   staging:
 *     kubeconfig: ./staging.kubeconfig   # relative to the clusters file
 *     context: staging                    # optional, default: the kubeconfig's current context
 *     repositories: ["acme/*"]            # owner/name patterns, * matches within a segment
 *     namespaces: ["web", "api-*"]        # required; ["*"] for any
 *     clusterResources: ["Namespace"]     # cluster-scoped kinds allowed; default none
 *     deniedKinds: ["rbac.authorization.k8s.io/RoleBinding"]  # default none
 */
export interface ClusterAlias extends ClusterPolicy {
  alias: string;
  kubeconfig: string;
  context: string | undefined;
  repositories: string[];
}

export type ClustersFileResult = { ok: true; clusters: ClusterAlias[] } | { ok: false; problems: string[] };

// `*`, `Kind` (core group), `group/Kind` or `group/*`.
const kindPattern = { type: "string", pattern: "^(\\*|([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?([A-Z][A-Za-z0-9]*|\\*))$" } as const;

const clustersFileSchema = {
  type: "object",
  additionalProperties: false,
  required: ["clusters"],
  properties: {
    clusters: {
      type: "object",
      propertyNames: { pattern: "^[A-Za-z0-9]([-_.A-Za-z0-9]*[A-Za-z0-9])?$", maxLength: 253 },
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["kubeconfig", "repositories"],
        properties: {
          kubeconfig: { type: "string", minLength: 1 },
          context: { type: "string", minLength: 1 },
          repositories: { type: "array", minItems: 1, items: { type: "string", pattern: "^[^/\\s]+/[^/\\s]+$" } },
          namespaces: { type: "array", items: { type: "string", minLength: 1 } },
          clusterResources: { type: "array", items: kindPattern },
          deniedKinds: { type: "array", items: kindPattern },
        },
      },
    },
  },
} as const;

// Compiled on first use: `slipway validate` without --clusters never needs it.
let compiled: ValidateFunction | undefined;
const clustersFileValidator = (): ValidateFunction => (compiled ??= new Ajv({ allErrors: true }).compile(clustersFileSchema));

export function parseClustersFile(text: string, file: string): ClustersFileResult {
  let document: unknown;
  try {
    document = yaml.load(text, { schema: yaml.CORE_SCHEMA, json: false, filename: file });
  } catch (error) {
    const reason = error instanceof yaml.YAMLException ? error.message.split("\n")[0] : String(error);
    return { ok: false, problems: [`${file} is not valid YAML: ${reason}`] };
  }
  const validate = clustersFileValidator();
  if (!validate(document)) {
    const problems = (validate.errors ?? []).map((e) => {
      const where = e.instancePath ? e.instancePath.slice(1).replaceAll("/", ".") : "the top level";
      return `${file}: ${where} ${e.message ?? "is invalid"}${e.params && "additionalProperty" in e.params ? ` ("${String(e.params.additionalProperty)}")` : ""}.`;
    });
    return { ok: false, problems };
  }
  type Entry = { kubeconfig: string; context?: string; repositories: string[]; namespaces?: string[]; clusterResources?: string[]; deniedKinds?: string[] };
  const raw = (document as { clusters: Record<string, Entry> }).clusters;
  // Any namespace used to be the default; now the operator says which, so nothing is allowed by omission.
  const problems = Object.entries(raw)
    .filter(([, entry]) => entry.namespaces === undefined)
    .map(
      ([alias]) =>
        `${file}: cluster "${alias}" has no namespaces: add \`namespaces: ["web"]\` with the namespaces repositories may deploy to there (\`["*"]\` for any), and \`clusterResources: ["Namespace"]\` if they may create Namespaces.`,
    );
  if (problems.length > 0) return { ok: false, problems };
  const clusters = Object.entries(raw).map(([alias, entry]) => ({
    alias,
    kubeconfig: entry.kubeconfig,
    context: entry.context,
    repositories: entry.repositories,
    namespaces: entry.namespaces ?? [],
    clusterResources: entry.clusterResources ?? [],
    deniedKinds: entry.deniedKinds ?? [],
  }));
  return { ok: true, clusters };
}
