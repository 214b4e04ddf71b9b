"""Every endpoint the client calls, in one table, and the resources built on it.

``ENDPOINTS`` maps each client method (``"orders.create"``) to its HTTP method,
path template (as the server's route files spell it, ``/v1/orders/{id}``) and
who may call it. Tests compare it with the server's routes (or, later,
``/v1/openapi.json``); :func:`routes` gives the ``{(method, path)}`` set.

Methods take the JSON body (POST, PUT) or the query (GET, DELETE) as keyword
arguments and path ids positionally: ``client.orders.create(amount=50000)``,
``client.payments.refund(payment_id, amount=10000)``. Every POST also takes
``idempotency_key=`` (one is generated when it is not given).
"""

from __future__ import annotations

from typing import (
    TYPE_CHECKING,
    Any,
    Dict,
    FrozenSet,
    Iterator,
    Mapping,
    NamedTuple,
    Optional,
    Tuple,
    Union,
    cast,
)

from ._object import FinvexObject, ListObject, walk

if TYPE_CHECKING:  # pragma: no cover
    from ._client import Client

__all__ = ["Endpoint", "ENDPOINTS", "endpoint", "routes"]

# Who may call an endpoint (docs/API.md's "auth" column; the route files' ``Access``).
PUBLIC = "none"  # Access::Public
MERCHANT = "key or session"  # Access::Merchant
DASHBOARD = "session"  # Access::Dashboard
CHECKOUT = "publishable key, key or session"  # Access::Checkout
ADMIN = "admin session"  # Access::Admin
PORTAL = "portal session"  # Access::Portal


class Endpoint(NamedTuple):
    name: str
    """The client method, ``resource[.sub].method``."""
    method: str
    """``GET``, ``POST``, ``PUT`` or ``DELETE``."""
    path: str
    """The path template, placeholders in braces, filled from positional arguments in order."""
    access: str
    """Who may call it (``none``, ``key or session``, ``session``, ...)."""
    query: Optional[Tuple[Tuple[str, str], ...]] = None
    """Fixed query parameters (``gst.invoices.einvoice`` is ``?format=einvoice``)."""


