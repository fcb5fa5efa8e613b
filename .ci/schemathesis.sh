#!/usr/bin/env bash
# Fuzz the release server against its own OpenAPI document with Schemathesis.
# Needs the venv made by .ci/run. Optional env: SCHEMATHESIS_TOKEN (bearer token),
# SCHEMATHESIS_PORT (default: a free port), SCHEMATHESIS_MAX_EXAMPLES (default 50).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ST=.ci/.venv/bin/st
PY=.ci/.venv/bin/python
[[ -x $ST ]] || { echo "$ST missing: run bash .ci/run first (it creates the venv)" >&2; exit 1; }

cargo build --release -p api

tmp=$(mktemp -d)
log=$tmp/server.log
port=${SCHEMATHESIS_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
base=http://127.0.0.1:$port
server_pid=

# On exit: SIGTERM the server (SIGKILL after 10 s), show its log if anything failed, clean up.
cleanup() {
  local rc=$?
  if [[ -n $server_pid ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 20); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  if ((rc != 0)) && [[ -s $log ]]; then
    echo "---- server log (last 200 lines) ----"
    tail -n 200 "$log"
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

DATABASE_URL="sqlite://$tmp/ci.db?mode=rwc" TREMPLIN_BIND="127.0.0.1:$port" TREMPLIN_LOG_FORMAT=json \
  target/release/tremplin serve </dev/null >"$log" 2>&1 &
server_pid=$!

for i in $(seq 60); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready") == 200 ]] && break
  if ! kill -0 "$server_pid" 2>/dev/null || ((i == 60)); then
    echo "server did not become ready on $base within 60 s" >&2
    exit 1
  fi
  sleep 1
done
echo "server ready on $base"

# Authenticated routes are probed as a member: register a throwaway member and print
# its access token (prints nothing if the document has no registration route).
member_token() {
  curl -fsS "$base/api/v1/openapi.json" |
    "$PY" -c 'import json, sys; sys.exit("/api/v1/auth/register" not in json.load(sys.stdin)["paths"])' ||
    return 0
  curl -fsS -H 'Content-Type: application/json' \
    -d "{\"email\": \"ci-$RANDOM$RANDOM@example.com\", \"password\": \"ci-pass-$RANDOM$RANDOM\", \"display_name\": \"CI\"}" \
    "$base/api/v1/auth/register" |
    "$PY" -c 'import json, sys; print(json.load(sys.stdin)["access_token"])'
}

token=${SCHEMATHESIS_TOKEN:-$(member_token)}
auth=()
if [[ -n $token ]]; then auth=(--header "Authorization: Bearer $token"); fi

# `timeout` is only a safety net against a hang; --max-examples bounds the normal run.
# Erasing or signing out the probing member would turn every later call into a 401:
# those two operations are covered by the integration tests instead.
# Without --url, requests go to the host:port the document was fetched from.
timeout 1200 "$ST" run "$base/api/v1/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-50}" \
  --request-timeout 10 \
  --generation-database none \
  --no-color \
  --exclude-operation-id deleteMe --exclude-operation-id logout \
  "${auth[@]}"
