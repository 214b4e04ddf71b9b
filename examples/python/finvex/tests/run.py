#!/usr/bin/env python3
"""The finvex package's tests, standard library only (unittest).

    FINVEX_BASE_URL=http://127.0.0.1:18312 FINVEX_KEY='finvex_test_KEYID:SECRET' python3 tests/run.py

Imports the package from this source tree (``src`` on ``sys.path``) and talks to a
running finvex-server in test mode (started with ``FINVEX_WEBHOOK_ALLOW_PRIVATE=1``
so it can deliver webhooks to 127.0.0.1). Exits non-zero on any failure.
"""

from __future__ import annotations

import ast
import hashlib
import hmac
import http.server
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import unittest
import urllib.parse
import uuid
from email.message import Message
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent
SRC = PACKAGE_ROOT / "src"
REPO_ROOT = PACKAGE_ROOT.parents[2]  # examples/python/finvex -> the repository
sys.path.insert(0, str(SRC))

import finvex  # noqa: E402  (from the source tree)
from finvex import Webhook  # noqa: E402

BASE_URL = os.environ.get("FINVEX_BASE_URL", "")
KEY = os.environ.get("FINVEX_KEY", "")
TEST_MARK = "finvex-python tests"

# The API reference's snippet, exactly as published (tests substitute the key only).
SEED_SNIPPET = """import finvex
client = finvex.Client('finvex_test_KEY:SECRET')
order = client.orders.create(
amount=50000,
currency='INR',
description='Pro Plan'
)
print(order['id']) # finvex_ord_...
"""

CUSTOMER = {"name": "Asha Verma", "email": "asha@example.com", "phone": "+919876543210"}
SEED_BODY = dict(amount=50000, currency="INR", description="Pro Plan", customer=CUSTOMER)


def client(**overrides: Any) -> finvex.Client:
    return finvex.Client(KEY, base_url=BASE_URL, **overrides)


def upstream() -> Tuple[str, int]:
    parts = urllib.parse.urlsplit(BASE_URL)
    if parts.scheme != "http":
        raise unittest.SkipTest("the flaky-proxy tests need an http:// FINVEX_BASE_URL")
    return parts.hostname or "127.0.0.1", parts.port or 80


# ------------------------------------------------------------------ helpers


class FlakyProxy:
    """A tiny HTTP proxy in front of the server that misbehaves on cue.

    ``plan`` holds one action per incoming connection (then ``forward``):
    ``drop`` (read the request, close without answering: the server never saw it),
    ``drop_after`` (forward it, read the server's answer, close without passing it
    on: the request ran, its answer was lost), ``hang`` (read it, answer nothing for
    a while), or ``(status, headers, body)`` (answer that instead of the server).
    Every request seen is kept in ``requests`` as ``(method, path, headers)``.
    """

    def __init__(self, plan: List[Any]) -> None:
        self.plan = list(plan)
        self.requests: List[Tuple[str, str, Dict[str, str]]] = []
        self.upstream = upstream()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()
        self._stop = False
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop = True
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self) -> "FlakyProxy":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def keys(self) -> List[Optional[str]]:
        return [h.get("idempotency-key") for _, _, h in self.requests]

    def _serve(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    @staticmethod
    def _read_request(conn: socket.socket) -> bytes:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return head + b"\r\n\r\n" + body

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            raw = self._read_request(conn)
            if not raw:
                return
            head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
            request_line, *header_lines = head.split("\r\n")
            method, path, _ = request_line.split(" ", 2)
            headers = {}
            for line in header_lines:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            with self._lock:
                self.requests.append((method, path, headers))
                action = self.plan.pop(0) if self.plan else "forward"
            if action == "drop":
                return
            if action == "hang":
                time.sleep(3)
                return
            if isinstance(action, tuple):
                status, extra, body = action
                body_bytes = json.dumps(body).encode()
                lines = [f"HTTP/1.1 {status} X", "Content-Type: application/json",
                         f"Content-Length: {len(body_bytes)}", "Connection: close"]
                lines += [f"{k}: {v}" for k, v in extra.items()]
                conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body_bytes)
                return
            with socket.create_connection(self.upstream, timeout=30) as up:
                up.sendall(raw)
                answer = b""
                while True:
                    chunk = up.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
            if action == "drop_after":
                return
            conn.sendall(answer)


class Receiver:
    """A webhook receiver on 127.0.0.1 in a thread: keeps each delivery's raw body and headers."""

    def __init__(self) -> None:
        self.deliveries: List[Tuple[bytes, Message]] = []
        self._cond = threading.Condition()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                with outer._cond:
                    # the Message itself: its lookups ignore case, as HTTP header names do
                    outer.deliveries.append((raw, self.headers))
                    outer._cond.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/finvex/webhooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(
        self, match: Callable[[Dict[str, Any]], bool], timeout: float = 10, after: int = 0
    ) -> Tuple[bytes, Message]:
        """The first delivery (from index ``after`` on) whose event matches, within ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for raw, headers in self.deliveries[after:]:
                    if match(json.loads(raw)):
                        return raw, headers
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no matching delivery within {timeout:g} s")
                self._cond.wait(left)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def cleanup_test_endpoints(c: finvex.Client) -> None:
    """Earlier runs' endpoints (16 per mode at most): delete the ones these tests made."""
    for ep in c.webhooks.list_all(limit=200):
        if ep.get("description") == TEST_MARK:
            try:
                c.webhooks.delete(ep["id"])
            except finvex.NotFoundError:
                pass


# ------------------------------------------------------------- no server


