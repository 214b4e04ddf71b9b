#!/usr/bin/env bash
# Load test: authenticated GET /v1/merchant on finvex-server (SQLite) against a
# bare axum JSON handler, measured in the same run with the same wrk settings.
# Usage: tests/bench/bench-http.sh [duration_secs] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-10}"
CONNECTIONS="${2:-64}"
THREADS=1   # two cores: one for wrk, the rest for the server
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -q -p finvex-server --bin finvex-server --example bare_baseline

workdir="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$workdir"' EXIT

./target/release/examples/bare_baseline 127.0.0.1:18081 &
# A rate limit that never binds, so the benchmark measures the work, not 429s
# (the limiter itself still runs on every request).
FINVEX_LOG=warn FINVEX_RATE_LIMIT_PER_MINUTE=1000000000 ./target/release/finvex-server \
  --listen 127.0.0.1:18082 --database "sqlite://$workdir/bench.db" >"$workdir/server.out" 2>&1 &
for _ in $(seq 1 50); do grep -q "export FINVEX_KEY" "$workdir/server.out" 2>/dev/null && break; sleep 0.2; done
KEY="$(sed -n "s/.*export FINVEX_KEY='\(.*\)'/\1/p" "$workdir/server.out")"
[ -n "$KEY" ] || { cat "$workdir/server.out"; exit 1; }
curl -sf http://127.0.0.1:18082/v1/merchant -H "X-Finvex-Key: $KEY" >/dev/null

run() {
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" "$@")"
  if grep -q "Non-2xx" <<<"$out"; then echo "non-2xx responses in the run:" >&2; echo "$out" >&2; exit 1; fi
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}
bare=$(run http://127.0.0.1:18081/v1/merchant)
finvex=$(run -H "X-Finvex-Key: $KEY" http://127.0.0.1:18082/v1/merchant)
printf '%-40s %12s req/s\n' "bare axum JSON handler" "$bare" "finvex GET /v1/merchant (API key, SQLite)" "$finvex"
awk -v f="$finvex" -v b="$bare" 'BEGIN { printf "ratio finvex/bare: %.1f%% (goal >= 50%%)\n", 100 * f / b }'
