"""导入往年报告 on the web 起草 page: a report, an optional unit slug and year, into the
server's ``--corpus`` through :func:`drafter.api.import_reports` — the same function as
``drafter corpus add``. Without ``--corpus`` the form is not shown and the route refuses.

The web cannot ask "is this right?" mid-request: a slug or year left empty is inferred from
the report and the result page says so, with everything that could not be read."""

from __future__ import annotations

from typing import Any, Callable

from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from drafter.web.uploads import REPORT_TYPES, UploadRejected, UploadStore


def register(app: FastAPI, corpus: str | None, store: UploadStore, templates: Any,
             page: Callable[..., Response]) -> None:
    """Add ``POST /corpus/import`` and the ``corpus_import`` flag the 起草 page reads."""
    templates.env.globals["corpus_import"] = bool(corpus)
    templates.env.globals["import_accept"] = ",".join(REPORT_TYPES)

    def failed(request: Request, status: int, message: str) -> Response:
        return page(request, "message.html", status, title="未能导入往年报告", message=message,
                    active="draft")

    @app.post("/corpus/import")
    async def corpus_import(request: Request, report: UploadFile = File(...), unit: str = Form(""),
                            year: str = Form(""), force: str = Form("")) -> Response:
        if not corpus:
            return failed(request, 400, "本服务器启动时没有用 --corpus 指定语料库，不能导入往年报告")
        unit, year = unit.strip(), year.strip()
        if year and not (year.isdigit() and 2000 <= int(year) <= 2100):
            return failed(request, 400, f"年度“{year}”不正确：应为四位数字，如 2023")
        data = await report.read(store.max_file_bytes + 1)
        fid, folder = store.new_folder("import")
        try:
            stored = store.save(folder, 1, data, report.filename, REPORT_TYPES)
            done = await run_in_threadpool(_import, stored.path, stored.display_name, corpus,
                                           unit or None, int(year) if year else None, bool(force))
        except UploadRejected as e:
            return failed(request, e.status, e.message)
        except _Refused as e:
            return failed(request, 400, str(e))
        finally:
            store.remove(fid)
        return page(request, "import_result.html", imp=done, active="draft")


class _Refused(Exception):
    """An import the user must fix (one Chinese line)."""


def _import(path: Any, display: str, corpus: str, unit: str | None, year: int | None,
            force: bool) -> dict[str, Any]:
    from drafter.api import import_reports, plan_imports
    from drafter.errors import DrafterError

    try:
        plans = plan_imports([path], unit, year)
        imp = import_reports(corpus=corpus, force=force, plans=plans)[0]
    except DrafterError as e:
        raise _Refused(e.one_line().replace(str(path), display)) from None
    d = imp.extraction.data
    sections = d.get("sections", {})
    return {"name": display, "unit": d["unit"].get("name"), "slug": imp.plan.slug,
            "year": imp.plan.year, "slug_how": imp.plan.slug_how, "year_how": imp.plan.year_how,
            "metrics": len(d.get("metrics", [])), "people": len(d.get("people", [])),
            "counts": {k: len(v) for k, v in sections.items()},
            "notes": imp.extraction.notes, "missing": imp.extraction.missing}
