// Helpers for tests that run against Slipway's test cluster (scripts/test-cluster.sh), which
// the test runner starts once and names in SLIPWAY_TEST_KUBECONFIG.
import { randomBytes } from "node:crypto";
import { KubeConfig } from "@kubernetes/client-node";
import { NotFoundError } from "../../src/cluster/cluster-error.js";
import type { ClusterClient } from "../../src/cluster/cluster-client.js";
import { createClusterClient, type ClusterClientOptions } from "../../src/cluster/create-cluster-client.js";
import type { ClusterAlias } from "../../src/config/parse-clusters-file.js";

/** Label on everything the helpers create, so a leftover is easy to find and remove. */
export const TEST_LABEL = "slipway.dev/test";

/** The failing-rollout switch: a pod with this annotation runs but never becomes Ready. */
export const FAIL_READINESS_ANNOTATION = "slipway.dev/test-fail-readiness";

/** The kubeconfig of the test cluster; throws with what to do when there is none. */
export function testKubeConfig(env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const path = env.SLIPWAY_TEST_KUBECONFIG;
  if (!path) {
    throw new Error(
      "SLIPWAY_TEST_KUBECONFIG is not set: run the tests with `npm test`, which starts the test cluster, " +
        'or start it yourself with `npm run cluster:up` and `eval "$(bash scripts/test-cluster.sh env)"`',
    );
  }
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromFile(path);
  } catch (error) {
    throw new Error(`cannot load the test cluster's kubeconfig ${path} (is the cluster up?): ${String(error)}`);
  }
  return kubeConfig;
}

/** A cluster client on the test cluster; retries are short so a broken cluster fails fast. */
export function testClusterClient(options: ClusterClientOptions = {}): ClusterClient {
  return createClusterClient(testKubeConfig(), { retry: { retries: 2, baseDelayMs: 100 }, ...options });
}

/** The clusters file's alias `test` for the test cluster, open to the test repositories and any namespace. */
export function testClusterAlias(): ClusterAlias {
  return {
    alias: "test",
    kubeconfig: process.env.SLIPWAY_TEST_KUBECONFIG ?? "",
    context: undefined,
    repositories: ["slipway-test/*"],
    namespaces: ["*"],
    clusterResources: [],
    deniedKinds: [],
  };
}

export interface TestNamespace {
  name: string;
  /** Deletes the namespace (in the background: the test does not wait for its contents). */
  cleanup(): Promise<void>;
}

/**
 * A fresh namespace `<prefix>-<random>` in the test cluster, ready for pods (its default
 * service account exists), and a cleanup to call in `after`.
 */
export async function createTestNamespace(prefix: string, client: ClusterClient = testClusterClient()): Promise<TestNamespace> {
  const base =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 50) || "test";
  const name = `${base}-${randomBytes(3).toString("hex")}`;
  await client.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { [TEST_LABEL]: "true" } } }, { dryRun: false });
  // Pods are refused until the service-account controller has created `default`.
  await waitFor(`service account default in namespace ${name}`, async () => {
    try {
      return await client.get({ apiVersion: "v1", kind: "ServiceAccount", namespace: name, name: "default" });
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  });
  return {
    name,
    async cleanup() {
      try {
        await client.delete({ apiVersion: "v1", kind: "Namespace", name }, { dryRun: false, propagationPolicy: "Background" });
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    },
  };
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls `probe` until it returns something other than undefined or false, and returns that;
 * throws after the timeout, naming what was awaited.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  { timeoutMs = 60_000, intervalMs = 250 }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
