"""Two ASGI guards in front of the pages: a request-size limit and an optional access token.

``BodyLimit`` refuses a request whose body is larger than the limit — at once from its
Content-Length, and by counting the bytes actually received (chunked uploads carry no
length) — with 413 before the form parser sees the rest; the answer is the site's own page
(:class:`drafter.web.errors.ErrorPages`) when it is given one.

``TokenGuard`` (only when the server was started with a token): a request passes with the
session cookie, ``Authorization: Bearer TOKEN``, or ``?token=TOKEN`` (which sets the cookie
and redirects to the same page without the token in its address). Others get the login page
(browsers) or 401. The cookie holds an HMAC of the token, not the token; it is HttpOnly and
SameSite=Strict, so another site cannot post forms with it.
"""

from __future__ import annotations

import hashlib
import hmac
from http.cookies import SimpleCookie
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qsl, quote, urlencode

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
COOKIE = "drafter_session"
OPEN_PATHS = ("/login", "/healthz")  # and everything under /static/ (CSS, JS)


class _TooLarge(Exception):
    pass


async def _plain(send: Send, status: int, text: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    def __init__(self, app: Any, max_bytes: int, pages: Any = None):
        self.app = app
        self.max_bytes = max_bytes
        self.pages = pages  # drafter.web.errors.ErrorPages: the refusal is the site's own page

    async def _refuse(self, send: Send, scope: Scope, status: int, message: str) -> None:
        if self.pages is not None:
            await self.pages.send(send, scope, status, message, [(b"connection", b"close")])
            return
        await _plain(send, status, message, [(b"connection", b"close")])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit_mb = round(self.max_bytes / 1024 / 1024, 1)
        message = f"上传内容过大（上限 {limit_mb:g} MB），请减少文件数量或压缩图片后重试"
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_bytes
            except ValueError:
                await self._refuse(send, scope, 400, "请求头 Content-Length 无效")
                return
            if too_big:
                await self._refuse(send, scope, 413, message)
                return
        received = 0
        started = False

        async def counted() -> dict[str, Any]:
            nonlocal received
            msg = await receive()
            if msg["type"] == "http.request":
                received += len(msg.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return msg

        async def tracked(msg: dict[str, Any]) -> None:
            nonlocal started
            started = started or msg["type"] == "http.response.start"
            await send(msg)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await self._refuse(send, scope, 413, message)


class SecurityHeaders:
    """Headers on every answer: the browser may load scripts, styles and images only from this
    server (nothing from outside the machine), no framing, no referrer, no type guessing."""

    HEADERS = [
        (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; "
                                     b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
    ]

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(msg: dict[str, Any]) -> None:
            if msg["type"] == "http.response.start":
                msg = {**msg, "headers": [*msg.get("headers", []), *self.HEADERS]}
            await send(msg)

        await self.app(scope, receive, with_headers)


def session_value(token: str) -> str:
    return hmac.new(token.encode("utf-8"), b"drafter-web-session", hashlib.sha256).hexdigest()


def token_ok(token: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


def cookie_header(token: str, secure: bool = False) -> bytes:
    flags = "; HttpOnly; SameSite=Strict; Path=/" + ("; Secure" if secure else "")
    return f"{COOKIE}={session_value(token)}{flags}".encode("latin-1")


def safe_next(target: str | None) -> str:
    """A local path to go back to after logging in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


class TokenGuard:
    def __init__(self, app: Any, token: str | None):
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.token:
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "/")
        if path in OPEN_PATHS or path.startswith("/static/"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = dict(query).get("token")
        if given is not None and token_ok(self.token, given) and scope.get("method") != "GET":
            await self.app(scope, receive, send)  # a script posting with ?token=: no redirect
            return
        if given is not None and token_ok(self.token, given):
            # Put the session in a cookie and take the token out of the address bar (and history).
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            location = quote(path) + (f"?{rest}" if rest else "")
            await send({"type": "http.response.start", "status": 303,
                        "headers": [(b"location", location.encode("latin-1")),
                                    (b"set-cookie", cookie_header(self.token)),
                                    (b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        auth = headers.get(b"authorization", b"").decode("utf-8", errors="replace")
        if auth.lower().startswith("bearer ") and token_ok(self.token, auth[7:].strip()):
            await self.app(scope, receive, send)
            return
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
        except Exception:  # noqa: BLE001 - a malformed cookie header is just "no session"
            cookie = SimpleCookie()
        morsel = cookie.get(COOKIE)
        if morsel is not None and hmac.compare_digest(morsel.value, session_value(self.token)):
            await self.app(scope, receive, send)
            return
        wants_html = b"text/html" in headers.get(b"accept", b"")
        if scope.get("method") == "GET" and wants_html:
            target = path + ("?" + urlencode(query) if query else "")
            location = "/login?" + urlencode({"next": target})
            await send({"type": "http.response.start", "status": 303,
                        "headers": [(b"location", location.encode("latin-1")),
                                    (b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        await _plain(send, 401, "需要访问口令：请在网址后加 ?token=口令，或在请求头中提供 "
                                "Authorization: Bearer 口令", [(b"www-authenticate", b"Bearer")])
