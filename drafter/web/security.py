"""The ASGI guards in front of every page — new routes get them without any edit.

From the outside in (:func:`install` adds them in this order):

``HostGuard``
    The ``Host`` header must name this server: the address it is bound to (any IP address
    when bound to all interfaces), ``localhost``, or a name given with ``--allow-host``.
    Another name means the browser was pointed here by someone else's DNS (a "DNS rebinding"
    page reading the findings): 400.
``SecurityHeaders``
    CSP (scripts, styles and images from this server only; forms post here only), no
    framing, no type guessing; ``Referrer-Policy: same-origin`` (this site's own addresses
    never go to other sites, and its own forms carry their origin).
``TokenGuard`` (:mod:`drafter.web.auth`, only with an access token)
    Session cookie, ``Authorization: Bearer`` or ``?token=`` (exchanged for the cookie and
    taken out of the address by a redirect); others go to the login page or get 401; wrong
    tokens are throttled (429).
``SameOrigin``
    A request that changes something (POST, PUT, PATCH, DELETE) must come from this site's
    own page: its ``Origin`` (or, without one, its ``Referer``) must be this server — a page
    on another site *or another port of the same host* is refused with 403 before its body is
    read. A client that sends neither (an old browser, a script) must put this browser's form
    token (:func:`form_token`, also in every form as ``csrf_token``) in the form: checked by
    :func:`require_form_token`, a dependency of the whole app. Requests authorised by the
    token itself (Bearer, ``?token=``) are not forgeable by another page and pass.
``BodyLimit``
    A body larger than the limit is refused with 413 — at once from its Content-Length, and
    by counting the bytes received (chunked uploads carry no length) — before the form parser
    sees the rest.

Redirects go to local paths only (:func:`local_path`). Every refusal is the site's Chinese
page (:mod:`drafter.web.errors`).
"""

from __future__ import annotations

import ipaddress
import secrets
from http.cookies import SimpleCookie
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from fastapi import HTTPException, Request

from drafter.web.auth import COOKIE, Sessions, Throttle, client_of, token_ok, wait_message
from drafter.web.errors import ErrorPages

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
OPEN_PATHS = ("/login", "/healthz")  # and everything under /static/ (CSS, JS)
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
FORM_COOKIE = "drafter_form"
FORM_FIELD = "csrf_token"
LOCAL_NAMES = {"localhost", "localhost.", "localhost.localdomain", "ip6-localhost"}


