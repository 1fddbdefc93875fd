import { matchesPattern } from "../core/policy/matches-pattern.js";
import type { ClusterAlias } from "./parse-clusters-file.js";

export type ClusterAccess = { status: "allowed"; cluster: ClusterAlias } | { status: "unknown-alias"; known: string[] } | { status: "repository-not-allowed" };

/**
 * What the server lets a repository do with a cluster alias. A repository only names aliases;
 * the server's clusters file decides whether that repository may use it and in which namespaces.
 */
export function findClusterAccess(clusters: readonly ClusterAlias[], alias: string, repositoryFullName: string): ClusterAccess {
  const cluster = clusters.find((candidate) => candidate.alias === alias);
  if (!cluster) return { status: "unknown-alias", known: clusters.map((candidate) => candidate.alias) };
  if (!cluster.repositories.some((pattern) => matchesPattern(pattern, repositoryFullName))) return { status: "repository-not-allowed" };
  return { status: "allowed", cluster };
}
