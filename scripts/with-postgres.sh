#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server: initdb in a temporary
# folder, a free port on 127.0.0.1, stopped and removed at the end, whatever
# happens. The command sees its admin URL in COPILOTE_TEST_POSTGRES.
# Without PostgreSQL binaries the command runs alone (store tests then skip
# their PostgreSQL half), except with CI=true, where that is an error.
set -euo pipefail

find_bin() {
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"; return
  fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bindir=$(find_bin || true)
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "with-postgres: PostgreSQL is not installed (apt-get install postgresql); CI needs it." >&2
    exit 1
  fi
  echo "with-postgres: PostgreSQL not found; the PostgreSQL half of the store tests will be skipped." >&2
  exec "$@"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
  || shuf -i 20000-60000 -n 1)
dir=$(mktemp -d /tmp/copilote-pg.XXXXXX)
chmod 755 "$dir"

# PostgreSQL refuses to run as root: use the postgres account when we are root.
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi

stop() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }

export COPILOTE_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on port $port" >&2
"$@"
