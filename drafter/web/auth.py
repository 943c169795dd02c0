"""The access token (``drafter serve --token-file`` / ``DRAFTER_WEB_TOKEN``): sessions, login,
and guessing made slow.

- **Tokens** are at least :data:`MIN_TOKEN_CHARS` characters (:func:`token_problem`; the
  command suggests a generated one).
- **Sessions** (:class:`Sessions`): after the token is given once (login form, ``?token=``
  link, ``Authorization: Bearer``), the browser holds a signed, expiring cookie
  (``expiry.nonce.HMAC``) — never the token or a fixed value derived from it. The signing key
  is new at every start, so a restart ends every session.
- **Guessing** (:class:`Throttle`): every wrong token — form, link or header — counts against
  the client's address; after :data:`FREE_FAILURES` mistakes each further attempt must wait
  twice as long as the last (up to :data:`MAX_WAIT_S`), and all clients together get at most
  :data:`GLOBAL_FAILURES_PER_MIN` wrong tries a minute. A waiting client is answered 429.
- **Login** (:func:`add_login_routes`): ``/login`` with the page to return to, always a local
  path, never carrying a token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from typing import Any, Callable

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response

MIN_TOKEN_CHARS = 16
SESSION_HOURS = 12.0
FREE_FAILURES = 5
MAX_WAIT_S = 300.0
GLOBAL_FAILURES_PER_MIN = 60
COOKIE = "drafter_session"


def token_problem(token: str) -> str | None:
    """Why ``token`` is too weak to protect the pages (Chinese), or None."""
    if len(token) < MIN_TOKEN_CHARS:
        return f"访问口令太短（{len(token)} 个字符，至少 {MIN_TOKEN_CHARS} 个），容易被猜中"
    if len(set(token)) < 4:
        return "访问口令过于简单（重复的字符），容易被猜中"
    return None


def suggest_token() -> str:
    return secrets.token_urlsafe(24)


def token_ok(token: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


class Sessions:
    """Signed values under a key made at start-up: session cookies (expiring) and the
    per-browser form tokens of :mod:`drafter.web.security`."""

    def __init__(self, hours: float = SESSION_HOURS):
        self._key = secrets.token_bytes(32)
        self.seconds = hours * 3600

    def _sign(self, text: str) -> str:
        return hmac.new(self._key, text.encode("ascii"), hashlib.sha256).hexdigest()[:32]

    def signed(self, text: str) -> str:
        return f"{text}.{self._sign(text)}"

    def verify(self, value: str | None) -> str | None:
        """The signed text of ``value`` when its signature is this server's, else None."""
        if not value or "." not in value or not value.isascii():
            return None
        text, _, sig = value.rpartition(".")
        return text if hmac.compare_digest(sig, self._sign(text)) else None

    def issue(self) -> str:
        return self.signed(f"{int(time.time() + self.seconds)}.{secrets.token_urlsafe(12)}")

    def valid(self, value: str | None) -> bool:
        text = self.verify(value)
        if text is None:
            return False
        expiry = text.split(".", 1)[0]
        return expiry.isdigit() and int(expiry) > time.time()

    def cookie(self, secure: bool = False) -> bytes:
        flags = f"; Max-Age={int(self.seconds)}; HttpOnly; SameSite=Strict; Path=/" + \
            ("; Secure" if secure else "")
        return f"{COOKIE}={self.issue()}{flags}".encode("latin-1")


class Throttle:
    """Failed token attempts per client, with exponential backoff (thread-safe)."""

    def __init__(self, free: int = FREE_FAILURES, max_wait: float = MAX_WAIT_S,
                 global_per_min: int = GLOBAL_FAILURES_PER_MIN,
                 clock: Callable[[], float] = time.monotonic):
        self.free, self.max_wait, self.global_per_min = free, max_wait, global_per_min
        self.clock = clock
        self._lock = threading.Lock()
        self._clients: dict[str, tuple[int, float]] = {}  # client -> (failures, not before)
        self._recent: list[float] = []  # times of failures, all clients, last minute

    def wait(self, client: str) -> float:
        """Seconds ``client`` must wait before its next attempt (0: may try now)."""
        now = self.clock()
        with self._lock:
            self._recent = [t for t in self._recent if now - t < 60]
            overall = (self._recent[0] + 60 - now) if len(self._recent) >= self.global_per_min else 0
            _, not_before = self._clients.get(client, (0, 0.0))
            return max(0.0, not_before - now, overall)

    def failed(self, client: str) -> None:
        now = self.clock()
        with self._lock:
            n, _ = self._clients.get(client, (0, 0.0))
            n += 1
            delay = 0.0 if n <= self.free else min(self.max_wait, 2.0 ** (n - self.free - 1))
            self._clients[client] = (n, now + delay)
            self._recent.append(now)
            if len(self._clients) > 10_000:  # forget the oldest clients, not the waits
                for key in list(self._clients)[:1_000]:
                    del self._clients[key]

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._clients.pop(client, None)


def client_of(scope: dict[str, Any]) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "?"


def wait_message(seconds: float) -> str:
    return f"访问口令错误次数过多，请 {max(1, round(seconds))} 秒后再试"


def add_login_routes(app: Any, token: str | None, sessions: Sessions, throttle: Throttle,
                     page: Callable[..., Any]) -> None:
    """``GET/POST /login``: the form, and the token exchanged for a session cookie."""
    from drafter.web.security import local_path

    @app.get("/login")
    def login_form(request: Request, next: str = "/") -> Response:
        return page(request, "login.html", next=local_path(next), error=None)

    @app.post("/login")
    def login(request: Request, token_given: str = Form("", alias="token"),
              next: str = Form("/")) -> Response:
        target = local_path(next)
        if not token:
            return RedirectResponse(target, status_code=303)
        client = client_of(request.scope)
        wait = throttle.wait(client)
        if wait:
            return page(request, "login.html", 429, next=target, error=wait_message(wait),
                        headers={"retry-after": str(max(1, round(wait)))})
        if not token_ok(token, token_given.strip()):
            throttle.failed(client)
            return page(request, "login.html", 401, next=target, error="访问口令不正确")
        throttle.succeeded(client)
        resp = RedirectResponse(target, status_code=303)
        resp.headers.append("set-cookie", sessions.cookie().decode("latin-1"))
        return resp
