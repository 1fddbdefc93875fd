import { codeSpan } from "../markdown/code-span.js";
import { markdownText } from "../markdown/markdown-text.js";
import { tableCell } from "../markdown/table-cell.js";
import { plural } from "../text.js";
import type { CheckOutput } from "./render-validation-check.js";

export interface ConfigError {
  file: string;
  line: number;
  message: string;
}

/** A broken `.github/slipway.yml` as a failing check: every problem at its line, in the summary and as an annotation. */
export function renderConfigErrorCheck(errors: readonly ConfigError[]): CheckOutput {
  const count = errors.length;
  const rows = errors.map((error) => `| ${tableCell(codeSpan(error.file))} | ${error.line || "—"} | ${tableCell(markdownText(error.message))} |`);
  const summary = [
    `Slipway could not read its configuration, so nothing was validated or planned. Fix ${count === 1 ? "this problem" : `these ${count} problems`} and push again.`,
    "",
    "| File | Line | Problem |",
    "| --- | ---: | --- |",
    ...rows,
  ].join("\n");
  return {
    title: `Invalid configuration: ${plural(count, "problem")}`,
    summary,
    conclusion: "failure",
    // GitHub requires a line; a problem with the file as a whole (line 0) is shown at its top.
    annotations: errors.map((error) => ({
      path: error.file,
      start_line: Math.max(1, error.line),
      end_line: Math.max(1, error.line),
      annotation_level: "failure",
      title: "Invalid Slipway configuration",
      message: error.message,
    })),
  };
}
