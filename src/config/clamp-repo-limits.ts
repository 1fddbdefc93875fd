import type { RepoConfig } from "../core/config/repo-config-schema.js";

/** `validation.limits` of `.github/slipway.yml`, every default filled in. */
export type RepoLimits = RepoConfig["validation"]["limits"];

/** A limit the repository asked to raise past what this server allows. */
export interface CappedLimit {
  name: keyof RepoLimits;
  requested: number;
  maximum: number;
}

/**
 * A repository's limits, each lowered to the server's maximum: a repository may tighten what
 * Slipway reads but not raise it past what the operator allows. What was lowered comes back so
 * the validate check can say so.
 */
export function clampRepoLimits(limits: RepoLimits, maximums: RepoLimits): { limits: RepoLimits; capped: CappedLimit[] } {
  const clamped = { ...limits };
  const capped: CappedLimit[] = [];
  for (const name of Object.keys(maximums) as Array<keyof RepoLimits>) {
    if (limits[name] > maximums[name]) {
      capped.push({ name, requested: limits[name], maximum: maximums[name] });
      clamped[name] = maximums[name];
    }
  }
  return { limits: clamped, capped };
}
