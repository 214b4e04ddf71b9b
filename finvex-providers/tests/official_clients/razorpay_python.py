"""Razorpay's official Python client (PyPI `razorpay`) against our Razorpay
contract fake: the calls Finvex's flows rely on, and the client's own error
handling. Run by finvex-providers/tests/razorpay_contract.rs with
BASE_URL KEY_ID KEY_SECRET ORDER_ID PAYMENT_ID SIGNATURE; exits non-zero on
the first mismatch."""
import sys

import razorpay
from razorpay.errors import BadRequestError, SignatureVerificationError

base_url, key_id, key_secret, order_id, payment_id, signature = sys.argv[1:7]
client = razorpay.Client(auth=(key_id, key_secret), base_url=base_url)

created = client.order.create({"amount": 50000, "currency": "INR", "receipt": "rcpt-python-1"})
assert created["id"].startswith("order_") and created["status"] == "created", created
fetched = client.order.fetch(order_id)
assert fetched["id"] == order_id and fetched["status"] == "paid", fetched
listed = client.order.all({"count": 10})
assert listed["entity"] == "collection", listed
assert {order_id, created["id"]} <= {o["id"] for o in listed["items"]}, listed
payments = client.order.payments(order_id)
assert [p["id"] for p in payments["items"]] == [payment_id], payments
payment = client.payment.fetch(payment_id)
assert payment["status"] == "captured" and payment["order_id"] == order_id, payment

client.utility.verify_payment_signature(
    {"razorpay_order_id": order_id, "razorpay_payment_id": payment_id, "razorpay_signature": signature}
)
try:
    client.utility.verify_payment_signature(
        {"razorpay_order_id": order_id, "razorpay_payment_id": payment_id, "razorpay_signature": "0" * 64}
    )
    raise AssertionError("a wrong signature verified")
except SignatureVerificationError:
    pass

refund = client.payment.refund(payment_id, {"amount": 1000})
assert refund["id"].startswith("rfnd_") and refund["amount"] == 1000, refund
assert client.refund.fetch(refund["id"])["payment_id"] == payment_id

for call in (lambda: client.order.fetch("order_DoesNotExist01"), lambda: client.order.all({"count": 0})):
    try:
        call()
        raise AssertionError("an error was not raised")
    except BadRequestError as e:
        assert str(e), "the error carries Razorpay's description"

print("official razorpay client: ok")
