"""Typed errors, one class per HTTP status family of the Finvex API.

Every error the server sends has the body
``{"error": {"code": ..., "message": ..., "field": ...}}``; the client turns it
into one of the classes below, keeping the status, the code, the field the
error names (if any) and the request id (``X-Request-Id``).
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Type

__all__ = [
    "FinvexError",
    "InvalidRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "IdempotencyError",
    "BusinessRuleError",
    "RateLimitError",
    "APIError",
    "APIConnectionError",
    "SignatureVerificationError",
    "error_from_response",
]


class FinvexError(Exception):
    """Base class of every error this package raises."""

    http_status: Optional[int]
    code: Optional[str]
    field: Optional[str]
    message: str
    request_id: Optional[str]
    headers: Dict[str, str]
    json_body: Optional[Any]

    def __init__(
        self,
        message: str,
        *,
        http_status: Optional[int] = None,
        code: Optional[str] = None,
        field: Optional[str] = None,
        request_id: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        json_body: Optional[Any] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.code = code
        self.field = field
        self.request_id = request_id
        self.headers = dict(headers or {})
        self.json_body = json_body

    def __str__(self) -> str:
        parts = []
        if self.http_status is not None:
            parts.append(str(self.http_status))
        if self.code:
            parts.append(self.code)
        if self.field:
            parts.append("field=" + self.field)
        prefix = "[" + " ".join(parts) + "] " if parts else ""
        suffix = " (request id " + self.request_id + ")" if self.request_id else ""
        return prefix + self.message + suffix

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, http_status={self.http_status!r}, "
            f"code={self.code!r}, field={self.field!r}, request_id={self.request_id!r})"
        )


class InvalidRequestError(FinvexError):
    """400 ``invalid_request`` (also 405, 413 ``payload_too_large``, any other 4xx): ``field`` names the culprit."""


class AuthenticationError(FinvexError):
    """401 ``unauthenticated``: missing, malformed, wrong or revoked credentials."""


class PermissionDeniedError(FinvexError):
    """403 ``forbidden``: authenticated, but not allowed (e.g. a key on a session-only route)."""


class NotFoundError(FinvexError):
    """404 ``not_found``: no such entity in your merchant and mode, or no such route."""


class ConflictError(FinvexError):
    """409: a duplicate, or an ``Idempotency-Key`` clash (see :class:`IdempotencyError`)."""


class IdempotencyError(ConflictError):
    """409 ``idempotency_key_reused`` or ``idempotency_in_progress``."""


class BusinessRuleError(FinvexError):
    """422 ``business_rule_violation``: well-formed, but refused by a rule."""


class RateLimitError(FinvexError):
    """429 ``rate_limited``; ``retry_after`` is the server's ``Retry-After`` in seconds."""

    retry_after: Optional[float]

    def __init__(self, message: str, *, retry_after: Optional[float] = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class APIError(FinvexError):
    """5xx (``internal_error``, ``service_unavailable``) or an answer that is not the API's."""


class APIConnectionError(FinvexError):
    """The server could not be reached, or the connection failed or timed out mid-request."""


class SignatureVerificationError(FinvexError):
    """A webhook's signature does not match its body and secret (or its timestamp is stale)."""

    sig_header: Optional[str]

    def __init__(self, message: str, sig_header: Optional[str] = None) -> None:
        super().__init__(message)
        self.sig_header = sig_header


_BY_STATUS: Dict[int, Type[FinvexError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: InvalidRequestError,
    422: BusinessRuleError,
    429: RateLimitError,
}


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        import email.utils
        import time

        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - time.time()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def error_from_response(
    status: int, body: bytes, headers: Mapping[str, str]
) -> FinvexError:
    """The typed error for a non-2xx answer."""
    import json

    lowered = {k.lower(): v for k, v in headers.items()}
    request_id = lowered.get("x-request-id")
    json_body: Optional[Any] = None
    code: Optional[str] = None
    field: Optional[str] = None
    message = ""
    try:
        json_body = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        json_body = None
    error = json_body.get("error") if isinstance(json_body, dict) else None
    if isinstance(error, dict):
        code = error.get("code") if isinstance(error.get("code"), str) else None
        field = error.get("field") if isinstance(error.get("field"), str) else None
        raw = error.get("message")
        message = raw if isinstance(raw, str) else ""
    if not message:
        text = body[:500].decode("utf-8", "replace").strip() if body else ""
        message = f"HTTP {status}" + (": " + text if text else "")

    kwargs: Dict[str, Any] = dict(
        http_status=status,
        code=code,
        field=field,
        request_id=request_id,
        headers=lowered,
        json_body=json_body,
    )
    if status == 429:
        return RateLimitError(
            message, retry_after=parse_retry_after(lowered.get("retry-after")), **kwargs
        )
    if status == 409 and code in ("idempotency_key_reused", "idempotency_in_progress"):
        return IdempotencyError(message, **kwargs)
    cls = _BY_STATUS.get(status)
    if cls is None:
        # another 4xx (405 comes as invalid_request) is the request's fault; the rest is the server's
        cls = InvalidRequestError if 400 <= status < 500 else APIError
    return cls(message, **kwargs)
