#!/usr/bin/env bash
# Builds the pinned Kubernetes control plane, kubectl, etcd and kwok from the Go module proxy
# into a cache outside the work tree, keyed by version. Sourced by test-cluster.sh; runnable alone.
set -euo pipefail

: "${K8S_VERSION:?}" "${KWOK_VERSION:?}" "${SLIPWAY_CACHE:?}"

# Bump when the build itself changes (flags, binaries), so cached builds are redone.
BUILD_RECIPE=2

k8s_bin_dir() { echo "$SLIPWAY_CACHE/k8s-$K8S_VERSION/bin"; }
kwok_bin_dir() { echo "$SLIPWAY_CACHE/kwok-$KWOK_VERSION/bin"; }

is_complete() { [ "$(cat "$1/.complete" 2>/dev/null)" = "$BUILD_RECIPE" ]; }

# A module build has no git tree to stamp versions from; without these the servers report
# v0.0.0-master and clients cannot tell which Kubernetes they talk to.
version_ldflags() {
  local minor=${K8S_VERSION#v1.} pkg flags=""
  minor=${minor%%.*}
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  done
  echo "$flags"
}

find_go() {
  if command -v go >/dev/null 2>&1; then command -v go; return; fi
  if [ -x /usr/local/go/bin/go ]; then echo /usr/local/go/bin/go; return; fi
  echo "test-cluster: Go is needed to build the test cluster and was not found on PATH" >&2
  return 1
}

# The staging modules (k8s.io/api, k8s.io/apiserver, ...) are required as v0.0.0 and replaced
# with ./staging paths in k8s.io/kubernetes' own go.mod; a module that requires k8s.io/kubernetes
# must replace each with its published v0.X.Y instead.
write_build_module() {
  local dir=$1 go=$2 staging_version="v0.${K8S_VERSION#v1.}" proxy mod
  proxy=$("$go" env GOPROXY | tr ',|' '\n\n' | grep -E '^https?://' | head -n1)
  proxy=${proxy:-https://proxy.golang.org}
  mod=$(curl -fsSL --retry 3 "$proxy/k8s.io/kubernetes/@v/$K8S_VERSION.mod") || {
    echo "test-cluster: cannot fetch k8s.io/kubernetes@$K8S_VERSION go.mod from $proxy" >&2
    return 1
  }
  mkdir -p "$dir"
  {
    echo "module slipway.dev/test-cluster-build"
    echo
    echo "go $(sed -n 's/^go //p' <<<"$mod" | head -n1)"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    # Only modules that k8s.io/kubernetes requires at v0.0.0 (the sample modules are not published).
    grep -E '^[[:space:]]+k8s\.io/[a-z0-9-]+ v0\.0\.0$' <<<"$mod" | awk -v v="$staging_version" '{ print "replace " $1 " => " $1 " " v }'
  } >"$dir/go.mod"
  echo "package main" >"$dir/main.go"
}

build_k8s() {
  local bin out go work start
  bin=$(k8s_bin_dir)
  if is_complete "$bin"; then return 0; fi
  mkdir -p "$SLIPWAY_CACHE"
  # One build at a time per version, across work trees (a CI clone may build alongside).
  exec 8>"$SLIPWAY_CACHE/k8s-$K8S_VERSION.lock"
  flock 8
  if is_complete "$bin"; then exec 8>&-; return 0; fi
  go=$(find_go) || return 1
  work="$SLIPWAY_CACHE/k8s-$K8S_VERSION/build"
  out="$SLIPWAY_CACHE/k8s-$K8S_VERSION/bin.partial"
  rm -rf "$out" && mkdir -p "$out" || return 1
  write_build_module "$work" "$go" || return 1
  echo "test-cluster: building Kubernetes $K8S_VERSION (first run only; this takes a while)" >&2
  start=$(date +%s)
  # Callers use `build_k8s || die`, which switches off set -e here: check every step.
  (
    cd "$work" &&
      GOFLAGS=-mod=mod CGO_ENABLED=0 GOTOOLCHAIN=local "$go" build -trimpath -ldflags="-s -w$(version_ldflags)" -o "$out/" \
        k8s.io/kubernetes/cmd/kube-apiserver \
        k8s.io/kubernetes/cmd/kube-controller-manager \
        k8s.io/kubernetes/cmd/kube-scheduler \
        k8s.io/kubernetes/cmd/kubectl \
        go.etcd.io/etcd/server/v3 &&
      # etcd's main package is its module root; go names the binary after the path element
      # before the major-version suffix.
      mv "$out/server" "$out/etcd"
  ) >&2 || { exec 8>&-; return 1; }
  echo "$(($(date +%s) - start))" >"$out/.build-seconds"
  echo "$BUILD_RECIPE" >"$out/.complete"
  rm -rf "$bin" && mv "$out" "$bin" || return 1
  exec 8>&-
  echo "test-cluster: built Kubernetes $K8S_VERSION in $(cat "$bin/.build-seconds")s into $bin" >&2
}

build_kwok() {
  local bin out go start
  bin=$(kwok_bin_dir)
  if is_complete "$bin"; then return 0; fi
  mkdir -p "$SLIPWAY_CACHE"
  exec 8>"$SLIPWAY_CACHE/kwok-$KWOK_VERSION.lock"
  flock 8
  if is_complete "$bin"; then exec 8>&-; return 0; fi
  go=$(find_go) || return 1
  out="$SLIPWAY_CACHE/kwok-$KWOK_VERSION/bin.partial"
  rm -rf "$out" && mkdir -p "$out" || return 1
  echo "test-cluster: building kwok $KWOK_VERSION" >&2
  start=$(date +%s)
  # kwok's go.mod has no replace directives, so go install works straight from the proxy.
  GOBIN="$out" CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-trimpath \
    "$go" install -ldflags='-s -w' "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" >&2 || { exec 8>&-; return 1; }
  echo "$(($(date +%s) - start))" >"$out/.build-seconds"
  echo "$BUILD_RECIPE" >"$out/.complete"
  rm -rf "$bin" && mv "$out" "$bin" || return 1
  exec 8>&-
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  build_k8s
  build_kwok
fi
