#!/usr/bin/env bash
# Builds what the real-engine test tier (tests/engine) runs, from the Go module proxy, into
# .cache/ inside the clone; each is skipped when already there:
#   .cache/pulumi/v3.274.1/bin/pulumi                      the Pulumi CLI
#   .cache/pulumi-yaml/v1.25.0/bin/pulumi-language-yaml    the Pulumi YAML language host
#   .cache/sdkgen/v3.274.1/sdkgen                          dev/go/sdkgen (SDKs from a schema)
# The CLI and sdkgen build from dev/go (go.mod and go.sum pin pulumi/pkg v3.274.1 and every
# dependency); the YAML host with `go install …@v1.25.0` (its own go.mod). The Pulumi releases'
# binaries are not reachable here; the Go module proxy is. Needs Go 1.26 (`go` on PATH, or GO=…).
# Usage: bash dev/engine/tools.sh [cli] [yaml] [sdkgen]   (default: all three)
# Prints one line per step and a heartbeat while Go compiles (the CLI takes ~3 min on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

PULUMI_VERSION=v3.274.1
YAML_VERSION=v1.25.0
GO=${GO:-go}

pulumi_bin=$root/.cache/pulumi/$PULUMI_VERSION/bin
yaml_bin=$root/.cache/pulumi-yaml/$YAML_VERSION/bin
sdkgen_bin=$root/.cache/sdkgen/$PULUMI_VERSION

say() { printf '==> %s\n' "$*" >&2; }

need_go() {
  if ! command -v "$GO" >/dev/null 2>&1; then
    cat >&2 <<EOF
dev/engine/tools.sh: Go is needed to build $1 (the real-engine tests run the Pulumi CLI,
which is built here from the Go module proxy), and '$GO' is not on the PATH.
Install Go 1.26 (https://go.dev/dl/, or your package manager: apt-get install golang-go if it is
1.26) and run again, or point GO at a go binary: GO=/usr/local/go/bin/go npm run test:engine
EOF
    exit 1
  fi
}

# build <what> <dir> <command…>: runs the command with a heartbeat every 20 s; its output (go -v:
# one line per package compiled) goes to <dir>/build.log, whose tail is shown when it fails.
build() {
  local what=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  local log=$dir/build.log start=$SECONDS
  say "building $what (Go $("$GO" env GOVERSION), log: ${log#"$root"/})"
  "$@" >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    if kill -0 "$pid" 2>/dev/null && (((SECONDS - start) % 20 < 5)); then
      say "  … still building $what ($((SECONDS - start)) s, $(grep -c . "$log" || true) packages compiled)"
    fi
  done
  if ! wait "$pid"; then
    tail -n 30 "$log" >&2
    say "building $what failed after $((SECONDS - start)) s (full log: ${log#"$root"/})"
    exit 1
  fi
  say "built $what in $((SECONDS - start)) s"
}

export GOFLAGS="${GOFLAGS:--buildvcs=false}"

# Which tools: all by default, or the ones named (cli, yaml, sdkgen).
wanted=("$@")
only() { [ "${#wanted[@]}" -eq 0 ] || [[ " ${wanted[*]} " == *" $1 "* ]]; }

if ! only cli; then
  :
elif [ -x "$pulumi_bin/pulumi" ] && "$pulumi_bin/pulumi" version 2>/dev/null | grep -qx "$PULUMI_VERSION"; then
  say "Pulumi CLI $PULUMI_VERSION: present (${pulumi_bin#"$root"/}/pulumi)"
else
  need_go "the Pulumi CLI $PULUMI_VERSION"
  # Without the version stamp the CLI reports v0.0.0 and the Automation API refuses it.
  build "the Pulumi CLI $PULUMI_VERSION" "$pulumi_bin" \
    bash -c "cd dev/go && '$GO' build -v -ldflags '-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION' -o '$pulumi_bin/pulumi.part' github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
  mv "$pulumi_bin/pulumi.part" "$pulumi_bin/pulumi"
fi

if ! only yaml; then
  :
elif [ -x "$yaml_bin/pulumi-language-yaml" ]; then
  say "Pulumi YAML language host $YAML_VERSION: present (${yaml_bin#"$root"/}/pulumi-language-yaml)"
else
  need_go "the Pulumi YAML language host $YAML_VERSION"
  build "the Pulumi YAML language host $YAML_VERSION" "$yaml_bin" \
    env GOBIN="$yaml_bin/.part" "$GO" install -v "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$YAML_VERSION"
  mv "$yaml_bin/.part/pulumi-language-yaml" "$yaml_bin/pulumi-language-yaml"
  rmdir "$yaml_bin/.part"
fi

if ! only sdkgen; then
  :
elif [ -x "$sdkgen_bin/sdkgen" ] && [ "$sdkgen_bin/sdkgen" -nt dev/go/sdkgen/main.go ] && [ "$sdkgen_bin/sdkgen" -nt dev/go/go.sum ]; then
  say "sdkgen: present (${sdkgen_bin#"$root"/}/sdkgen)"
else
  need_go "dev/go/sdkgen"
  build "dev/go/sdkgen" "$sdkgen_bin" bash -c "cd dev/go && '$GO' build -v -o '$sdkgen_bin/sdkgen' ./sdkgen"
fi
