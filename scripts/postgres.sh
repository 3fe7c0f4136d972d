#!/usr/bin/env bash
# Starts or stops a private PostgreSQL cluster from Debian's packages, listening on 127.0.0.1 only.
#   scripts/postgres.sh start DIR PORT [--throwaway]   prints the connection string on stdout
#   scripts/postgres.sh stop DIR
# --throwaway: fsync off, for test clusters only. Without it the cluster is durable (run path).
#   Test clusters also preload pg_stat_statements: the hostile suite counts credential SELECTs with it.
# The superuser password is generated once and kept in DIR/../db-password (mode 0600).
set -euo pipefail

die() { echo "postgres.sh: $*" >&2; exit 1; }

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

ensure_installed() {
  find_bin >/dev/null && return 0
  echo "postgres.sh: installing Debian package postgresql" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
  find_bin >/dev/null || die "PostgreSQL binaries not found after installing the postgresql package"
}

as_owner() {
  # initdb and postgres refuse to run as root: run them as the postgres user when we are root.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: postgres.sh start DIR PORT [--throwaway] | stop DIR"

case "$cmd" in
  start)
    port=${3:-}; [ -n "$port" ] || die "start needs a PORT"
    throwaway=${4:-}
    ensure_installed
    bin=$(find_bin)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    pwfile="$(dirname "$dir")/$(basename "$dir")-password"
    if [ ! -s "$pwfile" ]; then
      (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$pwfile")
    fi
    password=$(cat "$pwfile")
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; chmod 700 "$dir"; fi
    if [ ! -f "$dir/PG_VERSION" ]; then
      tmp_pw=$(mktemp); printf '%s\n' "$password" > "$tmp_pw"
      [ "$(id -u)" -eq 0 ] && chown postgres "$tmp_pw"
      as_owner "$bin/initdb" -D "$dir" -U postgres --pwfile="$tmp_pw" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir.initdb.log" 2>&1 \
        || { rm -f "$tmp_pw"; cat "$dir.initdb.log" >&2; die "initdb failed"; }
      rm -f "$tmp_pw"
    fi
    opts="-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200"
    [ "$throwaway" = "--throwaway" ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_preload_libraries=pg_stat_statements"
    if ! as_owner "$bin/pg_ctl" status -D "$dir" >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -w -t 60 -D "$dir" -l "$dir/server.log" -o "$opts" start >&2 \
        || { tail -20 "$dir/server.log" >&2; die "could not start PostgreSQL in $dir on port $port"; }
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$password"
    ;;
  stop)
    bin=$(find_bin) || exit 0
    [ -f "$dir/postmaster.pid" ] || exit 0
    as_owner "$bin/pg_ctl" -w -D "$dir" -m fast stop >&2 || true
    ;;
  *) die "unknown command $cmd" ;;
esac
