import type { EnvironmentPlan, PlannedObject } from "../plan/environment-plan.js";
import { codeSpan } from "../markdown/code-span.js";
import { markdownText } from "../markdown/markdown-text.js";
import { changedObjects, renderDiffBlock, renderPlanSection } from "../plan/render-plan-section.js";
import { planCheckName } from "./check-names.js";
import { renderConfigChange, type RenderConfigChangeParams } from "./render-config-change.js";
import type { ReviewRequirement } from "../review/review-requirement.js";
import { describeMergeRequirement } from "./describe-merge-requirement.js";

/** First line of Slipway's plan comment: how the one sticky comment per pull request is found again. */
export const PLAN_COMMENT_MARKER = "<!-- slipway:plan -->";

/** GitHub refuses an issue comment longer than this. */
export const githubMaxCommentLength = 65_536;

export interface RenderPlanCommentParams {
  plans: EnvironmentPlan[];
  /** The head commit the plan belongs to. */
  headSha: string;
  /** When the plan was computed (the core reads no clock). */
  plannedAt: Date | string;
  /** Check run link per environment name: where the full plan is when the comment cannot hold it. */
  checkRunUrls?: Record<string, string>;
  /** The pull request changes `.github/slipway.yml`: its own section, after the plans. */
  configChange?: RenderConfigChangeParams;
  /** What a merge must have gone through for each environment to deploy it (the trusted config's `requireReview`). */
  mergeRequirements?: Readonly<Record<string, ReviewRequirement>>;
  maxLength?: number;
}

interface Layout {
  maxRows: number;
  shown: ReadonlySet<PlannedObject>;
}

/**
 * The sticky plan comment: per environment the counts, risk callouts, a table of changed objects
 * and a collapsible diff per object; a footer with the head SHA, the time and how to plan again.
 * It always fits GitHub's limit: diffs that do not fit are left out (marked † in the table, and
 * said where the full plan is), then table rows, and as a last resort the text is cut.
 */
export function renderPlanComment(params: RenderPlanCommentParams): string {
  const maxLength = params.maxLength ?? githubMaxCommentLength;
  const changed = params.plans.flatMap((plan) => changedObjects(plan).filter((object) => object.diff !== ""));
  const unlimited = Number.MAX_SAFE_INTEGER;

  const all = render(params, { maxRows: unlimited, shown: new Set(changed) });
  if (all.length <= maxLength) return all;

  // Everything but diffs, with every row marked as left out: an upper bound for the frame.
  for (let maxRows = unlimited; ; maxRows = maxRows === unlimited ? 1000 : Math.floor(maxRows / 2)) {
    const frame = render(params, { maxRows, shown: new Set() });
    if (frame.length <= maxLength) {
      const shown = new Set<PlannedObject>();
      // Room for the notices' wording, which grows a little with the numbers in it.
      let budget = maxLength - frame.length - 200;
      for (const object of changed) {
        const cost = renderDiffBlock(object).length + 2;
        if (cost <= budget) {
          shown.add(object);
          budget -= cost;
        }
      }
      const body = render(params, { maxRows, shown });
      return body.length <= maxLength ? body : cut(frame, maxLength);
    }
    if (maxRows === 0) return cut(frame, maxLength);
  }
}

function render(params: RenderPlanCommentParams, layout: Layout): string {
  const lines: string[] = [PLAN_COMMENT_MARKER, "## Slipway plan", ""];
  if (params.plans.length === 0)
    lines.push(params.configChange ? "This change touches no environment's manifests." : "This change touches no environment.", "");
  for (const plan of params.plans) {
    const url = params.checkRunUrls?.[plan.environment];
    const name = markdownText(planCheckName(plan.environment));
    const checkRun = url ? `[${name}](${url})` : `the check run **${name}**`;
    const changed = changedObjects(plan);
    const withDiff = changed.filter((object) => object.diff !== "");
    const omitted = new Set(withDiff.filter((object) => !layout.shown.has(object)));

    lines.push(`### ${codeSpan(plan.environment)} · ${plan.mode === "live" ? "compared with the live cluster" : "⚠️ offline, from Git only"}`, "");
    const requirement = params.mergeRequirements?.[plan.environment];
    if (requirement !== undefined) lines.push(describeMergeRequirement(requirement), "");
    lines.push(renderPlanSection(plan, { maxRows: layout.maxRows, omitted, fullPlanHint: `the full list is in ${checkRun}` }), "");
    for (const object of withDiff) if (layout.shown.has(object)) lines.push(renderDiffBlock(object), "");
    if (omitted.size > 0) {
      const count = omitted.size === withDiff.length ? `All ${withDiff.length} diffs are` : `${omitted.size} of ${withDiff.length} diffs are`;
      lines.push(
        `_${count} left out to fit GitHub's comment limit (marked † in the table); see ${checkRun} for more, or run ${codeSpan(`npx slipway plan --env ${plan.environment}`)} for all of them._`,
        "",
      );
    }
  }
  if (params.configChange) lines.push(renderConfigChange(params.configChange), "");
  lines.push("---", footer(params));
  return lines.join("\n") + "\n";
}

function footer(params: RenderPlanCommentParams): string {
  const at = typeof params.plannedAt === "string" ? new Date(params.plannedAt) : params.plannedAt;
  const when = Number.isNaN(at.getTime()) ? String(params.plannedAt) : `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `<sub>Planned for ${codeSpan(params.headSha.slice(0, 12))} at ${when} · a new push plans again · comment \`/plan\` to plan again now</sub>`;
}

// The last resort, when even the summaries do not fit: cut at a line and say so.
function cut(text: string, maxLength: number): string {
  const notice = "\n\n_… the rest of this plan is cut to fit GitHub's comment limit; every check run **Slipway / plan** has its environment's full plan._\n";
  const room = maxLength - notice.length;
  const end = text.lastIndexOf("\n", room);
  return text.slice(0, end > 0 ? end : room) + notice;
}
