"""The HTTP client: authentication, idempotency keys, bounded retries, typed errors."""

from __future__ import annotations

import http.client
import json
import keyword
import logging
import os
import platform
import random
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _resources as r
from ._errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    FinvexError,
    error_from_response,
    parse_retry_after,
)
from ._object import FinvexObject, convert
from ._version import __version__

__all__ = ["Client", "ResponseInfo", "DEFAULT_BASE_URL"]

logger = logging.getLogger("finvex")

DEFAULT_BASE_URL = "https://finvexpay.com"

# Backoff between attempts: 0.5 s, 1 s, 2 s, ... capped at 8 s, each with jitter.
_INITIAL_DELAY = 0.5
_MAX_DELAY = 8.0
# A Retry-After longer than this is not waited for: the error is raised.
_MAX_RETRY_AFTER = 60.0


class ResponseInfo:
    """What an answer said besides its body (``obj.last_response``)."""

    __slots__ = ("status", "headers", "request_id", "idempotency_key", "attempts")

    def __init__(
        self,
        status: int,
        headers: Mapping[str, str],
        idempotency_key: Optional[str],
        attempts: int,
    ) -> None:
        self.status = status
        self.headers: Dict[str, str] = {k.lower(): v for k, v in headers.items()}
        self.request_id: Optional[str] = self.headers.get("x-request-id")
        self.idempotency_key = idempotency_key
        self.attempts = attempts

    @property
    def idempotent_replayed(self) -> bool:
        """True when the server answered a stored response (``Idempotent-Replayed: true``)."""
        return self.headers.get("idempotent-replayed", "").lower() == "true"

    def __repr__(self) -> str:
        return (
            f"ResponseInfo(status={self.status}, request_id={self.request_id!r}, "
            f"attempts={self.attempts}, idempotent_replayed={self.idempotent_replayed})"
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """The API never redirects; following one would resend credentials elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


class Client:
    """A Finvex API client.

    >>> client = finvex.Client('finvex_test_KEYID:SECRET')
    >>> order = client.orders.create(amount=50000, currency='INR', description='Pro Plan')

    ``key`` defaults to ``$FINVEX_KEY`` and ``base_url`` to ``$FINVEX_BASE_URL``, then
    ``https://finvexpay.com``. A dashboard ``session_token`` (``auth.login``) is sent as
    ``Authorization: Bearer`` instead of the key; ``mode`` (``test``/``live``) sets its
    ``X-Finvex-Mode``. Every POST carries an ``Idempotency-Key`` (yours, or a random
    UUID4) that its retries reuse. Up to ``max_retries`` retries, with exponential
    backoff and jitter and honouring ``Retry-After``, follow a connection failure, a
    5xx, a 429 or a 409 ``idempotency_in_progress`` -- for GET and DELETE, and for POST
    and PUT only when they carry an ``Idempotency-Key`` (a PUT only if you pass one) on
    an authenticated route (signup and logins, where the server ignores the key, are
    never retried); other 4xx never retry.
    """

    orders: r.Orders
    payments: r.Payments
    refunds: r.Refunds
    sandbox: r.Sandbox
    checkout_sessions: r.CheckoutSessions
    routing: r.Routing
    providers: r.Providers
    settlements: r.Settlements
    customers: r.Customers
    plans: r.Plans
    gst: r.Gst
    webhooks: r.Webhooks
    events: r.Events
    jobs: r.Jobs
    keys: r.Keys
    merchant: r.Merchant
    portal_sessions: r.PortalSessions
    auth: r.Auth
    admin: r.Admin

    def __init__(
        self,
        key: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        timeout: float = 30,
        max_retries: int = 2,
        session_token: Optional[str] = None,
        mode: Optional[str] = None,
        user_agent: Optional[str] = None,
    ) -> None:
        if key is None:
            key = os.environ.get("FINVEX_KEY") or None
        self.key: Optional[str] = key.strip() if key else None
        self.session_token: Optional[str] = session_token.strip() if session_token else None
        if mode is not None and mode not in ("test", "live"):
            raise ValueError("mode must be 'test' or 'live'")
        self.mode = mode
        self.base_url = _normalise_base_url(
            base_url or os.environ.get("FINVEX_BASE_URL") or DEFAULT_BASE_URL
        )
        if timeout is None or timeout <= 0:
            raise ValueError("timeout must be a positive number of seconds")
        self.timeout = float(timeout)
        if max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        self.max_retries = int(max_retries)
        self.user_agent = user_agent or (
            f"finvex-python/{__version__} Python/{platform.python_version()}"
        )
        self._opener = urllib.request.build_opener(
            _NoRedirect(), urllib.request.HTTPSHandler(context=ssl.create_default_context())
        )
        self._sleep: Callable[[float], None] = time.sleep

        self.orders = r.Orders(self)
        self.payments = r.Payments(self)
        self.refunds = r.Refunds(self)
        self.sandbox = r.Sandbox(self)
        self.checkout_sessions = r.CheckoutSessions(self)
        self.routing = r.Routing(self)
        self.providers = r.Providers(self)
        self.settlements = r.Settlements(self)
        self.customers = r.Customers(self)
        self.plans = r.Plans(self)
        self.gst = r.Gst(self)
        self.webhooks = r.Webhooks(self)
        self.events = r.Events(self)
        self.jobs = r.Jobs(self)
        self.keys = r.Keys(self)
        self.merchant = r.Merchant(self)
        self.portal_sessions = r.PortalSessions(self)
        self.auth = r.Auth(self)
        self.admin = r.Admin(self)

    def __repr__(self) -> str:
        who = "session" if self.session_token else (_key_label(self.key) if self.key else "anonymous")
        return f"<finvex.Client {self.base_url} {who}>"

    def with_options(self, **overrides: Any) -> "Client":
        """A new client with the same settings except ``overrides`` (e.g. ``session_token=``)."""
        settings: Dict[str, Any] = dict(
            key=self.key,
            base_url=self.base_url,
            timeout=self.timeout,
            max_retries=self.max_retries,
            session_token=self.session_token,
            mode=self.mode,
            user_agent=self.user_agent,
        )
        settings.update(overrides)
        return Client(settings.pop("key"), **settings)

    # ------------------------------------------------------------ requests

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        body: Optional[Any] = None,
        idempotency_key: Optional[str] = None,
        authenticated: bool = True,
    ) -> Any:
        """Any endpoint: ``client.request("GET", "/v1/orders", params={"count": 5})``.

        Returns the answer as :class:`FinvexObject` (``None`` for an empty answer, ``str``
        for a text one, ``bytes`` for a binary one such as a PDF) or raises a
        :class:`FinvexError`.
        """
        method = method.upper()
        if method == "POST" and idempotency_key is None:
            idempotency_key = str(uuid.uuid4())
        if idempotency_key is not None:
            _check_idempotency_key(idempotency_key)
        # The server keeps a key's answer only on authenticated routes; signup and
        # the logins ignore it, so a retry there would run again: not retried.
        keyed = idempotency_key is not None and authenticated
        data: Optional[bytes] = None
        if method in ("POST", "PUT", "PATCH"):
            data = json.dumps({} if body is None else body, separators=(",", ":")).encode()
        elif body is not None:
            raise TypeError(f"{method} takes no body")
        return self._send(
            method,
            path,
            _query(params or {}),
            data,
            idempotency_key=idempotency_key,
            retryable=method in ("GET", "HEAD", "DELETE") or keyed,
            authenticated=authenticated,
        )

    def _call_endpoint(
        self,
        ep: r.Endpoint,
        ids: Sequence[str],
        params: Mapping[str, Any],
        *,
        idempotency_key: Optional[str] = None,
    ) -> Any:
        path = _fill(ep, ids)
        fixed = dict(ep.query or ())
        # ``from`` is a keyword in Python: ``list(from_=...)``/``sync(from_=...)`` send ``from``.
        params = {_unkeyword(k): v for k, v in params.items()}
        if ep.method in ("GET", "DELETE"):
            query: Dict[str, Any] = {**fixed, **params}
            body = None
        else:
            query, body = fixed, dict(params)
        return self.request(
            ep.method,
            path,
            params=query,
            body=body,
            idempotency_key=idempotency_key,
            authenticated=ep.access != r.PUBLIC,
        )

    def _auth_headers(self) -> Dict[str, str]:
        if self.session_token:
            headers = {"Authorization": "Bearer " + self.session_token}
            if self.mode:
                headers["X-Finvex-Mode"] = self.mode
            return headers
        if self.key:
            return {"X-Finvex-Key": self.key}
        raise AuthenticationError(
            "No API key: pass finvex.Client('finvex_test_KEYID:SECRET'), set FINVEX_KEY, "
            "or pass session_token="
        )

    def _send(
        self,
        method: str,
        path: str,
        query: str,
        data: Optional[bytes],
        *,
        idempotency_key: Optional[str],
        retryable: bool,
        authenticated: bool,
    ) -> Any:
        url = self.base_url + path + ("?" + query if query else "")
        headers = {
            "Accept": "application/json",
            "User-Agent": self.user_agent,
        }
        if authenticated:
            headers.update(self._auth_headers())
        if data is not None:
            headers["Content-Type"] = "application/json"
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key

        attempt = 0
        while True:
            attempt += 1
            try:
                status, resp_headers, raw = self._transmit(method, url, headers, data)
            except APIConnectionError as e:
                if retryable and attempt <= self.max_retries:
                    delay = _backoff(attempt)
                    logger.info(
                        "finvex: %s %s failed (%s); retry %d/%d in %.2fs",
                        method, path, e.message, attempt, self.max_retries, delay,
                    )
                    self._sleep(delay)
                    continue
                raise
            if 200 <= status < 300:
                return self._parse(status, resp_headers, raw, idempotency_key, attempt)

            error = error_from_response(status, raw, resp_headers)
            if retryable and attempt <= self.max_retries and _should_retry(error):
                retry_after = parse_retry_after(error.headers.get("retry-after"))
                if retry_after is None or retry_after <= _MAX_RETRY_AFTER:
                    delay = (
                        retry_after + random.uniform(0, 0.25)
                        if retry_after is not None
                        else _backoff(attempt)
                    )
                    logger.info(
                        "finvex: %s %s answered %d %s; retry %d/%d in %.2fs",
                        method, path, status, error.code, attempt, self.max_retries, delay,
                    )
                    self._sleep(delay)
                    continue
            raise error

    def _transmit(
        self, method: str, url: str, headers: Mapping[str, str], data: Optional[bytes]
    ) -> Tuple[int, Dict[str, str], bytes]:
        request = urllib.request.Request(url, data=data, headers=dict(headers), method=method)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as e:
            try:
                raw = e.read()
            except (OSError, http.client.HTTPException):
                raw = b""
            finally:
                e.close()
            return e.code, dict(e.headers.items()) if e.headers else {}, raw
        except urllib.error.URLError as e:
            reason = e.reason
            raise APIConnectionError(
                f"Could not reach {self.base_url}: {reason}"
                if not isinstance(reason, (socket.timeout, TimeoutError))
                else f"Request to {self.base_url} timed out after {self.timeout:g}s"
            ) from e
        except (socket.timeout, TimeoutError) as e:
            raise APIConnectionError(
                f"Request to {self.base_url} timed out after {self.timeout:g}s"
            ) from e
        except (http.client.HTTPException, OSError) as e:
            raise APIConnectionError(
                f"Connection to {self.base_url} failed: {type(e).__name__}: {e}"
            ) from e

    @staticmethod
    def _parse(
        status: int,
        headers: Mapping[str, str],
        raw: bytes,
        idempotency_key: Optional[str],
        attempts: int,
    ) -> Any:
        info = ResponseInfo(status, headers, idempotency_key, attempts)
        if status == 204 or not raw.strip():
            return None
        content_type = info.headers.get("content-type", "")
        if content_type.startswith("text/"):
            return raw.decode("utf-8", "replace")
        if "json" not in content_type:
            # A binary answer (a PDF): its bytes as sent, never through a text decoder.
            return raw
        try:
            value = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise APIError(
                f"The server answered {status} with invalid JSON: {raw[:200]!r}",
                http_status=status,
                request_id=info.request_id,
                headers=info.headers,
            ) from e
        result = convert(value)
        if isinstance(result, FinvexObject):
            object.__setattr__(result, "_last_response", info)
        return result


# ---------------------------------------------------------------- helpers


def _normalise_base_url(url: str) -> str:
    url = url.strip().rstrip("/")
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"base_url must be an http(s) URL, not {url!r}")
    if parsed.query or parsed.fragment:
        raise ValueError("base_url takes no query or fragment")
    if url.endswith("/v1"):  # the paths carry /v1 themselves
        url = url[: -len("/v1")]
    return url


def _key_label(key: str) -> str:
    return key.split(":", 1)[0] + (":***" if ":" in key else "")


def _check_idempotency_key(key: str) -> None:
    if not (1 <= len(key) <= 255) or not all(0x20 < ord(c) < 0x7F for c in key):
        raise ValueError("idempotency_key must be 1-255 printable ASCII characters without spaces")


def _fill(ep: r.Endpoint, ids: Sequence[str]) -> str:
    parts = ep.path.split("/")
    holes = [i for i, p in enumerate(parts) if p.startswith("{") and p.endswith("}")]
    if len(ids) != len(holes):
        names = ", ".join(parts[i][1:-1] for i in holes) or "none"
        raise TypeError(f"{ep.name}() takes {len(holes)} path id(s) ({names}), got {len(ids)}")
    for i, value in zip(holes, ids):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{ep.name}(): {parts[i][1:-1]} must be a non-empty string, not {value!r}")
        parts[i] = urllib.parse.quote(value, safe="")
    return "/".join(parts)


def _query(params: Mapping[str, Any]) -> str:
    pairs: List[Tuple[str, str]] = []
    for name, value in params.items():
        if value is None:
            continue
        name = _unkeyword(name)
        if isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        elif isinstance(value, (list, tuple)):
            pairs.extend((name, _scalar(v)) for v in value)
        else:
            pairs.append((name, _scalar(value)))
    return urllib.parse.urlencode(pairs)


def _unkeyword(name: str) -> str:
    """``from_`` → ``from`` (a parameter named like a Python keyword, with PEP 8's underscore)."""
    if name.endswith("_") and not name.startswith("_") and keyword.iskeyword(name[:-1]):
        return name[:-1]
    return name


def _scalar(value: Union[str, int, float, Any]) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _backoff(attempt: int) -> float:
    """Exponential backoff with jitter: in [d/2, d] for d = 0.5 s * 2^(attempt-1), at most 8 s."""
    delay: float = min(_MAX_DELAY, _INITIAL_DELAY * 2.0 ** (attempt - 1))
    return delay * (0.5 + random.random() / 2)


def _should_retry(error: FinvexError) -> bool:
    status = error.http_status or 0
    if status >= 500 or status == 429:
        return True
    return status == 409 and error.code == "idempotency_in_progress"