_TABLE: Tuple[Endpoint, ...] = (
    # auth.rs
    Endpoint("auth.signup", "POST", "/v1/auth/signup", PUBLIC),
    Endpoint("auth.login", "POST", "/v1/auth/login", PUBLIC),
    # merchant.rs
    Endpoint("merchant.retrieve", "GET", "/v1/merchant", MERCHANT),
    # keys.rs
    Endpoint("keys.create", "POST", "/v1/keys", DASHBOARD),
    Endpoint("keys.list", "GET", "/v1/keys", DASHBOARD),
    Endpoint("keys.revoke", "DELETE", "/v1/keys/{id}", DASHBOARD),
    # webhooks.rs
    Endpoint("webhooks.create", "POST", "/v1/webhooks", MERCHANT),
    Endpoint("webhooks.list", "GET", "/v1/webhooks", MERCHANT),
    Endpoint("webhooks.delete", "DELETE", "/v1/webhooks/{id}", MERCHANT),
    Endpoint("webhooks.test", "POST", "/v1/webhooks/{id}/test", MERCHANT),
    Endpoint("webhooks.rotate_secret", "POST", "/v1/webhooks/{id}/rotate-secret", MERCHANT),
    Endpoint("webhooks.deliveries.list", "GET", "/v1/webhooks/{id}/deliveries", MERCHANT),
    Endpoint(
        "webhooks.deliveries.retrieve",
        "GET",
        "/v1/webhooks/{id}/deliveries/{delivery_id}",
        MERCHANT,
    ),
    Endpoint(
        "webhooks.deliveries.retry",
        "POST",
        "/v1/webhooks/{id}/deliveries/{delivery_id}/retry",
        MERCHANT,
    ),
    # events.rs
    Endpoint("events.list", "GET", "/v1/events", MERCHANT),
    Endpoint("events.types", "GET", "/v1/events/types", MERCHANT),
    Endpoint("events.retrieve", "GET", "/v1/events/{id}", MERCHANT),
    # orders.rs
    Endpoint("orders.create", "POST", "/v1/orders", MERCHANT),
    Endpoint("orders.list", "GET", "/v1/orders", MERCHANT),
    Endpoint("orders.retrieve", "GET", "/v1/orders/{id}", MERCHANT),
    # payments.rs
    Endpoint("orders.verify", "POST", "/v1/orders/{id}/verify", MERCHANT),
    Endpoint("checkout_sessions.create", "POST", "/v1/checkout/sessions", CHECKOUT),
    Endpoint("sandbox.pay", "POST", "/v1/sandbox/orders/{id}/pay", MERCHANT),
    Endpoint("payments.list", "GET", "/v1/payments", MERCHANT),
    Endpoint("payments.retrieve", "GET", "/v1/payments/{id}", MERCHANT),
    Endpoint("payments.capture", "POST", "/v1/payments/{id}/capture", MERCHANT),
    # refunds.rs
    Endpoint("payments.refund", "POST", "/v1/payments/{id}/refund", MERCHANT),
    Endpoint("refunds.list", "GET", "/v1/refunds", MERCHANT),
    Endpoint("refunds.retrieve", "GET", "/v1/refunds/{id}", MERCHANT),
    # routing.rs
    Endpoint("routing.retrieve_rules", "GET", "/v1/routing/rules", MERCHANT),
    Endpoint("routing.update_rules", "PUT", "/v1/routing/rules", MERCHANT),
    # providers.rs (the provider-signed webhook receivers are not the client's)
    Endpoint("providers.list_credentials", "GET", "/v1/providers/credentials", MERCHANT),
    Endpoint("providers.set_credentials", "PUT", "/v1/providers/{provider}/credentials", DASHBOARD),
    Endpoint(
        "providers.delete_credentials", "DELETE", "/v1/providers/{provider}/credentials", DASHBOARD
    ),
    Endpoint("sandbox.credentials", "GET", "/v1/sandbox/credentials", MERCHANT),
    # customers.rs
    Endpoint("customers.create", "POST", "/v1/customers", MERCHANT),
    Endpoint("customers.list", "GET", "/v1/customers", MERCHANT),
    Endpoint("customers.retrieve", "GET", "/v1/customers/{id}", MERCHANT),
    # plans.rs
    Endpoint("plans.create", "POST", "/v1/plans", MERCHANT),
    Endpoint("plans.list", "GET", "/v1/plans", MERCHANT),
    Endpoint("plans.retrieve", "GET", "/v1/plans/{id}", MERCHANT),
    Endpoint("plans.archive", "POST", "/v1/plans/{id}/archive", MERCHANT),
    # settlements.rs
    Endpoint("settlements.list", "GET", "/v1/settlements", MERCHANT),
    Endpoint("settlements.sync", "POST", "/v1/settlements/sync", MERCHANT),
    Endpoint("settlements.retrieve", "GET", "/v1/settlements/{id}", MERCHANT),
    # gst.rs
    Endpoint("gst.calculate", "POST", "/v1/gst/calculate", MERCHANT),
    Endpoint("gst.hsn_lookup", "GET", "/v1/gst/hsn-lookup", MERCHANT),
    Endpoint("gst.invoices.create", "POST", "/v1/gst/invoices", MERCHANT),
    Endpoint("gst.invoices.list", "GET", "/v1/gst/invoices", MERCHANT),
    Endpoint("gst.invoices.retrieve", "GET", "/v1/gst/invoices/{id}", MERCHANT),
    Endpoint(
        "gst.invoices.einvoice",
        "GET",
        "/v1/gst/invoices/{id}",
        MERCHANT,
        (("format", "einvoice"),),
    ),
    Endpoint(
        "gst.invoices.pdf",
        "GET",
        "/v1/gst/invoices/{id}",
        MERCHANT,
        (("format", "pdf"),),
    ),
    Endpoint("gst.invoices.submit_irn", "POST", "/v1/gst/invoices/{id}/irn", MERCHANT),
    Endpoint("gst.invoices.cancel_irn", "POST", "/v1/gst/invoices/{id}/irn/cancel", MERCHANT),
    Endpoint("gst.gstr1", "GET", "/v1/gst/gstr1", MERCHANT),
    Endpoint("gst.file_gstr1", "POST", "/v1/gst/gstr1/filed", MERCHANT),
    Endpoint(
        "gst.invoices.correct", "POST", "/v1/gst/invoices/{id}/corrections", MERCHANT
    ),
    Endpoint("gst.settings.retrieve", "GET", "/v1/gst/settings", MERCHANT),
    Endpoint("gst.settings.update", "PUT", "/v1/gst/settings", MERCHANT),
    # jobs.rs
    Endpoint("jobs.list", "GET", "/v1/jobs", MERCHANT),
    Endpoint("jobs.retrieve", "GET", "/v1/jobs/{id}", MERCHANT),
    # portal.rs
    Endpoint("portal_sessions.create", "POST", "/v1/portal/sessions", MERCHANT),
    Endpoint("portal_sessions.current", "GET", "/v1/portal/session", PORTAL),
    # admin.rs (an operator's admin session; not a merchant's)
    Endpoint("admin.login", "POST", "/v1/admin/login", PUBLIC),
    Endpoint("admin.merchants.list", "GET", "/v1/admin/merchants", ADMIN),
    Endpoint("admin.merchants.verify", "POST", "/v1/admin/merchants/{id}/verify", ADMIN),
)

