import type { RepoConfig } from "../config/repo-config-schema.js";

export type RuleName = keyof RepoConfig["validation"]["rules"];
export type RuleLevels = Record<RuleName, "off" | "warn" | "error">;

export interface RuleFinding {
  rule: RuleName;
  /** Field the finding is about, for its line. */
  path: Array<string | number>;
  message: string;
}

// Where each workload kind keeps its pod spec.
const podSpecPaths: Record<string, string[]> = {
  Pod: ["spec"],
  PodTemplate: ["template", "spec"],
  Deployment: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

// A readiness probe gates traffic; run-to-completion pods take none.
const servingKinds = new Set(["Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ReplicationController"]);

/** The policy rules that are not `off`, applied to one object's pod spec, if it has one. */
export function checkRules(object: Record<string, unknown>, levels: RuleLevels): RuleFinding[] {
  const kind = typeof object.kind === "string" ? object.kind : "";
  const podPath = podSpecPaths[kind];
  if (podPath === undefined) return [];
  const podSpec = at(object, podPath);
  if (!isRecord(podSpec)) return [];
  const findings: RuleFinding[] = [];

  for (const list of ["initContainers", "containers", "ephemeralContainers"] as const) {
    const containers = podSpec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container: unknown, index) => {
      if (!isRecord(container)) return;
      const path = [...podPath, list, index];
      const label = `${list}[${index}]${typeof container.name === "string" ? ` (${container.name})` : ""}`;
      const add = (rule: RuleName, field: Array<string | number>, message: string) => {
        if (levels[rule] !== "off") findings.push({ rule, path: [...path, ...field], message: `${label}: ${message}` });
      };
      if (typeof container.image === "string") {
        const problem = imageTagProblem(container.image);
        if (problem) add("imageTag", ["image"], problem);
      }
      const resources = isRecord(container.resources) ? container.resources : {};
      const missing = ["requests", "limits"].filter((key) => !isRecord(resources[key]) || Object.keys(resources[key] as object).length === 0);
      if (missing.length > 0 && list !== "ephemeralContainers") {
        add("resources", container.resources === undefined ? [] : ["resources"], `no resource ${missing.join(" or ")}`);
      }
      if (isRecord(container.securityContext) && container.securityContext.privileged === true) {
        add("privileged", ["securityContext", "privileged"], "runs privileged");
      }
      if (list === "containers" && servingKinds.has(kind) && container.readinessProbe === undefined) {
        add("readinessProbe", [], "no readinessProbe");
      }
    });
  }

  if (Array.isArray(podSpec.volumes) && levels.hostPath !== "off") {
    podSpec.volumes.forEach((volume: unknown, index) => {
      if (!isRecord(volume) || !isRecord(volume.hostPath)) return;
      const name = typeof volume.name === "string" ? ` (${volume.name})` : "";
      const hostPath = typeof volume.hostPath.path === "string" ? ` ${volume.hostPath.path}` : "";
      findings.push({
        rule: "hostPath",
        path: [...podPath, "volumes", index, "hostPath"],
        message: `volumes[${index}]${name}: mounts the node's path${hostPath} (hostPath)`,
      });
    });
  }
  return findings;
}

function imageTagProblem(image: string): string | undefined {
  if (image.includes("@")) return undefined; // pinned by digest
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  if (colon === -1) return `image ${image} has no tag`;
  if (lastSegment.slice(colon + 1) === "latest") return `image ${image} uses the latest tag`;
  return undefined;
}

function at(value: unknown, path: string[]): unknown {
  let node = value;
  for (const key of path) node = isRecord(node) ? node[key] : undefined;
  return node;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
