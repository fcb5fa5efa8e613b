#!/usr/bin/env bash
# Extra measurements a fixed-request load generator cannot make, run by
# bench/run after the endpoints of each database. Prints table rows
# (`| db | name | req/s | p50 ms | p99 ms | non-2xx | peak RSS MiB |`) on stdout.
# Called as: bash extra.sh BASE_URL DATABASE_URL, with WORK, BENCH_DB,
# BENCH_DURATION, BENCH_CONCURRENCY and BENCH_SERVER_PID set.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
export BENCH_BASE_URL=$1 DATABASE_URL=$2

# Impose-toi !: real enrolments (each a new member/session pair), all on one
# 20-seat session (every writer contends for its lock), then spread over the
# seeded first-module sessions.
for mode in one many; do
  BENCH_MODE=$mode "${CARGO_TARGET_DIR:-$root/target}/release/examples/bench_enrol"
done