ENDPOINTS: Mapping[str, Endpoint] = {e.name: e for e in _TABLE}
"""Every client method's endpoint, by method name (``"orders.create"``)."""


def endpoint(name: str) -> Endpoint:
    """The endpoint behind a client method, e.g. ``endpoint("orders.create")``."""
    return ENDPOINTS[name]


def routes(*, access: Optional[Union[str, Tuple[str, ...]]] = None) -> FrozenSet[Tuple[str, str]]:
    """``{(method, path_template)}`` of the table, optionally only for some ``access`` values."""
    wanted = (access,) if isinstance(access, str) else access
    return frozenset(
        (e.method, e.path) for e in _TABLE if wanted is None or e.access in wanted
    )


Result = FinvexObject


class _Resource:
    """A group of endpoints; calls go through the owning client."""

    _client: "Client"

    def __init__(self, client: "Client") -> None:
        self._client = client

    def _call(
        self,
        name: str,
        *ids: str,
        idempotency_key: Optional[str] = None,
        params: Optional[Dict[str, Any]] = None,
    ) -> FinvexObject:
        """An endpoint that answers a JSON object."""
        return cast(
            FinvexObject,
            self._call_any(name, *ids, idempotency_key=idempotency_key, params=params),
        )

    def _call_any(
        self,
        name: str,
        *ids: str,
        idempotency_key: Optional[str] = None,
        params: Optional[Dict[str, Any]] = None,
    ) -> Any:
        """An endpoint that may answer something else (text, or nothing)."""
        result = self._client._call_endpoint(
            ENDPOINTS[name], ids, params or {}, idempotency_key=idempotency_key
        )
        if isinstance(result, ListObject):
            # ``collection.auto_paging_iter()`` fetches the next pages the same way.
            object.__setattr__(
                result,
                "_fetch",
                lambda **p: self._client._call_endpoint(ENDPOINTS[name], ids, p),
            )
            object.__setattr__(result, "_params", dict(params or {}))
        return result

    def _walk(
        self, name: str, *ids: str, limit: Optional[int], params: Dict[str, Any]
    ) -> Iterator[Any]:
        def fetch(**p: Any) -> ListObject:
            page = self._client._call_endpoint(ENDPOINTS[name], ids, p)
            if not isinstance(page, ListObject):
                raise TypeError(f"{name} did not answer a collection")
            return page

        return walk(fetch, params, limit=limit)


class _Listable(_Resource):
    """``list``, plus ``list_all`` / ``auto_paging_iter`` over every page."""

    _list = ""

    def list(self, **params: Any) -> ListObject:
        """One page: ``count`` (1-100, default 10), ``skip``, ``from_``/``from``, ``to`` (unix seconds)."""
        return cast(ListObject, self._call(self._list, params=params))

    def list_all(self, *, limit: Optional[int] = None, **params: Any) -> Iterator[Any]:
        """Every item, newest first, page by page (``count`` per page, default 100).

        Stops at a short page, after ``limit`` items, or when ``skip`` passes the
        API's bound (100000).
        """
        return self._walk(self._list, limit=limit, params=params)

    auto_paging_iter = list_all


