import type { FromSchema } from "json-schema-to-ts";

/**
 * The single source of truth for `.github/slipway.yml`.
 * The published editor schema (schema/slipway.schema.json), the TypeScript types, the defaults
 * (ajv `useDefaults`) and README's configuration reference are all derived from this object.
 */

const permissionLevel = {
  type: "string",
  enum: ["read", "triage", "write", "maintain", "admin"],
} as const;

const ruleLevel = {
  type: "string",
  enum: ["off", "warn", "error"],
} as const;

const dnsLabel = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

export const repoConfigSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "Slipway repository configuration (.github/slipway.yml)",
  description: "Which environments this repository deploys, how Slipway validates and plans them, and who may run which command.",
  type: "object",
  additionalProperties: false,
  required: ["environments"],
  properties: {
    version: {
      description: "Version of this file's format.",
      type: "integer",
      enum: [1],
      default: 1,
    },
    environments: {
      description: "The environments this repository deploys. Each is a folder of manifests applied to one cluster alias.",
      type: "array",
      minItems: 1,
      maxItems: 100,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "path", "cluster"],
        properties: {
          name: {
            description: "Environment name, shown in check runs, comments and GitHub Deployments.",
            type: "string",
            minLength: 1,
            maxLength: 63,
            pattern: dnsLabel,
          },
          path: {
            description: "Folder of manifests, relative to the repository root. All `*.yaml` and `*.yml` files below it are loaded.",
            type: "string",
            minLength: 1,
            maxLength: 1024,
          },
          branch: {
            description: "Branch whose pushes deploy this environment. Default: the repository's default branch.",
            type: "string",
            minLength: 1,
            maxLength: 255,
          },
          cluster: {
            description: "Cluster alias from the server's clusters file. The server decides which repositories may use it.",
            type: "string",
            minLength: 1,
            maxLength: 253,
          },
          namespace: {
            description: "Namespace for manifests that name none.",
            type: "string",
            maxLength: 63,
            pattern: dnsLabel,
            default: "default",
          },
          needs: {
            description: "Environments that must be healthy at the same commit before this one deploys.",
            type: "array",
            items: { type: "string", pattern: dnsLabel },
            uniqueItems: true,
            default: [],
          },
          autoDeploy: {
            description: "Deploy on every push to the branch. When false, only a command deploys.",
            type: "boolean",
            default: true,
          },
          prune: {
            description: "Delete objects Slipway applied earlier that are no longer in Git.",
            type: "boolean",
            default: false,
          },
          pruneMaxShare: {
            description: "Prune refuses to delete more than this share of the environment's objects at once.",
            type: "number",
            minimum: 0,
            maximum: 1,
            default: 0.5,
          },
          allowPruneAll: {
            description: "Let prune delete every object of the environment (an empty folder in Git).",
            type: "boolean",
            default: false,
          },
          adopt: {
            description:
              "Take over objects that already exist in the cluster without Slipway's labels (made by hand or another tool): plan them by value and apply them. Off: the plan check fails on them and deploys refuse them. Another environment's objects are never taken over.",
            type: "boolean",
            default: false,
          },
          healthTimeout: {
            description: "How long a deploy waits for applied objects to become healthy, e.g. 90s, 5m, 1h.",
            type: "string",
            pattern: "^[0-9]+(s|m|h)$",
            default: "5m",
          },
          rollbackOnFailure: {
            description: "When a deploy fails, re-apply the last successful commit and pin the environment.",
            type: "boolean",
            default: false,
          },
          protected: {
            description: "A protected environment needs the maintain permission for /rollback, and by default an approved pull request to deploy.",
            type: "boolean",
            default: false,
          },
          requireReview: {
            description:
              "What a commit must have gone through to deploy: approved (merged from a pull request approved on its final head, no approval dismissed), approved-by-codeowners (and approved by an owner of each changed path, from the default branch's CODEOWNERS), or none. Default: approved when protected, else none. A maintainer's /deploy overrides it, recorded.",
            type: "string",
            enum: ["approved", "approved-by-codeowners", "none"],
          },
          url: {
            description: "Link shown on GitHub Deployments as the environment's URL.",
            type: "string",
            format: "uri",
          },
        },
      },
    },
    validation: {
      description: "Offline checks run on every pull request before anything reaches a cluster.",
      type: "object",
      additionalProperties: false,
      default: {},
      properties: {
        kubernetesVersion: {
          description: "Kubernetes version (major.minor) whose OpenAPI schemas validate manifests. Default: the bundled version.",
          type: "string",
          pattern: "^[0-9]+\\.[0-9]+$",
        },
        unknownKinds: {
          description: "What to do with a kind that has no schema (neither built in nor a CRD in this repository).",
          type: "string",
          enum: ["warn", "error"],
          default: "warn",
        },
        rules: {
          description: "Policy rules, each off, warn or error.",
          type: "object",
          additionalProperties: false,
          default: {},
          properties: {
            imageTag: { ...ruleLevel, description: "Image without a tag, or tagged latest.", default: "warn" },
            resources: { ...ruleLevel, description: "Container without resource requests and limits.", default: "warn" },
            privileged: { ...ruleLevel, description: "Privileged container.", default: "error" },
            hostPath: { ...ruleLevel, description: "hostPath volume.", default: "warn" },
            readinessProbe: { ...ruleLevel, description: "Container without a readiness probe.", default: "off" },
          },
        },
        limits: {
          description: "Bounds on what Slipway reads; raise them only for repositories that need it.",
          type: "object",
          additionalProperties: false,
          default: {},
          properties: {
            maxFileBytes: { description: "Largest manifest file, in bytes.", type: "integer", minimum: 1, maximum: 104857600, default: 5242880 },
            maxFiles: { description: "Most manifest files in one environment.", type: "integer", minimum: 1, maximum: 100000, default: 5000 },
            maxDocumentsPerFile: { description: "Most YAML documents in one file.", type: "integer", minimum: 1, maximum: 100000, default: 1000 },
            maxDepth: { description: "Deepest nesting of a YAML document.", type: "integer", minimum: 1, maximum: 1000, default: 64 },
            maxAliases: { description: "Most YAML alias uses in one file.", type: "integer", minimum: 0, maximum: 100000, default: 100 },
          },
        },
      },
    },
    commands: {
      description: "The least repository permission a commenter needs for each command.",
      type: "object",
      additionalProperties: false,
      default: {},
      properties: {
        plan: { ...permissionLevel, description: "/plan", default: "write" },
        rollback: { ...permissionLevel, description: "/rollback (protected environments need maintain at least)", default: "write" },
        lock: { ...permissionLevel, description: "/lock", default: "write" },
        unlock: { ...permissionLevel, description: "/unlock", default: "write" },
        deploy: { ...permissionLevel, description: "/deploy (overrides requireReview; maintain at least)", default: "maintain" },
      },
    },
  },
} as const;

/** `.github/slipway.yml` after validation, with every default filled in. */
export type RepoConfig = FromSchema<typeof repoConfigSchema, { keepDefaultedPropertiesOptional: false }>;
export type EnvironmentConfig = RepoConfig["environments"][number];
