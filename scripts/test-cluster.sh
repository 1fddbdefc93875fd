#!/usr/bin/env bash
# Slipway's test cluster: a real Kubernetes control plane (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler) with kwok simulating the nodes, so a Deployment
# really schedules, its pods become Running and Ready and the Deployment becomes Available.
#
#   scripts/test-cluster.sh up       build if needed (cached), start, print the kubeconfig path
#                                    as the last stdout line; a second `up` reuses a running one
#   scripts/test-cluster.sh down     stop everything this work tree started, remove its state
#   scripts/test-cluster.sh env      print `export SLIPWAY_TEST_KUBECONFIG=... SLIPWAY_KUBECTL=...`
#   scripts/test-cluster.sh status   exit 0 when the cluster is up
#   scripts/test-cluster.sh kubectl  run the pinned kubectl against the cluster
#
# Binaries are built from the Go module proxy once and cached, keyed by version, under
# ${XDG_CACHE_HOME:-$HOME/.cache}/slipway/ (override with SLIPWAY_CACHE). Certificates, free
# loopback ports and the kubeconfig are generated per run under .slipway/test-cluster/.
#
# FAILING ROLLOUTS ON PURPOSE: a pod never becomes Ready (it runs with Ready=False, as if its
# readiness probe kept failing) when it carries the annotation
#   slipway.dev/test-fail-readiness: "true"      (on a Deployment's spec.template.metadata)
# or when one of its containers' image has the tag ":never-ready" (e.g. "nginx:never-ready").
# The kwok stages that do this are in scripts/cluster/kwok.yaml.
set -euo pipefail

# Pinned versions. Kubernetes' go.mod must be accepted by the installed Go (v1.36 needs go 1.26).
K8S_VERSION=v1.36.3
KWOK_VERSION=v0.8.0
# etcd comes from the same build: go.etcd.io/etcd/server/v3 at the version k8s.io/kubernetes
# requires (v3.6.8). Debian bookworm's etcd-server is 3.4.23: the API server starts on it, but
# turns off RequestWatchProgress (needs 3.4.31+), and with it consistent reads from the watch
# cache and streaming watch lists, which client-go uses by default; so it is not the cluster
# our users run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STATE="$ROOT/.slipway/test-cluster"
KUBECONFIG_PATH="$STATE/kubeconfig"
SLIPWAY_CACHE=${SLIPWAY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/slipway}
export K8S_VERSION KWOK_VERSION SLIPWAY_CACHE
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)
NODES=(slipway-kwok-0 slipway-kwok-1)

# shellcheck source=cluster/build.sh
source "$ROOT/scripts/cluster/build.sh"
K8S_BIN=$(k8s_bin_dir)
KWOK_BIN=$(kwok_bin_dir)
KUBECTL="$K8S_BIN/kubectl"

log() { echo "test-cluster: $*" >&2; }
die() {
  echo "test-cluster: ERROR: $*" >&2
  exit 1
}

apt_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "missing Debian packages ($*) and no root or sudo to install them"
    sudo="sudo"
  fi
  log "installing Debian packages: $*"
  $sudo apt-get update -qq >&2 || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >&2 ||
    die "apt-get install $* failed"
}

ensure_tools() {
  local missing=()
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  command -v curl >/dev/null 2>&1 || missing+=(curl ca-certificates)
  if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
  command -v node >/dev/null 2>&1 || die "node is needed to pick free ports"
}

# N free loopback ports, asked of the kernel at once so they are distinct.
free_ports() {
  node -e '
    const net = require("node:net");
    const n = Number(process.argv[1]);
    const servers = Array.from({ length: n }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((ok, fail) => {
      s.once("error", fail);
      s.listen(0, "127.0.0.1", () => ok(s.address().port));
    }))).then((ports) => {
      console.log(ports.join(" "));
      servers.forEach((s) => s.close());
    });
  ' "$1"
}

pid_of() { cat "$STATE/pids/$1" 2>/dev/null || true; }

# Ours only if it is alive and its command line names this work tree's state directory, so a
# recycled pid is never signalled.
is_ours() {
  local pid=$1
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$STATE"
}

start_component() {
  local name=$1
  shift
  # Detached (own session), no inherited stdio or lock fd: a test runner that waits on our
  # stdout must not wait on the cluster, and the lock must be released when `up` exits.
  setsid "$@" </dev/null >"$STATE/logs/$name.log" 2>&1 9>&- &
  echo $! >"$STATE/pids/$name"
}

