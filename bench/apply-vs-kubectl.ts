import { startTestClusterWithKubectl } from "./start-test-cluster-with-kubectl.js";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { KubeConfig } from "@kubernetes/client-node";
import { createClusterClient } from "../src/cluster/create-cluster-client.js";
import { createCountedClusterClient } from "../src/cluster/create-cluster-client.js";
import { deployEnvironment } from "../src/reconcile/deploy-environment.js";
import { createLocalSourceTree } from "../src/cli/create-local-source-tree.js";
import { loadManifests } from "../src/core/manifests/load-manifests.js";
import { environmentLabelValue } from "../src/core/plan/environment-label-value.js";
import type { Benchmark, BenchResult } from "./bench-types.js";

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const counts = { ConfigMap: 334, Service: 333, Deployment: 333 };
const objectsPerFile = 10;
const limits = { maxFileBytes: 1_000_000, maxFiles: 1000, maxDocumentsPerFile: 100, maxDepth: 64, maxAliases: 100 };

interface Run {
  seconds: number;
  requests: number;
  /** What the tool reported doing, to check both did the same work. */
  outcome: string;
}

/**
 * Applying 1,000 objects to the test cluster, Slipway's deploy (apply phase only: no prune, no
 * health wait) against `kubectl apply --server-side` (kubectl built from the same Kubernetes
 * release as the cluster), in one run on the same files:
 * 1. start the test cluster (idempotent) and find its kubectl;
 * 2. write 1,000 objects (ConfigMaps, headless Services, Deployments at 0 replicas, so the
 *    cluster stays light) into 100 files without a namespace;
 * 3. into two fresh namespaces, one per tool: the first apply (everything created), then the same
 *    files again (nothing to change); wall time, API requests (Slipway's counting client; kubectl's
 *    `-v=6` request log), ratio;
 * 4. delete both namespaces.
 */
