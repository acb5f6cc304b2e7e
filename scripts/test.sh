#!/usr/bin/env bash
# The whole test suite, as `make test` runs it: front-end packages, lint,
# then every Go test with the race detector, the store tests on SQLite and on
# a throwaway PostgreSQL server. Prints each package's result, every failure
# in full, and how many store tests ran on each engine.
set -euo pipefail
cd "$(dirname "$0")/.."

# A fresh Debian machine lacks PostgreSQL, Chromium (for the browser
# tests) and poppler's pdftotext (to read the PDFs): install them when we may.
need=()
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if ((${#need[@]})) && [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "test: installing ${need[*]} (apt-get)…" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}") >/dev/null
fi

if [[ -f package-lock.json && ! -d node_modules ]] && command -v npm >/dev/null 2>&1; then
  npm ci --no-audit --no-fund >/dev/null
fi

make --no-print-directory lint

log=$(mktemp /tmp/copilote-test.XXXXXX.log)
status=0
scripts/with-postgres.sh go test -race -count=1 -timeout 50m -v ./... >"$log" 2>&1 || status=$?

# failures in full, then one line per package
if ((status)); then
  grep -vE '^(=== (RUN|PAUSE|CONT)|--- PASS|    --- PASS)' "$log" | head -n 400
  # a failure outside any test (a build, a crash after the last test) shows
  # no FAIL line above: the end of the log tells it
  grep -qE '^(FAIL|--- FAIL)' "$log" || { echo "go test exited with $status; the end of its output:"; tail -n 40 "$log"; }
else
  grep -E '^(ok|FAIL|---|\?)\s|with-postgres' "$log" | grep -vE -- '--- PASS|no test files' || true
fi
# fuzz targets, each for a bounded time (under two minutes in all), one
# worker each (the machine is shared) and a short minimisation of what
# they find: the exchange reader, the CSV and XLSX readers and the whole
# spreadsheet import, the data.caf.fr reader and its import: none may
# panic, and a failed import must leave the database byte for byte as it was
fuzz() { # package target seconds
  if ! go test -run '^$' -fuzz "^$2\$" -fuzztime "$3s" -fuzzminimizetime 50x -parallel 1 "$1" >"$log.fuzz" 2>&1; then
    # Go's fuzzing engine may end at its time limit with "context deadline
    # exceeded" while a worker minimises an input it found interesting, not
    # failing: only a written failing input or a panic is a failure
    if grep -q 'context deadline exceeded' "$log.fuzz" && ! grep -qE 'Failing input written|panic:' "$log.fuzz"; then
      echo "fuzz $2: $(grep -oE 'execs: [0-9]+' "$log.fuzz" | tail -n 1), no failure in $3 s (stopped at its time limit while minimising)"
      rm -f "$log.fuzz"
      return
    fi
    status=1
    echo "fuzz $2 ($1) failed:"
    grep -vE '^fuzz: elapsed' "$log.fuzz" | head -n 60
  else
    echo "fuzz $2: $(grep -oE 'execs: [0-9]+' "$log.fuzz" | tail -n 1), no failure in $3 s"
  fi
  rm -f "$log.fuzz"
}
fuzz ./internal/store/ FuzzExchangeImport 25
fuzz ./internal/sheet/ FuzzReadCSV 15
fuzz ./internal/sheet/ FuzzReadXLSX 15
fuzz ./internal/web/ FuzzImportSpreadsheet 25
fuzz ./internal/opendata/ FuzzRead 15
fuzz ./internal/store/ FuzzOpenDataImport 15

for engine in sqlite postgres; do
  printf 'tests run on %-8s: %s passed, %s failed, %s skipped\n' "$engine" \
    "$(grep -cE -- "--- PASS: .*/$engine " "$log" || true)" \
    "$(grep -cE -- "--- FAIL: .*/$engine " "$log" || true)" \
    "$(grep -cE -- "--- SKIP: .*/$engine " "$log" || true)"
done
printf '%s passed, %s failed\n' "$(grep -cE -- '--- PASS' "$log" || true)" "$(grep -cE -- '--- FAIL' "$log" || true)"
rm -f "$log"
exit "$status"
