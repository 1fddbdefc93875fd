import { measureProcess, summarizeRuns, type Measurement } from "./measure-process.js";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { readSchemaSet } from "../src/schemas/read-schema-set.js";
import type { Benchmark, BenchResult } from "./bench-types.js";
import { exportKubeconformSchemas } from "./export-kubeconform-schemas.js";
import { generateCorpus } from "./generate-corpus.js";

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const kubeconformVersion = "v0.7.0";
const corpusFiles = 840; // × 12 kinds = 10,080 objects
const rounds = 5;
const realWorldCorpus = join(repositoryRoot, "bench", "corpus", "kubernetes-examples");

const oneDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources: { requests: { cpu: 100m }, limits: { memory: 128Mi } }
          readinessProbe: { httpGet: { path: /, port: 80 } }
`;

interface Corpus {
  label: string;
  cwd: string;
  path: string;
  /** Every object valid: both tools must say so. */
  clean: boolean;
}

/**
 * Validation, Slipway against kubeconform, in one run on the same files, on three corpora: one
 * file, a real-world corpus (bench/corpus/: kubernetes/examples), and 10,080 generated objects:
 * 1. write the one file and generate the synthetic corpus;
 * 2. export the bundled schemas in kubeconform's layout (standalone, strict), every kind;
 * 3. bundle Slipway's CLI with esbuild (what `npx slipway` runs, without tsx's transpiling; one
 *    chunk per command, as the package loads them) and build kubeconform with `go install`
 *    through the module proxy, cached outside the tree;
 * 4. per corpus, one run of each to fill Slipway's cache of compiled schemas (the cold run is
 *    reported too), then `rounds` runs of each, alternating; median wall time, peak RSS from
 *    /usr/bin/time.
 */
export const benchmark: Benchmark = {
  name: "validate-throughput",
  async run(log) {
    const notes: string[] = [];
    const versions = readdirSync(join(repositoryRoot, "schema", "kubernetes"))
      .filter((name) => /^v\d+\.\d+$/.test(name))
      .sort();
    const version = versions.at(-1)?.slice(1);
    if (version === undefined) return { results: [], notes: ["no bundled schemas in schema/kubernetes; skipped"] };
    const schemaSet = await readSchemaSet(join(repositoryRoot, "schema", "kubernetes"), version);
    if (!schemaSet.ok) return { results: [], notes: [schemaSet.message] };

    const work = mkdtempSync(join(tmpdir(), "slipway-bench-"));
    try {
      // 1. Corpora.
      mkdirSync(join(work, "one"));
      writeFileSync(join(work, "one", "deployment.yaml"), oneDeployment);
      const synthetic = generateCorpus(join(work, "repo", "manifests"), corpusFiles);
      log(`synthetic corpus: ${synthetic.objects} objects in ${synthetic.files} files`);
      const corpora: Corpus[] = [
        { label: "one file (1 Deployment)", cwd: join(work, "one"), path: "deployment.yaml", clean: true },
        ...(existsSync(realWorldCorpus) ? [{ label: "real world (kubernetes/examples)", cwd: realWorldCorpus, path: ".", clean: false }] : []),
        { label: `synthetic (${synthetic.objects.toLocaleString("en")} objects)`, cwd: join(work, "repo"), path: "manifests", clean: true },
      ];

      // 2. Schemas for kubeconform.
      const kubeconformSchemas = join(work, "kubeconform-schemas");
      const exported = exportKubeconformSchemas(schemaSet.set, kubeconformSchemas);
      log(`exported ${exported} schemas (Kubernetes ${version}) in kubeconform's layout`);

      // 3. Tools.
      const slipwayOut = join(work, "slipway-cli");
      await build({
        entryPoints: [join(repositoryRoot, "src", "cli", "main.ts")],
        outdir: slipwayOut,
        outExtension: { ".js": ".mjs" },
        bundle: true,
        splitting: true,
        platform: "node",
        format: "esm",
        target: "node20",
        banner: { js: "import { createRequire as __slipwayRequire } from 'node:module'; const require = __slipwayRequire(import.meta.url);" },
        logLevel: "error",
      });
      const slipwayCli = join(slipwayOut, "main.mjs");
      const kubeconform = ensureKubeconform(log);
      const cacheDir = join(work, "slipway-cache");

      // 4. Per corpus, alternating the two so load on the machine hits both alike.
      const results: BenchResult[] = [];
      for (const corpus of corpora) {
        const slipwayArgs = [
          slipwayCli,
          "validate",
          "--schema-location",
          join(repositoryRoot, "schema", "kubernetes"),
          "--kubernetes-version",
          version,
          "--cache-dir",
          cacheDir,
          corpus.path,
        ];
        const kubeconformArgs = [
          "-schema-location",
          `${kubeconformSchemas}/{{.ResourceKind}}{{.KindSuffix}}.json`,
          "-kubernetes-version",
          `${version}.0`,
          "-strict",
          "-summary",
          corpus.path,
        ];
        const cold = measureProcess(process.execPath, slipwayArgs, corpus.cwd);
        if (kubeconform) measureProcess(kubeconform, kubeconformArgs, corpus.cwd);
        const slipwayRuns: Measurement[] = [];
        const kubeconformRuns: Measurement[] = [];
        for (let round = 0; round < rounds; round++) {
          slipwayRuns.push(measureProcess(process.execPath, slipwayArgs, corpus.cwd));
          if (kubeconform) kubeconformRuns.push(measureProcess(kubeconform, kubeconformArgs, corpus.cwd));
        }
        const objects = Number(/Summary: (\d+) objects?/.exec(slipwayRuns[0]!.stdout)?.[1] ?? 0);
        const slipway = summarizeRuns(slipwayRuns);
        results.push(row(corpus.label, "slipway validate (node, esbuild bundle, cached schemas)", objects, slipway));
        results.push(row(corpus.label, "slipway validate, first run (compiles the schemas)", objects, summarizeRuns([cold])));
        notes.push(`${corpus.label}: Slipway says ${lastLine(slipwayRuns[0]!.stdout)}`);
        if (corpus.clean) check(slipwayRuns[0], 0, `Summary: ${objects} object`, "slipway", notes);
        if (kubeconform) {
          const other = summarizeRuns(kubeconformRuns);
          results.push(row(corpus.label, `kubeconform ${kubeconformVersion} (-strict, 4 workers)`, objects, other));
          notes.push(`${corpus.label}: kubeconform says ${lastLine(kubeconformRuns[0]!.stdout)}`);
          if (corpus.clean) check(kubeconformRuns[0], 0, `Invalid: 0, Errors: 0`, "kubeconform", notes);
          const speed = other.seconds / slipway.seconds;
          notes.push(
            `${corpus.label}: Slipway is ${speed.toFixed(2)}× ${speed >= 1 ? "faster" : "slower"} than kubeconform (median of ${rounds}); ` +
              `peak RSS ${fmt(slipway.peakRssMb)} MB vs ${fmt(other.peakRssMb)} MB.`,
          );
        }
      }
      if (!kubeconform) notes.push("kubeconform unavailable (Go missing or the module proxy unreachable): Slipway measured alone.");
      notes.push("Both run end to end as processes: start-up, reading schemas, reading and validating every file.");
      return { results, notes };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};