def local_path(target: str | None) -> str:
    """``target`` when it is a path on this site, else "/" (never another site: no scheme,
    no ``//host``, no backslash, no control characters)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target \
            or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return "/"
    return target


safe_next = local_path  # the login page's name for it


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return dict(scope.get("headers") or [])


def _state(scope: Scope) -> dict[str, Any]:
    return scope.setdefault("state", {})


# -- Host ---------------------------------------------------------------------------------------

def _host_name(value: str) -> str:
    """The name or address of a Host header value, without the port, lower case."""
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8000
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


class HostPolicy:
    """Which Host names reach this server (see HostGuard)."""

    def __init__(self, bound: str, allow: tuple[str, ...] | list[str] = ()):
        self.bound = _host_name(bound) if bound else ""
        self.allow = {_host_name(a) for a in allow if a.strip()}
        ip = _ip(self.bound)
        self.wildcard = self.bound in ("", "0.0.0.0", "::") or (ip is not None and ip.is_unspecified)
        self.loopback = self.bound in LOCAL_NAMES or (ip is not None and ip.is_loopback)

    def allows(self, header: str) -> bool:
        name = _host_name(header)
        if not name:
            return False
        if name in self.allow or name in LOCAL_NAMES or name == self.bound:
            return True
        ip = _ip(name)
        if ip is None:
            return False  # a DNS name nobody allowed: possibly rebinding
        # An address cannot be rebound. Bound to every interface, any of ours may be used;
        # bound to loopback, 127.0.0.1 and ::1 are the same machine.
        return self.wildcard or (self.loopback and ip.is_loopback)


class HostGuard:
    def __init__(self, app: Any, policy: HostPolicy, pages: ErrorPages):
        self.app, self.policy, self.pages = app, policy, pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = _headers(scope).get(b"host", b"").decode("latin-1")
            if not self.policy.allows(host):
                await self.pages.send(send, scope, 400, "请求的主机名不被本服务接受。请使用启动时显示的地址访问"
                                      "（管理员可用 --allow-host 添加其他名称）。",
                                      [(b"connection", b"close")])
                return
        await self.app(scope, receive, send)


# -- headers ----------------------------------------------------------------------------------

class SecurityHeaders:
    HEADERS = [
        (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; "
                                     b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
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


# -- access token -------------------------------------------------------------------------------

def _cookie(scope: Scope, name: str) -> str | None:
    jar = SimpleCookie()
    try:
        jar.load(_headers(scope).get(b"cookie", b"").decode("latin-1"))
    except Exception:  # noqa: BLE001 - a malformed cookie header is just "no cookie"
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None


async def _redirect(send: Send, location: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0"),
                            *headers]})
    await send({"type": "http.response.body", "body": b""})


class TokenGuard:
    def __init__(self, app: Any, token: str | None, sessions: Sessions, throttle: Throttle,
                 pages: ErrorPages):
        self.app, self.token, self.sessions = app, token, sessions
        self.throttle, self.pages = throttle, pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.token:
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "/")
        if path in OPEN_PATHS or path.startswith("/static/"):
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        rest = [(k, v) for k, v in query if k != "token"]
        given = dict(query).get("token")
        auth = headers.get(b"authorization", b"").decode("utf-8", errors="replace")
        bearer = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        if given is not None or bearer is not None:
            client = client_of(scope)
            wait = self.throttle.wait(client)
            if wait:
                await self.pages.send(send, scope, 429, wait_message(wait),
                                      [(b"retry-after", str(max(1, round(wait))).encode())])
                return
            if token_ok(self.token, given if bearer is None else bearer):
                self.throttle.succeeded(client)
                if bearer is None and scope.get("method") == "GET":
                    # The session goes in a cookie; the token out of the address bar (history).
                    location = local_path(quote(path)) + (f"?{urlencode(rest)}" if rest else "")
                    await _redirect(send, location, [(b"set-cookie", self.sessions.cookie())])
                    return
                _state(scope)["token_authorised"] = True  # a script: not forgeable by a page
                await self.app(scope, receive, send)
                return
            self.throttle.failed(client)
        if self.sessions.valid(_cookie(scope, COOKIE)):  # logged in (a wrong token aside)
            await self.app(scope, receive, send)
            return
        if scope.get("method") == "GET" and b"text/html" in headers.get(b"accept", b""):
            # Back to this page after logging in — without a (mistyped) token in the address.
            target = local_path(path) + (f"?{urlencode(rest)}" if rest else "")
            await _redirect(send, "/login?" + urlencode({"next": target}))
            return
        await self.pages.send(send, scope, 401, "需要访问口令：请在浏览器中登录，或在请求头中提供 "
                              "Authorization: Bearer 口令", [(b"www-authenticate", b"Bearer")])


# -- same origin ------------------------------------------------------------------------------

def form_token(request: Any) -> str:
    """This browser's form token (put in forms as ``csrf_token``; see SameOrigin)."""
    return _state(request.scope).get("form_token", "")


