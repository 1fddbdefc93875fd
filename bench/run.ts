import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Benchmark, BenchResult } from "./bench-types.js";

// `npm run bench`: runs every module in bench/ that exports `benchmark`, prints one table per
// benchmark, and keeps the numbers in bench/results/ (not committed).
const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);

const modules = readdirSync(here)
  .filter((name) => name.endsWith(".ts") && name !== "run.ts" && !name.endsWith("-types.ts"))
  .sort();
const all: Array<{ name: string; results: BenchResult[]; notes: string[] }> = [];
for (const file of modules) {
  const loaded = (await import(pathToFileURL(join(here, file)).href)) as { benchmark?: Benchmark };
  const benchmark = loaded.benchmark;
  if (!benchmark || (only.length > 0 && !only.includes(benchmark.name))) continue;
  console.log(`\n== ${benchmark.name} (${file})`);
  const { results, notes } = await benchmark.run((line) => console.log(`   ${line}`));
  all.push({ name: benchmark.name, results, notes });
  printTable(results);
  for (const note of notes) console.log(note);
}

mkdirSync(join(here, "results"), { recursive: true });
const file = join(here, "results", `${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
writeFileSync(file, `${JSON.stringify({ node: process.version, platform: `${process.platform}-${process.arch}`, benchmarks: all }, null, 2)}\n`);
console.log(`\nresults written to bench/results/${file.split("/").pop()}`);

function printTable(results: BenchResult[]): void {
  if (results.length === 0) return;
  const columns = ["subject", ...Object.keys(results[0].values)];
  const rows = results.map((result) => [result.subject, ...columns.slice(1).map((column) => String(result.values[column] ?? ""))]);
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(" | ")} |`;
  console.log(line(columns));
  console.log(`|${widths.map((width, i) => (i === 0 ? "-".repeat(width + 2) : `${"-".repeat(width + 1)}:`)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}
