#!/usr/bin/env bash
# Export measure (issue 9, docs/performance.md): serves a database, signs in
# as a national user and downloads the journal of every CTG as CSV, then
# as XLSX, each from a freshly started server, and prints for each the
# status, rows, size, time to the first byte and in all, the server's peak
# memory (VmHWM) before and after the export, and the largest size of the
# temporary file excelize keeps an XLSX sheet in (sampled every 0.5 s).
#
#   scripts/exportbench.sh DB [QUERY]
#
# DB is a SQLite path or a postgres:// URL holding data (copilote synth
# --scale 0.1 gives about a million records); the script adds a national
# account to it. QUERY adds filters, e.g. "kind=reunion" or "ctg=12".
set -euo pipefail

db=${1:?usage: scripts/exportbench.sh DB [QUERY]}
query=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/copilote-export.XXXXXX)
pid=
trap '[[ -n "$pid" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

go build -o "$work/copilote" "$root/cmd/copilote"
email="export-$(date +%s)@bench.copilote.fr"
password="mesure-des-exports-2026"
echo "$password" | "$work/copilote" user add --db "$db" --email "$email" --name "Mesure des exports" --role national >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

mem() { awk -v k="$1:" '$1 == k {printf "%.0f MB", $2 / 1024}' "/proc/$pid/status"; }

for format in csv xlsx; do
  TMPDIR="$work" COPILOTE_LOG_LEVEL=warn "$work/copilote" serve --db "$db" --addr "127.0.0.1:$port" &
  pid=$!
  for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done
  jar="$work/cookies"
  curl -fs -c "$jar" -o /dev/null --data-urlencode "email=$email" --data-urlencode "password=$password" "$base/login"
  cookie="Cookie: $(awk '$6 == "copilote_session" {print $6 "=" $7}' "$jar")"
  curl -fs -o /dev/null -H "$cookie" "$base/journal" # first page: what a user opens before exporting
  before=$(mem VmHWM)
  out="$work/journal.$format"
  echo 0 >"$work/tmp-peak"
  ( # the size of excelize's temporary file, every half second
    peak=0
    while sleep 0.5; do
      n=$(find "$work" -maxdepth 1 -name 'excelize-*' -printf '%s\n' | awk '{t += $1} END {print t + 0}')
      if ((n > peak)); then peak=$n; echo "$peak" >"$work/tmp-peak"; fi
    done
  ) &
  sampler=$!
  stats=$(curl -s -o "$out" -H "$cookie" -w '%{http_code} %{time_starttransfer} %{time_total}' "$base/journal?format=$format&$query")
  kill "$sampler"
  wait "$sampler" 2>/dev/null || true
  read -r code first total <<<"$stats"
  rows=0
  if [[ $code != 200 ]]; then
    echo "$format: the export answered $code" >&2
  elif [[ $format == csv ]]; then
    rows=$(($(wc -l <"$out") - 1))
  else
    rows=$(($(unzip -p "$out" xl/worksheets/sheet1.xml | grep -o '<row ' | wc -l) - 1))
  fi
  sleep 1 # the handler removes its temporary file once the last byte is sent
  left=$(find "$work" -maxdepth 1 -name 'excelize-*' | wc -l)
  size=$(stat -c %s "$out")
  printf '%-4s status %s  %8d rows  %6.1f MB  first byte %6.1f s  total %6.1f s  server VmHWM %s before, %s after  temporary file %s MB at most, %s left\n' \
    "$format" "$code" "$rows" "$(awk -v n="$size" 'BEGIN {print n / 1048576}')" "$first" "$total" "$before" "$(mem VmHWM)" \
    "$(awk -v n="$(cat "$work/tmp-peak")" 'BEGIN {printf "%.0f", n / 1048576}')" "$left"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  rm -f "$out"
done