# ---------------------------------------------------------------- resources


class Auth(_Resource):
    """Signup and login (no credentials needed); a login's token opens session-only routes."""

    def signup(self, *, name: str, email: str, password: str, **params: Any) -> Result:
        """``POST /v1/auth/signup`` → ``{merchant, session}``."""
        return self._call(
            "auth.signup", params=dict(params, name=name, email=email, password=password)
        )

    def login(self, *, email: str, password: str, **params: Any) -> Result:
        """``POST /v1/auth/login`` → ``{token, token_type, expires_at}``."""
        return self._call("auth.login", params=dict(params, email=email, password=password))


class Merchant(_Resource):
    def retrieve(self) -> Result:
        """``GET /v1/merchant``: the merchant behind the key or session."""
        return self._call("merchant.retrieve")


class Keys(_Listable):
    """API keys (a dashboard session only: ``Client(session_token=...)``)."""

    _list = "keys.list"

    def create(self, *, idempotency_key: Optional[str] = None, **params: Any) -> Result:
        """``POST /v1/keys`` ``{mode?, name?}`` → the key with ``secret_key`` (shown once)."""
        return self._call("keys.create", idempotency_key=idempotency_key, params=params)

    def revoke(self, key_id: str) -> Result:
        """``DELETE /v1/keys/:id``: the key stops working at once."""
        return self._call("keys.revoke", key_id)


class WebhookDeliveries(_Resource):
    def list(self, endpoint_id: str, **params: Any) -> ListObject:
        """``GET /v1/webhooks/:id/deliveries``."""
        return cast(ListObject, self._call("webhooks.deliveries.list", endpoint_id, params=params))

    def list_all(
        self, endpoint_id: str, *, limit: Optional[int] = None, **params: Any
    ) -> Iterator[Any]:
        """Every delivery of the endpoint, page by page."""
        return self._walk("webhooks.deliveries.list", endpoint_id, limit=limit, params=params)

    auto_paging_iter = list_all

    def retrieve(self, endpoint_id: str, delivery_id: str) -> Result:
        """``GET /v1/webhooks/:id/deliveries/:delivery_id``, with its ``attempt_log``."""
        return self._call("webhooks.deliveries.retrieve", endpoint_id, delivery_id)

    def retry(
        self, endpoint_id: str, delivery_id: str, *, idempotency_key: Optional[str] = None
    ) -> Result:
        """``POST .../deliveries/:delivery_id/retry``: queue it again now."""
        return self._call(
            "webhooks.deliveries.retry",
            endpoint_id,
            delivery_id,
            idempotency_key=idempotency_key,
        )


class Webhooks(_Listable):
    """Webhook endpoints. ``create`` answers the signing ``secret`` (shown once)."""

    _list = "webhooks.list"
    deliveries: WebhookDeliveries

    def __init__(self, client: "Client") -> None:
        super().__init__(client)
        self.deliveries = WebhookDeliveries(client)

    def create(
        self, *, url: str, idempotency_key: Optional[str] = None, **params: Any
    ) -> Result:
        """``POST /v1/webhooks`` ``{url, events?, description?}`` → the endpoint with ``secret``."""
        return self._call(
            "webhooks.create", idempotency_key=idempotency_key, params=dict(params, url=url)
        )

    def delete(self, endpoint_id: str) -> Result:
        """``DELETE /v1/webhooks/:id``; its pending deliveries are cancelled."""
        return self._call("webhooks.delete", endpoint_id)

    def test(self, endpoint_id: str, *, idempotency_key: Optional[str] = None) -> Result:
        """``POST /v1/webhooks/:id/test``: send a ``webhook.test`` event now."""
        return self._call("webhooks.test", endpoint_id, idempotency_key=idempotency_key)

    def rotate_secret(self, endpoint_id: str, *, idempotency_key: Optional[str] = None) -> Result:
        """``POST /v1/webhooks/:id/rotate-secret`` → the new ``secret`` (shown once)."""
        return self._call("webhooks.rotate_secret", endpoint_id, idempotency_key=idempotency_key)


