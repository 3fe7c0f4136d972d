#!/usr/bin/env bash
# Micro-benchmarks (BenchmarkDotNet, memory diagnoser) of the codec and the relay data path.
#   bench/benchmarks.sh                 every benchmark, short job (a few minutes)
#   bench/benchmarks.sh --filter '*RelayPath*'    any BenchmarkDotNet option
# Reports: bench/results/benchmarks/results/*.md (gitignored).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--filter '*')
exec timeout 1800 dotnet run -c Release --project "$here/Turn.Benchmarks/Turn.Benchmarks.csproj" -- \
  --job short --artifacts "$here/results/benchmarks" "${args[@]}"
