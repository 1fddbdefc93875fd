import type { EnvironmentPlan, PlannedObject } from "../plan/environment-plan.js";
import { describeObject } from "../object-identity.js";
import { codeSpan } from "../markdown/code-span.js";
import { changedObjects, renderDiffBlock, renderPlanSection } from "../plan/render-plan-section.js";
import type { CheckAnnotation, CheckOutput } from "./render-validation-check.js";
import { plural } from "../text.js";

export interface RenderPlanCheckOptions {
  /** GitHub's limit for `summary` and for `text`. */
  maxLength?: number;
  /** Most annotations (GitHub takes 50 per request; the publisher batches). */
  maxAnnotations?: number;
}

const githubMaxLength = 65_535;
const defaultMaxAnnotations = 500;

/**
 * The `Slipway / plan: <environment>` check run: success when the plan is computed, failure when
 * an object is rejected, by the cluster, the clusters file's policy or ownership (annotated at its
 * file and line). The summary has the counts,
 * risks and table; the text has every diff that fits, then names the ones that did not.
 */
export function renderPlanCheck(plan: EnvironmentPlan, options: RenderPlanCheckOptions = {}): CheckOutput {
  const maxLength = options.maxLength ?? githubMaxLength;
  const maxAnnotations = options.maxAnnotations ?? defaultMaxAnnotations;
  const { counts } = plan;
  const fullPlanHint = `run ${codeSpan(`npx slipway plan --env ${plan.environment}`)} for the full plan`;

  const changes = [
    counts.create > 0 ? `${counts.create} to create` : "",
    counts.update > 0 ? `${counts.update} to update` : "",
    counts.delete > 0 ? `${counts.delete} to delete` : "",
  ].filter((part) => part !== "");
  const title =
    (plan.mode === "offline" ? "Offline plan: " : "") +
    (counts.rejected > 0
      ? `${plural(counts.rejected, "object")} rejected${changes.length > 0 ? `; ${changes.join(", ")}` : ""}`
      : changes.length > 0
        ? changes.join(", ")
        : "No changes");

  let summary = "";
  for (let maxRows = Number.MAX_SAFE_INTEGER; ; maxRows = maxRows > 1000 ? 1000 : Math.floor(maxRows / 2)) {
    summary = renderPlanSection(plan, { maxRows, fullPlanHint });
    if (summary.length <= maxLength || maxRows === 0) break;
  }
  if (summary.length > maxLength) summary = cutAtLine(summary, maxLength, fullPlanHint);

  const withDiff = changedObjects(plan).filter((object) => object.diff !== "");
  const text = renderDiffs(withDiff, maxLength, fullPlanHint);

  const rejected = plan.objects.filter((object) => object.rejection && object.file);
  const risky = plan.objects.filter((object) => !object.rejection && object.file && object.action !== "delete" && object.risks.some((r) => r.level === "high"));
  const annotations = [...rejected.map(rejectionAnnotation), ...risky.map(riskAnnotation)].slice(0, maxAnnotations);

  return {
    title,
    summary,
    ...(text !== "" ? { text } : {}),
    conclusion: counts.rejected > 0 ? "failure" : "success",
    annotations,
  };
}

// As many whole diffs as fit, in plan order, then a list of those left out.
function renderDiffs(objects: PlannedObject[], maxLength: number, fullPlanHint: string): string {
  const blocks: string[] = [];
  const left: PlannedObject[] = [];
  let length = 0;
  const reserve = 2_000;
  for (const object of objects) {
    const block = renderDiffBlock(object);
    if (left.length === 0 && length + block.length + 2 <= maxLength - reserve) {
      blocks.push(block);
      length += block.length + 2;
    } else {
      left.push(object);
    }
  }
  if (left.length === 0) return blocks.join("\n\n");
  const names = left.map((object) => codeSpan(describeObject(object.ref)));
  let listed = names.join(", ");
  if (listed.length > reserve - 300) {
    let kept = 0;
    for (let size = 0; kept < names.length && size + names[kept].length + 2 < reserve - 300; kept++) size += names[kept].length + 2;
    listed = `${names.slice(0, kept).join(", ")} and ${names.length - kept} more`;
  }
  const notice = `_The diffs of ${plural(left.length, "more object")} are left out to fit GitHub's limit: ${listed}. ${capitalize(fullPlanHint)}._`;
  return [...blocks, notice].join("\n\n");
}

function rejectionAnnotation(object: PlannedObject): CheckAnnotation {
  const rejection = object.rejection!;
  const line = Math.max(1, rejection.line ?? object.line ?? 1);
  // Fields the message does not already spell out.
  const extra = rejection.fields.map((f) => `${f.field}: ${f.message}`).filter((line) => !rejection.message.includes(line));
  const fields = extra.length > 0 ? `\n${extra.join("\n")}` : "";
  return {
    path: object.file!,
    start_line: line,
    end_line: line,
    annotation_level: "failure",
    title: `${describeObject(object.ref)}: ${object.action} rejected (${rejection.reason})`,
    message: `${rejection.message}${fields}`,
  };
}

function riskAnnotation(object: PlannedObject): CheckAnnotation {
  const line = Math.max(1, object.line ?? 1);
  return {
    path: object.file!,
    start_line: line,
    end_line: line,
    annotation_level: "warning",
    title: `${describeObject(object.ref)}: risky ${object.action}`,
    message: object.risks
      .filter((r) => r.level === "high")
      .map((r) => r.message)
      .join("\n"),
  };
}

function cutAtLine(text: string, maxLength: number, fullPlanHint: string): string {
  const notice = `\n\n_… cut to fit GitHub's limit; ${fullPlanHint}._`;
  const end = text.lastIndexOf("\n", maxLength - notice.length);
  return text.slice(0, end > 0 ? end : maxLength - notice.length) + notice;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
