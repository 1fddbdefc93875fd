import { KubeConfig } from "@kubernetes/client-node";
import type { ClusterAlias } from "../config/parse-clusters-file.js";
import type { ClusterClient } from "./cluster-client.js";
import { createClusterClient } from "./create-cluster-client.js";

export type ClusterConnection = { ok: true; client: ClusterClient } | { ok: false; reason: string };

/**
 * One cluster client per alias of the clusters file, made on first use and kept: discovery is
 * cached inside the client, so later plans and deploys of that cluster skip it.
 */
export function createClusterConnections(clusters: readonly ClusterAlias[]): (alias: string) => ClusterConnection {
  const connections = new Map<string, ClusterConnection>();
  return (alias) => {
    const known = connections.get(alias);
    if (known) return known;
    const cluster = clusters.find((candidate) => candidate.alias === alias);
    let connection: ClusterConnection;
    if (!cluster) {
      connection = { ok: false, reason: `cluster "${alias}" is not in the server's clusters file` };
    } else {
      try {
        const kubeConfig = new KubeConfig();
        kubeConfig.loadFromFile(cluster.kubeconfig);
        if (cluster.context) kubeConfig.setCurrentContext(cluster.context);
        if (!kubeConfig.getCurrentCluster()) throw new Error("the kubeconfig names no cluster for its context");
        connection = { ok: true, client: createClusterClient(kubeConfig) };
      } catch (error) {
        // The kubeconfig's own text may hold credentials: say only which alias and why in general.
        const why = error instanceof Error && /ENOENT/.test(error.message) ? "its kubeconfig file does not exist" : "its kubeconfig cannot be loaded";
        connection = { ok: false, reason: `cluster "${alias}" is not reachable from Slipway: ${why}` };
      }
    }
    connections.set(alias, connection);
    return connection;
  };
}
