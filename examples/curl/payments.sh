#!/usr/bin/env bash
# The seed's Integration Guide, steps 2-4, with curl and the offline sandbox.
# Usage: FINVEX_KEY='finvex_test_…' examples/curl/payments.sh [base_url]
set -euo pipefail
BASE="${1:-http://127.0.0.1:8080}"
: "${FINVEX_KEY:?export FINVEX_KEY with a test key}"
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

echo "== step 2: create an order"
ORDER=$(curl -sf -X POST "$BASE/v1/orders" -H "X-Finvex-Key: $FINVEX_KEY" -H "Content-Type: application/json" \
  -d '{"amount":50000,"currency":"INR","description":"Pro Plan","customer":{"name":"Anil Kumar","email":"anil@example.com","phone":"+919876543210"}}')
ORDER_ID=$(echo "$ORDER" | json '["id"]')
echo "$ORDER_ID routed to $(echo "$ORDER" | json '["routing"]["provider"]')"

echo "== step 3: the customer pays (sandbox checkout, test instrument success@finvex)"
PAID=$(curl -sf -X POST "$BASE/v1/sandbox/orders/$ORDER_ID/pay" -H "X-Finvex-Key: $FINVEX_KEY" -d '{"instrument":"success@finvex"}')
PAYMENT_ID=$(echo "$PAID" | json '["payment_id"]')
SIGNATURE=$(echo "$PAID" | json '["signature"]')

echo "== step 4: verify on the server"
VERIFIED=$(curl -sf -X POST "$BASE/v1/orders/$ORDER_ID/verify" -H "X-Finvex-Key: $FINVEX_KEY" \
  -d "{\"payment_id\":\"$PAYMENT_ID\",\"signature\":\"$SIGNATURE\"}")
echo "verified: $(echo "$VERIFIED" | json '["verified"]')"
FINVEX_PAYMENT=$(echo "$VERIFIED" | json '["payment"]["id"]')

echo "== refund Rs 200 of it"
curl -sf -X POST "$BASE/v1/payments/$FINVEX_PAYMENT/refund" -H "X-Finvex-Key: $FINVEX_KEY" -H "Idempotency-Key: refund-$FINVEX_PAYMENT" \
  -d '{"amount":20000}'; echo
curl -sf "$BASE/v1/orders/$ORDER_ID" -H "X-Finvex-Key: $FINVEX_KEY"; echo
