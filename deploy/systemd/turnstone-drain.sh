#!/bin/sh
# The turnstone service's ExecStop: drains this node through the JSON API (POST /api/v1/relay/drain: new allocations
# get 508, /readyz answers 503), then waits until no allocation is live or TURNSTONE_DRAIN_SECONDS have passed.
# systemd sends SIGTERM afterwards. Any failure here only skips the wait: a stop must never hang on it.
#   TURNSTONE_DRAIN_TOKEN    a superuser's API token (none: no drain)
#   TURNSTONE_DRAIN_URL      the portal's URL (default http://127.0.0.1:8080)
#   TURNSTONE_DRAIN_SECONDS  the longest wait (default 60)
set -u
url="${TURNSTONE_DRAIN_URL:-http://127.0.0.1:8080}"
seconds="${TURNSTONE_DRAIN_SECONDS:-60}"
if [ -z "${TURNSTONE_DRAIN_TOKEN:-}" ]; then
  echo "turnstone-drain: TURNSTONE_DRAIN_TOKEN is not set; stopping without a drain" >&2
  exit 0
fi

# The token goes to curl on stdin, never on its command line (where ps would show it).
api() { printf 'Authorization: Bearer %s\n' "$TURNSTONE_DRAIN_TOKEN" | curl -fsS -m 5 -H @- "$@"; }
live() { api "$url/api/v1/relay" | sed -n 's/.*"liveAllocations": *\([0-9][0-9]*\).*/\1/p'; }

if ! answer=$(api -X POST "$url/api/v1/relay/drain"); then
  echo "turnstone-drain: the drain request to $url failed; stopping without a drain" >&2
  exit 0
fi
echo "turnstone-drain: draining ($answer); waiting up to ${seconds}s for live allocations to end" >&2
deadline=$(( $(date +%s) + seconds ))
while :; do
  n=$(live)
  if [ -z "$n" ]; then echo "turnstone-drain: no answer from $url; stopping" >&2; exit 0; fi
  if [ "$n" -eq 0 ]; then echo "turnstone-drain: no live allocation left" >&2; exit 0; fi
  if [ "$(date +%s)" -ge "$deadline" ]; then echo "turnstone-drain: $n allocation(s) still live after ${seconds}s; stopping" >&2; exit 0; fi
  sleep 2
done