class OfflineTests(unittest.TestCase):
    """What needs no server: objects, errors, signatures, configuration."""

    def test_python_3_9_syntax(self) -> None:
        for path in sorted((SRC / "finvex").glob("*.py")) + [Path(__file__)]:
            ast.parse(path.read_text(encoding="utf-8"), str(path), feature_version=(3, 9))
        self.assertTrue((SRC / "finvex" / "py.typed").exists())

    def test_finvex_object(self) -> None:
        o = finvex._object.convert(
            {"id": "x", "customer": {"email": "a@b"}, "lines": [{"n": 1}], "items": [1]}
        )
        self.assertIsInstance(o, dict)
        self.assertEqual(o.id, o["id"])
        self.assertEqual(o.customer.email, "a@b")
        self.assertEqual(o.lines[0].n, 1)
        self.assertEqual(o["items"], [1])  # a key named like a dict method: by subscript
        self.assertTrue(callable(o.items))
        self.assertEqual(json.loads(json.dumps(o)), o)
        self.assertFalse(hasattr(o, "missing"))
        with self.assertRaises(AttributeError):
            o.missing  # noqa: B018
        o.note = "hi"
        self.assertEqual(o["note"], "hi")
        self.assertIsInstance(finvex._object.convert({"entity": "collection", "items": []}),
                              finvex.ListObject)
        import copy
        import pickle
        self.assertEqual(copy.deepcopy(o), o)
        self.assertEqual(pickle.loads(pickle.dumps(o)), o)

    def test_error_mapping(self) -> None:
        cases = {400: finvex.InvalidRequestError, 401: finvex.AuthenticationError,
                 403: finvex.PermissionDeniedError, 404: finvex.NotFoundError,
                 409: finvex.ConflictError, 422: finvex.BusinessRuleError,
                 429: finvex.RateLimitError, 500: finvex.APIError, 503: finvex.APIError,
                 405: finvex.InvalidRequestError, 413: finvex.InvalidRequestError,
                 502: finvex.APIError}
        for status, cls in cases.items():
            body = json.dumps({"error": {"code": "c", "message": "m", "field": "f"}}).encode()
            e = finvex._errors.error_from_response(status, body, {"X-Request-Id": "req_1",
                                                                  "Retry-After": "7"})
            self.assertIs(type(e), cls, status)
            self.assertIsInstance(e, finvex.FinvexError)
            self.assertEqual((e.http_status, e.code, e.field, e.message, e.request_id),
                             (status, "c", "f", "m", "req_1"))
        rl = finvex._errors.error_from_response(429, b"{}", {"retry-after": "7"})
        self.assertEqual(rl.retry_after, 7.0)
        garbage = finvex._errors.error_from_response(502, b"<html>bad gateway</html>", {})
        self.assertIsInstance(garbage, finvex.APIError)
        self.assertIn("bad gateway", garbage.message)
        reused = finvex._errors.error_from_response(
            409, b'{"error":{"code":"idempotency_key_reused","message":"m","field":null}}', {})
        self.assertIsInstance(reused, finvex.IdempotencyError)
        self.assertIsInstance(reused, finvex.ConflictError)
        self.assertIsNone(reused.field)

    def test_permission_error_does_not_shadow_the_builtin(self) -> None:
        self.assertIs(finvex.PermissionError, finvex.PermissionDeniedError)
        self.assertNotIn("PermissionError", finvex.__all__)
        scope: Dict[str, Any] = {}
        exec("from finvex import *\nresult = PermissionError", scope)  # noqa: S102
        self.assertIs(scope["result"], PermissionError)
        import builtins
        self.assertIs(builtins.PermissionError, PermissionError)

    def test_configuration(self) -> None:
        saved = {k: os.environ.pop(k, None) for k in ("FINVEX_KEY", "FINVEX_BASE_URL")}
        try:
            c = finvex.Client()
            self.assertEqual(c.base_url, "https://finvexpay.com")
            self.assertIsNone(c.key)
            with self.assertRaises(finvex.AuthenticationError):
                c.merchant.retrieve()  # no key: refused before any request
            os.environ["FINVEX_KEY"] = "finvex_test_a:b"
            os.environ["FINVEX_BASE_URL"] = "http://127.0.0.1:9/v1/"
            c = finvex.Client()
            self.assertEqual((c.key, c.base_url), ("finvex_test_a:b", "http://127.0.0.1:9"))
            c = finvex.Client("finvex_test_c:d", base_url="http://h:1", timeout=5, max_retries=0)
            self.assertEqual((c.key, c.base_url, c.timeout, c.max_retries),
                             ("finvex_test_c:d", "http://h:1", 5.0, 0))
            self.assertNotIn("d", repr(c).split("finvex_test_c")[1].replace(":***>", ""))
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        with self.assertRaises(ValueError):
            finvex.Client("k", base_url="ftp://x")

    def test_query_and_path(self) -> None:
        q = finvex._client._query({"count": 5, "from_": 10, "to": 20, "flag": True, "none": None})
        self.assertEqual(urllib.parse.parse_qs(q),
                         {"count": ["5"], "from": ["10"], "to": ["20"], "flag": ["true"]})
        path = finvex._client._fill(finvex.endpoint("webhooks.deliveries.retrieve"), ["a/../b", "c"])
        self.assertEqual(path, "/v1/webhooks/a%2F..%2Fb/deliveries/c")
        with self.assertRaises(TypeError):
            finvex._client._fill(finvex.endpoint("orders.retrieve"), [])
        with self.assertRaises(ValueError):
            finvex._client._fill(finvex.endpoint("orders.retrieve"), [""])

    def test_webhook_signatures_known_answer(self) -> None:
        # RFC 4231 test case 2, the server's own known answer.
        self.assertEqual(
            Webhook.sign(b"what do ya want for nothing?", "Jefe"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        body = b'{"id":"evt_1"}'
        header = Webhook.sign(body, "whsec_x")
        self.assertTrue(Webhook.verify(body, header, "whsec_x"))
        self.assertTrue(Webhook.verify(body.decode(), header, "whsec_x"))
        self.assertFalse(Webhook.verify(body + b" ", header, "whsec_x"))
        self.assertFalse(Webhook.verify(body, header, "whsec_y"))
        self.assertFalse(Webhook.verify(body, "sha256=zz\u00e9", "whsec_x"))
        self.assertFalse(Webhook.verify(body, "", "whsec_x"))
        ts = Webhook.sign_timestamped(body, ["whsec_new", "whsec_old"], 1_700_000_000)
        expected = hmac.new(b"whsec_new", b"1700000000." + body, hashlib.sha256).hexdigest()
        self.assertEqual(ts.split(",")[1], "v1=" + expected)
        for secret in ("whsec_new", "whsec_old"):
            self.assertTrue(Webhook.verify_timestamped(body, ts, secret, now=1_700_000_100))
        self.assertFalse(Webhook.verify_timestamped(body, ts, "whsec_other", now=1_700_000_100))
        self.assertFalse(Webhook.verify_timestamped(body, ts, "whsec_new", now=1_700_003_600))
        self.assertFalse(Webhook.verify_timestamped(body, ts, "whsec_new", now=1_699_990_000))
        moved = ts.replace("t=1700000000", "t=1700003600")
        self.assertFalse(Webhook.verify_timestamped(body, moved, "whsec_new", now=1_700_003_600))
        self.assertFalse(Webhook.verify_timestamped(body, "garbage", "whsec_new"))
        fresh = Webhook.sign_timestamped(body, "whsec_new")
        self.assertEqual(Webhook.construct_event(body, fresh, "whsec_new").id, "evt_1")
        self.assertEqual(Webhook.construct_event(body, header, "whsec_x")["id"], "evt_1")
        with self.assertRaises(finvex.SignatureVerificationError):
            Webhook.construct_event(body + b"x", header, "whsec_x")
        with self.assertRaises(finvex.SignatureVerificationError):
            Webhook.construct_event(body, ts, "whsec_new")  # stale
        with self.assertRaises(finvex.SignatureVerificationError):
            Webhook.construct_event(body, None, "whsec_new")

    def test_backoff_is_bounded_with_jitter(self) -> None:
        for attempt in range(1, 12):
            d = finvex._client._backoff(attempt)
            cap = min(8.0, 0.5 * 2 ** (attempt - 1))
            self.assertTrue(cap / 2 <= d <= cap, (attempt, d))

    def test_resource_table_matches_the_client(self) -> None:
        c = finvex.Client("finvex_test_a:b", base_url="http://127.0.0.1:9")
        for name, ep in finvex.ENDPOINTS.items():
            self.assertEqual(ep.name, name)
            target: Any = c
            for part in name.split("."):
                target = getattr(target, part)
            self.assertTrue(callable(target), name)
            self.assertIn(ep.method, ("GET", "POST", "PUT", "DELETE"))
        # Every public method of every resource is in the table (no untabled endpoint).
        seen = set()

        def walk(obj: Any, prefix: str) -> None:
            for attr in dir(obj):
                if attr.startswith("_") or attr in ("auto_paging_iter", "list_all"):
                    continue
                value = getattr(obj, attr)
                if isinstance(value, finvex._resources._Resource):
                    walk(value, prefix + attr + ".")
                elif callable(value):
                    seen.add(prefix + attr)

        for attr in dir(c):
            value = getattr(c, attr)
            if isinstance(value, finvex._resources._Resource):
                walk(value, attr + ".")
        self.assertEqual(seen, set(finvex.ENDPOINTS))

    def test_resource_table_matches_the_openapi_document(self) -> None:
        """Each operation of the server's /v1/openapi.json (but provider webhooks,
        probes and the contract itself), with the same callers, and nothing else."""
        base = os.environ.get("FINVEX_BASE_URL")
        if not base:
            self.skipTest("FINVEX_BASE_URL is not set")
        import urllib.request
        with urllib.request.urlopen(base.rstrip("/") + "/v1/openapi.json", timeout=30) as r:
            document = json.loads(r.read())
        callers = {
            (): "none",
            ("secretKey", "session"): "key or session",
            ("session",): "session",
            ("publishableKey", "secretKey", "session"): "publishable key, key or session",
            ("adminSession",): "admin session",
            ("portalSession",): "portal session",
        }
        not_for_clients = {"/healthz", "/readyz", "/v1/openapi.json", "/docs",
                           "/v1/providers/{provider}/webhook",
                           "/v1/providers/{provider}/webhook/{merchant_id}/{mode}"}
        server = set()
        for path, item in document["paths"].items():
            if path in not_for_clients:
                continue
            for method, op in item.items():
                schemes = tuple(name for requirement in op["security"] for name in requirement)
                server.add((method.upper(), path, callers[schemes]))
        self.assertGreater(len(server), 40)
        ours = {(e.method, e.path, e.access) for e in finvex.ENDPOINTS.values()}
        self.assertEqual(server - ours, set(), "documented operations the client does not cover")
        self.assertEqual(ours - server, set(), "client endpoints the document does not name")


class BuildTest(unittest.TestCase):
    """``pip wheel`` of this directory, installed with ``--target`` and imported from there.

    Opt-in (``FINVEX_TEST_BUILD=1``): pip fetches setuptools into its build environment.
    """

    def test_wheel_builds_and_installs(self) -> None:
        if os.environ.get("FINVEX_TEST_BUILD") != "1":
            self.skipTest("set FINVEX_TEST_BUILD=1 to build the wheel")
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            import shutil
            wheels, target, tree = Path(tmp, "wheels"), Path(tmp, "site"), Path(tmp, "tree")
            # a copy, so pip's in-tree build leaves nothing in the source tree
            shutil.copytree(PACKAGE_ROOT, tree, ignore=shutil.ignore_patterns(
                "build", "dist", "*.egg-info", "__pycache__", ".mypy_cache"))
            done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                                   "-w", str(wheels), str(tree)],
                                  capture_output=True, text=True, timeout=300)
            self.assertEqual(done.returncode, 0, done.stderr)
            (wheel,) = wheels.glob("finvex-*.whl")
            done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                                   "--target", str(target), str(wheel)],
                                  capture_output=True, text=True, timeout=300)
            self.assertEqual(done.returncode, 0, done.stderr)
            probe = ("import finvex, pathlib, sys; p = pathlib.Path(finvex.__file__).parent; "
                     "assert (p / 'py.typed').exists(); assert str(p).startswith(sys.argv[1]); "
                     "print(finvex.__version__, len(finvex.ENDPOINTS))")
            env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
            env["PYTHONPATH"] = str(target)
            done = subprocess.run([sys.executable, "-c", probe, str(target)], env=env,
                                  capture_output=True, text=True, timeout=60, cwd=tmp)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(done.stdout.split(), [finvex.__version__, str(len(finvex.ENDPOINTS))])
            import zipfile
            names = zipfile.ZipFile(wheel).namelist()
            self.assertTrue(any(n.endswith("licenses/LICENSE") for n in names), names)
            self.assertIn("finvex/py.typed", names)


