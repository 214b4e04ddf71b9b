"""Checking the signatures of Finvex's webhook deliveries (and of sandbox checkouts).

Every delivery carries two signatures of its raw body with the endpoint's secret:

- ``X-Finvex-Signature: sha256=<hex HMAC-SHA256(body, secret)>`` (:meth:`Webhook.verify`);
- ``Finvex-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256("<t>.<body>")>[,v1=...]``
  (:meth:`Webhook.verify_timestamped`), which also refuses a delivery replayed later.

Verify the raw bytes you received, before any JSON parsing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any, Iterable, List, Optional, Tuple, Union

from ._errors import SignatureVerificationError
from ._object import convert

__all__ = ["Webhook", "verify_checkout_signature", "DEFAULT_TOLERANCE"]

DEFAULT_TOLERANCE = 300
"""Seconds a ``Finvex-Signature`` timestamp may be from the receiver's clock."""

Payload = Union[bytes, bytearray, memoryview, str]
Secret = Union[str, bytes]


def _bytes(payload: Payload) -> bytes:
    if isinstance(payload, str):
        return payload.encode("utf-8")
    return bytes(payload)


def _key(secret: Secret) -> bytes:
    if isinstance(secret, str):
        return secret.encode("utf-8")
    return bytes(secret)


def _hex_hmac(secret: Secret, *parts: bytes) -> str:
    mac = hmac.new(_key(secret), digestmod=hashlib.sha256)
    for part in parts:
        mac.update(part)
    return mac.hexdigest()


def _equal(expected: str, given: str) -> bool:
    # bytes, so that a non-ASCII header is simply unequal (compare_digest refuses non-ASCII str)
    return hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "replace"))


def _parse_timestamped(header: str) -> Tuple[Optional[int], List[str]]:
    t: Optional[int] = None
    candidates: List[str] = []
    for part in header.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            continue
        if name == "t":
            try:
                t = int(value.strip())
            except ValueError:
                t = None
        elif name == "v1":
            candidates.append(value.strip())
    return t, candidates


class Webhook:
    """Signature checks for webhook receivers (all constant-time)."""

    @staticmethod
    def sign(payload: Payload, secret: Secret) -> str:
        """``sha256=<hex>``: the ``X-Finvex-Signature`` of ``payload`` (for tests)."""
        return "sha256=" + _hex_hmac(secret, _bytes(payload))

    @staticmethod
    def sign_timestamped(
        payload: Payload, secrets: Union[Secret, Iterable[Secret]], timestamp: Optional[int] = None
    ) -> str:
        """``t=<timestamp>,v1=<hex>[,v1=...]``: a ``Finvex-Signature`` (for tests)."""
        t = str(int(time.time()) if timestamp is None else int(timestamp))
        keys = [secrets] if isinstance(secrets, (str, bytes)) else list(secrets)
        body = _bytes(payload)
        return "t=" + t + "".join(",v1=" + _hex_hmac(k, t.encode(), b".", body) for k in keys)

    @staticmethod
    def verify(payload: Payload, signature_header: Optional[str], secret: Secret) -> bool:
        """True when ``signature_header`` (``X-Finvex-Signature``) signs ``payload`` under ``secret``."""
        if not signature_header or not secret:
            return False
        expected = "sha256=" + _hex_hmac(secret, _bytes(payload))
        return _equal(expected, signature_header.strip())

    @staticmethod
    def verify_timestamped(
        payload: Payload,
        finvex_signature_header: Optional[str],
        secret: Secret,
        tolerance: Optional[int] = DEFAULT_TOLERANCE,
        *,
        now: Optional[float] = None,
    ) -> bool:
        """True when one ``v1`` of ``Finvex-Signature`` signs ``"<t>.<payload>"`` under ``secret``
        and ``t`` is within ``tolerance`` seconds of ``now`` (default: this machine's clock).
        ``tolerance=None`` skips the time check (do not, in production).
        """
        if not finvex_signature_header or not secret:
            return False
        t, candidates = _parse_timestamped(finvex_signature_header)
        if t is None or not candidates:
            return False
        if tolerance is not None:
            current = time.time() if now is None else now
            if abs(current - t) > tolerance:
                return False
        expected = _hex_hmac(secret, str(t).encode(), b".", _bytes(payload))
        found = False
        for candidate in candidates:  # every one, so the time does not tell which matched
            found = _equal(expected, candidate) | found
        return found

    @staticmethod
    def construct_event(
        payload: Payload,
        header: Optional[str],
        secret: Secret,
        tolerance: Optional[int] = DEFAULT_TOLERANCE,
    ) -> Any:
        """The verified event (a :class:`FinvexObject`), or :class:`SignatureVerificationError`.

        ``header`` is either ``Finvex-Signature`` (``t=...,v1=...``: checked with the
        timestamp, preferred) or ``X-Finvex-Signature`` (``sha256=...``).
        """
        if not header:
            raise SignatureVerificationError("No signature header", header)
        stripped = header.strip()
        if stripped.startswith("sha256="):
            ok = Webhook.verify(payload, stripped, secret)
        elif "v1=" in stripped:
            ok = Webhook.verify_timestamped(payload, stripped, secret, tolerance)
        else:
            raise SignatureVerificationError(
                "Unrecognised signature header: expected sha256=... or t=...,v1=...", header
            )
        if not ok:
            raise SignatureVerificationError(
                "The signature does not match the payload and secret"
                + (" (or its timestamp is outside the tolerance)" if "v1=" in stripped else ""),
                header,
            )
        try:
            event = json.loads(_bytes(payload).decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise SignatureVerificationError("The payload is not JSON", header) from e
        return convert(event)


def verify_checkout_signature(
    provider_order_id: str, payment_id: str, signature: str, key_secret: Secret
) -> bool:
    """A sandbox (or Razorpay) checkout's signature, checked on your server:
    ``hex(HMAC-SHA256(provider_order_id + "|" + payment_id, key_secret))``;
    the sandbox's ``key_secret`` is ``client.sandbox.credentials()['key_secret']``.
    """
    if not signature or not key_secret:
        return False
    expected = _hex_hmac(key_secret, f"{provider_order_id}|{payment_id}".encode("utf-8"))
    return _equal(expected, signature.strip())
