# Sourced by the CI scripts that probe a release server: builds it, starts it on a
# fresh SQLite file and a free port, waits until it is ready, and stops it on exit.
# Sets: base (http://127.0.0.1:PORT), tmp (a scratch folder), db_url, server_pid.
# Optional env: SERVER_PORT (default: a free port). Needs python3 (for the free port).

cargo build --release -p api

tmp=$(mktemp -d)
log=$tmp/server.log
db_url="sqlite://$tmp/ci.db?mode=rwc"
port=${SERVER_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
base=http://127.0.0.1:$port
server_pid=

# On exit: SIGTERM the server (SIGKILL after 10 s), show its log if anything failed, clean up.
stop_release_server() {
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
trap stop_release_server EXIT

# The database is created, migrated and seeded before the server starts, so that
# the caller may add accounts with `tremplin create-user` against "$db_url" first.
DATABASE_URL="$db_url" target/release/tremplin migrate </dev/null >"$log" 2>&1

start_release_server() {
  DATABASE_URL="$db_url" TREMPLIN_BIND="127.0.0.1:$port" TREMPLIN_LOG_FORMAT=json \
    target/release/tremplin serve </dev/null >>"$log" 2>&1 &
  server_pid=$!
  local i
  for i in $(seq 60); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready") == 200 ]] && break
    if ! kill -0 "$server_pid" 2>/dev/null || ((i == 60)); then
      echo "server did not become ready on $base within 60 s" >&2
      return 1
    fi
    sleep 1
  done
  echo "server ready on $base"
}
