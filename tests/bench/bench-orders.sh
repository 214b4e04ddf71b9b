#!/usr/bin/env bash
# Load test: POST /v1/orders (test mode, offline sandbox provider) on finvex-server
# against a bare axum handler doing one INSERT (examples/bare_insert_baseline.rs),
# on SQLite and on Postgres, measured in the same run with the same wrk settings.
# Usage: tests/bench/bench-orders.sh [duration_secs] [connections]
#
# SQLite: each server gets its own fresh file in a temp dir.
# Postgres: both use the database in BENCH_POSTGRES_URL (default
#   postgres://postgres:finvex@127.0.0.1:5432/finvex_bench), which is DROPPED and
#   recreated every run (never point it at a database you care about); the
#   baseline writes to its own table there. When pg_isready gets no answer, the
#   Postgres part is skipped (exit 0), or fails with BENCH_REQUIRE_POSTGRES=1.
# BENCH_TARGET_DIR (default ./target) and BENCH_SKIP_BUILD=1 reuse binaries
# built elsewhere.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-10}"
CONNECTIONS="${2:-64}"
THREADS=1   # two cores: one for wrk, the rest for the server
TARGET_DIR="${BENCH_TARGET_DIR:-./target}"
PG_URL="${BENCH_POSTGRES_URL:-postgres://postgres:finvex@127.0.0.1:5432/finvex_bench}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  CARGO_TARGET_DIR="$TARGET_DIR" cargo build --release -q -p finvex-server \
    --bin finvex-server --example bare_insert_baseline
fi
FINVEX_BIN="$TARGET_DIR/release/finvex-server"
BARE_BIN="$TARGET_DIR/release/examples/bare_insert_baseline"

workdir="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$workdir"' EXIT

BODY='{"amount":50000,"currency":"INR","description":"Pro Plan","customer":{"name":"Anil Kumar","email":"anil@example.com","phone":"+919876543210"}}'

# Both servers get the same request bytes (the baseline ignores the key). No
# Idempotency-Key header: every request must create a new order.
write_lua() { # key file
  cat >"$2" <<EOF
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Finvex-Key"] = "$1"
wrk.headers["Idempotency-Key"] = nil
EOF
}

wait_for_post() { # url key log
  for _ in $(seq 1 100); do
    curl -sf -X POST "$1" -H "Content-Type: application/json" -H "X-Finvex-Key: $2" \
      -d "$BODY" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "no 2xx answer from POST $1:" >&2; cat "$3" >&2; exit 1
}

run() { # label lua url requests_file
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" -s "$2" "$3")"
  if grep -q "Non-2xx" <<<"$out"; then
    echo "$1: non-2xx responses in the run:" >&2; echo "$out" >&2; exit 1
  fi
  if grep -q "Socket errors" <<<"$out"; then echo "$1: $(grep "Socket errors" <<<"$out")" >&2; fi
  awk '/ requests in / {print $1}' <<<"$out" >"$4"
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}

# Rows in a table, or nothing when there is no client for the engine.
count_rows() { # database_url table
  case "$1" in
    sqlite://*) if command -v sqlite3 >/dev/null; then sqlite3 "${1#sqlite://}" "SELECT count(*) FROM $2"; fi ;;
    *) psql "$1" -qtAc "SELECT count(*) FROM $2" ;;
  esac
}

# Every completed request must have created an order (no idempotent replays).
check_rows() { # label database_url table requests_file
  local rows completed
  rows="$(count_rows "$2" "$3")"; completed="$(cat "$4")"
  [ -n "$rows" ] || return 0
  if [ "$rows" -lt "$completed" ]; then
    echo "$1: $completed requests completed but only $rows rows in $3" >&2; exit 1
  fi
}

