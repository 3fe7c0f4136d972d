#!/usr/bin/env bash
# The Users page's queries on a realm of 1,000,000 users (docs/PERFORMANCE.md, "Admin: Users page at 1,000,000 users").
#   bench/user-queries.sh                  seed 1,000,000 users, 9 timed calls per request, print the report
#   bench/user-queries.sh --users 200000 --runs 5
# Uses TURNSTONE_BENCH_PG (a server where databases may be created) if set; otherwise starts a throwaway
# PostgreSQL with scripts/postgres.sh under bench/.pg-user-queries on 127.0.0.1:47961 and stops it afterwards.
# The seeded database is dropped at the end (--keep keeps it). Report: bench/results/user-queries-<UTC time>.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
started=0
if [ -z "${TURNSTONE_BENCH_PG:-}" ]; then
  TURNSTONE_BENCH_PG=$("$root/scripts/postgres.sh" start "$here/.pg-user-queries" 47961 --throwaway)
  started=1
fi
export TURNSTONE_BENCH_PG
cleanup() {
  if [ "$started" = 1 ]; then
    "$root/scripts/postgres.sh" stop "$here/.pg-user-queries" >/dev/null || true
    rm -rf "$here/.pg-user-queries" "$here/.pg-user-queries-password" "$here/.pg-user-queries.initdb.log"
  fi
}
trap cleanup EXIT
dotnet build "$here/Admin.UserQueries" -c Release --nologo -v q >&2
mkdir -p "$here/results"
out="$here/results/user-queries-$(date -u +%Y%m%dT%H%M%SZ).md"
dotnet "$here/Admin.UserQueries/bin/Release/net10.0/Admin.UserQueries.dll" "$@" | tee "$out"
echo "report: $out" >&2
