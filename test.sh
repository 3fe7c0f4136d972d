#!/usr/bin/env bash
# The test command: installs what the tests need, starts a throwaway PostgreSQL, runs every test
# project in Admin.sln, prints "N passed, M failed" last, and stops what it started.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Relay]
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)

# Real servers and clients the tests drive: PostgreSQL, Chromium (Playwright), coturn's
# turnutils_* clients, aioice, NSS tools (to trust the TLS test CA in Chromium), Prometheus,
# and docker-compose (validates docker-compose.yml without an engine).
scripts/install-deps.sh postgresql chromium coturn python3-aioice libnss3-tools prometheus docker-compose nodejs \
  || { echo "test.sh: could not install the test dependencies" >&2; exit 1; }
# The Kubernetes schema validator for deploy/kubernetes (npm package kubernetes-models, from the lock file). Debian's
# nodejs has no npm of its own; NodeSource's does (and conflicts with Debian's npm package).
command -v npm >/dev/null || scripts/install-deps.sh npm || { echo "test.sh: could not install npm" >&2; exit 1; }
npm ci --prefix tools/k8s-validate --no-audit --no-fund --silent \
  || { echo "test.sh: could not install tools/k8s-validate" >&2; exit 1; }

work=$(mktemp -d /tmp/turnstone-test.XXXXXX)
chmod 755 "$work"
pg_dir="$work/pg"
cleanup() {
  scripts/postgres.sh stop "$pg_dir" || true
  rm -rf "$work"
}
trap cleanup EXIT

# A free port for the throwaway cluster.
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
TURNSTONE_TEST_PG=$(scripts/postgres.sh start "$pg_dir" "$pg_port" --throwaway) || { echo "test.sh: PostgreSQL did not start" >&2; exit 1; }
export TURNSTONE_TEST_PG
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log="$work/test.log"
dotnet build Admin.sln -c Debug 2>&1 | tee "$work/build.log" | grep -E "error|Warn|Elapsed" || true
if ! grep -q "Build succeeded" "$work/build.log"; then
  echo "test.sh: build failed" >&2
  tail -40 "$work/build.log" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# Test projects run one at a time: several start servers, browsers and relays on loopback.
# The cluster load measurement (Category=ClusterLoad, minutes long) is opt-in: bench/cluster-load.sh runs it.
filter=()
case " $* " in *" --filter "*|*" --filter="*) ;; *) filter=(--filter "Category!=ClusterLoad") ;; esac
dotnet test Admin.sln --no-build -c Debug -m:1 "${filter[@]}" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=0; failed=0
while read -r f p; do
  passed=$((passed + p)); failed=$((failed + f))
done < <(sed -nE 's/.*(Passed|Failed)! +- +Failed: +([0-9]+), +Passed: +([0-9]+).*/\2 \3/p' "$log")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
