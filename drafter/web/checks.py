"""The 审核 page's work, run in worker threads: check the uploaded reports with the same API
as ``drafter check`` (:func:`drafter.api.check_file`), keep the results beside the uploads,
and make the annotated copy (:func:`drafter.api.annotate_file`), the fixed copy with Word
revisions (:func:`drafter.api.fix_file`) and the 审核意见表 (:mod:`drafter.checker.export`)
when they are first asked for — each with the options the form chose."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from drafter.web import views
from drafter.web.jobs import public_message
from drafter.web.uploads import StoredFile


@dataclass(frozen=True)
class LLMReview:
    """LLM-assisted review asked for on the page (the 大模型 checkbox): the server's model
    and endpoint variables (``drafter serve``'s settings; never stored with the results)."""

    model: str | None = None
    env: dict[str, str] | None = field(default=None, repr=False)


class CheckFailed(Exception):
    """The check could not run at all (an invalid facts file): ``message`` for the page."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


# A short fictional report that exercises every rule family once (see warm_up).
WARM_UP_REPORT = [
    "示例县司法局关于2023年度法治政府建设情况的报告", "县人民政府：",
    "2023年，我局坚持以习近平法治思想为指导，现将有关情况报告如下。",
    "一、2023年度推进法治政府建设的主要举措和成效",
    "（一）健全依法决策机制。聘请示例律师事务所律师张明担任法律顾问，审查合同12份，"
    "清理规范性文件10件，其中继续有效6件、修改2件、废止2件。严格落实《中华人民共和国行政处罚法》。",
    "二、2023年度推进法治政府建设存在的不足和原因", "一是执法人员培训不够。究其原因，主要是统筹不足。",
    "三、2023年度党政主要负责人履行推进法治建设第一责任人职责情况", "局长李华同志主持召开专题会议2次。",
    "四、2024年度推进法治政府建设的主要安排", "2024年，我局将继续加强执法队伍建设。",
    "示例县司法局", "2024年2月20日",
]


def warm_up() -> None:
    """Load the lexicons, the segmenter and the other lazily built tables once, before
    requests run in parallel threads: the first user does not wait for them, and nothing is
    built while another thread reads it (rjieba's dictionary cannot take new words while a
    thread is segmenting: "Already borrowed")."""
    from drafter.checker import CheckOptions, check_report
    from drafter.text.segment import readings, tag
    from drafter.report.structure import build_report

    tag("聘请律师事务所律师担任法律顾问")
    readings("法")
    check_report(build_report(WARM_UP_REPORT, path="warm-up", fmt="txt"), CheckOptions())


@dataclass
class CheckChoices:
    """What the 审核 form chose besides the reports — the options of ``drafter check``:
    ``facts`` (--facts), ``previous`` last year's report (--previous), ``profile`` (--profile;
    None: the facts' or the default), ``llm`` (--llm: the server's model and endpoint, when the
    box was ticked and the server has one)."""

    facts: Any = None  # StoredFile
    previous: Any = None  # StoredFile
    profile: str | None = None
    llm: LLMReview | None = None

    def stored(self) -> dict[str, Any]:
        """What view.json keeps to make the same request again (annotated and fixed copies);
        the endpoint's settings are never stored, only that review was asked for."""
        return {"facts_stored": self.facts.path.name if self.facts else None,
                "facts": self.facts.display_name if self.facts else None,
                "previous_stored": self.previous.path.name if self.previous else None,
                "previous": self.previous.display_name if self.previous else None,
                "profile": self.profile, "llm": self.llm is not None}


def check_request(choices: CheckChoices | None = None, folder: Path | None = None,
                  view: dict[str, Any] | None = None, review: LLMReview | None = None,
                  cancel: Any = None, config: Any = None) -> Any:
    """The page's one CheckRequest: the check, its annotated and its fixed copy use the same
    options — from ``choices``, or as kept in ``view`` (view.json) in ``folder`` (with
    ``review``, the server's model, when that check had LLM review). ``cancel`` (an Event)
    stops the check between rules. ``config`` is the drafter.toml ``drafter serve`` loaded at
    start (or None: no config, whatever the server's current folder holds)."""
    from drafter.api import CheckRequest

    if choices is None:
        view = view or {}
        kwargs: dict[str, Any] = {
            "facts": folder / view["facts_stored"] if folder and view.get("facts_stored") else None,
            "previous": folder / view["previous_stored"] if folder and view.get("previous_stored") else None,
            "profile": view.get("profile")}
        review = review if view.get("llm") else None
    else:
        kwargs = {"facts": choices.facts.path if choices.facts else None,
                  "previous": choices.previous.path if choices.previous else None,
                  "profile": choices.profile}
        review = choices.llm
    if review is not None:  # as drafter check --llm (its replies are cached: asked once)
        kwargs.update(llm=True, model=review.model, env=review.env)
    return CheckRequest(**kwargs, cancel=cancel, config=config, config_search=False)