export const benchmark: Benchmark = {
  name: "apply-vs-kubectl",
  async run(log) {
    // 1. Cluster and kubectl.
    const cluster = startTestClusterWithKubectl(repositoryRoot);
    if (!cluster.ok) return { results: [], notes: [cluster.note] };
    const { kubeconfig, kubectl, kubectlVersion } = cluster;

    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfig);
    const admin = createClusterClient(kubeConfig);
    const suffix = Math.random().toString(16).slice(2, 8);
    const namespaces = { slipway: `bench-apply-slipway-${suffix}`, kubectl: `bench-apply-kubectl-${suffix}` };
    const work = mkdtempSync(join(tmpdir(), "slipway-bench-apply-"));
    try {
      // 2. The files.
      const repo = join(work, "repo");
      const dir = join(repo, "deploy");
      mkdirSync(dir, { recursive: true });
      const all = objects();
      for (let file = 0; file * objectsPerFile < all.length; file++) {
        const documents = all.slice(file * objectsPerFile, (file + 1) * objectsPerFile).map((object) => JSON.stringify(object));
        writeFileSync(join(dir, `objects-${String(file).padStart(3, "0")}.yaml`), `${documents.join("\n---\n")}\n`);
      }
      for (const namespace of Object.values(namespaces)) {
        await admin.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels: { "slipway.dev/test": "true" } } }, { dryRun: false });
      }
      log(`${all.length} objects in ${Math.ceil(all.length / objectsPerFile)} files; namespaces ${namespaces.slipway} and ${namespaces.kubectl}`);

      // 3. First apply, then the same again; Slipway and kubectl alternate.
      const slipway = async (sha: string): Promise<Run> => {
        const counted = createCountedClusterClient(kubeConfig);
        const started = performance.now();
        const loaded = await loadManifests({ tree: createLocalSourceTree(repo), path: "deploy", limits });
        const result = await deployEnvironment({
          client: counted.client,
          environmentId: environmentLabelValue("bench", "apply", suffix),
          sha,
          objects: loaded.objects,
          namespaceDefault: namespaces.slipway,
          prune: false,
          healthTimeoutMs: 0,
          dryRun: false,
        });
        const seconds = (performance.now() - started) / 1000;
        const outcome = result.status === "failed" ? `failed: ${result.reason}` : `${result.applied.length} written, ${result.unchanged.length} unchanged`;
        return { seconds, requests: counted.requests(), outcome };
      };
      const cacheDir = join(work, "kube-cache");
      const kubectlRun = (): Run => {
        const started = performance.now();
        const run = spawnSync(
          kubectl,
          [
            "--kubeconfig",
            kubeconfig,
            "--cache-dir",
            cacheDir,
            "apply",
            "--server-side",
            "--field-manager=slipway-bench",
            "-n",
            namespaces.kubectl,
            "-f",
            dir,
            "-v=6",
          ],
          { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
        );
        const seconds = (performance.now() - started) / 1000;
        const requests = (run.stderr.match(/"Response" verb=|round_trippers\.go:\d+\] (?:GET|POST|PUT|PATCH|DELETE) https?:/g) ?? []).length;
        const applied = (run.stdout.match(/serverside-applied/g) ?? []).length;
        const outcome = run.status === 0 ? `${applied} serverside-applied` : `exit ${run.status}: ${run.stderr.trim().split("\n").at(-1)}`;
        return { seconds, requests, outcome };
      };

      const results: BenchResult[] = [];
      const notes: string[] = [];
      for (const [round, sha] of [
        ["first apply (1,000 created)", "a1"],
        ["same files again (nothing to change)", "b2"],
      ] as const) {
        const ours = await slipway(sha);
        const theirs = kubectlRun();
        log(
          `${round}: slipway ${ours.seconds.toFixed(2)} s / ${ours.requests} requests (${ours.outcome}); kubectl ${theirs.seconds.toFixed(2)} s / ${theirs.requests} requests (${theirs.outcome})`,
        );
        results.push(row(`slipway deploy, ${round}`, all.length, ours), row(`kubectl ${kubectlVersion} apply --server-side, ${round}`, all.length, theirs));
        const speed = theirs.seconds / ours.seconds;
        notes.push(
          `${round}: Slipway is ${speed.toFixed(2)}× ${speed >= 1 ? "faster" : "slower"} than kubectl; ` +
            `${ours.requests} vs ${theirs.requests} API requests (Slipway: ${ours.outcome}; kubectl: ${theirs.outcome}).`,
        );
      }
      notes.push(
        "Slipway runs in this process (manifests loaded from the same files, discovery asked fresh, 16 requests in flight per wave, " +
          "labels and the source SHA added); kubectl runs as a process, one request at a time, with its discovery cache in a folder of this run " +
          "and `-v=6` to count its requests. Slipway's second run lists the environment by label and applies each object as a dry run: " +
          "nothing is written, so no resourceVersion moves; kubectl sends every object again.",
      );
      return { results, notes };
    } finally {
      // 4. Clean up.
      for (const namespace of Object.values(namespaces)) {
        await admin.delete({ apiVersion: "v1", kind: "Namespace", name: namespace }, { dryRun: false }).catch(() => undefined);
      }
      rmSync(work, { recursive: true, force: true });
    }
  },
};

/** 1,000 objects without a namespace: each tool applies them to its own. */
function objects(): Record<string, unknown>[] {
  const result: Record<string, unknown>[] = [];
  for (let i = 0; i < counts.ConfigMap; i++) {
    result.push({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: `config-${i}` },
      data: { "app.properties": `name=config-${i}\nlevel=info\n`, replicas: String(i % 5) },
    });
  }
  for (let i = 0; i < counts.Service; i++) {
    result.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: `svc-${i}` },
      spec: { clusterIP: "None", selector: { app: `app-${i}` }, ports: [{ name: "http", port: 80 }] },
    });
  }
  for (let i = 0; i < counts.Deployment; i++) {
    result.push({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: `app-${i}` },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: `app-${i}` } },
        template: { metadata: { labels: { app: `app-${i}` } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
      },
    });
  }
  return result;
}

function row(subject: string, objects: number, run: Run): BenchResult {
  return { benchmark: "apply-vs-kubectl", subject, values: { objects, seconds: run.seconds.toFixed(2), "API requests": run.requests } };
}
