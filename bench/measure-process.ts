import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface Measurement {
  seconds: number;
  peakRssMb: number | undefined;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end: wall time, and peak RSS from /usr/bin/time where the machine has it. */
export function measureProcess(command: string, args: string[], cwd: string): Measurement {
  const timed = existsSync("/usr/bin/time");
  const started = process.hrtime.bigint();
  const options = { cwd, encoding: "utf8" as const, maxBuffer: 256 * 1024 * 1024 };
  const run = timed ? spawnSync("/usr/bin/time", ["-f", "__peak_rss_kb=%M", command, ...args], options) : spawnSync(command, args, options);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rss = /__peak_rss_kb=(\d+)/.exec(run.stderr ?? "");
  return {
    seconds,
    peakRssMb: rss ? Number(rss[1]) / 1024 : undefined,
    exitCode: run.status,
    stdout: run.stdout ?? "",
    stderr: (run.stderr ?? "").replace(/__peak_rss_kb=\d+\n?/, ""),
  };
}

/** Median wall time and the highest peak RSS of repeated runs. */
export function summarizeRuns(runs: Measurement[]): { seconds: number; peakRssMb: number | undefined } {
  const seconds = runs.map((run) => run.seconds).sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
  const rss = runs.map((run) => run.peakRssMb).filter((value): value is number => value !== undefined);
  return { seconds, peakRssMb: rss.length > 0 ? Math.max(...rss) : undefined };
}
