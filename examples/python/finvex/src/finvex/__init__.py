"""Finvex: the Python client of the Finvex payment API (standard library only).

>>> import finvex
>>> client = finvex.Client('finvex_test_KEYID:SECRET')
>>> order = client.orders.create(amount=50000, currency='INR', description='Pro Plan')
>>> order['id'], order.id
"""

from ._client import DEFAULT_BASE_URL, Client, ResponseInfo
from ._errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BusinessRuleError,
    ConflictError,
    FinvexError,
    IdempotencyError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SignatureVerificationError,
)
from ._object import FinvexObject, ListObject
from ._resources import ENDPOINTS, Endpoint, endpoint, routes
from ._version import __version__
from ._webhook import Webhook, verify_checkout_signature

# ``finvex.PermissionError`` as the brief names it; not in ``__all__``, so
# ``from finvex import *`` never shadows the builtin ``PermissionError``.
PermissionError = PermissionDeniedError

__all__ = [
    "Client",
    "ResponseInfo",
    "DEFAULT_BASE_URL",
    "FinvexObject",
    "ListObject",
    "Webhook",
    "verify_checkout_signature",
    "ENDPOINTS",
    "Endpoint",
    "endpoint",
    "routes",
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
    "__version__",
]