def run_checks(folder: Path, stored: list, rejected: list[str], choices: CheckChoices,
               cancel: Any = None, config: Any = None) -> None:
    """Check every stored report (the same call as ``drafter check``) and keep the results:
    ``results.json`` (the JSON of ``drafter check --format json``), ``view.json`` and
    ``review.json`` (the rows of the 审核意见表).
    CheckFailed when ``cancel`` is set (the server stopping) before all are checked."""
    from drafter.api import check_file
    from drafter.checker.export import review_rows, unit_summaries
    from drafter.checker.output import to_json
    from drafter.errors import Cancelled, DrafterError

    try:
        request = check_request(choices, cancel=cancel, config=config).prepare()
    except DrafterError as e:
        raise CheckFailed(public_message(e.one_line(), *(f for f in (choices.facts, choices.previous)
                                                         if f))) from None
    results, files = [], []
    for f in stored:
        index = int(f.path.stem)
        if cancel is not None and cancel.is_set():
            raise CheckFailed("审核已取消（服务正在停止），请稍后重新提交", 503)
        try:
            result, report = check_file(f.path, display=f.display_name, request=request)
        except Cancelled:
            raise CheckFailed("审核已取消（服务正在停止），请稍后重新提交", 503) from None
        except DrafterError as e:
            files.append({"index": index, "name": f.display_name, "error": public_message(e.one_line(), f)})
            continue
        results.append(result)
        files.append({"index": index, "stored": f.path.name, **views.file_view(result, report)})
    from drafter.io import atomic_write_text  # results.json's presence means "ready": never half

    rows = review_rows(results)
    review = {"rows": [asdict(r) for r in rows],
              "units": [asdict(u) for u in unit_summaries(results, rows)]}
    atomic_write_text(folder / "review.json", json.dumps(review, ensure_ascii=False), force=True)
    # Compact: json's C encoder (indenting falls back to the pure-Python one, seconds for the
    # thousands of findings of a very long report).
    atomic_write_text(folder / "results.json", json.dumps(to_json(results), ensure_ascii=False),
                      force=True)
    view = {"files": files, "rejected": rejected, **choices.stored()}
    atomic_write_text(folder / "view.json", json.dumps(view, ensure_ascii=False), force=True)


async def until_stopped(stop: Any, fn: Any, *args: Any) -> Any:
    """``fn(*args)`` in a worker thread, awaited — unless the server starts stopping first
    (``stop`` set): then CheckFailed at once, and the thread, left to itself, ends at its next
    rule (the check's own ``cancel`` is the same event). The request does not hold up the
    server's shutdown."""
    import asyncio
    import functools
    import inspect

    import anyio.to_thread

    run = anyio.to_thread.run_sync
    leave = ({"abandon_on_cancel": True} if "abandon_on_cancel" in inspect.signature(run).parameters
             else {"cancellable": True})  # anyio < 4.1
    task = asyncio.ensure_future(run(functools.partial(fn, *args), **leave))
    while True:
        done, _ = await asyncio.wait({task}, timeout=0.1)
        if done:
            return task.result()
        if stop.is_set():
            task.cancel()
            raise CheckFailed("审核已取消（服务正在停止），请稍后重新提交", 503)


def load_view(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / "view.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def stored_of(folder: Path, fv: dict[str, Any]) -> list:
    path = folder / fv["stored"]
    return [StoredFile(path=path, display_name=fv["name"], suffix=path.suffix)]


def annotate(folder: Path, fv: dict[str, Any], out: Path, review: LLMReview | None = None,
             config: Any = None) -> None:
    """The report with every finding as a Word comment (``drafter check --annotate``); with
    ``review`` when the check had LLM review (its replies come from the cache)."""
    from drafter.api import annotate_file

    request = check_request(folder=folder, view=load_view(folder), review=review, config=config)
    annotate_file(folder / fv["stored"], out, force=True, request=request)


def fixed_copy(folder: Path, fv: dict[str, Any], out: Path, config: Any = None) -> tuple[int, list[str]]:
    """The report with its safe fixes (``drafter check --fix``): a Word document gets them as
    revisions to accept or reject in 审阅 (a .doc/.wps is converted to .docx first), a text
    file is fixed directly. Returns (fixes applied, remarks)."""
    from drafter.api import fix_file

    src = folder / fv["stored"]
    if src.suffix.lower() in (".doc", ".wps"):
        from drafter.docx.convert import legacy_to_docx

        converted = folder / f"{src.stem}-converted.docx"
        if not converted.exists():
            converted.write_bytes(legacy_to_docx(src, fv["name"]))
        src = converted
    notes: list[str] = []
    applied, _left = fix_file(src, out, force=True, notes=notes, track=True,
                              request=check_request(folder=folder, view=load_view(folder),
                                                    config=config))
    return applied, notes


def review_bytes(folder: Path, suffix: str, severities: set[str] | None = None,
                 categories: set[str] | None = None) -> bytes | None:
    """The 审核意见表 (.xlsx/.docx/.csv) of a kept check, with the page's filters; None when
    the check is not there (expired)."""
    from drafter.checker.export import restrict, rows_bytes
    from drafter.checker.export.rows import ReviewRow, UnitSummary

    try:
        data = json.loads((folder / "review.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    rows = [ReviewRow(**r) for r in data["rows"]]
    units = [UnitSummary(**u) for u in data["units"]]
    rows, units = restrict(rows, units, severities, categories)
    return rows_bytes(rows, units, suffix)
