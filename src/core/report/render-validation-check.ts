import { codeSpan } from "../markdown/code-span.js";
import { markdownText } from "../markdown/markdown-text.js";
import { tableCell } from "../markdown/table-cell.js";
import type { EnvironmentValidation, ValidationResult } from "../validation/validation-result.js";
import { plural } from "../text.js";

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title: string;
}

export interface CheckOutput {
  title: string;
  summary: string;
  text?: string;
  conclusion: "success" | "failure" | "neutral";
  annotations: CheckAnnotation[];
}

export interface RenderValidationCheckOptions {
  /** Most annotations across all requests (GitHub takes 50 per request; the publisher batches). */
  maxAnnotations?: number;
  /** GitHub's limit for `summary` and for `text`. */
  maxLength?: number;
}

const defaultMaxAnnotations = 500;
const githubMaxLength = 65_535;

/**
 * The `Slipway / validate` check run for a head commit: a table per environment (objects,
 * errors, warnings, skipped), every finding in the text, and annotations at file and line,
 * errors first, capped, with a line that says how many more there are.
 */
export function renderValidationCheck(environments: EnvironmentValidation[], options: RenderValidationCheckOptions = {}): CheckOutput {
  const maxAnnotations = options.maxAnnotations ?? defaultMaxAnnotations;
  const maxLength = options.maxLength ?? githubMaxLength;
  const counts = environments.map((environment) => ({ environment, ...count(environment.results) }));
  const objects = sum(counts.map((c) => c.environment.objects));
  const errors = sum(counts.map((c) => c.errors));
  const warnings = sum(counts.map((c) => c.warnings));

  if (environments.length === 0) {
    return { title: "No environments to validate", summary: "This change touches no environment.", conclusion: "neutral", annotations: [] };
  }

  const findings = environments.flatMap((environment) =>
    environment.results.filter((result) => result.severity !== "info").map((result) => ({ environment: environment.environment, result })),
  );
  const ordered = [...findings.filter((f) => f.result.severity === "error"), ...findings.filter((f) => f.result.severity !== "error")];
  const annotations = ordered.slice(0, maxAnnotations).map(({ environment, result }) => toAnnotation(environment, result, environments.length > 1));

  const title =
    errors > 0
      ? `${plural(errors, "error")}${warnings > 0 ? `, ${plural(warnings, "warning")}` : ""} in ${plural(objects, "object")}`
      : warnings > 0
        ? `${plural(objects, "object")}, no errors, ${plural(warnings, "warning")}`
        : `${plural(objects, "object")} valid`;

  const summaryLines = [
    "| Environment | Objects | Errors | Warnings | Skipped |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...counts.map((c) => `| ${tableCell(markdownText(c.environment.environment))} | ${c.environment.objects} | ${c.errors} | ${c.warnings} | ${c.skipped} |`),
  ];
  if (findings.length > annotations.length) {
    summaryLines.push("", `Showing ${annotations.length} of ${findings.length} annotations; ${findings.length - annotations.length} more are listed below.`);
  }

  const textLines: string[] = [];
  for (const environment of environments) {
    const own = environment.results.filter((result) => result.severity !== "info");
    if (own.length === 0) continue;
    if (textLines.length > 0) textLines.push("");
    textLines.push(`### ${markdownText(environment.environment)}`, "");
    for (const result of own) textLines.push(`- ${icon(result)} ${codeSpan(location(result))}${describeObject(result)}: ${markdownText(result.message)}`);
  }

  return {
    title,
    summary: cutToFit(summaryLines.join("\n"), maxLength),
    ...(textLines.length > 0 ? { text: cutToFit(textLines.join("\n"), maxLength) } : {}),
    conclusion: errors > 0 ? "failure" : "success",
    annotations,
  };
}

function count(results: ValidationResult[]) {
  let errors = 0;
  let warnings = 0;
  let skipped = 0;
  for (const result of results) {
    if (result.severity === "error") errors += 1;
    else if (result.severity === "warning") warnings += 1;
    if (result.status === "skipped") skipped += 1;
  }
  return { errors, warnings, skipped };
}

function toAnnotation(environment: string, result: ValidationResult, nameEnvironment: boolean): CheckAnnotation {
  const line = Math.max(1, result.line);
  const subject = result.object?.kind && result.object.name ? ` · ${result.object.kind}/${result.object.name}` : "";
  return {
    path: result.file,
    start_line: line,
    end_line: line,
    annotation_level: result.severity === "error" ? "failure" : result.severity === "warning" ? "warning" : "notice",
    message: result.message,
    title: `${nameEnvironment ? `${environment} · ` : ""}${result.check}${subject}`,
  };
}

function icon(result: ValidationResult): string {
  return result.severity === "error" ? "❌" : "⚠️";
}

function location(result: ValidationResult): string {
  return result.line > 0 ? `${result.file}:${result.line}` : result.file;
}

function describeObject(result: ValidationResult): string {
  const object = result.object;
  return object?.kind && object.name ? ` ${markdownText(object.kind)} **${markdownText(object.name)}**` : "";
}

// Cuts at a line boundary so a table row or list item is never half shown.
function cutToFit(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const lines = text.split("\n");
  const kept: string[] = [];
  let length = 0;
  const reserve = 200;
  for (const line of lines) {
    if (length + line.length + 1 > maxLength - reserve) break;
    kept.push(line);
    length += line.length + 1;
  }
  const omitted = lines.length - kept.length;
  return `${kept.join("\n")}\n\n_… ${plural(omitted, "more line")} cut to fit GitHub's limit; run \`npx slipway validate\` for the full list._`;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
