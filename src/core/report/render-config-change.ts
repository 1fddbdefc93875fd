import { codeSpan } from "../markdown/code-span.js";
import { tableCell } from "../markdown/table-cell.js";
import type { ConfigChange, ConfigChangeItem } from "../config/config-change.js";

export interface RenderConfigChangeParams {
  change: ConfigChange;
  /** Where the trusted configuration comes from: the default branch and its head commit. */
  defaultBranch: string;
  trustedSha: string;
  configPath: string;
}

/** The longest value the section repeats; the proposed text is the pull request author's. */
const maxValueLength = 80;

/**
 * The plan comment's section for a pull request that changes `.github/slipway.yml`: each setting
 * that would change, environments added and removed, risky changes flagged, and plainly said: none
 * of it applies before the merge, and the plans above used the default branch's configuration.
 */
export function renderConfigChange(params: RenderConfigChangeParams): string {
  const { change, defaultBranch } = params;
  const branch = codeSpan(defaultBranch);
  const lines = [
    "### ⚙️ Configuration change · takes effect only after merge",
    "",
    `This pull request changes ${codeSpan(params.configPath)}. Until it is merged into ${branch}, Slipway plans, deploys and authorizes commands with the configuration on ${branch} (at ${codeSpan(params.trustedSha.slice(0, 12))}); every plan in this comment uses it.`,
    "",
  ];
  if (change.items.length === 0) {
    lines.push("Every setting stays as it is (only layout, comments or defaults written out change).");
    return lines.join("\n");
  }
  const risky = change.items.filter((item) => item.kind === "setting-changed" && item.risk !== undefined).length;
  lines.push(`| Environment | Setting | On ${branch} | Proposed |`, "| --- | --- | --- | --- |");
  for (const item of change.items) lines.push(`| ${row(item).map(tableCell).join(" | ")} |`);
  if (risky > 0) {
    lines.push(
      "",
      `⚠️ ${risky === 1 ? "1 change widens" : `${risky} changes widen`} what this repository may do (where an environment deploys, what Slipway deletes or reads, which checks run, who may act): review ${risky === 1 ? "it" : "them"} like an access change.`,
    );
  }
  return lines.join("\n");
}

function row(item: ConfigChangeItem): string[] {
  switch (item.kind) {
    case "environment-added":
      return [codeSpan(item.environment), "➕ new environment", "—", describeNew(item.settings)];
    case "environment-removed":
      return [codeSpan(item.environment), "➖ environment removed", "defined", "—"];
    case "setting-changed": {
      const where = item.environment === undefined ? "—" : codeSpan(item.environment);
      const flag = item.risk === undefined ? "" : ` ⚠️ ${item.risk}`;
      return [where, codeSpan(item.setting), value(item.before), `${value(item.after)}${flag}`];
    }
  }
}

function describeNew(settings: Readonly<Record<string, unknown>>): string {
  const shown = ["cluster", "namespace", "path", "branch"].filter((key) => settings[key] !== undefined);
  return shown.map((key) => `${key} ${value(settings[key])}`).join(", ");
}

function value(raw: unknown): string {
  if (raw === undefined) return "(unset)";
  const text = typeof raw === "string" ? raw : JSON.stringify(raw);
  const chars = Array.from(text);
  return codeSpan(chars.length > maxValueLength ? `${chars.slice(0, maxValueLength).join("")}…` : text);
}
