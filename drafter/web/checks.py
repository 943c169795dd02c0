"""The 审核 page's work, run in worker threads: check the uploaded reports with the same API
as ``drafter check`` (:func:`drafter.api.check_file`), keep the results beside the uploads,
and make the annotated copy (:func:`drafter.api.annotate_file`) when it is first asked for."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
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

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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


def check_request(facts: Path | None, review: LLMReview | None = None) -> Any:
    """The page's one CheckRequest (as ``drafter check --facts [--llm]``): the check and its
    annotated copy use the same options."""
    from drafter.api import CheckRequest

    if review is None:
        return CheckRequest(facts=facts)
    return CheckRequest(facts=facts, llm=True, model=review.model, env=review.env)


def run_checks(folder: Path, stored: list, rejected: list[str], facts_file: Any,
               review: LLMReview | None = None) -> None:
    """Check every stored report (the same call as ``drafter check``, with ``--llm`` when
    ``review`` is given) and keep the results: ``results.json`` (the JSON of
    ``drafter check --format json``) and ``view.json``."""
    from drafter.api import check_file
    from drafter.checker.output import to_json
    from drafter.errors import DrafterError

    try:
        request = check_request(facts_file.path if facts_file else None, review).prepare()
    except DrafterError as e:
        raise CheckFailed(public_message(e.one_line(), facts_file)) from None
    results, files = [], []
    for f in stored:
        index = int(f.path.stem)
        try:
            result, report = check_file(f.path, display=f.display_name, request=request)
        except DrafterError as e:
            files.append({"index": index, "name": f.display_name, "error": public_message(e.one_line(), f)})
            continue
        results.append(result)
        files.append({"index": index, "stored": f.path.name, **views.file_view(result, report)})
    from drafter.io import atomic_write_text  # results.json's presence means "ready": never half

    atomic_write_text(folder / "results.json", json.dumps(to_json(results), ensure_ascii=False, indent=2),
                      force=True)
    view = {"files": files, "rejected": rejected, "llm": review is not None,
            "facts": facts_file.display_name if facts_file else None,
            "facts_stored": facts_file.path.name if facts_file else None}
    atomic_write_text(folder / "view.json", json.dumps(view, ensure_ascii=False), force=True)


def load_view(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / "view.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def stored_of(folder: Path, fv: dict[str, Any]) -> list:
    path = folder / fv["stored"]
    return [StoredFile(path=path, display_name=fv["name"], suffix=path.suffix)]


def annotate(folder: Path, fv: dict[str, Any], out: Path, review: LLMReview | None = None) -> None:
    """The report with every finding as a Word comment (``drafter check --annotate``); with
    ``review`` when the check had LLM review (its replies come from the cache)."""
    from drafter.api import annotate_file

    view = load_view(folder) or {}
    facts = folder / view["facts_stored"] if view.get("facts_stored") else None
    annotate_file(folder / fv["stored"], out, force=True,
                  request=check_request(facts, review if view.get("llm") else None))
