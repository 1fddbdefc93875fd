import type { EnvironmentPlan, PlanCounts, PlannedObject, SecretKeyChange } from "./environment-plan.js";
import { codeBlock } from "../markdown/code-block.js";
import { codeSpan } from "../markdown/code-span.js";
import { htmlText } from "../markdown/html-text.js";
import { markdownText } from "../markdown/markdown-text.js";
import { tableCell } from "../markdown/table-cell.js";
import { describeObject } from "../object-identity.js";
import { plural } from "../text.js";

// Markdown pieces shared by the plan comment and the plan check run.

export interface PlanSectionOptions {
  /** Most rows listed in the table, and most risks and rejections; the rest are counted. */
  maxRows: number;
  /** Changed objects whose diff is not shown below the table: marked with † in it. */
  omitted?: ReadonlySet<PlannedObject>;
  /** Where the full plan is, said when something is left out. */
  fullPlanHint: string;
}

/**
 * One environment's plan without its diffs: the offline banner, the counts, risk callouts,
 * rejections, the table of changed objects, and the objects kept because prune is off.
 */
export function renderPlanSection(plan: EnvironmentPlan, options: PlanSectionOptions): string {
  const lines: string[] = [];
  if (plan.mode === "offline") lines.push(offlineBanner(plan), "");
  lines.push(summarizeCounts(plan.counts), "");

  const changed = changedObjects(plan);
  const risks = changed.flatMap((object) => object.risks.map((risk) => ({ object, risk })));
  risks.sort((a, b) => (a.risk.level === b.risk.level ? 0 : a.risk.level === "high" ? -1 : 1));
  if (risks.length > 0) {
    lines.push("**Risks**", "");
    for (const { risk } of risks.slice(0, options.maxRows)) lines.push(`- ${risk.level === "high" ? "🔴" : "🟠"} ${markdownText(risk.message)}`);
    if (risks.length > options.maxRows) lines.push(`- … and ${risks.length - options.maxRows} more; ${options.fullPlanHint}`);
    lines.push("");
  }

  const rejected = changed.filter((object) => object.rejection);
  if (rejected.length > 0) {
    // Not all by the cluster: the clusters file's policy and ownership reject objects without asking it.
    lines.push("**Rejected**", "");
    for (const object of rejected.slice(0, options.maxRows)) {
      const where = object.file ? ` at ${codeSpan(location(object.file, object.rejection?.line ?? object.line))}` : "";
      lines.push(`- ❌ ${codeSpan(describeObject(object.ref))}${where} (${object.rejection!.reason}): ${markdownText(object.rejection!.message)}`);
    }
    if (rejected.length > options.maxRows) lines.push(`- … and ${rejected.length - options.maxRows} more; ${options.fullPlanHint}`);
    lines.push("");
  }

  if (changed.length > 0) {
    lines.push("| Action | Object | Source | Notes |", "| --- | --- | --- | --- |");
    for (const object of changed.slice(0, options.maxRows)) {
      const mark = options.omitted?.has(object) ? " †" : "";
      const source = object.file ? codeSpan(location(object.file, object.line)) : "";
      const cells = [`${actionLabel(object)}${mark}`, codeSpan(describeObject(object.ref)), source, markdownText(notesOf(object))];
      lines.push(`| ${cells.map(tableCell).join(" | ")} |`);
    }
    if (changed.length > options.maxRows) lines.push("", `_… and ${changed.length - options.maxRows} more changed objects; ${options.fullPlanHint}._`);
    lines.push("");
  }

  if (plan.kept.length > 0) {
    const listed = plan.kept.slice(0, Math.min(10, options.maxRows)).map((ref) => codeSpan(describeObject(ref)));
    const more = plan.kept.length - listed.length;
    lines.push(
      `${plural(plan.kept.length, "object")} labelled for this environment ${plan.kept.length === 1 ? "is" : "are"} no longer in Git and ${plan.kept.length === 1 ? "stays" : "stay"} in the cluster (prune is off): ${listed.join(", ")}${more > 0 ? ` and ${more} more` : ""}.`,
      "",
    );
  }
  return lines.join("\n").replace(/\n+$/, "");
}

/** The objects a reader looks at: everything but the unchanged ones. */
export function changedObjects(plan: EnvironmentPlan): PlannedObject[] {
  return plan.objects.filter((object) => object.action !== "unchanged" || object.rejection);
}

/** A collapsible diff of one object, fenced so that no backtick in it can end the fence. */
export function renderDiffBlock(object: PlannedObject): string {
  return [
    `<details><summary>${actionLabel(object)} <code>${htmlText(describeObject(object.ref))}</code></summary>`,
    "",
    codeBlock(object.diff, "diff"),
    "",
    "</details>",
  ].join("\n");
}

export function offlineBanner(plan: EnvironmentPlan): string {
  const base = plan.offline?.base ? ` with ${markdownText(plan.offline.base)}` : " with the base commit";
  return [
    "> [!WARNING]",
    `> **Offline plan: not compared with the live cluster.** The head was compared${base} from Git only, because ${markdownText(plan.offline?.reason ?? "no cluster was asked")}. Server defaults, admission and changes made in the cluster are not shown.`,
  ].join("\n");
}

export function summarizeCounts(counts: PlanCounts): string {
  const parts = [
    counts.create > 0 ? `${counts.create} to create` : "",
    counts.update > 0 ? `${counts.update} to update` : "",
    counts.delete > 0 ? `${counts.delete} to delete` : "",
    counts.rejected > 0 ? `${counts.rejected} rejected` : "",
  ].filter((part) => part !== "");
  const unchanged = `${counts.unchanged} unchanged`;
  return parts.length === 0 ? `**No changes** · ${unchanged}` : `**${parts.join(", ")}** · ${unchanged}`;
}

export function actionLabel(object: PlannedObject): string {
  if (object.rejection) return `❌ ${object.action} rejected`;
  return { create: "➕ create", update: "✏️ update", delete: "🗑️ delete", unchanged: "unchanged" }[object.action];
}

function notesOf(object: PlannedObject): string {
  const notes = [...object.notes];
  if (object.secretKeys && object.secretKeys.some((k) => k.change !== "unchanged")) notes.push(describeSecretKeys(object.secretKeys));
  return notes.join("; ");
}

/** `keys: password changed, token added, user unchanged` — names only, never values. */
export function describeSecretKeys(keys: SecretKeyChange[]): string {
  return `keys: ${keys.map((k) => `${k.key} ${k.change}`).join(", ")}`;
}

export function location(file: string, line: number | undefined): string {
  return line && line > 0 ? `${file}:${line}` : file;
}
