#!/usr/bin/env bash
# GST with curl: a calculation (the seed's body), a tax invoice and its PDF,
# last month's GSTR-1 filed, a correction reported as an amendment, and the
# customers and plans the recurring areas bill.
# Usage: FINVEX_KEY='finvex_test_…' examples/curl/gst.sh [base_url]
set -euo pipefail
BASE="${1:-http://127.0.0.1:8080}"
: "${FINVEX_KEY:?export FINVEX_KEY with a test key}"
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
api() { curl -sf -H "X-Finvex-Key: $FINVEX_KEY" -H "Content-Type: application/json" "$@"; }
# Last month and this month in India: a filed month must be over.
LAST=$(TZ=Asia/Kolkata date -d "$(TZ=Asia/Kolkata date +%Y-%m-01) -1 day" +%Y-%m)
THIS=$(TZ=Asia/Kolkata date +%Y-%m)
SELLER=29AAFCC9980M1ZR

echo "== calculate GST (the seed's body)"
api -X POST "$BASE/v1/gst/calculate" -d '{"amount":100000,"hsn_code":"998316","seller_state":"KA","buyer_state":"MH"}' \
  | json '["igst_paise"]'

echo "== a tax invoice dated $LAST-15, with an exempt line"
INVOICE=$(api -X POST "$BASE/v1/gst/invoices" -d "{\"date\":\"$LAST-15\",\"seller_gstin\":\"$SELLER\",
  \"seller\":{\"legal_name\":\"Acme Pvt Ltd\",\"address1\":\"1 MG Road\",\"location\":\"Bengaluru\",\"pin\":560001},
  \"buyer_gstin\":\"27AAPFU0939F1ZV\",
  \"buyer\":{\"legal_name\":\"Buyer Co\",\"address1\":\"2 Marine Drive\",\"location\":\"Mumbai\",\"pin\":400001},
  \"lines\":[{\"description\":\"SaaS subscription\",\"hsn_code\":\"998316\",\"unit_price\":100000},
             {\"description\":\"Training\",\"hsn_code\":\"999293\",\"unit_price\":20000,\"treatment\":\"exempt\"}]}")
INVOICE_ID=$(echo "$INVOICE" | json '["id"]')
echo "$(echo "$INVOICE" | json '["number"]'): total $(echo "$INVOICE" | json '["total_paise"]') paise"

echo "== its PDF"
PDF=$(mktemp --suffix=.pdf)
api "$BASE/v1/gst/invoices/$INVOICE_ID?format=pdf" -o "$PDF"
head -c 5 "$PDF"; echo " ($(wc -c <"$PDF") bytes in $PDF)"

echo "== $LAST's GSTR-1 (b2b, nil, hsn, doc_issue)"
api "$BASE/v1/gst/gstr1?month=$LAST&gstin=$SELLER" | json '["nil"]'

echo "== mark $LAST filed"
api -X POST "$BASE/v1/gst/gstr1/filed" -d "{\"month\":\"$LAST\",\"gstin\":\"$SELLER\"}" | json '["filed_at"]'

echo "== correct the invoice: an amendment in $THIS's return"
api -X POST "$BASE/v1/gst/invoices/$INVOICE_ID/corrections" \
  -d '{"lines":[{"hsn_code":"998316","unit_price":110000},{"hsn_code":"999293","unit_price":20000,"treatment":"exempt"}]}' \
  | json '["reported_as"]'
api "$BASE/v1/gst/gstr1?month=$THIS&gstin=$SELLER" | json '["b2ba"][0]["inv"][0]["oinum"]'

echo "== a customer and the seed's plan"
api -X POST "$BASE/v1/customers" -d "{\"name\":\"Asha Rao\",\"email\":\"asha+$(date +%s%N)@example.in\"}" | json '["id"]'
PLAN=$(api -X POST "$BASE/v1/plans" -d '{"name":"Pro","amount":99900,"interval":"monthly"}')
echo "$(echo "$PLAN" | json '["id"]'): $(echo "$PLAN" | json '["amount"]') paise $(echo "$PLAN" | json '["interval"]')"