function ensureKubeconform(log: (line: string) => void): string | undefined {
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "slipway", `kubeconform-${kubeconformVersion}`);
  const binary = join(cache, "kubeconform");
  if (existsSync(binary)) return binary;
  mkdirSync(cache, { recursive: true });
  log(`building kubeconform ${kubeconformVersion} with go install into ${cache}`);
  const built = spawnSync("go", ["install", `github.com/yannh/kubeconform/cmd/kubeconform@${kubeconformVersion}`], {
    env: { ...process.env, GOBIN: cache },
    encoding: "utf8",
  });
  if (built.status !== 0 || !existsSync(binary)) {
    log(`go install failed: ${built.error?.message ?? built.stderr.trim().split("\n").at(-1)}`);
    return undefined;
  }
  return binary;
}

function row(corpus: string, subject: string, objects: number, measured: { seconds: number; peakRssMb: number | undefined }): BenchResult {
  return {
    benchmark: "validate-throughput",
    subject: `${corpus}: ${subject}`,
    values: {
      objects,
      "seconds (median)": measured.seconds.toFixed(2),
      "objects/s": Math.round(objects / measured.seconds),
      "peak RSS (MB)": fmt(measured.peakRssMb),
    },
  };
}

function check(run: Measurement | undefined, exitCode: number, expected: string, tool: string, notes: string[]): void {
  if (run && run.exitCode === exitCode && run.stdout.includes(expected)) return;
  notes.push(`warning: ${tool} did not report a clean corpus (exit ${run?.exitCode}): ${(run?.stdout + run!.stderr).trim().split("\n").slice(-3).join(" / ")}`);
}

function lastLine(text: string): string {
  return text.trim().split("\n").at(-1) ?? "";
}

function fmt(value: number | undefined): string {
  return value === undefined ? "n/a" : value.toFixed(0);
}
