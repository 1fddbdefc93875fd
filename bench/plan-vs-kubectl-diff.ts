import { measureProcess, summarizeRuns, type Measurement } from "./measure-process.js";
import { startTestClusterWithKubectl } from "./start-test-cluster-with-kubectl.js";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { KubeConfig } from "@kubernetes/client-node";
import { build } from "esbuild";
import { createClusterClient } from "../src/cluster/create-cluster-client.js";
import type { KubeObject } from "../src/cluster/cluster-client.js";
import { environmentLabelValue } from "../src/core/plan/environment-label-value.js";
import { withSlipwayMetadata } from "../src/core/plan/with-slipway-metadata.js";
import type { Benchmark, BenchResult } from "./bench-types.js";
import { mapLimited } from "../src/core/map-limited.js";

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const counts = { ConfigMap: 400, Service: 300, Deployment: 300 };
const changed = { ConfigMap: 20, Service: 15, Deployment: 15 };
const objectsPerFile = 10;
const rounds = 3;

/**
 * Planning 1,000 objects against the test cluster, Slipway against `kubectl diff --server-side`
 * (kubectl built from the same Kubernetes release as the cluster), in one run on the same files:
 * 1. start the test cluster (idempotent) and find its kubectl;
 * 2. apply 1,000 objects (ConfigMaps, headless Services, Deployments at 0 replicas) once, with
 *    Slipway's labels, then change 50 of them in the files;
 * 3. bundle Slipway's CLI with esbuild (what `npx slipway` runs);
 * 4. run `slipway plan --kubeconfig` and `kubectl diff --server-side` alternately, `rounds`
 *    times: median wall time, peak RSS from /usr/bin/time; API requests from Slipway's own count
 *    and from kubectl's `-v=6` request log (one extra run, so logging does not slow the timed ones).
 */
