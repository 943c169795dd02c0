"""The web pages (``drafter serve``): 起草, 审核, 规则 — server-rendered, every asset local.

Each page calls the same functions as the command line: :func:`drafter.pipeline.draft`
(through :mod:`drafter.web.jobs`), :func:`drafter.api.check_file`,
:func:`drafter.api.annotate_file` (with one :class:`drafter.api.CheckRequest`),
:func:`drafter.api.workbook_template` and the rule registry. Uploads live in
:class:`drafter.web.uploads.UploadStore` folders and are deleted after ``keep_minutes``.
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from drafter.web import errors, imports, security, views
from drafter.web.auth import Sessions, Throttle, add_login_routes
from drafter.web.checks import CheckChoices, CheckFailed, LLMReview, load_view, run_checks, until_stopped, warm_up
from drafter.web.jobs import Busy, DraftJob, JobManager, run_draft
from drafter.web.review_routes import filters, kept_text, query, review_router
from drafter.web.uploads import FACTS_TYPES, REPORT_TYPES, UploadRejected, UploadStore

HERE = Path(__file__).resolve().parent
log = logging.getLogger("drafter.web")
MB = 1024 * 1024


@dataclass
class WebSettings:
    """How ``drafter serve`` was started (see ``drafter serve --help``)."""

    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    allow_hosts: tuple[str, ...] = ()  # Host names accepted besides the bound address and localhost
    corpus: str | None = None  # drafting reads last year from it; the workbook is pre-filled from it
    model: str | None = None  # llm backend (else DRAFTER_MODEL)
    upload_dir: str | None = None  # None: a new temporary folder, removed on exit
    keep_minutes: float = 60.0
    keep_days: float = 30.0  # a review the user chose to keep stays this long (0: no such choice)
    max_upload_mb: float = 20.0
    max_files: int = 20
    draft_workers: int = 2
    max_waiting: int = 8
    env: dict[str, str] | None = None  # the llm backend's environment (None: os.environ)
    purge_every_s: float | None = None  # None: min(60 s, keep_minutes / 4)
    on_ready: Callable[[], None] | None = None  # called once the tables are loaded (serve prints the address)
    config: Any = None  # the drafter.toml loaded at start (drafter.config.Config), used by every check


def llm_status(settings: WebSettings) -> tuple[bool, str]:
    """Whether the llm backend is configured on this server, and what to show about it."""
    import importlib.util

    from drafter.backends.llm_client import endpoint_from_env
    from drafter.errors import ConfigError

    try:
        ep = endpoint_from_env(settings.model, settings.env)
    except ConfigError as e:
        return False, e.message
    if importlib.util.find_spec("httpx") is None:
        return False, "大模型起草所需的依赖未安装（pip install \"drafter[llm]\"）"
    return True, f"模型 {ep.model}"


def corpus_units(settings: WebSettings) -> list[str]:
    if not settings.corpus:
        return []
    from drafter.corpus import Corpus
    from drafter.errors import DrafterError

    try:
        return list(Corpus.open(settings.corpus).units)
    except DrafterError:
        return []


def create_app(settings: WebSettings | None = None) -> FastAPI:
    s = settings or WebSettings()
    store = UploadStore(s.upload_dir, s.keep_minutes * 60, int(s.max_upload_mb * MB))
    env = s.env
    jobs = JobManager(s.draft_workers, s.max_waiting,
                      lambda job: run_draft(job, corpus=s.corpus, model=s.model, env=env))
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(keep_minutes=s.keep_minutes, max_upload_mb=s.max_upload_mb,
                                 keep_days=s.keep_days, max_files=s.max_files,
                                 shown_per_rule=views.SHOWN_PER_RULE,
                                 SEVERITY_LABELS=views.SEVERITY_LABELS,
                                 CATEGORY_LABELS=views.CATEGORY_LABELS)
    stop = threading.Event()  # set when the server stops: the purge loop and running checks end
    pages = errors.ErrorPages(templates)
    sessions = Sessions()  # a new signing key: sessions of an earlier start are void

    def purge_loop() -> None:
        every = s.purge_every_s or min(60.0, max(1.0, s.keep_minutes * 60 / 4))
        while not stop.wait(every):
            purge()

    def purge() -> int:
        removed = store.purge_expired(busy=jobs.busy_ids())
        jobs.forget(lambda jid: store.folder(jid) is not None)
        return removed

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await run_in_threadpool(warm_up)
        if s.on_ready is not None:
            s.on_ready()
        thread = threading.Thread(target=purge_loop, name="drafter-purge", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()  # running checks stop at their next rule, drafts at their next section
            await run_in_threadpool(jobs.shutdown, 2.0)
            store.close()

    app = FastAPI(title="drafter", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan, dependencies=security.dependencies(), **_no_telemetry())
    app.state.settings, app.state.store, app.state.jobs, app.state.purge = s, store, jobs, purge
    app.state.stopping, app.state.throttle = stop, Throttle()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    # One page design for every error, from routes and guards (security.install: the guards,
    # outermost last — the Host first, the token before the body is read).
    errors.install(app, pages)
    security.install(app, host=s.host, allow_hosts=s.allow_hosts, token=s.token,
                     max_bytes=int(s.max_upload_mb * MB), pages=pages, sessions=sessions,
                     throttle=app.state.throttle)

    def page(request: Request, name: str, status: int = 200, headers: dict[str, str] | None = None,
             **ctx: Any) -> Response:
        ctx.setdefault("csrf_token", security.form_token(request))
        return templates.TemplateResponse(request, name, ctx, status_code=status, headers=headers)

    imports.register(app, s.corpus, store, templates, page)  # 导入往年报告 (the 起草 page)

    def not_found(request: Request, what: str) -> Response:
        return page(request, "message.html", 404, title="未找到",
                    message=f"{what}不存在或已过期（上传的文件和结果保存 {s.keep_minutes:g} 分钟后自动删除）")

    # -- general ---------------------------------------------------------------------------
    @app.get("/")
    def home() -> Response:
        return RedirectResponse("/draft", status_code=303)

    @app.get("/healthz")
    def healthz() -> Response:
        return PlainTextResponse("ok")

    add_login_routes(app, s.token, sessions, throttle=app.state.throttle, page=page)

    # -- 起草 --------------------------------------------------------------------------------
    def draft_page(request: Request, status: int = 200, error: str | None = None) -> Response:
        ok, llm_text = llm_status(s)
        return page(request, "draft.html", status, error=error, llm_ok=ok, llm_text=llm_text,
                    units=corpus_units(s), accept=",".join(FACTS_TYPES), active="draft")

    @app.get("/draft")
    def draft_form(request: Request) -> Response:
        return draft_page(request)

    @app.post("/draft")
    async def draft_submit(request: Request, facts: UploadFile = File(...),
                           backend: str = Form("template")) -> Response:
        if backend not in ("template", "llm"):
            return draft_page(request, 400, f"未知的起草方式“{backend}”")
        if backend == "llm" and not llm_status(s)[0]:
            return draft_page(request, 400, "本服务器未配置大模型，请选择“离线模板”")
        data = await _read_limited(facts, store.max_file_bytes)
        fid, folder = store.new_folder("draft")
        try:
            stored = store.save(folder, 1, data, facts.filename, FACTS_TYPES)
        except UploadRejected as e:
            store.remove(fid)
            return draft_page(request, e.status, e.message)
        job = DraftJob(fid, folder, stored, backend)
        try:
            jobs.submit(job)
        except Busy:
            store.remove(fid)
            return draft_page(request, 503, f"服务器正在起草的报告较多（同时 {jobs.workers} 份），请稍后再试")
        return RedirectResponse(f"/draft/{fid}", status_code=303)

    @app.get("/draft/{jid}")
    def draft_job(request: Request, jid: str) -> Response:
        job = jobs.get(jid)
        if job is None or store.folder(jid, "draft") is None:
            return not_found(request, "该起草任务")
        store.touch(job.folder)
        snap = job.snapshot()
        outcome = job.outcome() if snap["status"] == "done" else None
        return page(request, "job.html", job=snap, outcome=outcome, active="draft",
                    findings=_draft_findings(outcome))

    @app.get("/draft/{jid}/status")
    def draft_status(jid: str) -> Response:
        job = jobs.get(jid)
        if job is None or store.folder(jid, "draft") is None:
            return JSONResponse({"error": "该起草任务不存在或已过期"}, status_code=404)
        return JSONResponse(job.snapshot(), headers={"cache-control": "no-store"})

    def _finished(jid: str) -> DraftJob | None:
        job = jobs.get(jid)
        if job is None or job.status != "done" or store.folder(jid, "draft") is None:
            return None
        store.touch(job.folder)
        return job

    @app.get("/draft/{jid}/report.docx")
    def draft_docx(request: Request, jid: str) -> Response:
        job = _finished(jid)
        outcome = job.outcome() if job else None
        if job is None or outcome is None:
            return not_found(request, "该报告")
        return FileResponse(job.folder / "draft.docx", filename=outcome["download_name"],
                            media_type=DOCX)

    @app.get("/draft/{jid}/run-report.{fmt}")
    def draft_run_report(request: Request, jid: str, fmt: str) -> Response:
        job = _finished(jid)
        outcome = job.outcome() if job else None
        if job is None or outcome is None or fmt not in ("md", "json"):
            return not_found(request, "该运行报告")
        stem = outcome["download_name"].rsplit(".", 1)[0]
        return FileResponse(job.folder / f"run-report.{fmt}", filename=f"{stem}-运行报告.{fmt}",
                            media_type="text/markdown; charset=utf-8" if fmt == "md"
                            else "application/json")

    @app.get("/draft/{jid}/facts.xlsx")
    def draft_facts_workbook(request: Request, jid: str) -> Response:
        """The uploaded facts as a filled-in workbook (``drafter facts convert``)."""
        from drafter.facts import load_facts
        from drafter.facts.xlsx import facts_to_xlsx_bytes

        job = _finished(jid)
        outcome = job.outcome() if job else None
        if job is None or outcome is None:
            return not_found(request, "该事实文件")
        data = facts_to_xlsx_bytes(load_facts(job.facts.path))
        stem = outcome["download_name"].rsplit(".", 1)[0]
        return Response(data, media_type=XLSX, headers=_attachment(f"{stem}-事实采集表.xlsx", "facts.xlsx"))

    @app.get("/facts/template.xlsx")
    def facts_template(request: Request, unit: str | None = None) -> Response:
        from drafter.api import workbook_template
        from drafter.errors import DrafterError

        if unit and unit not in corpus_units(s):
            return not_found(request, f"语料库中的单位“{unit}”")
        try:
            data, _notes = workbook_template(s.corpus if unit else None, unit or None)
        except DrafterError as e:
            return page(request, "message.html", 400, title="无法生成采集表", message=e.one_line())
        name = f"事实采集表-{unit}.xlsx" if unit else "事实采集表.xlsx"
        return Response(data, media_type=XLSX, headers=_attachment(name, "facts-template.xlsx"))

    # -- 审核 --------------------------------------------------------------------------------
    def check_page(request: Request, status: int = 200, error: str | None = None) -> Response:
        ok, llm_text = llm_status(s)  # the 大模型 checkbox only when an endpoint is configured
        return page(request, "check.html", status, error=error, accept=",".join(REPORT_TYPES),
                    facts_accept=",".join(FACTS_TYPES), active="check", llm_ok=ok,
                    llm_text=llm_text, profiles=views.profile_names())

    @app.get("/check")
    def check_form(request: Request) -> Response:
        return check_page(request)

    @app.post("/check")
    async def check_submit(request: Request, files: list[UploadFile] = File(...),
                           facts: UploadFile | None = File(None),
                           previous: UploadFile | None = File(None), profile: str = Form(""),
                           keep: str = Form(""), llm: str = Form("")) -> Response:
        files = [f for f in files if f.filename]
        if not files:
            return check_page(request, 400, "请选择要审核的报告文件")
        review = LLMReview(s.model, s.env) if llm else None
        if review is not None and not llm_status(s)[0]:
            return check_page(request, 400, "本服务器未配置大模型，不能使用大模型辅助审核")
        if len(files) > s.max_files:
            return check_page(request, 400, f"一次最多审核 {s.max_files} 个文件（现有 {len(files)} 个）")
        fid, folder = store.new_folder("check")
        stored, rejected = [], []
        for i, up in enumerate(files, start=1):
            data = await _read_limited(up, store.max_file_bytes)
            try:
                stored.append(store.save(folder, i, data, up.filename, REPORT_TYPES))
            except UploadRejected as e:
                rejected.append(e.message)
        choices = CheckChoices(profile=profile if profile in views.profile_names() else None,
                               llm=review)
        for field_, up, index, types in (("facts", facts, 0, FACTS_TYPES),
                                         ("previous", previous, 90, REPORT_TYPES)):
            if up is None or not up.filename:
                continue
            try:
                setattr(choices, field_, store.save(folder, index, await _read_limited(
                    up, store.max_file_bytes), up.filename, types))
            except UploadRejected as e:
                store.remove(fid)
                return check_page(request, e.status, e.message)
        if not stored:
            store.remove(fid)
            return check_page(request, 400, "；".join(rejected))
        if keep and s.keep_days > 0:
            store.keep(folder, s.keep_days * 86400)
        try:
            await until_stopped(stop, run_checks, folder, stored, rejected, choices, stop, s.config)
        except CheckFailed as e:
            store.remove(fid)
            return check_page(request, e.status, e.message)
        return RedirectResponse(f"/check/{fid}", status_code=303)

    @app.get("/check/{bid}")
    def check_result(request: Request, bid: str, category: str | None = None,
                     severity: str | None = None, rule: str | None = None,
                     page_no: int = Query(1, alias="page", ge=1)) -> Response:
        folder = store.folder(bid, "check")
        view = load_view(folder) if folder else None
        if view is None:
            return not_found(request, "该审核结果")
        store.touch(folder)
        sev, cats = filters(severity, category)
        category = next(iter(cats)) if len(cats) == 1 else None
        severity = next(iter(sev)) if len(sev) == 1 else None
        files = [{**fv, **views.file_page(fv, category, severity, rule, page_no)}
                 for fv in view["files"]]
        return page(request, "check_result.html", bid=bid, files=files, category=category,
                    severity=severity, categories=views.category_counts(view["files"]),
                    severities=views.severity_counts(view["files"]), rejected=view["rejected"],
                    facts=view.get("facts"), previous=view.get("previous"),
                    profile=view.get("profile"), active="check", rule=rule if rule else None,
                    page_no=page_no, filter_query=query(sev, cats),
                    kept=kept_text(store.kept_until(folder)))

    @app.get("/check/{bid}/results.json")
    def check_json(request: Request, bid: str) -> Response:
        folder = store.folder(bid, "check")
        if folder is None or not (folder / "results.json").exists():
            return not_found(request, "该审核结果")
        store.touch(folder)
        return FileResponse(folder / "results.json", filename="审核结果.json",
                            media_type="application/json")

    app.include_router(review_router(s, store, page, not_found, _attachment))

    # -- 规则 --------------------------------------------------------------------------------
    rules_cache: list[list[dict[str, Any]]] = []

    @app.get("/rules")
    def rules(request: Request) -> Response:
        if not rules_cache:
            rules_cache.append(views.rules_view())
        rs = rules_cache[0]
        return page(request, "rules.html", rules=rs, active="rules",
                    categories=[(c, views.CATEGORY_LABELS[c], sum(r["category"] == c for r in rs))
                                for c in views.CATEGORY_LABELS if any(r["category"] == c for r in rs)])

    return app


# -- helpers -----------------------------------------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(name: str, ascii_name: str) -> dict[str, str]:
    from urllib.parse import quote

    return {"content-disposition": f"attachment; filename=\"{ascii_name}\"; "
                                   f"filename*=utf-8''{quote(name)}"}


async def _read_limited(upload: UploadFile, limit: int) -> bytes:
    """The upload's bytes, at most ``limit`` + 1 of them (more means "too large")."""
    return await upload.read(limit + 1)


def _no_telemetry() -> dict[str, Any]:
    """Uploaded reports are government data: FastAPI's OpenTelemetry export stays off whatever
    the environment says (FASTAPI_OTEL_AUTO_CONFIGURE, OTEL_EXPORTER_OTLP_ENDPOINT)."""
    import inspect

    if "telemetry" not in inspect.signature(FastAPI.__init__).parameters:
        return {}  # older FastAPI: no telemetry of its own
    return {"telemetry": {"auto_configure": False, "tracing": False, "metrics": False,
                          "logs": False, "operation_spans": False}}


def _draft_findings(outcome: dict[str, Any] | None) -> list[dict[str, Any]]:
    return (outcome or {}).get("findings", [])
