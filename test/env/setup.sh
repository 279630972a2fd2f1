#!/usr/bin/env bash
# Builds the integration-test environment into a cache keyed by versions: kube-apiserver,
# kube-controller-manager, kube-scheduler, etcd and KWOK's kwok (compiled from the Go module proxy
# via the wrapper modules in go/, with KWOK's published stage manifests beside them) and a Python
# venv with moto[server]; installs Debian's chromium when it is missing. A warm run finds
# everything and builds nothing. `npm test` runs it first (the pretest script).
#
#   bash test/env/setup.sh            build what is missing, then print the paths
#   bash test/env/setup.sh --locate   print the paths as JSON; exit 3 if anything is not built
#
# SKYSCALE_TEST_ENV_CACHE overrides the cache root (default: <repo>/.cache/test-env).
set -euo pipefail

ENV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$ENV_DIR/../.." && pwd)"
K8S_MODULE_DIR="$ENV_DIR/go/kubernetes"
ETCD_MODULE_DIR="$ENV_DIR/go/etcd"
KWOK_MODULE_DIR="$ENV_DIR/go/kwok"
REQUIREMENTS="$ENV_DIR/requirements.txt"

fail() {
  echo "test/env/setup.sh: $*" >&2
  exit 1
}

module_version() { # <go.mod> <module path>
  awk -v module="$2" '{ sub(/^require[ \t]+/, "") } $1 == module && $2 ~ /^v/ { print $2; exit }' "$1"
}

K8S_VERSION="$(module_version "$K8S_MODULE_DIR/go.mod" k8s.io/kubernetes)"
ETCD_VERSION="$(module_version "$ETCD_MODULE_DIR/go.mod" go.etcd.io/etcd/server/v3)"
KWOK_VERSION="$(module_version "$KWOK_MODULE_DIR/go.mod" sigs.k8s.io/kwok)"
MOTO_PIN="$(grep -v '^#' "$REQUIREMENTS" | head -n 1)"
[[ -n "$K8S_VERSION" && -n "$ETCD_VERSION" && -n "$KWOK_VERSION" && -n "$MOTO_PIN" ]] ||
  fail "cannot read the pinned versions from go/*/go.mod and requirements.txt"

CACHE_KEY="$(
  {
    echo "kubernetes=$K8S_VERSION etcd=$ETCD_VERSION kwok=$KWOK_VERSION moto=$MOTO_PIN"
    for module in "$K8S_MODULE_DIR" "$ETCD_MODULE_DIR" "$KWOK_MODULE_DIR"; do
      cat "$module/go.mod" "$module/go.sum"
    done
    cat "$REQUIREMENTS"
  } | sha256sum | cut -c1-16
)"
CACHE_DIR="${SKYSCALE_TEST_ENV_CACHE:-$REPO_ROOT/.cache/test-env}/$CACHE_KEY"
BIN_DIR="$CACHE_DIR/bin"
VENV_DIR="$CACHE_DIR/venv"
MOTO_SERVER="$VENV_DIR/bin/moto_server"
KWOK_STAGES="$CACHE_DIR/kwok-stages.yaml"
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok)

print_locations_json() {
  printf '{"cacheDir":"%s","kubernetesVersion":"%s","etcdVersion":"%s","kwokVersion":"%s",' \
    "$CACHE_DIR" "$K8S_VERSION" "$ETCD_VERSION" "$KWOK_VERSION"
  printf '"binaries":{"kubeApiserver":"%s","kubeControllerManager":"%s","kubeScheduler":"%s","etcd":"%s","kwok":"%s"},' \
    "${BINARIES[@]/#/$BIN_DIR/}"
  printf '"kwokStages":"%s","motoServer":"%s"}\n' "$KWOK_STAGES" "$MOTO_SERVER"
}

if [[ "${1:-}" == "--locate" ]]; then
  for binary in "${BINARIES[@]/#/$BIN_DIR/}" "$MOTO_SERVER"; do
    if [[ ! -x "$binary" ]]; then
      echo "test/env/setup.sh: $binary is not built; run: bash test/env/setup.sh" >&2
      exit 3
    fi
  done
  if [[ ! -s "$KWOK_STAGES" ]]; then
    echo "test/env/setup.sh: $KWOK_STAGES is missing; run: bash test/env/setup.sh" >&2
    exit 3
  fi
  print_locations_json
  exit 0
