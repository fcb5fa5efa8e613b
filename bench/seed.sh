#!/usr/bin/env bash
# Seeds the freshly started server for the benchmark, then writes what the
# endpoints need: the bench member's access token ($WORK/token) and the ids the
# endpoint lines use as {NAME} placeholders ($WORK/vars).
# Called as: bash seed.sh BASE_URL DATABASE_URL (with WORK set).
set -euo pipefail
base_url=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

credentials=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["display_name"]="Bench"; print(json.dumps(d))' \
  "$here/bodies/login.json")
token=$(curl -fsS -H 'Content-Type: application/json' -d "$credentials" "$base_url/api/v1/auth/register" | json '["access_token"]')
printf '%s' "$token" >"$WORK/token"

# Volume: 20 000 members, 200 published lessons of 10 exercises, and 2 000 review
# states for the bench member (BENCH_MEMBERS, BENCH_LESSONS, BENCH_REVIEWS), plus
# what the other programmes seed (see api/examples/bench_seed.rs).
BENCH_MEMBER_EMAIL=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["email"])' "$here/bodies/login.json") \
  "${CARGO_TARGET_DIR:-$root/target}/release/examples/bench_seed" >"$WORK/vars"

lesson=$(grep '^LESSON_ID=' "$WORK/vars" | cut -d= -f2)
attempt=$(curl -fsS -X POST -H "Authorization: Bearer $token" "$base_url/api/v1/lessons/$lesson/attempts" | json '["id"]')
echo "ATTEMPT_ID=$attempt" >>"$WORK/vars"

# Enchanté: the bench member asks for a mentor in digcomp.1.1 among the 10 000
# accepting mentors seeded by bench_seed (BENCH_MENTORS), with weekly slots.
skill=$(curl -fsS "$base_url/api/v1/skills?q=digcomp.1.1" | json '["items"][0]["id"]')
curl -fsS -X PUT -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"timezone":"Europe/Paris","slots":[{"weekday":1,"start":"18:00","end":"20:00"},{"weekday":3,"start":"10:00","end":"12:00"}]}' \
  "$base_url/api/v1/me/availability" >/dev/null
request=$(curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"skill_id\":\"$skill\",\"message\":\"Je voudrais apprendre.\",\"modalities\":[\"remote\",\"in_person\"],\"languages\":[\"fr\"],\"postcode\":\"93800\"}" \
  "$base_url/api/v1/match-requests" | json '["id"]')
echo "MATCH_REQUEST_ID=$request" >>"$WORK/vars"
