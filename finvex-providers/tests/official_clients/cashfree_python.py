"""Cashfree's official Python SDK (PyPI `cashfree-pg`) against our Cashfree
contract fake. The SDK has its hosts written into every call, so its
`Configuration` is pointed at the fake; everything else is the SDK's own:
request building, headers, response models (strict pydantic) and errors.
Run by finvex-providers/tests/cashfree_contract.rs with
BASE_URL CLIENT_ID CLIENT_SECRET PAID_ORDER_ID."""
import sys

import cashfree_pg.api_client as api_client
from cashfree_pg.configuration import Configuration

base_url, client_id, client_secret, paid_order_id = sys.argv[1:5]


class FakeHost(Configuration):
    def __init__(self, host=None, *args, **kwargs):
        super().__init__(base_url, *args, **kwargs)


api_client.Configuration = FakeHost

from cashfree_pg.api_client import Cashfree  # noqa: E402
from cashfree_pg.exceptions import ApiException  # noqa: E402
from cashfree_pg.models.create_order_request import CreateOrderRequest  # noqa: E402
from cashfree_pg.models.customer_details import CustomerDetails  # noqa: E402
from cashfree_pg.models.order_create_refund_request import OrderCreateRefundRequest  # noqa: E402

cf = Cashfree(XEnvironment=Cashfree.SANDBOX, XClientId=client_id, XClientSecret=client_secret)

created = cf.PGCreateOrder(
    CreateOrderRequest(
        order_amount=500.0,
        order_currency="INR",
        customer_details=CustomerDetails(customer_id="cust_1", customer_phone="9876543210"),
    )
).data
assert created.order_status == "ACTIVE", created
assert created.payment_session_id, created
fetched = cf.PGFetchOrder(created.order_id).data
assert fetched.order_id == created.order_id and fetched.order_amount == 500.0, fetched

paid = cf.PGFetchOrder(paid_order_id).data
assert paid.order_status == "PAID", paid
payments = cf.PGOrderFetchPayments(paid_order_id).data
assert len(payments) == 1 and payments[0].payment_status == "SUCCESS", payments
refund = cf.PGOrderCreateRefund(
    paid_order_id, OrderCreateRefundRequest(refund_amount=10.0, refund_id="refund_python_1")
).data
assert refund.refund_id == "refund_python_1" and refund.refund_amount == 10.0, refund

try:
    cf.PGFetchOrder("order_that_does_not_exist")
    raise AssertionError("no error for a missing order")
except ApiException as e:
    assert e.status == 404, e

print("official cashfree client: ok")