fi
[[ $# -eq 0 ]] || fail "unknown argument '$1' (expected none or --locate)"

require_go() {
  # The official toolchain's default location, which non-interactive shells may not have on PATH.
  if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
    PATH="/usr/local/go/bin:$PATH"
  fi
  command -v go >/dev/null 2>&1 ||
    fail "Go is missing. Install the official Go toolchain, version $1 or newer, and put its bin/ on PATH (Debian's golang-go package is too old)."
  local have
  have="$(go env GOVERSION | sed 's/^go//')"
  [[ "$(printf '%s\n%s\n' "$1" "$have" | sort -V | head -n 1)" == "$1" ]] ||
    fail "Go $have is too old: the wrapper modules need Go $1 or newer. Install a newer official Go toolchain."
}

require_python_venv() {
  command -v python3 >/dev/null 2>&1 ||
    fail "python3 is missing. Install Python 3.9 or newer with venv support (Debian: apt-get install python3 python3-venv)."
  python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 9))' 2>/dev/null ||
    fail "python3 lacks the venv/ensurepip modules or is older than 3.9. Install them (Debian: apt-get install python3-venv)."
}

# The simulator's HTML report test drives Debian's Chromium through playwright-core, which
# downloads no browser of its own.
require_chromium() {
  [[ -x /usr/bin/chromium ]] && return 0
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing Debian's chromium"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  [[ -x /usr/bin/chromium ]] ||
    fail "Chromium is missing at /usr/bin/chromium. Install Debian's chromium package (apt-get install chromium)."
}

REQUIRED_GO="$(awk '$1 == "go" { print $2 }' "$K8S_MODULE_DIR/go.mod" "$ETCD_MODULE_DIR/go.mod" "$KWOK_MODULE_DIR/go.mod" | sort -V | tail -n 1)"
require_go "$REQUIRED_GO"
require_python_venv
require_chromium
command -v openssl >/dev/null 2>&1 ||
  fail "openssl is missing; the test environment makes its certificates with it (Debian: apt-get install openssl)."

mkdir -p "$BIN_DIR"
started_at=$SECONDS

if [[ ! -x "$MOTO_SERVER" ]]; then
  echo "==> installing $MOTO_PIN into $VENV_DIR"
  rm -rf "$VENV_DIR"
  python3 -m venv "$VENV_DIR"
  "$VENV_DIR/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
fi

# Go's module and build caches sit beside the keyed directories, shared by every key: adding a
# binary or bumping a pin recompiles only what changed. -modcacherw lets `rm -rf` clear them.
GO_CACHE_ROOT="${SKYSCALE_TEST_ENV_CACHE:-$REPO_ROOT/.cache/test-env}/go"
export GOMODCACHE="$GO_CACHE_ROOT/mod" GOCACHE="$GO_CACHE_ROOT/build"
export GOFLAGS="-mod=readonly -modcacherw" GOTOOLCHAIN=local CGO_ENABLED=0

build() { # <binary name> <wrapper module dir> <package> [ldflags]
  local output="$BIN_DIR/$1"
  [[ -x "$output" ]] && return 0
  echo "==> building $1 from $3"
  (cd "$2" && go build -trimpath -ldflags "-s -w ${4:-}" -o "$output.partial.$$" "$3")
  mv "$output.partial.$$" "$output"
}

K8S_LDFLAGS="-X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitTreeState=clean"
build kube-apiserver "$K8S_MODULE_DIR" k8s.io/kubernetes/cmd/kube-apiserver "$K8S_LDFLAGS"
build kube-controller-manager "$K8S_MODULE_DIR" k8s.io/kubernetes/cmd/kube-controller-manager "$K8S_LDFLAGS"
build kube-scheduler "$K8S_MODULE_DIR" k8s.io/kubernetes/cmd/kube-scheduler "$K8S_LDFLAGS"
build etcd "$ETCD_MODULE_DIR" go.etcd.io/etcd/server/v3
build kwok "$KWOK_MODULE_DIR" sigs.k8s.io/kwok/cmd/kwok

# kwok loads no behaviour by default: it runs the Stages it is given. These are KWOK's own
# "fast" node and pod stages plus the lease-based heartbeat (Nodes turn Ready at once, bound pods
# run, Job pods succeed, deleted pods go), read from the module that was just built.
if [[ ! -s "$KWOK_STAGES" ]]; then
  kwok_stage_dir="$(cd "$KWOK_MODULE_DIR" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage"
  for stage in "$kwok_stage_dir"/node/fast/node-initialize.yaml \
    "$kwok_stage_dir"/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
    "$kwok_stage_dir"/pod/fast/pod-{ready,complete,delete}.yaml; do
    [[ -s "$stage" ]] || fail "KWOK $KWOK_VERSION has no stage manifest $stage"
    echo "---"
    cat "$stage"
  done >"$KWOK_STAGES.partial.$$"
  mv "$KWOK_STAGES.partial.$$" "$KWOK_STAGES"
fi

echo "test environment ready in $((SECONDS - started_at))s (cache $CACHE_DIR):"
for binary in "${BINARIES[@]}"; do echo "  $BIN_DIR/$binary"; done
echo "  $KWOK_STAGES"
echo "  $MOTO_SERVER ($MOTO_PIN)"