class SameOrigin:
    def __init__(self, app: Any, sessions: Sessions, pages: ErrorPages):
        self.app, self.sessions, self.pages = app, sessions, pages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = _state(scope)
        cookie = _cookie(scope, FORM_COOKIE)
        fresh = None if self.sessions.verify(cookie) else self.sessions.signed(secrets.token_urlsafe(12))
        state["form_token"] = fresh or cookie
        if scope.get("method") in UNSAFE_METHODS and not state.get("token_authorised"):
            verdict = self._origin(scope)
            if verdict is False:
                await self.pages.send(send, scope, 403, "该请求来自其他网站或其他端口的页面，已拒绝。"
                                      "请直接在本网站的页面上操作。", [(b"connection", b"close")])
                return
            state["form_token_required"] = verdict is None

        async def with_cookie(msg: dict[str, Any]) -> None:
            if fresh and msg["type"] == "http.response.start":
                value = f"{FORM_COOKIE}={fresh}; HttpOnly; SameSite=Strict; Path=/".encode("latin-1")
                msg = {**msg, "headers": [*msg.get("headers", []), (b"set-cookie", value)]}
            await send(msg)

        await self.app(scope, receive, with_cookie)

    @staticmethod
    def _origin(scope: Scope) -> bool | None:
        """True: from this site; False: from another; None: the request does not say."""
        headers = _headers(scope)
        host = headers.get(b"host", b"").decode("latin-1").strip().lower()
        for name in (b"origin", b"referer"):
            value = headers.get(name)
            if value is None:
                continue
            value = value.decode("latin-1").strip()
            if value == "null":  # a sandboxed or privacy-stripped page: not ours
                return False
            return urlsplit(value).netloc.lower() == host
        return None


async def require_form_token(request: Request) -> None:
    """App-wide dependency: a state-changing request that did not say where it came from must
    carry this browser's form token in its form (403 otherwise)."""
    if not _state(request.scope).get("form_token_required"):
        return
    try:
        form = await request.form()
    except HTTPException:
        raise
    except Exception:  # noqa: BLE001 - an unreadable form has no token either
        form = {}
    given = form.get(FORM_FIELD) if hasattr(form, "get") else None
    # The browser's cookie, when this server signed it (else the new one it is being given).
    expected = _state(request.scope).get("form_token")
    if not (isinstance(given, str) and expected and token_ok(expected, given)):
        raise HTTPException(403, "该请求没有说明来源，也没有本网站页面的表单令牌，已拒绝。"
                                 "请回到本网站的页面重新提交。")


# -- body size ----------------------------------------------------------------------------------

class TooLarge(HTTPException):
    """The body passed the limit while it was being read (FastAPI answers it as it is)."""

    def __init__(self, message: str):
        super().__init__(413, message, headers={"connection": "close"})


class BodyLimit:
    def __init__(self, app: Any, max_bytes: int, pages: ErrorPages | None = None):
        self.app = app
        self.max_bytes = max_bytes
        self.pages = pages

    async def _refuse(self, send: Send, scope: Scope, status: int, message: str) -> None:
        if self.pages is not None:
            await self.pages.send(send, scope, status, message, [(b"connection", b"close")])
            return
        body = message.encode("utf-8")
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit_mb = round(self.max_bytes / 1024 / 1024, 1)
        message = f"上传内容过大（上限 {limit_mb:g} MB），请减少文件数量或压缩图片后重试"
        length = _headers(scope).get(b"content-length")
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
                    raise TooLarge(message)
            return msg

        async def tracked(msg: dict[str, Any]) -> None:
            nonlocal started
            started = started or msg["type"] == "http.response.start"
            await send(msg)

        try:
            await self.app(scope, counted, tracked)
        except TooLarge:
            if not started:
                await self._refuse(send, scope, 413, message)


def dependencies() -> list[Any]:
    """The app-wide dependencies (``FastAPI(dependencies=…)``): every route, also ones added
    later or from routers, checks the form token when SameOrigin asked for it."""
    from fastapi import Depends

    return [Depends(require_form_token)]


def install(app: Any, *, host: str, allow_hosts: tuple[str, ...], token: str | None,
            max_bytes: int, pages: ErrorPages, sessions: Sessions, throttle: Throttle) -> None:
    """Add the guards to ``app`` (outermost last; the form-token dependency is given to the
    app itself, see :func:`dependencies`)."""
    app.add_middleware(BodyLimit, max_bytes=max_bytes, pages=pages)
    app.add_middleware(SameOrigin, sessions=sessions, pages=pages)
    app.add_middleware(TokenGuard, token=token, sessions=sessions, throttle=throttle, pages=pages)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HostGuard, policy=HostPolicy(host, allow_hosts), pages=pages)
