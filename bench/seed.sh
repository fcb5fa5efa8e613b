#!/usr/bin/env bash
# Seeds the freshly started server for the benchmark: registers the bench
# member (its credentials are in bodies/login.json) and writes its access token
# to $WORK/token, which bench/run sends on every request.
# Called as: bash seed.sh BASE_URL DATABASE_URL (with WORK set).
set -euo pipefail
base_url=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

credentials=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["display_name"]="Bench"; print(json.dumps(d))' \
  "$here/bodies/login.json")
curl -fsS -H 'Content-Type: application/json' -d "$credentials" "$base_url/api/v1/auth/register" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])' >"$WORK/token"