bench_engine() { # engine label port_bare port_finvex bare_db finvex_db
  local engine="$1" label="$2" bare_port="$3" finvex_port="$4" bare_db="$5" finvex_db="$6"
  "$BARE_BIN" "127.0.0.1:$bare_port" "$bare_db" >"$workdir/bare-$engine.out" 2>&1 &
  local bare_pid=$!
  # A rate limit that never binds, so the benchmark measures the work, not 429s
  # (the limiter itself still runs on every request).
  FINVEX_LOG=warn FINVEX_RATE_LIMIT_PER_MINUTE=1000000000 \
    FINVEX_MASTER_KEY_FILE="$workdir/master-$engine.key" "$FINVEX_BIN" \
    --listen "127.0.0.1:$finvex_port" --database "$finvex_db" >"$workdir/finvex-$engine.out" 2>&1 &
  local finvex_pid=$!
  for _ in $(seq 1 100); do
    grep -q "export FINVEX_KEY" "$workdir/finvex-$engine.out" 2>/dev/null && break; sleep 0.2
  done
  local key
  key="$(sed -n "s/.*export FINVEX_KEY='\(.*\)'/\1/p" "$workdir/finvex-$engine.out")"
  [ -n "$key" ] || { cat "$workdir/finvex-$engine.out"; exit 1; }
  wait_for_post "http://127.0.0.1:$bare_port/v1/orders" "$key" "$workdir/bare-$engine.out"
  wait_for_post "http://127.0.0.1:$finvex_port/v1/orders" "$key" "$workdir/finvex-$engine.out"
  write_lua "$key" "$workdir/orders-$engine.lua"

  local bare finvex
  bare=$(run "bare ($engine)" "$workdir/orders-$engine.lua" \
    "http://127.0.0.1:$bare_port/v1/orders" "$workdir/bare-$engine.requests")
  finvex=$(run "finvex ($engine)" "$workdir/orders-$engine.lua" \
    "http://127.0.0.1:$finvex_port/v1/orders" "$workdir/finvex-$engine.requests")
  kill "$bare_pid" "$finvex_pid" 2>/dev/null || true
  wait "$bare_pid" "$finvex_pid" 2>/dev/null || true
  check_rows "bare ($engine)" "$bare_db" bare_orders "$workdir/bare-$engine.requests"
  check_rows "finvex ($engine)" "$finvex_db" orders "$workdir/finvex-$engine.requests"
  printf '%-48s %12s req/s\n' "bare axum handler, one INSERT ($label)" "$bare" \
    "finvex POST /v1/orders (sandbox, $label)" "$finvex"
  awk -v f="$finvex" -v b="$bare" -v l="$label" \
    'BEGIN { printf "ratio finvex/bare on %s: %.1f%% (goal >= 50%%)\n", l, 100 * f / b }'
}

echo "POST /v1/orders, ${DURATION}s, $CONNECTIONS connections, $THREADS wrk thread"
bench_engine sqlite SQLite 18091 18092 "sqlite://$workdir/bare.db" "sqlite://$workdir/finvex.db"

if ! command -v pg_isready >/dev/null || ! pg_isready -q -d "$PG_URL"; then
  echo "Postgres is not reachable at ${PG_URL#*@} (pg_isready); start one (e.g. .ci/start-postgres.sh, which drops finvex_test) or set BENCH_POSTGRES_URL." >&2
  if [ "${BENCH_REQUIRE_POSTGRES:-0}" = 1 ]; then exit 1; fi
  echo "Postgres part skipped." >&2
  exit 0
fi
# A fresh database every run: rows left from an earlier run must not weigh on this one.
pg_db="${PG_URL##*/}"; pg_db="${pg_db%%\?*}"
pg_admin_url="${PG_URL%/*}/postgres"
PGOPTIONS='-c client_min_messages=warning' psql "$pg_admin_url" -v ON_ERROR_STOP=1 -qtA \
  -c "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" -c "CREATE DATABASE \"$pg_db\"" >/dev/null
bench_engine postgres Postgres 18093 18094 "$PG_URL" "$PG_URL"
