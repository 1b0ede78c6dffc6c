#!/usr/bin/env bash
# Schemathesis against the OpenAPI document the server generates, as the demo seeker and
# as the demo employer: no server error, no answer outside the document, no request the
# document calls valid refused (checks below). test.sh runs a bounded run (a fixed seed
# and a few examples per operation); for a longer one:
#   TSUNAGU_FUZZ_EXAMPLES=30 tests/api/run.sh
# Needs: TSUNAGU_BIN (the debug binary test.sh builds) and schemathesis (pip; installed
# here when missing).
set -euo pipefail
cd "$(dirname "$0")"
BIN="${TSUNAGU_BIN:-../../target/debug/tsunagu}"
EXAMPLES="${TSUNAGU_FUZZ_EXAMPLES:-4}"
SEED="${TSUNAGU_FUZZ_SEED:-20261202}"
if ! command -v schemathesis >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check 'schemathesis>=4,<5'
fi
dir="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export TSUNAGU_PUBLIC_URL="http://127.0.0.1:$port"
export TSUNAGU_RATE_LOGIN_PER_MINUTE=100000 TSUNAGU_RATE_LOGIN_PER_ACCOUNT=100000 TSUNAGU_RATE_REGISTER_PER_HOUR=100000
"$BIN" --data-dir "$dir" demo >/dev/null
"$BIN" --data-dir "$dir" serve --listen "127.0.0.1:$port" 2>"$dir/server.log" &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 200); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done

# The demo employer is its company's admin and signs in with the demo authenticator's
# code (`tsunagu demo-code`; a seeker's sign-in ignores it).
token() {
  code="$("$BIN" --data-dir "$dir" demo-code | cut -c1-6)"
  curl -fs -H 'content-type: application/json' \
    -d "{\"email\": \"$1\", \"password\": \"tsunagu-demo-2026\", \"code\": \"$code\"}" \
    "http://127.0.0.1:$port/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

rc=0
for who in seeker employer; do
  printf '\n---- schemathesis as the demo %s (%s examples per operation, seed %s) ----\n' "$who" "$EXAMPLES" "$SEED"
  t="$(token "$who@demo.tsunagu.example")"
  # (filter_too_much, too_slow: the text patterns that refuse control characters make Hypothesis
  # discard many drawn strings; that is slowness in generation, not a finding.)
  # Signing out would end the token the rest of the run uses (sign-out is tested in the
  # Rust suite).
  SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$PWD" schemathesis run "http://127.0.0.1:$port/api/openapi.json" \
    -H "Authorization: Bearer $t" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,positive_data_accepted \
    --mode positive --phases examples,coverage,fuzzing \
    -n "$EXAMPLES" --seed "$SEED" --generation-database none \
    --exclude-path /api/v1/auth/logout \
    --suppress-health-check=filter_too_much,too_slow \
    --no-color --output-truncate false || rc=1
done
if [ "$rc" != 0 ]; then
  echo "schemathesis found failures (server log: last lines below)" >&2
  tail -n 20 "$dir/server.log" >&2
fi
exit "$rc"
