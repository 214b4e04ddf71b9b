#!/usr/bin/env bash
# The README quickstart, end to end, against a running finvex-server.
# Usage: FINVEX_KEY='finvex_test_…' examples/curl/quickstart.sh [base_url]
set -euo pipefail
BASE="${1:-http://127.0.0.1:8080}"
: "${FINVEX_KEY:?export FINVEX_KEY with the key the server printed on first start}"

echo "== the demo merchant"
curl -sf "$BASE/v1/merchant" -H "X-Finvex-Key: $FINVEX_KEY"; echo

echo "== a wrong key is refused (401)"
curl -s -o /dev/null -w '%{http_code}\n' "$BASE/v1/merchant" -H "X-Finvex-Key: finvex_test_wrong:key"

email="founder+$(date +%s)@acme.in"
echo "== sign up $email"
TOKEN=$(curl -sf -X POST "$BASE/v1/auth/signup" -d "{\"name\":\"Acme\",\"email\":\"$email\",\"password\":\"a long password\"}" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["session"]["token"])')

echo "== create a key (twice with one Idempotency-Key: one key, same answer)"
first=$(curl -sf -X POST "$BASE/v1/keys" -H "Authorization: Bearer $TOKEN" -H "Idempotency-Key: qs-$email" -d '{"name":"backend"}')
again=$(curl -sf -X POST "$BASE/v1/keys" -H "Authorization: Bearer $TOKEN" -H "Idempotency-Key: qs-$email" -d '{"name":"backend"}')
[ "$first" = "$again" ] && echo "replayed identically"
KEY=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["secret_key"])' "$first")
curl -sf "$BASE/v1/merchant" -H "X-Finvex-Key: $KEY"; echo
curl -sf "$BASE/v1/keys" -H "Authorization: Bearer $TOKEN"; echo
