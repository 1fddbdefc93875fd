import type { RepoConfig } from "./repo-config-schema.js";
import type { ConfigChange, ConfigChangeItem } from "./config-change.js";

const permissionOrder = ["read", "triage", "write", "maintain", "admin"];

/**
 * Compares the trusted configuration (the default branch's) with a proposed one, setting by
 * setting (defaults filled in, so writing a default out is no change), and calls out the changes
 * that move where an environment deploys, widen what it may delete, or lower who may act.
 */
export function diffRepoConfigs(trusted: RepoConfig, proposed: RepoConfig): ConfigChange {
  const items: ConfigChangeItem[] = [];
  const before = new Map(trusted.environments.map((environment) => [environment.name, environment]));
  const after = new Map(proposed.environments.map((environment) => [environment.name, environment]));

  for (const [name, environment] of after) {
    const old = before.get(name);
    if (!old) {
      items.push({ kind: "environment-added", environment: name, settings: withoutName(environment) });
      continue;
    }
    for (const change of diffSettings(withoutName(old), withoutName(environment), "")) {
      const risk = environmentRisk(change.setting, change.before, change.after);
      items.push({ kind: "setting-changed", environment: name, ...change, ...(risk ? { risk } : {}) });
    }
  }
  for (const name of before.keys()) if (!after.has(name)) items.push({ kind: "environment-removed", environment: name });

  const { environments: _trustedEnvironments, ...trustedRest } = trusted;
  const { environments: _proposedEnvironments, ...proposedRest } = proposed;
  for (const change of diffSettings(trustedRest, proposedRest, "")) {
    const risk = repositoryRisk(change.setting, change.before, change.after);
    items.push({ kind: "setting-changed", ...change, ...(risk ? { risk } : {}) });
  }
  return { items };
}

function withoutName(environment: { name: string }): Record<string, unknown> {
  const { name: _name, ...settings } = environment;
  return settings;
}

/** Leaf settings that differ, by dotted path; lists compare as a whole. */
function diffSettings(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prefix: string,
  changes: Array<{ setting: string; before: unknown; after: unknown }> = [],
): Array<{ setting: string; before: unknown; after: unknown }> {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const a = before[key];
    const b = after[key];
    const setting = `${prefix}${key}`;
    // Nested settings are collected into the same list (no spreading into push).
    if (isRecord(a) || isRecord(b)) diffSettings(isRecord(a) ? a : {}, isRecord(b) ? b : {}, `${setting}.`, changes);
    else if (JSON.stringify(a) !== JSON.stringify(b)) changes.push({ setting, before: a, after: b });
  }
  return changes;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function environmentRisk(setting: string, before: unknown, after: unknown): string | undefined {
  switch (setting) {
    case "cluster":
    case "namespace":
    case "path":
    case "branch":
      return "changes where or what this environment deploys";
    case "prune":
    case "allowPruneAll":
      return after === true ? "lets Slipway delete more" : undefined;
    case "adopt":
      return after === true ? "lets Slipway take over objects it did not create" : undefined;
    case "pruneMaxShare":
      return typeof before === "number" && typeof after === "number" && after > before ? "lets Slipway delete more" : undefined;
    case "protected":
      return after !== true ? "lowers who may roll it back" : undefined;
    case "autoDeploy":
      return after === true ? "deploys every push" : undefined;
    default:
      return undefined;
  }
}

function repositoryRisk(setting: string, before: unknown, after: unknown): string | undefined {
  if (setting.startsWith("commands.") && permissionOrder.indexOf(String(after)) < permissionOrder.indexOf(String(before))) return "lowers who may run it";
  if (setting.startsWith("validation.limits.") && typeof before === "number" && typeof after === "number" && after > before) return "lets Slipway read more";
  if (setting.startsWith("validation.rules.") && after === "off") return "turns a check off";
  return undefined;
}
