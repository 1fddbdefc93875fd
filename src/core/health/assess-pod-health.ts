import { plural } from "../text.js";
import type { HealthAssessment } from "./health-status.js";
import { conditionOf, recordAt, stringAt } from "./health-fields.js";

// Waiting reasons that mean a container cannot start as written: a bad image or configuration,
// or a process that keeps crashing. Kubernetes retries them, but rarely to any avail.
const failingReasons = new Set([
  "CrashLoopBackOff",
  "ImagePullBackOff",
  "ErrImagePull",
  "InvalidImageName",
  "ErrImageNeverPull",
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
]);

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } };
}

/**
 * A Pod: Succeeded is Healthy, Failed is Degraded, a container stuck in CrashLoopBackOff or an
 * image pull back-off is Degraded; a running pod is Healthy once Ready (or, for a pod meant to
 * finish, while it runs it is Progressing).
 */
export function assessPodHealth(object: Record<string, unknown>): HealthAssessment {
  const status = recordAt(object, "status");
  const phase = stringAt(status, "phase");
  if (phase === "Succeeded") return { status: "Healthy", message: "Pod completed" };
  if (phase === "Failed") {
    return { status: "Degraded", message: `Pod failed: ${stringAt(status, "message") ?? stringAt(status, "reason") ?? "a container exited with an error"}` };
  }

  const containers = [...containerStatuses(status.initContainerStatuses), ...containerStatuses(status.containerStatuses)];
  for (const container of containers) {
    const waiting = container.state?.waiting;
    if (waiting?.reason && failingReasons.has(waiting.reason)) {
      return { status: "Degraded", message: `Container ${container.name ?? "?"}: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ""}` };
    }
  }

  if (phase === "Running") {
    const restartPolicy = stringAt(recordAt(object, "spec"), "restartPolicy") ?? "Always";
    if (restartPolicy !== "Always") return { status: "Progressing", message: "Pod is running until it completes" };
    if (conditionOf(object, "Ready")?.status === "True") return { status: "Healthy", message: "Pod is running and ready" };
    const app = containerStatuses(status.containerStatuses);
    const ready = app.filter((c) => c.ready === true).length;
    return { status: "Progressing", message: `Waiting for readiness: ${ready} of ${plural(app.length, "container")} ready` };
  }
  if (phase === "Pending" || phase === undefined) {
    const scheduled = conditionOf(object, "PodScheduled");
    if (scheduled?.status === "False" && scheduled.message) return { status: "Progressing", message: `Pending: ${scheduled.message}` };
    const waiting = containers.find((c) => c.state?.waiting?.reason)?.state?.waiting?.reason;
    return { status: "Progressing", message: waiting ? `Pending: ${waiting}` : "Pending" };
  }
  return { status: "Unknown", message: `Pod phase is ${phase}` };
}

function containerStatuses(value: unknown): ContainerStatus[] {
  return Array.isArray(value) ? value.filter((c): c is ContainerStatus => c !== null && typeof c === "object") : [];
}