fail_with_log() {
  local name=$1 msg=$2
  {
    echo "test-cluster: ERROR: $msg"
    if [ -f "$STATE/logs/$name.log" ]; then
      echo "test-cluster: last lines of $STATE/logs/$name.log:"
      tail -n 25 "$STATE/logs/$name.log" | sed 's/^/    /'
    fi
    echo "test-cluster: all logs kept in $STATE-failed/"
  } >&2
  rm -rf "$STATE-failed" && cp -r "$STATE/logs" "$STATE-failed" 2>/dev/null || true
  stop_all
  exit 1
}

# wait_until <component> <seconds> <command...>: poll until the command succeeds, failing early
# when the component has exited.
wait_until() {
  local name=$1 seconds=$2 deadline
  shift 2
  deadline=$(($(date +%s) + seconds))
  until "$@" >/dev/null 2>&1; do
    is_ours "$(pid_of "$name")" || fail_with_log "$name" "$name exited during start-up"
    [ "$(date +%s)" -lt "$deadline" ] || fail_with_log "$name" "$name was not ready after ${seconds}s"
    sleep 0.5
  done
}

api_ready() {
  curl -fsS --max-time 3 --cacert "$STATE/pki/ca.crt" --cert "$STATE/pki/admin.crt" \
    --key "$STATE/pki/admin.key" "https://127.0.0.1:$(cat "$STATE/ports/apiserver")/readyz"
}

healthz() { curl -fsSk --max-time 3 "https://127.0.0.1:$1/healthz"; }

is_up() {
  [ -f "$KUBECONFIG_PATH" ] || return 1
  local name
  for name in "${COMPONENTS[@]}"; do is_ours "$(pid_of "$name")" || return 1; done
  api_ready >/dev/null 2>&1
}

stop_all() {
  local name pid i
  for name in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
    pid=$(pid_of "$name")
    if is_ours "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for name in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
    pid=$(pid_of "$name")
    for i in $(seq 1 50); do
      is_ours "$pid" || break
      sleep 0.2
    done
    if is_ours "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  rm -rf "$STATE"
}

