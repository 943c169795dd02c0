"""The 审核 page's downloads and choices beyond the findings — what ``drafter check`` offers on
the command line: the 审核意见表 (``--export``: .xlsx, .docx, .csv, with the page's severity and
category filters), the annotated copy (``--annotate``), the fixed copy with Word revisions
(``--fix``), and keeping a review on the server for ``--keep-days`` days. Registered by
:func:`drafter.web.app.create_app`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, Response

from drafter.checker.finding import CATEGORY_LABELS, SEVERITY_LABELS
from drafter.web.checks import LLMReview, annotate, fixed_copy, load_view, review_bytes, stored_of
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

    def checked_file(bid: str, n: int) -> tuple[Path, dict[str, Any]] | None:
        """The folder of check ``bid`` and the view of its file ``n`` (None: not there)."""
        folder = store.folder(bid, "check")
        view = load_view(folder) if folder else None
        fv = next((f for f in (view or {}).get("files", []) if f.get("index") == n and "findings" in f),
                  None)
        if folder is None or fv is None:
            return None
        store.touch(folder)
        return folder, fv

    async def made(request: Request, folder: Path, fv: dict[str, Any], out: Path, what: str,
                   make: Callable[..., Any], *args: Any) -> Response | None:
        """Make ``out`` once (in a worker thread); the page's message when it cannot be made."""
        from drafter.errors import DrafterError

        if out.exists():
            return None
        try:
            await run_in_threadpool(make, folder, fv, out, *args)
        except DrafterError as e:
            return page(request, "message.html", 400, title=f"无法生成{what}",
                        message=public_message(e.one_line(), *stored_of(folder, fv)))
        return None

    def stem(fv: dict[str, Any]) -> str:
        return fv["name"].rsplit(".", 1)[0] if "." in fv["name"] else fv["name"]

    @router.get("/check/{bid}/{n}/annotated.docx")
    async def annotated(request: Request, bid: str, n: int) -> Response:
        """The report with every finding as a Word comment (as ``drafter check --annotate``)."""
        found = checked_file(bid, n)
        if found is None:
            return not_found(request, "该文件")
        folder, fv = found
        out = folder / f"{n:02d}-annotated.docx"
        failed = await made(request, folder, fv, out, "批注版", annotate,
                            LLMReview(settings.model, settings.env), settings.config)
        return failed or FileResponse(out, filename=f"{stem(fv)}-审核批注.docx", media_type=MEDIA["docx"])

    @router.get("/check/{bid}/{n}/fixed")
    async def fixed(request: Request, bid: str, n: int) -> Response:
        """The report with its safe fixes — as Word revisions in a Word document."""
        found = checked_file(bid, n)
        if found is None:
            return not_found(request, "该文件")
        folder, fv = found
        suffix = (folder / fv["stored"]).suffix.lower()
        ext = "docx" if suffix in (".docx", ".doc", ".wps") else suffix.lstrip(".")
        out = folder / f"{n:02d}-fixed.{ext}"
        failed = await made(request, folder, fv, out, "修订版", fixed_copy, settings.config)
        return failed or FileResponse(out, filename=f"{stem(fv)}-修订版.{ext}", media_type=MEDIA[ext])

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
