import type { EnvironmentPlan, PlannedObject } from "./environment-plan.js";
import { describeObject } from "../object-identity.js";

const symbols = { create: "+", update: "~", delete: "-", unchanged: "=" } as const;

/** A plan for a terminal: one line per changed object, risks, every diff, and a summary line. */
export function renderPlanText(plan: EnvironmentPlan, options: { showUnchanged?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(
    plan.mode === "live"
      ? `Plan for ${plan.environment} (compared with the live cluster)`
      : `Plan for ${plan.environment} (OFFLINE: compared with ${plan.offline?.base ?? "the base commit"} from Git only, not with the live cluster, because ${plan.offline?.reason ?? "no cluster was asked"})`,
    "",
  );
  const shown = plan.objects.filter((o) => options.showUnchanged || o.action !== "unchanged" || o.rejection);
  const width = shown.reduce((widest, o) => Math.max(widest, describeObject(o.ref).length), 0);
  for (const object of shown) {
    const where = object.file ? `  ${object.file}:${object.rejection?.line ?? object.line}` : "";
    const head = object.rejection ? `! ${object.action} rejected` : `${symbols[object.action]} ${object.action}`;
    lines.push(`  ${head.padEnd(18)} ${describeObject(object.ref).padEnd(width)}${where}${notes(object)}`);
    if (object.rejection) lines.push(`      ${object.rejection.reason}: ${object.rejection.message}`);
  }
  const risks = shown.flatMap((o) => o.risks);
  if (risks.length > 0) {
    lines.push("", "Risks:");
    for (const risk of risks) lines.push(`  ${risk.level === "high" ? "!!" : "! "} ${risk.message}`);
  }
  if (plan.kept.length > 0) lines.push("", `Kept (prune is off, no longer in Git): ${plan.kept.map(describeObject).join(", ")}`);
  for (const object of shown) {
    if (object.diff === "") continue;
    lines.push("", `# ${object.action} ${describeObject(object.ref)}`, object.diff);
  }
  const { counts } = plan;
  lines.push(
    "",
    `Summary: ${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete, ${counts.unchanged} unchanged, ${counts.rejected} rejected`,
  );
  return `${lines.join("\n")}\n`;
}

function notes(object: PlannedObject): string {
  const parts = [...object.notes];
  if (object.secretKeys?.some((k) => k.change !== "unchanged")) parts.push(`keys: ${object.secretKeys.map((k) => `${k.key} ${k.change}`).join(", ")}`);
  return parts.length > 0 ? `  (${parts.join("; ")})` : "";
}