class Events(_Listable):
    _list = "events.list"

    def retrieve(self, event_id: str) -> Result:
        """``GET /v1/events/:id``, exactly as delivered."""
        return self._call("events.retrieve", event_id)

    def types(self) -> ListObject:
        """``GET /v1/events/types``: the names ``webhooks.create(events=[...])`` accepts."""
        return cast(ListObject, self._call("events.types"))


class Orders(_Listable):
    _list = "orders.list"

    def create(
        self, *, amount: int, idempotency_key: Optional[str] = None, **params: Any
    ) -> Result:
        """``POST /v1/orders`` ``{amount, currency?, receipt?, description?, customer?, notes?, provider?}``."""
        return self._call(
            "orders.create", idempotency_key=idempotency_key, params=dict(params, amount=amount)
        )

    def retrieve(self, order_id: str) -> Result:
        """``GET /v1/orders/:id``."""
        return self._call("orders.retrieve", order_id)

    def verify(
        self, order_id: str, *, idempotency_key: Optional[str] = None, **params: Any
    ) -> Result:
        """``POST /v1/orders/:id/verify`` ``{payment_id, signature}`` → ``{verified, order_id, payment, reason}``."""
        return self._call("orders.verify", order_id, idempotency_key=idempotency_key, params=params)


class CheckoutSessions(_Resource):
    """What checkout.js needs; works with a publishable key (``finvex_test_KEYID``)."""

    def create(
        self, *, order_id: str, idempotency_key: Optional[str] = None, **params: Any
    ) -> Result:
        """``POST /v1/checkout/sessions`` ``{order_id}``."""
        return self._call(
            "checkout_sessions.create",
            idempotency_key=idempotency_key,
            params=dict(params, order_id=order_id),
        )


class Sandbox(_Resource):
    """Test mode's offline provider."""

    def pay(
        self, order_id: str, *, instrument: str, idempotency_key: Optional[str] = None, **params: Any
    ) -> Result:
        """``POST /v1/sandbox/orders/:id/pay`` ``{instrument}`` → ``{order_id, payment_id, signature, status}``."""
        return self._call(
            "sandbox.pay",
            order_id,
            idempotency_key=idempotency_key,
            params=dict(params, instrument=instrument),
        )

    def credentials(self) -> Result:
        """``GET /v1/sandbox/credentials`` → ``{key_id, key_secret}`` (verify checkout signatures)."""
        return self._call("sandbox.credentials")


class Payments(_Listable):
    _list = "payments.list"

    def retrieve(self, payment_id: str) -> Result:
        """``GET /v1/payments/:id``."""
        return self._call("payments.retrieve", payment_id)

    def capture(self, payment_id: str, *, idempotency_key: Optional[str] = None) -> Result:
        """``POST /v1/payments/:id/capture``: capture an authorized payment."""
        return self._call("payments.capture", payment_id, idempotency_key=idempotency_key)

    def refund(
        self, payment_id: str, *, idempotency_key: Optional[str] = None, **params: Any
    ) -> Result:
        """``POST /v1/payments/:id/refund`` ``{amount?, speed?, notes?}`` (none: the whole remainder) → 201 refund."""
        return self._call(
            "payments.refund", payment_id, idempotency_key=idempotency_key, params=params
        )


class Refunds(_Listable):
    _list = "refunds.list"

    def retrieve(self, refund_id: str) -> Result:
        """``GET /v1/refunds/:id``."""
        return self._call("refunds.retrieve", refund_id)


class Routing(_Resource):
    def retrieve_rules(self) -> Result:
        """``GET /v1/routing/rules`` → ``{rules: [...]}``."""
        return self._call("routing.retrieve_rules")

    def update_rules(self, *, idempotency_key: Optional[str] = None, **params: Any) -> Result:
        """``PUT /v1/routing/rules`` ``{rules: [...]}``: replaces them."""
        return self._call("routing.update_rules", idempotency_key=idempotency_key, params=params)


