"""Every error answer is the site's own Chinese page — from a route, from FastAPI's parameter
and form parsing (422, multipart errors), from an unexpected exception (500), and from the
ASGI guards in :mod:`drafter.web.security` that answer before any route runs (400 foreign
Host, 403 cross-site form, 401 login, 413 too large, 429 too many attempts).

A client that asks for JSON only (``Accept: application/json`` without ``text/html``: the
progress poller, scripts) gets ``{"error": "中文说明"}`` with the same status instead.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Awaitable, Callable

log = logging.getLogger("drafter.web")
Send = Callable[[dict[str, Any]], Awaitable[None]]

TITLES = {400: "请求无法处理", 401: "需要访问口令", 403: "请求被拒绝", 404: "未找到", 405: "不支持的请求方式",
          413: "上传内容过大", 422: "请求内容不完整", 429: "尝试次数过多", 500: "服务器内部错误",
          503: "服务暂时不可用"}
MESSAGES = {400: "请求的格式不正确，服务器无法处理。请回到页面重新操作。",
            401: "请先输入访问口令。",
            403: "该请求不是从本网站的页面发出的，已拒绝。请回到页面重新操作。",
            404: "页面不存在。",
            405: "该地址不支持这种请求方式。",
            413: "上传内容过大。",
            422: "表单缺少必填内容或参数格式不正确，请回到页面重新填写。",
            429: "尝试次数过多，请稍后再试。",
            500: "服务器处理时发生内部错误，请稍后重试；如反复出现，请联系管理员查看服务日志。",
            503: "服务器正在停止或繁忙，请稍后再试。"}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese(status: int, detail: Any = None) -> str:
    """``detail`` when it is already Chinese (our own messages), else the status's message."""
    if isinstance(detail, str) and _CJK.search(detail):
        return detail
    return MESSAGES.get(status, TITLES.get(status, "请求无法处理"))


def wants_json(accept: str) -> bool:
    return "application/json" in accept and "text/html" not in accept


class ErrorPages:
    """Renders ``message.html`` (or the JSON form) for a status and a Chinese message."""

    def __init__(self, templates: Any):
        self.templates = templates

    def body(self, status: int, message: str, accept: str = "",
             title: str | None = None) -> tuple[bytes, bytes]:
        """(content, content-type) of the answer."""
        if wants_json(accept):
            return (json.dumps({"error": message}, ensure_ascii=False).encode("utf-8"),
                    b"application/json")
        html = self.templates.get_template("message.html").render(
            title=title or TITLES.get(status, "出错了"), message=message, active=None)
        return html.encode("utf-8"), b"text/html; charset=utf-8"

    async def send(self, send: Send, scope: dict[str, Any], status: int, message: str,
                   headers: list[tuple[bytes, bytes]] = ()) -> None:
        """Answer an ASGI request with the page (from a middleware, before any route)."""
        accept = dict(scope.get("headers") or []).get(b"accept", b"").decode("latin-1")
        body, ctype = self.body(status, message, accept)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode()),
                                (b"cache-control", b"no-store"), *headers]})
        await send({"type": "http.response.body", "body": body})

    def response(self, request: Any, status: int, message: str,
                 headers: dict[str, str] | None = None) -> Any:
        from fastapi.responses import Response

        body, ctype = self.body(status, message, request.headers.get("accept", ""))
        return Response(body, status_code=status, media_type=ctype.decode(), headers=headers)


def install(app: Any, pages: ErrorPages) -> None:
    """Exception handlers for everything FastAPI and Starlette would answer in English."""
    from fastapi.exceptions import RequestValidationError
    from starlette.exceptions import HTTPException

    async def http_error(request: Any, exc: HTTPException) -> Any:
        return pages.response(request, exc.status_code, chinese(exc.status_code, exc.detail),
                              getattr(exc, "headers", None))

    async def invalid(request: Any, exc: RequestValidationError) -> Any:
        return pages.response(request, 422, MESSAGES[422])

    async def crashed(request: Any, exc: Exception) -> Any:
        log.error("request %s %s failed", request.method, request.url.path, exc_info=exc)
        return pages.response(request, 500, MESSAGES[500])

    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(Exception, crashed)
