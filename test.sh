#!/usr/bin/env bash
# The whole suite, exactly as CI runs it:
#   1. format and lint wall (cargo fmt --check, clippy -D warnings)
#   2. Rust tests on SQLite (unit, store, real-server HTTP tests)
#   3. the same server tests on PostgreSQL, plus the schema-equivalence test
#   4. schemathesis against the generated OpenAPI document, as a seeker and an employer
#   5. the browser suite (Debian Chromium + axe-core): the full matrix (languages x
#      furigana x display settings x widths) on SQLite and, side by side with it, the
#      keyboard journeys on PostgreSQL
# Each step's time is printed at the end (also when a step fails).
# Installs what it needs when missing: Chromium, a Japanese font, libfaketime and poppler-utils (apt-get, as root)
# the npm packages of tests/browser, and Python's icalendar (PyPI). Never downloads a
# browser from elsewhere.
#
# PostgreSQL must be reachable (TSUNAGU_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres).
# If it is not, the suite FAILS. To run without it on purpose: TSUNAGU_ALLOW_NO_POSTGRES=1 ./test.sh
set -euo pipefail
cd "$(dirname "$0")"

suite_start=$SECONDS
step_name=""; step_start=$SECONDS; step_times=()
end_step() {
  if [ -n "$step_name" ]; then step_times+=("$(printf '%5ds  %s' $((SECONDS - step_start)) "$step_name")"); fi
}
step() { end_step; step_name="$*"; step_start=$SECONDS; printf '\n==== %s ====\n' "$*"; }
report() {
  local rc=$?
  end_step; step_name=""
  printf '\n==== step times ====\n'
  for t in "${step_times[@]}"; do printf '%s\n' "$t"; done
  printf '%5ds  total%s\n' $((SECONDS - suite_start)) "$([ $rc = 0 ] || echo " (FAILED, exit $rc)")"
}
trap report EXIT
export TSUNAGU_TEST_PG_URL="${TSUNAGU_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

pg_host_port="${TSUNAGU_TEST_PG_URL#*@}"; pg_host_port="${pg_host_port%%/*}"
pg_host="${pg_host_port%%:*}"; pg_port="${pg_host_port##*:}"
have_pg=0
if (exec 3<>"/dev/tcp/${pg_host}/${pg_port}") 2>/dev/null; then have_pg=1; fi
if [ "$have_pg" = 0 ]; then
  printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n'
  printf '!!! PostgreSQL is NOT reachable at %s:%s\n' "$pg_host" "$pg_port"
  printf '!!! The PostgreSQL half of the suite cannot run.\n'
  printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n'
  if [ "${TSUNAGU_ALLOW_NO_POSTGRES:-0}" != 1 ]; then
    echo "Failing. Set TSUNAGU_ALLOW_NO_POSTGRES=1 to run the SQLite half only, knowingly." >&2
    exit 1
  fi
fi

# The HTTP tests parse interview calendar files with Python's icalendar (RFC 5545).
if ! python3 -c 'import icalendar' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check 'icalendar>=5,<7'
fi

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

step "system packages"
# Chromium and a Japanese font (the browser suite; the font is also the one the monthly
# report's PDF embeds), libfaketime (the early-warning tests write check-ins on past days
# through a real server whose clock is set back), pdftotext (reads the PDF's text back),
# PostgreSQL's client tools (backups).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi 'IPAGothic' || missing+=(fonts-ipafont-gothic)
[ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1 ] || missing+=(faketime)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# pg_dump / pg_restore: `tsunagu backup` on PostgreSQL, and the test that restores a
# backup taken before an erasure.
command -v pg_restore >/dev/null 2>&1 || missing+=(postgresql-client)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing system packages; install them: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

step "tests on SQLite"
if [ "$have_pg" = 1 ]; then
  TSUNAGU_TEST_BACKEND=sqlite cargo test --workspace
else
  TSUNAGU_TEST_BACKEND=sqlite-only cargo test --workspace
fi

if [ "$have_pg" = 1 ]; then
  step "server tests on PostgreSQL"
  TSUNAGU_TEST_BACKEND=postgres cargo test -p tsunagu
fi

step "browser prerequisites and build"
cargo build -p tsunagu
export TSUNAGU_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/tsunagu"
if [ -f tests/browser/package-lock.json ]; then (cd tests/browser && npm ci --no-audit --no-fund --silent)
else (cd tests/browser && npm install --no-audit --no-fund --silent); fi

step "API fuzzing: schemathesis against the generated OpenAPI document (seeker, employer)"
TSUNAGU_BIN="$TSUNAGU_BIN" tests/api/run.sh

# The two browser runs use separate servers and databases and mostly wait on each
# other's CPU bursts (page renders, axe), so they run side by side; each writes its own
# log, printed whole when it ends, and either failing fails the suite.
if [ "$have_pg" = 1 ]; then
  step "browser suites: full matrix on SQLite, keyboard journeys on PostgreSQL (side by side)"
  pg_log="$(mktemp)"
  (cd tests/browser && TSUNAGU_TEST_BACKEND=postgres TSUNAGU_BROWSER_MATRIX=journeys node suite.mjs) >"$pg_log" 2>&1 &
  pg_pid=$!
  sqlite_rc=0
  (cd tests/browser && TSUNAGU_TEST_BACKEND=sqlite TSUNAGU_BROWSER_MATRIX=full node suite.mjs) || sqlite_rc=$?
  pg_rc=0
  wait "$pg_pid" || pg_rc=$?
  printf '\n---- browser suite on PostgreSQL (keyboard journeys) ----\n'
  cat "$pg_log"; rm -f "$pg_log"
  if [ "$sqlite_rc" != 0 ] || [ "$pg_rc" != 0 ]; then
    echo "browser suite failed: SQLite full matrix exit $sqlite_rc, PostgreSQL journeys exit $pg_rc" >&2
    exit 1
  fi
else
  step "browser suite on SQLite: full matrix, then the keyboard journeys"
  (cd tests/browser && TSUNAGU_TEST_BACKEND=sqlite TSUNAGU_BROWSER_MATRIX=full node suite.mjs)
  (cd tests/browser && TSUNAGU_TEST_BACKEND=sqlite TSUNAGU_BROWSER_MATRIX=journeys node suite.mjs)
fi

step "all green"
