#!/usr/bin/env bash
# Load test of the CTG dashboard (issue 4, docs/performance.md): serves a
# database with --bench-page, signs in as a national user, then runs vegeta
# with 64 connections on loopback against the dashboard of one CTG and
# against /bench/dashboard (the same template and data rendered without the
# database), in the same run, one after the other, and prints the ratio of
# their throughputs and the server's memory.
#
#   scripts/loadtest.sh DB CTG_ID [SECONDS]
#
# DB is a SQLite path or a postgres:// URL holding data (copilote synth);
# the script adds a national account to it.
set -euo pipefail

db=${1:?usage: scripts/loadtest.sh DB CTG_ID [SECONDS]}
ctg=${2:?usage: scripts/loadtest.sh DB CTG_ID [SECONDS]}
secs=${3:-20}
vegeta="go run github.com/tsenart/vegeta/v12@v12.13.0"
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/copilote-load.XXXXXX)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT

go build -o "$work/copilote" "$root/cmd/copilote"
$vegeta -version >/dev/null # fetch and build vegeta before measuring

email="charge-$(date +%s)@bench.copilote.fr"
password="mesure-de-charge-2026"
echo "$password" | "$work/copilote" user add --db "$db" --email "$email" --name "Mesure de charge" --role national >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
COPILOTE_LOG_LEVEL=error "$work/copilote" serve --db "$db" --addr "127.0.0.1:$port" --bench-page &
pid=$!
for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done

jar="$work/cookies"
curl -fs -c "$jar" -o /dev/null --data-urlencode "email=$email" --data-urlencode "password=$password" "$base/login"
cookie="Cookie: $(awk '$6 == "copilote_session" {print $6 "=" $7}' "$jar")"
code=$(curl -s -o "$work/dashboard.html" -w '%{http_code}' -H "$cookie" "$base/ctg/$ctg/indicators")
[[ "$code" == 200 ]] || { echo "dashboard answered $code" >&2; exit 1; }
curl -fs -o "$work/bench.html" "$base/bench/dashboard"
echo "page: $(wc -c <"$work/dashboard.html") bytes from the database, $(wc -c <"$work/bench.html") bytes without"

attack() { # name url
  printf 'GET %s\n%s\n' "$2" "$cookie" |
    $vegeta attack -rate=0 -max-workers=64 -workers=64 -connections=64 -duration="${secs}s" -timeout=30s |
    $vegeta report -type=json >"$work/$1.json"
  python3 - "$work/$1.json" "$1" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
lat = r["latencies"]
print(f'{sys.argv[2]:10} {r["requests"]:7d} requests  {r["throughput"]:8.1f} req/s  '
      f'p50 {lat["50th"]/1e6:7.1f} ms  p99 {lat["99th"]/1e6:7.1f} ms  success {r["success"]*100:.1f} %')
EOF
}
attack dashboard "$base/ctg/$ctg/indicators"
attack nodb "$base/bench/dashboard"
python3 - "$work/dashboard.json" "$work/nodb.json" <<'EOF'
import json, sys
a, b = (json.load(open(p))["throughput"] for p in sys.argv[1:])
print(f"ratio dashboard / no database: {a / b:.2f} (goal >= 0.8)")
EOF
grep -E 'VmHWM|VmRSS' "/proc/$pid/status" | sed 's/^/server /'
