#!/usr/bin/env bash
# The cluster load measurement (issue 14): 10,000 UDP allocations across three `turnstone serve` nodes in their own
# network namespaces, and the CPU each node spends per live-view tick with clustering off and on
# (tests/Admin.E2E.Tests/Cluster/ClusterLoadTests.cs, Category=ClusterLoad; about five minutes, needs root).
# Usage: bench/cluster-load.sh [output.md]   (default: bench/results/cluster-load.md)
# Needs TURNSTONE_TEST_PG (a PostgreSQL where databases may be created), as ./test.sh exports it.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results/cluster-load.md}
mkdir -p "$(dirname "$out")"
: "${TURNSTONE_TEST_PG:?set TURNSTONE_TEST_PG to a PostgreSQL connection string (./test.sh starts one)}"
dotnet build tests/Admin.E2E.Tests/Admin.E2E.Tests.csproj -c Debug 2>&1 | grep -E " error |Elapsed" || true
TURNSTONE_CLUSTER_MEASUREMENTS=$(realpath -m "$out") \
  dotnet test tests/Admin.E2E.Tests/Admin.E2E.Tests.csproj --no-build -c Debug --filter "Category=ClusterLoad" --logger "console;verbosity=normal"
echo "figures: $out"