class Providers(_Resource):
    """The merchant's own provider accounts."""

    def list_credentials(self) -> ListObject:
        """``GET /v1/providers/credentials``: connected accounts in this mode (no secrets)."""
        return cast(ListObject, self._call("providers.list_credentials"))

    def set_credentials(
        self, provider: str, *, idempotency_key: Optional[str] = None, **params: Any
    ) -> Result:
        """``PUT /v1/providers/:provider/credentials`` (session only): razorpay ``{key_id, key_secret,
        webhook_secret, verify?}``, cashfree ``{client_id, client_secret, verify?}``."""
        return self._call(
            "providers.set_credentials", provider, idempotency_key=idempotency_key, params=params
        )

    def delete_credentials(self, provider: str) -> None:
        """``DELETE /v1/providers/:provider/credentials`` (session only): 204."""
        self._call_any("providers.delete_credentials", provider)


class Customers(_Listable):
    _list = "customers.list"

    def create(self, *, idempotency_key: Optional[str] = None, **params: Any) -> Result:
        """``POST /v1/customers`` ``{name?, email?, phone?, notes?}`` (an email or a phone)."""
        return self._call("customers.create", idempotency_key=idempotency_key, params=params)

    def retrieve(self, customer_id: str) -> Result:
        """``GET /v1/customers/:id``."""
        return self._call("customers.retrieve", customer_id)


class Plans(_Listable):
    _list = "plans.list"

    def create(self, *, idempotency_key: Optional[str] = None, **params: Any) -> Result:
        """``POST /v1/plans`` ``{name, amount, interval, interval_count?, currency?, gst?}``."""
        return self._call("plans.create", idempotency_key=idempotency_key, params=params)

    def retrieve(self, plan_id: str) -> Result:
        """``GET /v1/plans/:id``."""
        return self._call("plans.retrieve", plan_id)

    def archive(self, plan_id: str, *, idempotency_key: Optional[str] = None) -> Result:
        """``POST /v1/plans/:id/archive``: no new subscribers (idempotent)."""
        return self._call("plans.archive", plan_id, idempotency_key=idempotency_key)


class Settlements(_Listable):
    _list = "settlements.list"

    def retrieve(self, settlement_id: str) -> Result:
        """``GET /v1/settlements/:id``, with its entries and reconciliation."""
        return self._call("settlements.retrieve", settlement_id)

    def sync(self, *, idempotency_key: Optional[str] = None, **params: Any) -> Result:
        """``POST /v1/settlements/sync`` ``{from?, to?}`` → ``{synced, skipped, errors}``."""
        return self._call("settlements.sync", idempotency_key=idempotency_key, params=params)


class GstInvoices(_Listable):
    _list = "gst.invoices.list"

    def create(self, *, idempotency_key: Optional[str] = None, **params: Any) -> Result:
        """``POST /v1/gst/invoices``: from lines, or ``{order_id|payment_id}``, or a credit note."""
        return self._call("gst.invoices.create", idempotency_key=idempotency_key, params=params)

    def retrieve(self, invoice_id: str, **params: Any) -> Result:
        """``GET /v1/gst/invoices/:id``."""
        return self._call("gst.invoices.retrieve", invoice_id, params=params)

    def einvoice(self, invoice_id: str) -> Result:
        """``GET /v1/gst/invoices/:id?format=einvoice``: the validated INV-01 payload."""
        return self._call("gst.invoices.einvoice", invoice_id)

    def pdf(self, invoice_id: str) -> bytes:
        """``GET /v1/gst/invoices/:id?format=pdf``: the printable tax invoice or credit note,
        as the PDF's bytes (``open("FX2627-000001.pdf", "wb").write(...)``)."""
        return cast(bytes, self._call_any("gst.invoices.pdf", invoice_id))

    def submit_irn(self, invoice_id: str, *, idempotency_key: Optional[str] = None) -> Result:
        """``POST /v1/gst/invoices/:id/irn``: register on the IRP (test mode: the fake IRP)."""
        return self._call("gst.invoices.submit_irn", invoice_id, idempotency_key=idempotency_key)

    def cancel_irn(
        self,
        invoice_id: str,
        *,
        reason: str,
        remark: str,
        idempotency_key: Optional[str] = None,
        **params: Any,
    ) -> Result:
        """``POST /v1/gst/invoices/:id/irn/cancel`` ``{reason, remark}`` within 24 h."""
        return self._call(
            "gst.invoices.cancel_irn",
            invoice_id,
            idempotency_key=idempotency_key,
            params=dict(params, reason=reason, remark=remark),
        )

    def correct(
        self, invoice_id: str, *, idempotency_key: Optional[str] = None, **params: Any
    ) -> Result:
        """``POST /v1/gst/invoices/:id/corrections`` ``{lines?, buyer_gstin?, date?, ...}``:
        in place while its month is open, else an amendment reported this month."""
        return self._call(
            "gst.invoices.correct", invoice_id, idempotency_key=idempotency_key, params=params
        )


