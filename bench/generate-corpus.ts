import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Objects of mixed kinds, as a team would write them; every one valid. */
const templates: Array<(n: number) => string> = [
  (n) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${n}
  labels: { app: web-${n}, tier: frontend }
spec:
  replicas: ${(n % 5) + 1}
  selector:
    matchLabels: { app: web-${n} }
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxSurge: 25%, maxUnavailable: 0 }
  template:
    metadata:
      labels: { app: web-${n} }
      annotations: { prometheus.io/scrape: "true" }
    spec:
      serviceAccountName: web-${n}
      securityContext: { runAsNonRoot: true, runAsUser: 1000 }
      containers:
        - name: web
          image: registry.example.com/web:1.${n % 40}.0
          imagePullPolicy: IfNotPresent
          args: ["--port=8080", "--log-level=info"]
          ports:
            - { name: http, containerPort: 8080, protocol: TCP }
          env:
            - { name: MODE, value: production }
            - name: DB_PASSWORD
              valueFrom: { secretKeyRef: { name: db-${n}, key: password } }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: "1", memory: 256Mi }
          readinessProbe:
            httpGet: { path: /healthz, port: http }
            periodSeconds: 5
          livenessProbe:
            httpGet: { path: /healthz, port: 8080 }
            initialDelaySeconds: 10
          volumeMounts:
            - { name: config, mountPath: /etc/web, readOnly: true }
      volumes:
        - name: config
          configMap: { name: web-${n} }
`,
  (n) => `apiVersion: v1
kind: Service
metadata:
  name: web-${n}
spec:
  type: ClusterIP
  selector: { app: web-${n} }
  ports:
    - { name: http, port: 80, targetPort: http, protocol: TCP }
`,
  (n) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-${n}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
  settings.json: |
    {"retries": 3, "timeout": "5s"}
`,
  (n) => `apiVersion: v1
kind: Secret
metadata:
  name: db-${n}
type: Opaque
stringData:
  password: not-a-real-password-${n}
`,
  (n) => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: web-${n}
automountServiceAccountToken: false
`,
  (n) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db-${n}
spec:
  serviceName: db-${n}
  replicas: 1
  selector:
    matchLabels: { app: db-${n} }
  template:
    metadata:
      labels: { app: db-${n} }
    spec:
      containers:
        - name: postgres
          image: postgres:16.4
          ports: [{ containerPort: 5432, name: pg }]
          resources:
            requests: { cpu: 250m, memory: 512Mi }
            limits: { cpu: 2, memory: 1Gi }
          readinessProbe:
            exec: { command: ["pg_isready"] }
  volumeClaimTemplates:
    - metadata: { name: data }
      spec:
        accessModes: [ReadWriteOnce]
        resources: { requests: { storage: 10Gi } }
`,
  (n) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: report-${n}
spec:
  schedule: "${n % 60} 3 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: registry.example.com/report:2.${n % 10}
              args: [--since, 24h]
              resources:
                requests: { cpu: 50m, memory: 64Mi }
                limits: { cpu: 500m, memory: 256Mi }
`,
  (n) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web-${n}
  annotations: { nginx.ingress.kubernetes.io/proxy-body-size: 8m }
spec:
  ingressClassName: nginx
  tls:
    - hosts: [web-${n}.example.com]
      secretName: web-${n}-tls
  rules:
    - host: web-${n}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: { name: web-${n}, port: { name: http } }
`,
  (n) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: web-${n}
rules:
  - apiGroups: [""]
    resources: [configmaps, secrets]
    verbs: [get, list, watch]
`,
  (n) => `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: web-${n}
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: web-${n} }
subjects:
  - { kind: ServiceAccount, name: web-${n} }
`,
  (n) => `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web-${n}
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web-${n} }
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } }
`,
  (n) => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web-${n}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: { app: web-${n} }
`,
];

export const corpusKinds = [
  ["apps/v1", "Deployment"],
  ["v1", "Service"],
  ["v1", "ConfigMap"],
  ["v1", "Secret"],
  ["v1", "ServiceAccount"],
  ["apps/v1", "StatefulSet"],
  ["batch/v1", "CronJob"],
  ["networking.k8s.io/v1", "Ingress"],
  ["rbac.authorization.k8s.io/v1", "Role"],
  ["rbac.authorization.k8s.io/v1", "RoleBinding"],
  ["autoscaling/v2", "HorizontalPodAutoscaler"],
  ["policy/v1", "PodDisruptionBudget"],
] as const;

/** Writes `files` files of one "app" each (every template once), `files × 12` objects in all. */
export function generateCorpus(dir: string, files: number): { files: number; objects: number } {
  mkdirSync(dir, { recursive: true });
  for (let n = 0; n < files; n++) {
    const folder = join(dir, `team-${String(n % 20).padStart(2, "0")}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `app-${n}.yaml`), templates.map((template) => template(n)).join("---\n"));
  }
  return { files, objects: files * templates.length };
}
