#!/usr/bin/env bash
# The TypeScript client (clients/typescript): installs its pinned packages, checks
# that its generated types match openapi/openapi.json, compiles it and its example
# under `tsc --strict`, then runs examples/journey.ts against a release server on a
# fresh SQLite file (with a facilitator made by `tremplin create-user`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

client=clients/typescript
(cd "$client" && npm ci --no-audit --no-fund && npm run -s check-drift && npm run -s build)

# shellcheck source=.ci/release-server.sh
source .ci/release-server.sh
facilitator_password="ci-anim-$RANDOM$RANDOM"
DATABASE_URL="$db_url" TREMPLIN_NEW_USER_PASSWORD="$facilitator_password" target/release/tremplin create-user \
  --email ci-anim@example.org --role facilitator --display-name "Anim CI" </dev/null
start_release_server

(cd "$client" && TREMPLIN_URL="$base" TREMPLIN_FACILITATOR_EMAIL=ci-anim@example.org \
  TREMPLIN_FACILITATOR_PASSWORD="$facilitator_password" npm run -s journey)