class GstSettings(_Resource):
    def retrieve(self) -> Result:
        """``GET /v1/gst/settings``."""
        return self._call("gst.settings.retrieve")

    def update(self, *, idempotency_key: Optional[str] = None, **params: Any) -> Result:
        """``PUT /v1/gst/settings``: replaces them (absent fields take their defaults)."""
        return self._call("gst.settings.update", idempotency_key=idempotency_key, params=params)


class Gst(_Resource):
    invoices: GstInvoices
    settings: GstSettings

    def __init__(self, client: "Client") -> None:
        super().__init__(client)
        self.invoices = GstInvoices(client)
        self.settings = GstSettings(client)

    def calculate(self, *, idempotency_key: Optional[str] = None, **params: Any) -> Result:
        """``POST /v1/gst/calculate``: the tax breakup of an amount or of lines."""
        return self._call("gst.calculate", idempotency_key=idempotency_key, params=params)

    def hsn_lookup(self, *, q: str, **params: Any) -> ListObject:
        """``GET /v1/gst/hsn-lookup?q=&count=&skip=`` → ``{entity, count, total, items}``."""
        return cast(ListObject, self._call("gst.hsn_lookup", params=dict(params, q=q)))

    def file_gstr1(
        self, *, month: str, idempotency_key: Optional[str] = None, **params: Any
    ) -> Result:
        """``POST /v1/gst/gstr1/filed`` ``{month, gstin?}``: keeps the month's GSTR-1 as filed."""
        return self._call(
            "gst.file_gstr1", idempotency_key=idempotency_key, params=dict(params, month=month)
        )

    def gstr1(self, *, month: str, **params: Any) -> Union[Result, str]:
        """``GET /v1/gst/gstr1?month=YYYY-MM&gstin?&format?``: JSON, or text for ``format="csv"``."""
        return cast(
            Union[Result, str], self._call_any("gst.gstr1", params=dict(params, month=month))
        )


class Jobs(_Listable):
    _list = "jobs.list"

    def retrieve(self, job_id: str) -> Result:
        """``GET /v1/jobs/:id``."""
        return self._call("jobs.retrieve", job_id)


class PortalSessions(_Resource):
    def create(
        self, *, customer_email: str, idempotency_key: Optional[str] = None, **params: Any
    ) -> Result:
        """``POST /v1/portal/sessions`` ``{customer_email}`` → a 1-hour portal ``token``."""
        return self._call(
            "portal_sessions.create",
            idempotency_key=idempotency_key,
            params=dict(params, customer_email=customer_email),
        )

    def current(self) -> Result:
        """``GET /v1/portal/session`` (a portal session's own client): who the buyer is."""
        return self._call("portal_sessions.current")


class AdminMerchants(_Listable):
    _list = "admin.merchants.list"

    def verify(
        self, merchant_id: str, *, idempotency_key: Optional[str] = None, **params: Any
    ) -> Result:
        """``POST /v1/admin/merchants/:id/verify`` ``{installation_accounts?}``."""
        return self._call(
            "admin.merchants.verify", merchant_id, idempotency_key=idempotency_key, params=params
        )


class Admin(_Resource):
    """The installation's operators (``Client(session_token=<admin token>)``)."""

    merchants: AdminMerchants

    def __init__(self, client: "Client") -> None:
        super().__init__(client)
        self.merchants = AdminMerchants(client)

    def login(self, *, email: str, password: str, **params: Any) -> Result:
        """``POST /v1/admin/login`` → an admin session ``{token, token_type, expires_at}``."""
        return self._call("admin.login", params=dict(params, email=email, password=password))
