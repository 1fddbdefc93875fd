import { measureProcess, summarizeRuns, type Measurement } from "./measure-process.js";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { readSchemaSet } from "../src/schemas/read-schema-set.js";
import type { Benchmark, BenchResult } from "./bench-types.js";
import { exportKubeconformSchemas } from "./export-kubeconform-schemas.js";
import { corpusKinds, generateCorpus } from "./generate-corpus.js";

const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const kubeconformVersion = "v0.7.0";
const corpusFiles = 840; // × 12 kinds = 10,080 objects
const rounds = 3;


/**
 * Validation throughput, Slipway against kubeconform, in one run on the same files:
 * 1. generate a corpus of 10,080 objects of 12 kinds;
 * 2. export the bundled schemas in kubeconform's layout (standalone, strict);
 * 3. bundle Slipway's CLI with esbuild (what `npx slipway` runs, without tsx's transpiling)
 *    and build kubeconform with `go install` through the module proxy, cached outside the tree;
 * 4. run each end to end as a process, alternating, `rounds` times; median wall time,
 *    peak RSS from /usr/bin/time.
 */
export const benchmark: Benchmark = {
  name: "validate-throughput",
  async run(log) {
    const notes: string[] = [];
    const versions = readdirSync(join(repositoryRoot, "schema", "kubernetes")).filter((name) => /^v\d+\.\d+$/.test(name)).sort();
    const version = versions.at(-1)?.slice(1);
    if (version === undefined) return { results: [], notes: ["no bundled schemas in schema/kubernetes; skipped"] };
    const schemaSet = await readSchemaSet(join(repositoryRoot, "schema", "kubernetes"), version);
    if (!schemaSet.ok) return { results: [], notes: [schemaSet.message] };

    const work = mkdtempSync(join(tmpdir(), "slipway-bench-"));
    try {
      // 1. Corpus.
      const corpus = generateCorpus(join(work, "repo", "manifests"), corpusFiles);
      log(`corpus: ${corpus.objects} objects in ${corpus.files} files`);

      // 2. Schemas for kubeconform.
      const kubeconformSchemas = join(work, "kubeconform-schemas");
      const exported = exportKubeconformSchemas(schemaSet.set, kubeconformSchemas, corpusKinds);
      log(`exported ${exported} schemas (Kubernetes ${version}) in kubeconform's layout`);

      // 3. Tools.
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
      const kubeconform = ensureKubeconform(log);

      const slipwayArgs = [slipwayCli, "validate", "--schema-location", join(repositoryRoot, "schema", "kubernetes"), "--kubernetes-version", version, "manifests"];
      const kubeconformArgs = [
        "-schema-location", `${kubeconformSchemas}/{{.ResourceKind}}{{.KindSuffix}}.json`,
        "-kubernetes-version", `${version}.0`,
        "-strict", "-summary", "manifests",
      ];
      const cwd = join(work, "repo");

      // 4. Alternate the two so load on the machine hits both alike.
      const slipwayRuns: Measurement[] = [];
      const kubeconformRuns: Measurement[] = [];
      for (let round = 0; round < rounds; round++) {
        slipwayRuns.push(measureProcess(process.execPath, slipwayArgs, cwd));
        if (kubeconform) kubeconformRuns.push(measureProcess(kubeconform, kubeconformArgs, cwd));
      }
      const slipway = summarizeRuns(slipwayRuns);
      const results: BenchResult[] = [row("slipway validate (node, esbuild bundle)", corpus.objects, slipway)];
      check(slipwayRuns[0], 0, `Summary: ${corpus.objects} objects, 0 errors`, "slipway", notes);
      if (kubeconform) {
        const other = summarizeRuns(kubeconformRuns);
        results.push(row(`kubeconform ${kubeconformVersion} (-strict, 4 workers)`, corpus.objects, other));
        check(kubeconformRuns[0], 0, `Valid: ${corpus.objects}, Invalid: 0`, "kubeconform", notes);
        const speed = other.seconds / slipway.seconds;
        notes.push(
          `ratio: Slipway is ${speed.toFixed(2)}× ${speed >= 1 ? "faster" : "slower"} than kubeconform (median of ${rounds}); ` +
            `peak RSS ${fmt(slipway.peakRssMb)} MB vs ${fmt(other.peakRssMb)} MB.`,
        );
      } else {
        notes.push("kubeconform unavailable (Go missing or the module proxy unreachable): Slipway measured alone.");
      }
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



function row(subject: string, objects: number, measured: { seconds: number; peakRssMb: number | undefined }): BenchResult {
  return {
    benchmark: "validate-throughput",
    subject,
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

function fmt(value: number | undefined): string {
  return value === undefined ? "n/a" : value.toFixed(0);
}
