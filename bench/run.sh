#!/usr/bin/env bash
# Side-by-side relay benchmark: Turnstone's relay-only host against coturn's turnserver (when the
# Debian package coturn is installed), both driven by turnutils_uclient + turnutils_peer on
# 127.0.0.1. See docs/PERFORMANCE.md.
#   bench/run.sh            full run: 3 runs per server and configuration (15-35 minutes)
#   bench/run.sh --quick    1 run each, shorter windows (about 5 minutes): proves the harness
#   bench/run.sh --cohosted also measures `turnstone serve` (relay + portal + PostgreSQL, started
#                           with scripts/postgres.sh on 127.0.0.1:47950, or BENCH_PG_PORT, in
#                           /tmp/pg-bench-run, or BENCH_PG_DIR) beside the relay-only host
#   bench/run.sh --runs 5 --only fixed --filter udp     any harness option (bench/harness.py -h)
#   bench/run.sh --jit      plain `dotnet build` output (JIT only) instead of the ReadyToRun publish
#   bench/run.sh --r2r-both the relay-only host twice in the same run: ReadyToRun (turnstone) and JIT
#                           (turnstone-b), each against coturn
#   bench/run.sh --issue17 --cohosted   issue 17's figures only: setup (UDP, TCP; fresh and warm, uclient),
#                           setuprate (bench/Turnstone.SetupLoad, the server alone on one core) and the
#                           2,000-allocation load (peak RSS), 3 runs: about 25-35 minutes on 2 cores
# Results: bench/results/<UTC time>/summary.md, summary.csv, runs.csv; bench/results/latest -> it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

quick=0
cohosted=0
jit=0
both=0
args=()
for a in "$@"; do
  case "$a" in
    --quick) quick=1 ;;
    --cohosted) cohosted=1 ;;
    --jit) jit=1 ;;
    --r2r-both) both=1 ;;
    --issue17) args+=(--only setup,setuprate,load) ;;
    -h|--help) sed -n '2,10p' "$0"; exec python3 "$here/harness.py" --help ;;
    *) args+=("$a") ;;
  esac
done

need() { command -v "$1" >/dev/null || { echo "run.sh: $1 is missing ($2)" >&2; exit 2; }; }
need dotnet ".NET SDK, see global.json"
need python3 "Debian package python3"
need stdbuf "coreutils"
need turnutils_uclient "Debian package coturn (apt-get install coturn)"
need turnutils_peer "Debian package coturn (apt-get install coturn)"
command -v turnserver >/dev/null || echo "run.sh: coturn's turnserver not found: Turnstone will be measured alone" >&2

# What an operator runs: the ReadyToRun publish (precompiled code for the first calls, see docs/PERFORMANCE.md),
# unless --jit asks for the plain build.
case "$(uname -m)" in x86_64) rid=linux-x64 ;; aarch64) rid=linux-arm64 ;; *) rid="" ;; esac
build() {  # build <project> <output dir> <jit: 1/0>
  if [ "$3" = 1 ] || [ -z "$rid" ]; then
    dotnet build -c Release -nologo -v q "$1" -o "$2" >/dev/null
  else
    dotnet publish -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -nologo -v q "$1" -o "$2" >/dev/null
  fi
}
[ "$jit" = 1 ] && kind=jit || kind=r2r
echo "Building the relay-only host (Release, $kind)..."
build "$here/Turnstone.RelayHost/Turnstone.RelayHost.csproj" "$here/.build/relayhost-$kind" "$jit"
host="$here/.build/relayhost-$kind/Turnstone.RelayHost"
[ -x "$host" ] || { echo "run.sh: $host was not built" >&2; exit 2; }
second=()
if [ "$both" = 1 ]; then
  echo "Building the relay-only host (Release, JIT) as turnstone-b..."
  build "$here/Turnstone.RelayHost/Turnstone.RelayHost.csproj" "$here/.build/relayhost-jit" 1
  second=(--turnstone-b "$here/.build/relayhost-jit/Turnstone.RelayHost")
fi

# The setup-rate generator: not what is measured, so a plain Release build.
echo "Building the setup-rate load generator (Release)..."
dotnet build -c Release -nologo -v q "$here/Turnstone.SetupLoad/Turnstone.SetupLoad.csproj" -o "$here/.build/setupload" >/dev/null
setupload=(--setup-load "$here/.build/setupload/Turnstone.SetupLoad")
command -v taskset >/dev/null || setupload=()

serve=()
if [ "$cohosted" = 1 ]; then
  echo "Building turnstone (Release, $kind) and starting PostgreSQL for the co-hosted process..."
  build "$root/src/Admin.Web/Admin.Web.csproj" "$here/.build/turnstone-$kind" "$jit"
  pgdir=${BENCH_PG_DIR:-/tmp/pg-bench-run}
  "$root/scripts/postgres.sh" stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$pgdir"
  conn=$("$root/scripts/postgres.sh" start "$pgdir" "${BENCH_PG_PORT:-47950}" --throwaway)
  trap '"$root/scripts/postgres.sh" stop "$pgdir" >/dev/null 2>&1 || true' EXIT
  serve=(--serve "$here/.build/turnstone-$kind/turnstone" --serve-db "$conn")
fi

stamp=$(date -u +%Y%m%d-%H%M%S)
results="$here/results/$stamp"
mkdir -p "$results"
ln -sfn "$stamp" "$here/results/latest"

if [ "$quick" = 1 ]; then
  set -- --runs 1 --window 3 "${args[@]+"${args[@]}"}"
else
  set -- "${args[@]+"${args[@]}"}"
fi
# The harness bounds every run itself; this outer timeout only guards against a hung harness.
timeout --signal=INT --kill-after=30 3600 python3 "$here/harness.py" --turnstone "$host" --results "$results" \
  "${second[@]+"${second[@]}"}" "${serve[@]+"${serve[@]}"}" "${setupload[@]+"${setupload[@]}"}" "$@"
