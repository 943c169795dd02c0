"""The 审核 page's downloads and choices beyond the findings — what ``drafter check`` offers on
the command line: the 审核意见表 (``--export``: .xlsx, .docx, .csv, with the page's severity and
category filters), the fixed copy with Word revisions (``--fix``), and keeping a review on the
server for ``--keep-days`` days. Registered by :func:`drafter.web.app.create_app`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, Response

from drafter.checker.finding import CATEGORY_LABELS, SEVERITY_LABELS
from drafter.web.checks import fixed_copy, load_view, review_bytes, stored_of
from drafter.web.jobs import public_message

MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "csv": "text/csv; charset=utf-8", "txt": "text/plain; charset=utf-8",
         "md": "text/markdown; charset=utf-8"}
DAY = 86400.0


def filters(severity: str | None, category: str | None) -> tuple[set[str], set[str]]:
    """The page's filters from the query (comma-separated keys), unknown keys dropped."""
    def keys(raw: str | None, known: dict[str, str]) -> set[str]:
        return {k for k in (raw or "").split(",") if k in known}

    return keys(severity, SEVERITY_LABELS), keys(category, CATEGORY_LABELS)


def query(severities: set[str], categories: set[str]) -> str:
    """``?severity=…&category=…`` for links that keep the filters ("" when there are none)."""
    parts = []
    if severities:
        parts.append("severity=" + ",".join(k for k in SEVERITY_LABELS if k in severities))
    if categories:
        parts.append("category=" + ",".join(k for k in CATEGORY_LABELS if k in categories))
    return ("?" + "&".join(parts)) if parts else ""


def kept_text(until: float | None) -> str | None:
    if until is None:
        return None
    return dt.datetime.fromtimestamp(until).strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月")


def review_router(settings: Any, store: Any, page: Callable[..., Response],
                  not_found: Callable[[Request, str], Response],
                  attachment: Callable[[str, str], dict[str, str]]) -> APIRouter:
    router = APIRouter()

    @router.get("/check/{bid}/review.{fmt}")
    async def review_table(request: Request, bid: str, fmt: str, severity: str | None = None,
                           category: str | None = None) -> Response:
        """The 审核意见表 of every file checked (as ``drafter check --export``)."""
        folder = store.folder(bid, "check")
        if folder is None or fmt not in ("xlsx", "docx", "csv"):
            return not_found(request, "该审核意见表")
        store.touch(folder)
        sev, cat = filters(severity, category)
        data = await run_in_threadpool(review_bytes, folder, f".{fmt}", sev or None, cat or None)
        if data is None:
            return not_found(request, "该审核意见表")
        return Response(data, media_type=MEDIA[fmt],
                        headers=attachment(f"审核意见表.{fmt}", f"review.{fmt}"))

    @router.get("/check/{bid}/{n}/fixed")
    async def fixed(request: Request, bid: str, n: int) -> Response:
        """The report with its safe fixes — as Word revisions in a Word document."""
        from drafter.errors import DrafterError

        folder = store.folder(bid, "check")
        view = load_view(folder) if folder else None
        fv = next((f for f in (view or {}).get("files", []) if f.get("index") == n and "findings" in f),
                  None)
        if folder is None or fv is None:
            return not_found(request, "该文件")
        store.touch(folder)
        suffix = (folder / fv["stored"]).suffix.lower()
        ext = "docx" if suffix in (".docx", ".doc", ".wps") else suffix.lstrip(".")
        out = folder / f"{n:02d}-fixed.{ext}"
        if not out.exists():
            try:
                await run_in_threadpool(fixed_copy, folder, fv, out)
            except DrafterError as e:
                return page(request, "message.html", 400, title="无法生成修订版",
                            message=public_message(e.one_line(), *stored_of(folder, fv)))
        stem = fv["name"].rsplit(".", 1)[0] if "." in fv["name"] else fv["name"]
        return FileResponse(out, filename=f"{stem}-修订版.{ext}", media_type=MEDIA[ext])

    @router.post("/check/{bid}/keep")
    def keep(request: Request, bid: str) -> Response:
        """Keep this review on the server for ``--keep-days`` days."""
        folder = store.folder(bid, "check")
        if folder is None:
            return not_found(request, "该审核结果")
        if settings.keep_days > 0:
            store.keep(folder, settings.keep_days * DAY)
        return RedirectResponse(f"/check/{bid}", status_code=303)

    return router