# ------------------------------------------------------------- the server


class ServerTestCase(unittest.TestCase):
    c: finvex.Client

    @classmethod
    def setUpClass(cls) -> None:
        if not BASE_URL or not KEY:
            raise unittest.SkipTest("FINVEX_BASE_URL and FINVEX_KEY are needed")
        cls.c = client()


class SeedSnippetTest(ServerTestCase):
    def test_the_reference_snippet_runs_verbatim(self) -> None:
        source = SEED_SNIPPET.replace("finvex_test_KEY:SECRET", KEY)
        self.assertEqual(source.count(KEY), 1)
        env = dict(os.environ, FINVEX_BASE_URL=BASE_URL, PYTHONPATH=str(SRC))
        env.pop("FINVEX_KEY", None)  # the snippet's own key, nothing else
        done = subprocess.run([sys.executable, "-c", source], env=env, capture_output=True,
                              text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        order_id = done.stdout.strip()
        self.assertRegex(order_id, r"^finvex_ord_\w+$")
        order = self.c.orders.retrieve(order_id)
        self.assertEqual((order.amount, order.currency, order.description),
                         (50000, "INR", "Pro Plan"))


class IntegrationGuideTest(ServerTestCase):
    def test_order_pay_verify_refund_and_lists(self) -> None:
        c = self.c
        order = c.orders.create(**SEED_BODY)
        self.assertRegex(order["id"], r"^finvex_ord_")
        self.assertEqual(order.id, order["id"])
        self.assertEqual(order.customer.email, CUSTOMER["email"])
        self.assertEqual((order.status, order.amount_due), ("created", 50000))
        self.assertEqual(order.last_response.status, 201)
        self.assertTrue(order.last_response.request_id)
        self.assertEqual(uuid.UUID(order.last_response.idempotency_key).version, 4)

        # checkout.js's session, with the publishable key only
        publishable = finvex.Client(KEY.split(":", 1)[0], base_url=BASE_URL)
        session = publishable.checkout_sessions.create(order_id=order.id)
        self.assertEqual((session.entity, session.order_id, session.amount),
                         ("checkout_session", order.id, 50000))
        with self.assertRaises(finvex.PermissionDeniedError):
            publishable.orders.list()

        paid = c.sandbox.pay(order["id"], instrument="success@finvex")
        self.assertEqual(paid.order_id, order.id)
        if order.provider == "sandbox":
            key_secret = c.sandbox.credentials()["key_secret"]
            self.assertTrue(finvex.verify_checkout_signature(
                order.provider_order_id, paid.payment_id, paid.signature, key_secret))
            self.assertFalse(finvex.verify_checkout_signature(
                order.provider_order_id, paid.payment_id, paid.signature, key_secret + "x"))

        result = c.orders.verify(order["id"], payment_id=paid["payment_id"],
                                 signature=paid["signature"])
        self.assertTrue(result["verified"], result)
        payment = result["payment"]
        self.assertEqual(payment.status, "captured")
        again = c.orders.verify(order.id, payment_id=paid.payment_id, signature=paid.signature)
        self.assertTrue(again.verified)  # idempotent
        self.assertEqual(c.orders.retrieve(order.id).status, "paid")
        with self.assertRaises(finvex.ConflictError):
            publishable.checkout_sessions.create(order_id=order.id)  # paid: 409

        refund = c.payments.refund(payment["id"], amount=10000)
        self.assertEqual((refund.entity, refund.amount, refund.payment_id),
                         ("refund", 10000, payment.id))
        self.assertIn(refund.status, ("pending", "processed"))
        self.assertEqual(refund.last_response.status, 201)
        with self.assertRaises(finvex.BusinessRuleError) as ctx:
            c.payments.refund(payment.id, amount=50000)  # over what is left
        self.assertEqual((ctx.exception.http_status, ctx.exception.field), (422, "amount"))

        self.assertEqual(c.payments.retrieve(payment.id).status, "partially_refunded")
        self.assertEqual(c.refunds.retrieve(refund.id).amount, 10000)
        orders = c.orders.list(count=5)
        self.assertIsInstance(orders, finvex.ListObject)
        self.assertEqual(orders.entity, "collection")
        self.assertEqual(orders["count"], len(orders["items"]))
        self.assertIn(order.id, [o.id for o in orders["items"]])
        self.assertIn(payment.id, [p.id for p in c.payments.list(count=10)["items"]])
        self.assertIn(refund.id, [r.id for r in c.refunds.list(count=10)["items"]])

        # the events it made, exactly as delivered
        events = c.events.list(count=50)["items"]
        created = [e for e in events if e.event == "order.created"
                   and json.dumps(e.data).find(order.id) >= 0]
        self.assertTrue(created)
        self.assertEqual(c.events.retrieve(created[0].id).id, created[0].id)

    def test_auto_pagination(self) -> None:
        c = self.c
        start = int(time.time()) - 1
        made = [c.orders.create(amount=10000 + i, receipt=f"page-{i}").id for i in range(5)]
        walked = list(c.orders.list_all(count=2, from_=start))
        ids = [o.id for o in walked]
        self.assertEqual(len(ids), len(set(ids)), "no item twice")
        self.assertTrue(set(made) <= set(ids), (made, ids))
        stamps = [o.created_at for o in walked]
        self.assertEqual(stamps, sorted(stamps, reverse=True), "newest first")
        self.assertEqual(len(list(c.orders.auto_paging_iter(count=2, limit=3))), 3)
        page = c.orders.list(count=2, from_=start)
        self.assertEqual(len(page["items"]), 2)
        self.assertEqual([o.id for o in page.auto_paging_iter()], ids)
        # bounded: a walk from a huge skip stops at once instead of asking past the API's bound
        self.assertEqual(list(c.orders.list_all(skip=100_000, count=100)), [])


class ErrorTest(ServerTestCase):
    def test_typed_errors(self) -> None:
        with self.assertRaises(finvex.InvalidRequestError) as ctx:
            self.c.orders.create(amount=1)
        e = ctx.exception
        self.assertEqual((e.http_status, e.code, e.field), (400, "invalid_request", "amount"))
        self.assertTrue(e.message)
        self.assertTrue(e.request_id and e.request_id.startswith("req_"), e.request_id)

        with self.assertRaises(finvex.InvalidRequestError) as ctx:
            self.c.orders.create(amount=50000, plan="pro")
        self.assertEqual(ctx.exception.field, "plan")

        with self.assertRaises(finvex.NotFoundError) as ctx:
            self.c.orders.retrieve("finvex_ord_doesnotexist")
        self.assertEqual((ctx.exception.http_status, ctx.exception.code), (404, "not_found"))
        for call in (lambda: self.c.payments.retrieve("finvex_pay_nope"),
                     lambda: self.c.refunds.retrieve("finvex_rfnd_nope"),
                     lambda: self.c.settlements.retrieve("stl_nope"),
                     lambda: self.c.jobs.retrieve("job_nope"),
                     lambda: self.c.events.retrieve("evt_" + "0" * 26),
                     lambda: self.c.gst.invoices.retrieve("finvex_inv_nope")):
            with self.assertRaises(finvex.NotFoundError):
                call()

        bad = finvex.Client("finvex_test_key_nope:wrong", base_url=BASE_URL)
        with self.assertRaises(finvex.AuthenticationError) as ctx:
            bad.orders.list()
        self.assertEqual((ctx.exception.http_status, ctx.exception.code), (401, "unauthenticated"))
        with self.assertRaises(finvex.AuthenticationError):
            finvex.Client("not-a-key", base_url=BASE_URL).merchant.retrieve()

        with self.assertRaises(finvex.PermissionDeniedError) as ctx:
            self.c.keys.list()  # a session-only route, with an API key
        self.assertEqual(ctx.exception.http_status, 403)

        with self.assertRaises(finvex.InvalidRequestError) as ctx:
            self.c.request("PATCH", "/v1/orders", body={})
        self.assertEqual((ctx.exception.http_status, ctx.exception.field), (405, "method"))
        with self.assertRaises(finvex.NotFoundError):
            self.c.request("GET", "/v1/no-such-route")
        raw = self.c.request("GET", "/v1/orders", params={"count": 1})
        self.assertIsInstance(raw, finvex.ListObject)

    def test_idempotency_key_reused(self) -> None:
        key = "finvex-py-" + uuid.uuid4().hex
        first = self.c.orders.create(amount=50000, receipt="idem", idempotency_key=key)
        self.assertEqual(first.last_response.idempotency_key, key)
        replay = self.c.orders.create(amount=50000, receipt="idem", idempotency_key=key)
        self.assertEqual(replay.id, first.id)
        self.assertTrue(replay.last_response.idempotent_replayed)
        with self.assertRaises(finvex.IdempotencyError) as ctx:
            self.c.orders.create(amount=60000, receipt="idem", idempotency_key=key)
        self.assertEqual((ctx.exception.http_status, ctx.exception.code),
                         (409, "idempotency_key_reused"))
        with self.assertRaises(ValueError):
            self.c.orders.create(amount=50000, idempotency_key="has space")


class RetryTest(ServerTestCase):
    def proxied(self, proxy: FlakyProxy, **kw: Any) -> finvex.Client:
        return finvex.Client(KEY, base_url=proxy.url, **kw)

    def test_post_after_a_dropped_connection_reuses_its_key(self) -> None:
        with FlakyProxy(["drop"]) as proxy:
            order = self.proxied(proxy).orders.create(**SEED_BODY)
        keys = proxy.keys()
        self.assertEqual(len(keys), 2)
        self.assertIsNotNone(keys[0])
        self.assertEqual(keys[0], keys[1])
        self.assertEqual(uuid.UUID(keys[0]).version, 4)
        self.assertEqual(order.last_response.attempts, 2)
        self.assertFalse(order.last_response.idempotent_replayed)  # the first never arrived

    def test_lost_answer_is_replayed_not_run_twice(self) -> None:
        receipt = "lost-" + secrets.token_hex(6)
        start = int(time.time()) - 1
        with FlakyProxy(["drop_after"]) as proxy:
            order = self.proxied(proxy).orders.create(amount=50000, receipt=receipt)
        keys = proxy.keys()
        self.assertEqual(len(keys), 2)
        self.assertEqual(keys[0], keys[1])
        self.assertTrue(order.last_response.idempotent_replayed)
        same = [o for o in self.c.orders.list_all(from_=start) if o.receipt == receipt]
        self.assertEqual([o.id for o in same], [order.id], "one order, not two")

    def test_refund_after_a_lost_answer_is_the_same_refund(self) -> None:
        order = self.c.orders.create(amount=50000)
        paid = self.c.sandbox.pay(order.id, instrument="success@finvex")
        payment = self.c.orders.verify(order.id, payment_id=paid.payment_id,
                                       signature=paid.signature).payment
        with FlakyProxy(["drop_after"]) as proxy:
            refund = self.proxied(proxy).payments.refund(payment.id, amount=10000)
        self.assertEqual(len(set(proxy.keys())), 1)
        self.assertTrue(refund.last_response.idempotent_replayed)
        self.assertEqual(self.c.payments.retrieve(payment.id).status, "partially_refunded")
        refunds = [r for r in self.c.refunds.list(count=20)["items"] if r.payment_id == payment.id]
        self.assertEqual([r.id for r in refunds], [refund.id])

    def test_caller_key_and_retry_statuses(self) -> None:
        in_progress = (409, {}, {"error": {"code": "idempotency_in_progress",
                                           "message": "running", "field": None}})
        unavailable = (503, {}, {"error": {"code": "service_unavailable",
                                           "message": "down", "field": None}})
        limited = (429, {"Retry-After": "1"}, {"error": {"code": "rate_limited",
                                                         "message": "slow", "field": None}})
        with FlakyProxy([in_progress, unavailable, limited]) as proxy:
            t0 = time.monotonic()
            order = self.proxied(proxy, max_retries=3).orders.create(
                amount=50000, idempotency_key="caller-key-" + uuid.uuid4().hex)
            elapsed = time.monotonic() - t0
        keys = proxy.keys()
        self.assertEqual(len(keys), 4)
        self.assertEqual(len(set(keys)), 1)
        self.assertTrue(keys[0].startswith("caller-key-"))
        self.assertGreaterEqual(elapsed, 1.0, "Retry-After: 1 was honoured")
        self.assertEqual(order.last_response.attempts, 4)

    def test_retries_are_bounded(self) -> None:
        with FlakyProxy(["drop"] * 10) as proxy:
            with self.assertRaises(finvex.APIConnectionError):
                self.proxied(proxy, max_retries=2).orders.list()
        self.assertEqual(len(proxy.requests), 3)
        with FlakyProxy(["drop"] * 10) as proxy:
            with self.assertRaises(finvex.APIConnectionError):
                self.proxied(proxy, max_retries=0).orders.create(amount=50000)
        self.assertEqual(len(proxy.requests), 1)
        with FlakyProxy([(429, {"Retry-After": "3600"}, {"error": {
                "code": "rate_limited", "message": "later", "field": None}})]) as proxy:
            with self.assertRaises(finvex.RateLimitError) as ctx:
                self.proxied(proxy).orders.list()
        self.assertEqual(ctx.exception.retry_after, 3600)
        self.assertEqual(len(proxy.requests), 1, "a Retry-After over a minute is not waited for")

    def test_no_retry_on_other_4xx(self) -> None:
        for status, cls in ((400, finvex.InvalidRequestError), (401, finvex.AuthenticationError),
                            (404, finvex.NotFoundError), (409, finvex.ConflictError),
                            (422, finvex.BusinessRuleError)):
            answer = (status, {"X-Request-Id": "req_fake"},
                      {"error": {"code": "x", "message": "no", "field": None}})
            with FlakyProxy([answer] * 5) as proxy:
                with self.assertRaises(cls) as ctx:
                    self.proxied(proxy).orders.create(amount=50000)
            self.assertEqual(len(proxy.requests), 1, status)
            self.assertEqual(ctx.exception.request_id, "req_fake")
        with FlakyProxy([]) as proxy:  # a real 400 through the proxy
            with self.assertRaises(finvex.InvalidRequestError):
                self.proxied(proxy).orders.create(amount=1)
        self.assertEqual(len(proxy.requests), 1)

    def test_get_is_retried_and_unkeyed_put_is_not(self) -> None:
        with FlakyProxy(["drop", (500, {}, {"error": {"code": "internal_error",
                                                      "message": "bug", "field": None}})]) as p:
            page = self.proxied(p).orders.list(count=1)
        self.assertEqual((len(p.requests), page.last_response.attempts), (3, 3))
        self.assertEqual([h.get("idempotency-key") for _, _, h in p.requests], [None] * 3)
        rules = self.c.routing.retrieve_rules()["rules"]
        with FlakyProxy(["drop"]) as p:
            with self.assertRaises(finvex.APIConnectionError):
                self.proxied(p).routing.update_rules(rules=rules)
        self.assertEqual(len(p.requests), 1, "a PUT without a key is not retried")
        with FlakyProxy(["drop"]) as p:
            self.proxied(p).routing.update_rules(rules=rules, idempotency_key=uuid.uuid4().hex)
        self.assertEqual(len(p.requests), 2, "a keyed PUT is")
        with FlakyProxy(["drop"] * 3) as p:  # logins ignore keys on the server: never retried
            with self.assertRaises(finvex.APIConnectionError):
                self.proxied(p).auth.login(email="nobody@example.com", password="x" * 12)
        self.assertEqual(len(p.requests), 1)

    def test_timeout_is_a_connection_error(self) -> None:
        with FlakyProxy(["hang"]) as proxy:
            t0 = time.monotonic()
            with self.assertRaises(finvex.APIConnectionError) as ctx:
                self.proxied(proxy, timeout=0.5, max_retries=0).merchant.retrieve()
            self.assertLess(time.monotonic() - t0, 2.5)
        self.assertIn("timed out", ctx.exception.message)
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        closed.close()
        with self.assertRaises(finvex.APIConnectionError):
            finvex.Client(KEY, base_url=f"http://127.0.0.1:{port}", max_retries=1).orders.list()


class WebhookTest(ServerTestCase):
    def test_delivery_is_signed_both_ways(self) -> None:
        c = self.c
        cleanup_test_endpoints(c)
        receiver = Receiver()
        endpoint = c.webhooks.create(url=receiver.url, events=["order.created"],
                                     description=TEST_MARK)
        try:
            secret = endpoint["secret"]
            self.assertTrue(secret.startswith("whsec_"), secret)
            order = c.orders.create(**SEED_BODY)
            raw, headers = receiver.wait_for(
                lambda e: e.get("event") == "order.created" and order.id in json.dumps(e),
                timeout=10)
            self.assertTrue(Webhook.verify(raw, headers["X-Finvex-Signature"], secret))
            self.assertTrue(Webhook.verify_timestamped(raw, headers["Finvex-Signature"], secret))
            tampered = raw.replace(b"50000", b"50001")
            self.assertNotEqual(tampered, raw)
            self.assertFalse(Webhook.verify(tampered, headers["X-Finvex-Signature"], secret))
            self.assertFalse(
                Webhook.verify_timestamped(tampered, headers["Finvex-Signature"], secret))
            self.assertFalse(Webhook.verify(raw, headers["X-Finvex-Signature"], secret + "x"))
            self.assertFalse(Webhook.verify_timestamped(raw, headers["Finvex-Signature"], secret,
                                                        now=time.time() + 3600))
            event = Webhook.construct_event(raw, headers["Finvex-Signature"], secret)
            self.assertEqual(event.event, "order.created")
            self.assertEqual(event.id, headers["X-Finvex-Event-Id"])
            self.assertEqual(str(event.created_at), headers["X-Finvex-Timestamp"])
            self.assertEqual(c.events.retrieve(event.id).id, event.id)
            with self.assertRaises(finvex.SignatureVerificationError):
                Webhook.construct_event(tampered, headers["X-Finvex-Signature"], secret)

            # the endpoint's deliveries, one of them, and a retry of it
            self.assertIn(endpoint.id, [e.id for e in c.webhooks.list_all(limit=200)])
            deliveries = c.webhooks.deliveries.list(endpoint.id, count=20)["items"]
            mine = [d for d in deliveries if d.get("event_id") == event.id]
            self.assertEqual(len(mine), 1, deliveries)
            self.assertEqual((mine[0].endpoint_id, mine[0].event), (endpoint.id, "order.created"))
            self.assertIn(mine[0].status, ("succeeded", "pending"))
            one = c.webhooks.deliveries.retrieve(endpoint.id, mine[0].id)
            self.assertEqual(one.id, mine[0].id)
            self.assertIn("attempt_log", one)
            self.assertEqual(len(list(c.webhooks.deliveries.list_all(endpoint.id, limit=3))),
                             min(3, len(deliveries)))
            before = len(receiver.deliveries)
            queued = c.webhooks.deliveries.retry(endpoint.id, mine[0].id)
            self.assertEqual(queued.id, mine[0].id)
            again, _ = receiver.wait_for(lambda e: e.get("id") == event.id, after=before)
            self.assertEqual(again, raw, "a retried delivery is the same event, byte for byte")

            # a test event, then a rotation: the new secret signs, the old one as "Previous"
            sent = c.webhooks.test(endpoint.id)
            self.assertTrue(sent.success, sent)
            rotated = c.webhooks.rotate_secret(endpoint.id)
            new_secret = rotated["secret"]
            self.assertNotEqual(new_secret, secret)
            before = len(receiver.deliveries)
            c.webhooks.test(endpoint.id)
            raw2, headers2 = receiver.wait_for(lambda e: e.get("event") == "webhook.test",
                                               after=before)
            self.assertTrue(Webhook.verify(raw2, headers2["X-Finvex-Signature"], new_secret))
            self.assertTrue(Webhook.verify(raw2, headers2["X-Finvex-Signature-Previous"], secret))
            self.assertTrue(Webhook.verify_timestamped(raw2, headers2["Finvex-Signature"], secret))
            self.assertTrue(
                Webhook.verify_timestamped(raw2, headers2["Finvex-Signature"], new_secret))
        finally:
            c.webhooks.delete(endpoint.id)
            receiver.close()
        self.assertNotIn(endpoint.id, [e.id for e in c.webhooks.list_all(limit=200)
                                       if e.get("status") != "deleted"])
        with self.assertRaises(finvex.InvalidRequestError) as ctx:
            c.webhooks.create(url=receiver.url, events=["no.such.event"], description=TEST_MARK)
        self.assertEqual(ctx.exception.field, "events")
        types = [t.type for t in c.events.types()["items"]]
        self.assertIn("order.created", types)


class EveryResourceTest(ServerTestCase):
    """One call to each remaining endpoint, so none is untried."""

    def test_merchant_routing_providers_settlements_jobs_portal(self) -> None:
        c = self.c
        merchant = c.merchant.retrieve()
        self.assertEqual(merchant.entity, "merchant")
        rules = c.routing.retrieve_rules()
        self.assertIn("rules", rules)
        updated = c.routing.update_rules(rules=[{"type": "priority", "providers": ["sandbox"]}])
        self.assertEqual(updated["rules"][0]["type"], "priority")
        c.routing.update_rules(rules=rules["rules"])
        self.assertEqual(c.providers.list_credentials().entity, "collection")
        self.assertIn("key_secret", c.sandbox.credentials())
        self.assertEqual(c.settlements.list(count=5).entity, "collection")
        report = c.settlements.sync(from_=int(time.time()) - 86400, to=int(time.time()))
        self.assertIn("synced", report)
        self.assertEqual(c.jobs.list(count=5).entity, "collection")
        for job in c.jobs.list(count=1)["items"]:
            self.assertEqual(c.jobs.retrieve(job.id).id, job.id)
        portal = c.portal_sessions.create(customer_email="buyer@example.com")
        self.assertEqual(portal.entity, "portal_session")
        me = finvex.Client(session_token=portal.token, base_url=BASE_URL).portal_sessions.current()
        self.assertEqual((me.customer_email, me.merchant_id), ("buyer@example.com", merchant.id))

    def test_gst(self) -> None:
        c = self.c
        tax = c.gst.calculate(amount=100000, hsn_code="997331", seller_state="29",
                              buyer_state="27")
        self.assertEqual((tax.rule, tax.igst_paise), ("inter_state", 18000))
        hsn = c.gst.hsn_lookup(q="software", count=2)
        self.assertLessEqual(len(hsn["items"]), 2)
        self.assertTrue(all("code" in h for h in hsn["items"]))
        saved = c.gst.settings.retrieve()
        self.assertEqual(saved.entity, "gst_settings")
        changed = c.gst.settings.update(default_rate=12)
        self.assertEqual(changed.default_rate, 12)
        invoice = c.gst.invoices.create(
            seller_gstin="29AAFCC9980M1ZR", buyer_gstin="27AAPFU0939F1ZV",
            seller={"legal_name": "Acme Pvt Ltd", "address1": "1 MG Road",
                    "location": "Bengaluru", "pin": 560001},
            buyer={"legal_name": "Buyer Co", "address1": "2 FC Road", "location": "Pune",
                   "pin": 411001},
            lines=[{"hsn_code": "997331", "unit_price": 100000, "quantity": 1, "rate": 18}])
        self.assertEqual(invoice.irp_status, "not_submitted")
        restore = {k: saved[k] for k in ("default_rate", "seller_gstin", "seller",
                                         "default_hsn_code") if saved.get(k) is not None}
        c.gst.settings.update(**restore)
        self.assertEqual(c.gst.invoices.retrieve(invoice.id).number, invoice.number)
        self.assertIn(invoice.id, [i.id for i in c.gst.invoices.list(count=10)["items"]])
        self.assertIn("DocDtls", c.gst.invoices.einvoice(invoice.id))
        registered = c.gst.invoices.submit_irn(invoice.id)
        self.assertEqual(registered.irp_status, "generated")
        self.assertIn("FAKE", registered.irp.issuer)
        # The printable invoice: bytes as sent (binary marker intact), the same
        # bytes each time, naming the number and the IRP's acknowledgement.
        pdf = c.gst.invoices.pdf(invoice.id)
        self.assertIsInstance(pdf, bytes)
        self.assertTrue(pdf.startswith(b"%PDF-"))
        self.assertTrue(any(b >= 0x80 for b in pdf[:16]), "no text decoding")
        self.assertIn(f"Invoice No.: {invoice.number}".encode("latin-1"), pdf)
        self.assertIn(f"Ack No.: {registered.irp.ack_no}".encode("latin-1"), pdf)
        self.assertEqual(c.gst.invoices.pdf(invoice.id), pdf)
        with self.assertRaises(finvex.NotFoundError):
            c.gst.invoices.pdf("finvex_inv_missing")
        cancelled = c.gst.invoices.cancel_irn(invoice.id, reason="data_entry_mistake",
                                              remark="finvex-python test")
        self.assertEqual(cancelled.irp_status, "cancelled")
        month = invoice.date[:7]
        # This account also sells as another GSTIN (test_a_filed_month_and_an_amendment).
        report = c.gst.gstr1(month=month, gstin="29AAFCC9980M1ZR")
        # Its IRN was cancelled above: a cancelled document, in Table 13 only.
        self.assertNotIn("b2b", report)
        self.assertEqual(report["doc_issue"]["doc_det"][0]["docs"][0]["cancel"], 1)
        csv = c.gst.gstr1(month=month, gstin="29AAFCC9980M1ZR", format="csv")
        self.assertIsInstance(csv, str)
        self.assertTrue(csv.startswith("# "))

    def test_plans(self) -> None:
        c = self.c
        plan = c.plans.create(name="Pro", amount=99900, interval="monthly")
        self.assertTrue(plan.id.startswith("finvex_plan_"))
        self.assertEqual((plan.interval, plan.interval_count, plan.currency), ("monthly", 1, "INR"))
        with self.assertRaises(finvex.InvalidRequestError) as bad:
            c.plans.create(name="Pro", amount=0, interval="monthly")
        self.assertEqual(bad.exception.field, "amount")
        self.assertEqual(c.plans.retrieve(plan.id).name, "Pro")
        self.assertEqual(c.plans.archive(plan.id).status, "archived")
        self.assertIn(plan.id, [p.id for p in c.plans.list(status="archived")["items"]])

    def test_customers(self) -> None:
        c = self.c
        email = f"py-{secrets.token_hex(4)}@example.in"
        mobile = f"9{secrets.randbelow(10**9):09d}"
        created = c.customers.create(name="Ravi", email=email, phone=mobile)
        self.assertEqual(created.entity, "customer")
        self.assertEqual(created.phone, f"+91{mobile}")
        with self.assertRaises(finvex.ConflictError) as taken:
            c.customers.create(email=email.upper())
        self.assertEqual(taken.exception.field, "email")
        self.assertEqual(c.customers.retrieve(created.id).email, email)
        self.assertEqual([x.id for x in c.customers.list(email=email)["items"]], [created.id])

    def test_a_filed_month_and_an_amendment(self) -> None:
        c = self.c
        india = time.gmtime(time.time() + 5.5 * 3600)
        year, month = india.tm_year, india.tm_mon
        last = f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
        # A seller GSTIN of its own, so no other client's filing of last month interferes.
        gstin = "27AAPFU0939F1ZV"

        def line(paise: int) -> list:
            return [{"hsn_code": "998316", "unit_price": paise}]

        invoice = c.gst.invoices.create(date=f"{last}-16", seller_gstin=gstin,
                                        buyer_gstin="24AANFA2641L1ZF", lines=line(100000))
        fixed = c.gst.invoices.correct(invoice.id, lines=line(95000))
        self.assertEqual(fixed.reported_as, "in_place")
        filing = c.gst.file_gstr1(month=last, gstin=gstin)
        self.assertEqual(filing.entity, "gstr1_filing")
        with self.assertRaises(finvex.ConflictError):
            c.gst.file_gstr1(month=last, gstin=gstin)
        amended = c.gst.invoices.correct(invoice.id, lines=line(105000))
        self.assertEqual(amended.reported_as, "amendment")
        self.assertEqual(c.gst.gstr1(month=last, gstin=gstin), filing.gstr1)
        now = c.gst.gstr1(month=amended.reported_period, gstin=gstin)
        self.assertIn(invoice.number, [i["oinum"] for e in now["b2ba"] for i in e["inv"]])

    def test_signup_session_keys_and_provider_credentials(self) -> None:
        anonymous = finvex.Client(base_url=BASE_URL, session_token=None)
        anonymous.key = None
        email = f"py-{secrets.token_hex(6)}@example.com"
        password = secrets.token_urlsafe(18)
        signed = anonymous.auth.signup(name="Python Test Store", email=email, password=password)
        self.assertEqual(signed.merchant.email, email)
        login = anonymous.auth.login(email=email, password=password)
        self.assertEqual(login.token_type.lower(), "bearer")
        with self.assertRaises(finvex.AuthenticationError):
            anonymous.auth.login(email=email, password=password + "x")
        with self.assertRaises(finvex.ConflictError):
            anonymous.auth.signup(name="Again", email=email, password=password)

        dash = finvex.Client(session_token=login.token, base_url=BASE_URL, mode="test")
        self.assertEqual(dash.merchant.retrieve().id, signed.merchant.id)
        created = dash.keys.create(name="finvex-python")
        self.assertTrue(created.secret_key.startswith("finvex_test_"))
        self.assertIn(created.id, [k.id for k in dash.keys.list()["items"]])
        via_key = finvex.Client(created.secret_key, base_url=BASE_URL)
        self.assertEqual(via_key.merchant.retrieve().id, signed.merchant.id)
        account = dash.providers.set_credentials("cashfree", client_id="cf_test_client",
                                                 client_secret="cf_test_secret", verify=False)
        self.assertEqual((account.provider, account.mode), ("cashfree", "test"))
        self.assertNotIn("client_secret", account)
        self.assertEqual([a.provider for a in via_key.providers.list_credentials()["items"]],
                         ["cashfree"])
        with self.assertRaises(finvex.PermissionDeniedError):
            via_key.providers.delete_credentials("cashfree")  # never with an API key
        self.assertIsNone(dash.providers.delete_credentials("cashfree"))
        with self.assertRaises(finvex.NotFoundError):
            dash.providers.delete_credentials("cashfree")
        dash.keys.revoke(created.id)
        with self.assertRaises(finvex.AuthenticationError):
            via_key.merchant.retrieve()

    def test_admin_routes_refuse_merchants(self) -> None:
        anonymous = finvex.Client(base_url=BASE_URL)
        anonymous.key = None
        with self.assertRaises(finvex.AuthenticationError):
            anonymous.admin.login(email="nobody@example.com", password="not-an-admin-pw")
        with self.assertRaises(finvex.PermissionDeniedError):
            self.c.admin.merchants.list()  # an API key: the wrong kind of credential
        email = f"py-{secrets.token_hex(6)}@example.com"
        password = secrets.token_urlsafe(18)
        anonymous.auth.signup(name="Python Admin Probe", email=email, password=password)
        token = anonymous.auth.login(email=email, password=password).token
        merchant_session = finvex.Client(session_token=token, base_url=BASE_URL)
        with self.assertRaises(finvex.AuthenticationError):
            merchant_session.admin.merchants.list()  # a merchant session opens no admin route
        with self.assertRaises(finvex.AuthenticationError):
            merchant_session.admin.merchants.verify(merchant_session.merchant.retrieve().id)


def main() -> int:
    print(f"finvex {finvex.__version__} from {finvex.__file__}")
    print(f"Python {sys.version.split()[0]}; server {BASE_URL or '(none)'}")
    print(f"{len(finvex.ENDPOINTS)} endpoints in the resource table")
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    if not BASE_URL or not KEY:
        print("FINVEX_BASE_URL and FINVEX_KEY are required: the server tests did not run")
        return 2
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
