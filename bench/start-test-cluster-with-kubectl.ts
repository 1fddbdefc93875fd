import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export type TestClusterWithKubectl = { ok: true; kubeconfig: string; kubectl: string; kubectlVersion: string } | { ok: false; note: string };

/** The test cluster (started if needed) and the kubectl built from the same release, for side-by-side runs. */
export function startTestClusterWithKubectl(repositoryRoot: string): TestClusterWithKubectl {
  const script = join(repositoryRoot, "scripts", "test-cluster.sh");
  const up = spawnSync("bash", [script, "up"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const kubeconfig = up.stdout.trim().split("\n").at(-1);
  if (up.status !== 0 || !kubeconfig) return { ok: false, note: `the test cluster did not start; skipped (${up.stderr.trim().split("\n").at(-1)})` };
  const env = spawnSync("bash", [script, "env"], { encoding: "utf8" }).stdout;
  const kubectl = /SLIPWAY_KUBECTL=(\S+)/.exec(env)?.[1];
  if (!kubectl || !existsSync(kubectl)) return { ok: false, note: "the test cluster's kubectl was not found; skipped" };
  const version = spawnSync(kubectl, ["version", "--client", "-o", "json"], { encoding: "utf8" });
  const kubectlVersion = (JSON.parse(version.stdout || "{}") as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion ?? "unknown";
  return { ok: true, kubeconfig, kubectl, kubectlVersion };
}
