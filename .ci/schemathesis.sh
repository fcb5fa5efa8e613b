#!/usr/bin/env bash
# Fuzz the release server against its own OpenAPI document with Schemathesis.
# Needs the venv made by .ci/run. Optional env: SCHEMATHESIS_TOKEN (bearer token),
# SCHEMATHESIS_PORT (default: a free port), SCHEMATHESIS_MAX_EXAMPLES (default 50).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ST=.ci/.venv/bin/st
PY=.ci/.venv/bin/python
[[ -x $ST ]] || { echo "$ST missing: run bash .ci/run first (it creates the venv)" >&2; exit 1; }

SERVER_PORT=${SCHEMATHESIS_PORT:-}
# shellcheck source=.ci/release-server.sh
source .ci/release-server.sh
start_release_server

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
# Erasing or signing out the probing member (here or everywhere) would turn every later call into a 401:
# those two operations are covered by the integration tests instead.
# Without --url, requests go to the host:port the document was fetched from.
timeout 1200 "$ST" run "$base/api/v1/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance,unsupported_method,allow_header_conformance,ignored_auth \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-50}" \
  --request-timeout 10 \
  --generation-database none \
  --no-color \
  --exclude-operation-id deleteMe --exclude-operation-id logout --exclude-operation-id logoutEverywhere \
  "${auth[@]}"
