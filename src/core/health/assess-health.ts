import { assessConditionsHealth } from "./assess-conditions-health.js";
import { assessCustomResourceDefinitionHealth } from "./assess-custom-resource-definition-health.js";
import { assessDaemonSetHealth } from "./assess-daemon-set-health.js";
import { assessDeploymentHealth } from "./assess-deployment-health.js";
import { assessJobHealth } from "./assess-job-health.js";
import { assessPersistentVolumeClaimHealth } from "./assess-persistent-volume-claim-health.js";
import { assessPodHealth } from "./assess-pod-health.js";
import { assessReplicaSetHealth } from "./assess-replica-set-health.js";
import { assessServiceHealth } from "./assess-service-health.js";
import { assessStatefulSetHealth } from "./assess-stateful-set-health.js";
import { groupKind } from "../object-identity.js";
import type { HealthAssessment } from "./health-status.js";

type Rule = (object: Record<string, unknown>) => HealthAssessment;

// By group and kind, so a kind of the same name in another group falls to the generic rule.
const rules: Record<string, Rule> = {
  "apps/Deployment": assessDeploymentHealth,
  "apps/StatefulSet": assessStatefulSetHealth,
  "apps/DaemonSet": assessDaemonSetHealth,
  "apps/ReplicaSet": assessReplicaSetHealth,
  "batch/Job": assessJobHealth,
  "/Pod": assessPodHealth,
  "/PersistentVolumeClaim": assessPersistentVolumeClaimHealth,
  "/Service": assessServiceHealth,
  "apiextensions.k8s.io/CustomResourceDefinition": assessCustomResourceDefinitionHealth,
};

/**
 * The health of one object as the API server serves it (with status), by the rule for its kind,
 * or by its standard status conditions. An object being deleted is Progressing: it is on its
 * way out, and waiting tells whether it goes.
 */
export function assessHealth(object: Record<string, unknown>): HealthAssessment {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  if (typeof metadata.deletionTimestamp === "string") return { status: "Progressing", message: "Being deleted" };
  const rule = rules[groupKind({ apiVersion: String(object.apiVersion ?? ""), kind: String(object.kind ?? "") })] ?? assessConditionsHealth;
  return rule(object);
}
