// Kinds that others depend on go first: namespaces and CRDs before what lives in them or uses
// them, configuration before workloads. The order Helm and kubectl users know.
const order = [
  "Namespace", "CustomResourceDefinition", "PriorityClass", "ResourceQuota", "LimitRange", "NetworkPolicy",
  "PodDisruptionBudget", "ServiceAccount", "Secret", "ConfigMap", "StorageClass", "PersistentVolume",
  "PersistentVolumeClaim", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service",
  "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler",
  "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
  "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
];

/** Rank of a kind in apply order; kinds not listed (custom resources) come after all of these. */
export function applyOrder(kind: string): number {
  const index = order.indexOf(kind);
  return index < 0 ? order.length : index;
}
