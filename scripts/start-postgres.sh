#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 (trust auth for user postgres) and print
# its URL. Starts the Debian cluster if it is stopped; creates one if none exists.
set -euo pipefail
url="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
if ! ready; then
  if command -v pg_lsclusters >/dev/null 2>&1 && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
    ver=$(pg_lsclusters -h | awk 'NR==1{print $1}'); name=$(pg_lsclusters -h | awk 'NR==1{print $2}')
    pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >&2 || pg_ctlcluster "$ver" "$name" start >&2
  elif command -v pg_createcluster >/dev/null 2>&1; then
    ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
    pg_createcluster "$ver" main --start -- --auth-host=trust --auth-local=trust >&2
  fi
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi
ready || { echo "start-postgres: no server on 127.0.0.1:5432" >&2; exit 1; }
echo "$url"