export const benchmark: Benchmark = {
  name: "plan-vs-kubectl-diff",
  async run(log) {
    const notes: string[] = [];
    // 1. Cluster and kubectl.
    const cluster = startTestClusterWithKubectl(repositoryRoot);
    if (!cluster.ok) return { results: [], notes: [cluster.note] };
    const { kubeconfig, kubectl, kubectlVersion } = cluster;

    const work = mkdtempSync(join(tmpdir(), "slipway-bench-plan-"));
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(kubeconfig);
    const client = createClusterClient(kubeConfig);
    const namespace = `bench-plan-${Math.random().toString(16).slice(2, 8)}`;
    const environmentId = environmentLabelValue("bench", "plan", "bench");
    try {
      // 2. The environment: applied once, then changed in the files.
      await client.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels: { "slipway.dev/test": "true" } } }, { dryRun: false });
      const base = objects(namespace, environmentId, false);
      const started = performance.now();
      await mapLimited(base, 16, (object) => client.apply(object, { dryRun: false }));
      log(`applied ${base.length} objects to namespace ${namespace} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const head = objects(namespace, environmentId, true);
      const repo = join(work, "repo");
      const dir = join(repo, "deploy");
      mkdirSync(dir, { recursive: true });
      mkdirSync(join(repo, ".github"));
      writeFileSync(
        join(repo, ".github", "slipway.yml"),
        `environments:\n  - name: bench\n    path: deploy\n    cluster: test\n    namespace: ${namespace}\n    prune: true\nvalidation:\n  limits:\n    maxFiles: 1000\n`,
      );
      for (let file = 0; file * objectsPerFile < head.length; file++) {
        const documents = head.slice(file * objectsPerFile, (file + 1) * objectsPerFile).map((object) => JSON.stringify(object));
        writeFileSync(join(dir, `objects-${String(file).padStart(3, "0")}.yaml`), `${documents.join("\n---\n")}\n`);
      }
      const expectedChanges = changed.ConfigMap + changed.Service + changed.Deployment;
      log(`${head.length} objects in ${Math.ceil(head.length / objectsPerFile)} files, ${expectedChanges} of them changed`);

      // 3. Slipway's CLI as one file.
      const slipwayCli = join(work, "slipway-cli.mjs");
      await build({
        entryPoints: [join(repositoryRoot, "src", "cli", "main.ts")],
        outfile: slipwayCli,
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        banner: { js: "import { createRequire as __slipwayRequire } from 'node:module'; const require = __slipwayRequire(import.meta.url);" },
        logLevel: "error",
      });

      // 4. Alternate; kubectl keeps its discovery cache in a folder of this run (warmed by its first run).
      const slipwayArgs = [slipwayCli, "plan", "--env", "bench", "--repo", repo, "--kubeconfig", kubeconfig, "--github-repo", "bench/plan", "--format", "json"];
      const cacheDir = join(work, "kube-cache");
      const kubectlArgs = [
        "--kubeconfig",
        kubeconfig,
        "--cache-dir",
        cacheDir,
        "diff",
        "--server-side",
        "--field-manager=slipway",
        "--force-conflicts",
        "-f",
        dir,
      ];
      const slipwayRuns: Measurement[] = [];
      const kubectlRuns: Measurement[] = [];
      for (let round = 0; round < rounds; round++) {
        slipwayRuns.push(measureProcess(process.execPath, slipwayArgs, repo));
        kubectlRuns.push(measureProcess(kubectl, kubectlArgs, repo));
        log(`round ${round + 1}: slipway ${slipwayRuns.at(-1)!.seconds.toFixed(2)} s, kubectl ${kubectlRuns.at(-1)!.seconds.toFixed(2)} s`);
      }
      const logged = measureProcess(kubectl, [...kubectlArgs, "-v=6"], repo);
      const kubectlRequests = (logged.stderr.match(/"Response" verb=/g) ?? []).length;
      const slipwayRequests = Number(/with (\d+) API requests/.exec(slipwayRuns[0].stderr)?.[1] ?? NaN);

      // Both must have seen the same change.
      const plan = safeJson(slipwayRuns[0].stdout) as { plan?: { counts?: Record<string, number> } } | undefined;
      const slipwayChanged = plan?.plan?.counts?.update;
      const kubectlChanged = (kubectlRuns[0].stdout.match(/^\+\+\+ \S*MERGED/gm) ?? []).length;
      if (slipwayChanged !== expectedChanges)
        notes.push(
          `warning: Slipway planned ${slipwayChanged} updates, expected ${expectedChanges} (exit ${slipwayRuns[0].exitCode}: ${slipwayRuns[0].stderr.trim().split("\n").at(-1)})`,
        );
      if (kubectlChanged !== expectedChanges)
        notes.push(
          `warning: kubectl diff showed ${kubectlChanged} objects, expected ${expectedChanges} (exit ${kubectlRuns[0].exitCode}: ${kubectlRuns[0].stderr.trim().split("\n").at(-1)})`,
        );

      const slipway = summarizeRuns(slipwayRuns);
      const other = summarizeRuns(kubectlRuns);
      const results: BenchResult[] = [
        row("slipway plan (node, esbuild bundle)", head.length, slipway, slipwayRequests),
        row(`kubectl ${kubectlVersion} diff --server-side`, head.length, other, kubectlRequests),
      ];
      const speed = other.seconds / slipway.seconds;
      notes.push(
        `ratio: Slipway is ${speed.toFixed(2)}× ${speed >= 1 ? "faster" : "slower"} than kubectl diff (median of ${rounds}); ` +
          `${slipwayRequests} vs ${kubectlRequests} API requests (${(kubectlRequests / slipwayRequests).toFixed(2)}× fewer); ` +
          `peak RSS ${fmt(slipway.peakRssMb)} MB vs ${fmt(other.peakRssMb)} MB.`,
        `Both found ${kubectlChanged === slipwayChanged ? `the same ${slipwayChanged}` : `${slipwayChanged} (Slipway) and ${kubectlChanged} (kubectl)`} changed objects among ${head.length}. ` +
          "Slipway also lists the environment's labelled objects of 20 kinds for prune; kubectl diff does not prune. " +
          "kubectl reads discovery from its cache folder; Slipway asks the server (2 requests).",
      );
      return { results, notes };
    } finally {
      await client.delete({ apiVersion: "v1", kind: "Namespace", name: namespace }, { dryRun: false }).catch(() => undefined);
      rmSync(work, { recursive: true, force: true });
    }
  },
};

/** 1,000 objects with Slipway's labels; with `changed`, the first few of each kind differ. */
function objects(namespace: string, environmentId: string, change: boolean): KubeObject[] {
  const result: KubeObject[] = [];
  const label = (object: KubeObject) => withSlipwayMetadata(object, { environmentId });
  for (let i = 0; i < counts.ConfigMap; i++) {
    const edit = change && i < changed.ConfigMap;
    result.push(
      label({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: `config-${i}`, namespace },
        data: { "app.properties": `name=config-${i}\nlevel=${edit ? "debug" : "info"}\n`, replicas: String(i % 5) },
      }),
    );
  }
  for (let i = 0; i < counts.Service; i++) {
    const edit = change && i < changed.Service;
    result.push(
      label({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: `svc-${i}`, namespace },
        spec: { clusterIP: "None", selector: { app: `app-${i}` }, ports: [{ name: "http", port: edit ? 8080 : 80 }] },
      }),
    );
  }
  for (let i = 0; i < counts.Deployment; i++) {
    const edit = change && i < changed.Deployment;
    result.push(
      label({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: `app-${i}`, namespace },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: `app-${i}` } },
          template: { metadata: { labels: { app: `app-${i}` } }, spec: { containers: [{ name: "web", image: edit ? "nginx:1.28" : "nginx:1.27" }] } },
        },
      }),
    );
  }
  return result;
}

function row(subject: string, objects: number, measured: { seconds: number; peakRssMb: number | undefined }, requests: number): BenchResult {
  return {
    benchmark: "plan-vs-kubectl-diff",
    subject,
    values: { objects, "seconds (median)": measured.seconds.toFixed(2), "API requests": requests, "peak RSS (MB)": fmt(measured.peakRssMb) },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fmt(value: number | undefined): string {
  return value === undefined ? "n/a" : value.toFixed(0);
}
