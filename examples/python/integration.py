"""The seed's Integration Guide against a local finvex-server, standard library only.

Usage: FINVEX_KEY='finvex_test_...' python3 examples/python/integration.py [base_url]
"""
import hashlib
import hmac
import json
import os
import sys
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
KEY = os.environ["FINVEX_KEY"]


def finvex(method, path, body=None):
    request = urllib.request.Request(
        BASE + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"X-Finvex-Key": KEY, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def verify_webhook(raw_body: bytes, signature: str, secret: str) -> bool:
    """Step 5: X-Finvex-Signature is sha256=<hex HMAC-SHA256 of the raw body>."""
    expected = "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def verify_checkout(provider_order_id: str, payment_id: str, signature: str, key_secret: str) -> bool:
    """Step 3 on your server: hex HMAC-SHA256 of "provider_order_id|payment_id"
    under the key secret, as with Razorpay (the sandbox's is this merchant's own)."""
    message = f"{provider_order_id}|{payment_id}".encode()
    expected = hmac.new(key_secret.encode(), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


order = finvex("POST", "/v1/orders", {"amount": 50000, "currency": "INR", "description": "Pro Plan"})
print("order", order["id"], "via", order["routing"]["provider"])
paid = finvex("POST", f"/v1/sandbox/orders/{order['id']}/pay", {"instrument": "success@finvex"})
if order["provider"] == "sandbox":
    key_secret = finvex("GET", "/v1/sandbox/credentials")["key_secret"]
    assert verify_checkout(order["provider_order_id"], paid["payment_id"], paid["signature"], key_secret)
    assert not verify_checkout(order["provider_order_id"], paid["payment_id"], paid["signature"], key_secret + "x")
    print("checkout signature verified locally")
result = finvex("POST", f"/v1/orders/{order['id']}/verify", {"payment_id": paid["payment_id"], "signature": paid["signature"]})
assert result["verified"], result
print("verified; fulfil order", order["id"], "payment", result["payment"]["id"])

body = json.dumps({"id": "evt_demo", "event": "payment.captured"}).encode()
header = "sha256=" + hmac.new(b"whsec_demo", body, hashlib.sha256).hexdigest()
print("webhook signature check:", verify_webhook(body, header, "whsec_demo"))