make_pki() {
  local pki="$STATE/pki"
  mkdir -p "$pki"
  (
    cd "$pki"
    cat >openssl.cnf <<'EOF'
[ serving ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, IP:10.96.0.1, DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local
[ client ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
EOF
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
      -keyout ca.key -out ca.crt -subj "/CN=slipway-test-ca" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
      -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 7 \
      -extfile openssl.cnf -extensions serving -out apiserver.crt 2>/dev/null
    # system:masters: the admin identity used by the tests and the control-plane components.
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
      -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=slipway-test-admin" 2>/dev/null
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 7 \
      -extfile openssl.cnf -extensions client -out admin.crt 2>/dev/null
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out sa.key 2>/dev/null
    openssl pkey -in sa.key -pubout -out sa.pub 2>/dev/null
  ) || die "could not generate certificates with openssl"
}

write_kubeconfig() {
  local port=$1 tmp="$KUBECONFIG_PATH.tmp"
  cat >"$tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: slipway-test
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority-data: $(base64 -w0 <"$STATE/pki/ca.crt")
users:
- name: slipway-test-admin
  user:
    client-certificate-data: $(base64 -w0 <"$STATE/pki/admin.crt")
    client-key-data: $(base64 -w0 <"$STATE/pki/admin.key")
contexts:
- name: slipway-test
  context:
    cluster: slipway-test
    user: slipway-test-admin
current-context: slipway-test
EOF
  chmod 600 "$tmp"
  mv "$tmp" "$KUBECONFIG_PATH"
}

create_nodes() {
  local node
  for node in "${NODES[@]}"; do
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: $node
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: $node
    kubernetes.io/os: linux
    type: kwok
EOF
  done | "$KUBECTL" --kubeconfig "$KUBECONFIG_PATH" apply -f - >&2
}

cmd_up() {
  mkdir -p "$(dirname "$STATE")"
  exec 9>"$STATE.lock"
  flock 9
  if is_up; then
    log "already running"
    echo "$KUBECONFIG_PATH"
    return 0
  fi
  stop_all # leftovers of a crashed run
  rm -rf "$STATE-failed"
  ensure_tools
  build_k8s || die "building Kubernetes $K8S_VERSION failed (see the output above)"
  build_kwok || die "building kwok $KWOK_VERSION failed (see the output above)"

  mkdir -p "$STATE/logs" "$STATE/pids" "$STATE/ports" "$STATE/etcd"
  make_pki
  local ports etcd_port peer_port api_port kcm_port sched_port kwok_port pki="$STATE/pki"
  ports=$(free_ports 6) || die "could not find free loopback ports"
  read -r etcd_port peer_port api_port kcm_port sched_port kwok_port <<<"$ports"
  echo "$api_port" >"$STATE/ports/apiserver"
  write_kubeconfig "$api_port"

  log "starting etcd on 127.0.0.1:$etcd_port"
  start_component etcd "$K8S_BIN/etcd" --name=slipway --data-dir="$STATE/etcd" \
    --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
    --listen-peer-urls="http://127.0.0.1:$peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$peer_port" \
    --initial-cluster="slipway=http://127.0.0.1:$peer_port" \
    --unsafe-no-fsync --auto-compaction-retention=1 --quota-backend-bytes=$((2 * 1024 * 1024 * 1024))
  wait_until etcd 30 curl -fsS --max-time 2 "http://127.0.0.1:$etcd_port/health"

  log "starting kube-apiserver on https://127.0.0.1:$api_port"
  start_component kube-apiserver "$K8S_BIN/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$etcd_port" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" \
    --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
    --client-ca-file="$pki/ca.crt" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 \
    --authorization-mode=Node,RBAC --allow-privileged=true \
    --cert-dir="$pki/apiserver-generated"
  wait_until kube-apiserver 120 api_ready

  log "starting kube-controller-manager and kube-scheduler"
  start_component kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig="$KUBECONFIG_PATH" --authentication-kubeconfig="$KUBECONFIG_PATH" \
    --authorization-kubeconfig="$KUBECONFIG_PATH" \
    --authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics \
    --bind-address=127.0.0.1 --secure-port="$kcm_port" --leader-elect=false \
    --root-ca-file="$pki/ca.crt" --service-account-private-key-file="$pki/sa.key" \
    --use-service-account-credentials=false --kube-api-qps=200 --kube-api-burst=400 \
    --cert-dir="$pki/kcm-generated"
  start_component kube-scheduler "$K8S_BIN/kube-scheduler" \
    --kubeconfig="$KUBECONFIG_PATH" --authentication-kubeconfig="$KUBECONFIG_PATH" \
    --authorization-kubeconfig="$KUBECONFIG_PATH" \
    --authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics \
    --bind-address=127.0.0.1 --secure-port="$sched_port" --leader-elect=false \
    --kube-api-qps=200 --kube-api-burst=400 --cert-dir="$pki/scheduler-generated"

  log "starting kwok"
  start_component kwok "$KWOK_BIN/kwok" \
    --kubeconfig="$KUBECONFIG_PATH" --config="$ROOT/scripts/cluster/kwok.yaml" \
    --server-address="127.0.0.1:$kwok_port" --node-ip=10.0.0.1 --node-lease-duration-seconds=40

  wait_until kube-controller-manager 60 healthz "$kcm_port"
  wait_until kube-scheduler 60 healthz "$sched_port"
  create_nodes || fail_with_log kwok "could not create the kwok nodes"
  wait_until kwok 60 "$KUBECTL" --kubeconfig "$KUBECONFIG_PATH" wait --for=condition=Ready node --all --timeout=2s
  # The service-account controller must have run before pods can be admitted in a namespace.
  wait_until kube-controller-manager 60 "$KUBECTL" --kubeconfig "$KUBECONFIG_PATH" get serviceaccount default -n default

  log "up: Kubernetes $K8S_VERSION on https://127.0.0.1:$api_port, nodes: ${NODES[*]}"
  log "kubeconfig: $KUBECONFIG_PATH (logs in $STATE/logs)"
  echo "$KUBECONFIG_PATH"
}

cmd_down() {
  mkdir -p "$(dirname "$STATE")"
  exec 9>"$STATE.lock"
  flock 9
  stop_all
  log "down"
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  env)
    echo "export SLIPWAY_TEST_KUBECONFIG=$KUBECONFIG_PATH"
    echo "export SLIPWAY_KUBECTL=$KUBECTL"
    ;;
  status) is_up ;;
  kubectl)
    shift
    exec "$KUBECTL" --kubeconfig "$KUBECONFIG_PATH" "$@"
    ;;
  *)
    echo "usage: $0 up|down|env|status|kubectl [args...]" >&2
    exit 2
    ;;
esac
