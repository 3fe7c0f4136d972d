#!/usr/bin/env bash
# The run command: ./run.sh [verb] [args...]   (default verb: serve)
# Starts a local PostgreSQL whose data persists under ./.data/postgres (unless ConnectionStrings__Admin
# is set), builds Turnstone, applies migrations and runs `turnstone <verb>` in the foreground.
# Ctrl-C stops the app; the PostgreSQL this script started is stopped after it.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
data_dir="${TURNSTONE_DATA_DIR:-$root/.data}"
pg_port="${TURNSTONE_PG_PORT:-55432}"
config="${TURNSTONE_CONFIGURATION:-Release}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

command -v dotnet >/dev/null || { echo "run.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
mkdir -p "$data_dir"
chmod 755 "$data_dir"   # the postgres user must reach the cluster directory inside it

started_pg=""
stop_pg() {
  if [ -n "$started_pg" ]; then scripts/postgres.sh stop "$data_dir/postgres" || true; fi
}
trap stop_pg EXIT

if [ -z "${ConnectionStrings__Admin:-}" ]; then
  pg_was_running=""
  [ -f "$data_dir/postgres/postmaster.pid" ] && pg_was_running=1
  server=$(scripts/postgres.sh start "$data_dir/postgres" "$pg_port")
  [ -z "$pg_was_running" ] && started_pg=1
  password=${server##*Password=}
  # Create the application database once.
  if ! PGPASSWORD="$password" psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'turnstone'" | grep -q 1; then
    PGPASSWORD="$password" psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE turnstone" >/dev/null
  fi
  export ConnectionStrings__Admin="$server;Database=turnstone"
fi

echo "run.sh: building Turnstone ($config)" >&2
dotnet build src/Admin.Web/Admin.Web.csproj -c "$config" -v quiet -nologo >&2
app="$root/src/Admin.Web/bin/$config/net10.0/turnstone"

export Turnstone__DataDirectory="${Turnstone__DataDirectory:-$data_dir}"
"$app" migrate >&2   # stderr: a verb's stdout (a token, a secret) stays clean for scripts

# Run the app as a child (not exec) so this script can stop PostgreSQL after it; forward signals.
"$app" "$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' INT TERM
set +e
wait "$child"; code=$?
# A signal interrupts the first wait; wait again for the app's own exit code.
if kill -0 "$child" 2>/dev/null; then wait "$child"; code=$?; fi
exit "$code"
