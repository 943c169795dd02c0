"""The functions the CLI and the web pages call: one place for each job, fed by one request
object each (:class:`CheckRequest`, :class:`drafter.pipeline.DraftRequest`), built once by the
CLI from its options and by the web from its form — so a check, its ``--fix`` and its
``--annotate`` always run with the same options and rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from drafter.checker import CheckOptions, check_report, select_rules
from drafter.checker.output import FileResult
from drafter.errors import InputError
from drafter.report.paths import collect_report_paths
from drafter.report.readers import read_report

if TYPE_CHECKING:  # pragma: no cover
    from drafter.checker import Finding, Rule
    from drafter.config.schema import Config
    from drafter.report import Report
    from drafter.review import Reviewer

FORMS = ("auto", "submitted", "published")


@dataclass
class CheckRequest:
    """One ``drafter check`` (or 审核 page) run: what to check, against what, with which rules.

    ``paths`` are files and folders; ``select``/``ignore`` rule codes or prefixes, comma
    separated (``LAW,CNT001``); ``facts`` a facts file (names and figures as the reference);
    ``previous`` last year's report and ``corpus`` a corpus folder (last year's plans and
    figures); ``profile`` a locality profile; ``jobs`` processes for many files (0: one per
    CPU); ``form`` the form to check reports as (``auto`` | ``submitted`` | ``published``;
    None: the config's, else auto); ``config`` a drafter.toml path, a loaded
    :class:`drafter.config.Config`, or None for ``drafter.toml`` in the current folder if
    there is one (``config_search=False`` turns that look-up off). :attr:`options` and
    :attr:`rules` are loaded once, on first use, and raise DrafterError subclasses (exit 2)
    for bad input.

    ``llm`` adds LLM-assisted review (``--llm``, :mod:`drafter.review`) with ``model`` (else
    ``DRAFTER_MODEL``) on the endpoint of ``env`` (default: the process environment);
    ``llm_strict`` (implies ``llm``) lets its warnings set exit code 1. Without them no
    connection is ever opened.
    """

    paths: list[str] = field(default_factory=list)
    select: str | None = None
    ignore: str | None = None
    facts: str | Path | None = None
    previous: str | Path | None = None
    corpus: str | Path | None = None
    profile: str | None = None
    jobs: int = 0
    cancel: object | None = None  # an Event: set, the check stops between rules (CheckOptions.cancel)
    form: str | None = None
    config: "str | Path | Config | None" = None
    config_search: bool = True
    llm: bool = False
    model: str | None = None
    llm_strict: bool = False
    env: dict[str, str] | None = None

    @cached_property
    def loaded_config(self) -> "Config | None":
        """The drafter.toml in effect (see ``config``), or None."""
        from drafter.config import load_config

        if self.config is not None and not isinstance(self.config, (str, Path)):
            return self.config  # already loaded (drafter serve loads it once)
        if self.config is None and not self.config_search:
            return None
        return load_config(self.config)

    @cached_property
    def rules(self) -> list["Rule"]:
        """The selected rules; UnknownRuleError (exit 2) names an unknown code or prefix."""
        return select_rules(_codes(self.select), _codes(self.ignore))

    @cached_property
    def options(self) -> CheckOptions:
        """The loaded facts, last year's report, corpus and profile (see CheckOptions)."""
        cfg = self.loaded_config
        form = self.form or (cfg.check.form if cfg else None) or "auto"
        if form not in FORMS:
            raise InputError(f"未知的报告版式“{form}”", "可选：auto、submitted、published")
        opts = CheckOptions(profile=self.profile, form=form, config=cfg, cancel=self.cancel)
        # A named profile: --profile, else the config's (a [profile] table of the config
        # applies when neither names one: see checker.profiles.active_profile).
        if not self.profile and cfg is not None and cfg.profile is None:
            opts.profile = cfg.check.profile
        if self.facts:
            from drafter.facts import load_facts

            opts.facts = load_facts(self.facts)
            # The locality profile the facts name applies unless --profile (or the config)
            # overrides it, so checking a draft gives the same verdicts as the drafting gate did.
            if not opts.profile and not (cfg is not None and cfg.profile is not None):
                opts.profile = getattr(opts.facts, "profile", None)
        if cfg is not None and cfg.profile is not None and not opts.profile:
            from drafter.checker.profiles import local_profile

            local_profile(cfg.profile)  # an unknown base profile is a usage error now
        if opts.profile:
            from drafter.checker.profiles import load_profile

            load_profile(opts.profile)  # an unknown name is a usage error now, whatever rules run
        if self.previous:
            opts.previous = read_report(self.previous)
            # Only its text is used (PLN); the Word object would not pickle for --jobs workers.
            opts.previous.source_docx = None
        if self.corpus:
            from drafter.corpus import Corpus

            Corpus.open(self.corpus)  # InputError (exit 2) now when the folder is missing
            opts.corpus = str(self.corpus)
        return opts

    @cached_property
    def reviewer(self) -> "Reviewer | None":
        """The LLM reviewer when review is asked for and an LLM rule is selected, else None.
        ConfigError (exit 2) names a missing endpoint variable or the missing llm extra."""
        if not (self.llm or self.llm_strict):
            return None
        codes = {r.id for r in self.rules if r.source == "llm"}
        if not codes:
            return None
        import importlib.util

        from drafter.backends.llm_client import endpoint_from_env
        from drafter.errors import ConfigError

        endpoint = endpoint_from_env(self.model, self.env)
        if importlib.util.find_spec("httpx") is None:
            raise ConfigError("大模型辅助审核所需的依赖未安装", '请运行 pip install "drafter[llm]"')
        from drafter.review import Reviewer

        facts = self.options.facts
        people = tuple(p.name for p in getattr(facts, "people", None) or ())
        cache_dir = (self.env or {}).get("DRAFTER_CACHE_DIR") if self.env is not None else None
        return Reviewer(endpoint, rules=codes, people=people, cache_dir=cache_dir or None)

    def prepare(self) -> "CheckRequest":
        """Load the rules, options and endpoint now (so bad input fails before any file is
        read)."""
        _ = self.rules, self.options, self.reviewer
        return self

    def files(self) -> list[Path]:
        """The report files under :attr:`paths` (InputError for a missing path or empty folder)."""
        return collect_report_paths([str(p) for p in self.paths])

    def check_report(self, report: "Report") -> list["Finding"]:
        """The rule findings of ``report`` (no review: see :meth:`findings`)."""
        return check_report(report, self.options, self.rules)

    def findings(self, report: "Report") -> tuple[list["Finding"], dict | None]:
        """The rule findings, plus the LLM findings when review is on; and the review's
        statistics (None without review)."""
        found = self.check_report(report)
        if self.reviewer is None:
            return found, None
        res = self.reviewer.review([(report, found)])[0]
        return merge_findings(found, res.findings), res.stats.to_json()


def merge_findings(rules: list["Finding"], llm: list["Finding"]) -> list["Finding"]:
    """Rule and LLM findings in one list, in the checker's order (position, severity)."""
    from drafter.checker import SEVERITY_ORDER

    return sorted(rules + llm, key=lambda f: (f.line or 0, f.column or 0,
                                              SEVERITY_ORDER[f.severity], f.rule))


def _codes(spec: str | None) -> list[str] | None:
    return [c for c in spec.split(",")] if spec else None


def check_paths(request: CheckRequest) -> list[FileResult]:
    """Read and check every report under ``request.paths``, in input order; raises InputError
    on unreadable input. Many files are checked in ``request.jobs`` processes
    (:func:`_check_parallel`), which from ``SHARE_FROM_FILES`` files on share one word
    segmenter (:mod:`drafter.text.segment_service`: loaded once, instead of in every worker
    that meets a report that needs it, on the critical path) — the caller's when one is
    shared already (``drafter check`` starts it first thing), else one started here."""
    request.prepare()
    files = request.files()
    if request.reviewer is not None:
        return _check_reviewed(files, request)
    if request.jobs != 1 and len(files) > 2:
        from drafter.text import segment
        from drafter.text.segment_service import SHARE_FROM_FILES, SegmenterService

        service = None
        if len(files) >= SHARE_FROM_FILES and not (segment.sharing() or segment.loaded()):
            service = SegmenterService()
            service.start()
        try:
            return _check_parallel(files, request, request.jobs)
        finally:
            if service is not None:
                service.stop()
    from drafter.checker.batch import batches, check_files

    results: list[FileResult] = []
    for batch in batches(files):
        for res in check_files(batch, request.options, request.rules):
            if not isinstance(res, FileResult):
                raise res
            results.append(res)
    return results


def check_file(path: str | Path, *, display: str | None = None,
               request: CheckRequest | None = None) -> "tuple[FileResult, Report]":
    """Check one report file; returns ``(FileResult, Report)`` — the Report too, so a caller
    (the web page) can place each finding in its section and quote the text around it.

    ``display`` is the name used in messages and in the result instead of ``path`` (an
    uploaded file's own name). Raises InputError; UnknownRuleError for an unknown rule code.
    """
    from drafter.checker.batch import file_result

    request = request or CheckRequest()
    report = read_report(path, display)
    findings, review = request.findings(report)
    return file_result(display or str(path), report, findings, request.rules, review), report


def _check_reviewed(files: list[Path], request: CheckRequest) -> list[FileResult]:
    """Rules on every file, then one review of them all: the parts of every report share
    one connection and one bound on concurrent requests."""
    reports = [read_report(path) for path in files]
    found = [request.check_report(r) for r in reports]
    reviews = request.reviewer.review(list(zip(reports, found)))  # type: ignore[union-attr]
    from drafter.checker.batch import file_result

    return [file_result(str(path), report, merge_findings(f, rv.findings), request.rules,
                        rv.stats.to_json())
            for path, report, f, rv in zip(files, reports, found, reviews)]


def _check_parallel(files: list[Path], request: CheckRequest, jobs: int) -> list[FileResult]:
    """Check ``files`` in a process pool (:mod:`drafter.checker.pool`), results in input
    order. The first file is checked here first: that loads the lexicons once, for the
    workers to inherit."""
    import os

    from drafter.checker.pool import check_in_pool

    workers = min(jobs if jobs > 0 else (os.cpu_count() or 1), len(files) - 1)
    first = check_file(files[0], request=request)[0]
    return [first] + check_in_pool(files[1:], request.options, request.rules, workers)


def fix_file(path: str | Path, output: str | Path | None = None, force: bool = False, *,
             request: CheckRequest | None = None,
             notes: list[str] | None = None, track: bool = True) -> tuple[int, list]:
    """Apply the safe fixes of one report and write the result; returns (applied, findings left).

    A .docx gets the fixes as Word revisions (author ``drafter``) that 审阅 accepts or rejects
    one by one; ``track=False`` applies them directly.

    ``output`` None means "replace the input", which needs ``force``; an existing ``output``
    also needs ``force``. The output keeps the input's type (.txt/.md/.docx); text files keep
    their encoding and line breaks (see drafter.checker.fix). The findings left are those of a
    fresh check of the written file; ``notes`` (if given) receives remarks for the user
    (edits that could not be applied, an encoding fallback). Raises InputError / OutputError.
    """
    from drafter.checker.fix import collect_edits, fix_text_bytes, select_edits, split_safe
    from drafter.errors import OutputError
    from drafter.io import atomic_write_bytes, check_output_path

    src = Path(path)
    if output is None and not force:
        raise OutputError(f"{src}：--fix 需要用 -o 指定输出文件",
                          "或加 --force 直接覆盖原文件")
    target = Path(output) if output is not None else src
    if target.suffix.lower() != src.suffix.lower():
        raise OutputError(f"{target}：输出文件类型应与原文件相同（{src.suffix}）",
                          f"请使用 {src.suffix} 扩展名")
    check_output_path(target, force=force)
    request = (request or CheckRequest()).prepare()
    report = read_report(src)
    findings = request.check_report(report)
    # Only edits that change punctuation, spacing, width or script variant: never a word.
    proposed, withheld = split_safe(report.text, collect_edits(findings))
    extra = [f"{len(withheld)} 处修改建议涉及文字内容（名称、数字、法规名称等），未自动修改"] \
        if withheld else []
    if src.suffix.lower() == ".docx":
        from drafter.docx.fix import fix_docx

        edits = select_edits(proposed, report.text, within_paragraphs=True)
        joins = sum("\n" in report.text[e.start:e.end] for e in proposed)
        if joins:
            extra.append(f"{joins} 处断行需要合并段落，Word 文档中不自动合并，请手工处理")
        result = fix_docx(src, report, edits, str(src), track=track)
        data, applied = result.data, result.applied
        extra += result.notes
    else:
        edits = select_edits(proposed)
        try:
            raw = src.read_bytes()
        except OSError as e:
            raise InputError(f"{src}：无法读取（{e.strerror or e}）", "请检查文件是否存在、是否有读取权限") from None
        fixed = fix_text_bytes(raw, report, edits, str(src))
        data, applied = fixed.data, fixed.applied
        extra += [fixed.note] if fixed.note else []
    if applied or target != src:  # in place with nothing to fix: leave the file untouched
        atomic_write_bytes(target, data, force=force)
    if notes is not None:
        notes.extend(extra)
    left = request.check_report(read_report(target))
    return applied, left


def annotate_file(path: str | Path, output: str | Path, force: bool = False, *,
                  request: CheckRequest | None = None, review: dict | None = None):
    """Check one report and write a copy with every finding as a Word comment (批注).

    A .docx is copied with comments added (the original is never modified, not even with
    ``force``); a .txt/.md is first written as a GB/T 9704 .docx (drafter.docx.writer), a
    .doc/.wps first converted by LibreOffice, and the findings are then those of that .docx
    (their ``line`` is its paragraph number). Mechanical findings (safe fixes) get one comment
    per rule per paragraph saying how many places it has. Returns ``(findings, annotated)`` where
    ``annotated`` is a :class:`drafter.docx.comments.Annotated` (where each comment went,
    notes). ``review`` (a dict, if given) receives the LLM review's statistics when the
    request has review on (their comments are by "drafter（模型）"). Raises InputError /
    OutputError; UnknownRuleError for an unknown rule code.
    """
    import tempfile

    from drafter.docx.comments import annotate_docx
    from drafter.report.readers import read_docx_report
    from drafter.errors import OutputError
    from drafter.io import atomic_write_bytes, check_output_path

    src, target = Path(path), Path(output)
    if target.suffix.lower() != ".docx":
        raise OutputError(f"{target}：批注输出文件应为 .docx", "例如 --annotate 审核意见.docx")
    if src.exists() and target.exists() and target.resolve() == src.resolve():
        raise OutputError(f"{target}：批注不能写回原文件", "请另取一个文件名，原文件保持不变")
    check_output_path(target, force=force)
    request = (request or CheckRequest()).prepare()
    suffix = src.suffix.lower()
    if suffix == ".docx":
        report = read_report(src)
        try:
            data = src.read_bytes()
        except OSError as e:
            raise InputError(f"{src}：无法读取（{e.strerror or e}）",
                             "请检查文件是否存在、是否有读取权限") from None
    else:
        if suffix in (".doc", ".wps") and src.is_file():
            from drafter.docx.convert import legacy_to_docx

            data = legacy_to_docx(src, str(src))
        else:
            from drafter.docx.writer import docx_bytes

            data = docx_bytes(read_report(src))
        with tempfile.TemporaryDirectory(prefix="drafter-annotate-") as tmp:
            converted = Path(tmp) / "report.docx"
            converted.write_bytes(data)
            report = read_docx_report(converted, str(src))
    findings, stats = request.findings(report)
    if stats is not None and review is not None:
        review.update(stats)
    from drafter.checker.grouping import group_for_comments

    # Mechanical findings: one comment per rule per paragraph ("本段半角标点12处，已可自动修正").
    annotated = annotate_docx(data, report, group_for_comments(findings, report), str(src))
    atomic_write_bytes(target, annotated.data, force=force)
    return findings, annotated


def workbook_template(corpus: str | Path | None = None, unit: str | None = None,
                      year: int | None = None) -> tuple[bytes, list[str]]:
    """The facts workbook: empty, or (``corpus``) pre-filled from the unit's last year;
    returns the bytes and Chinese notes on what was pre-filled."""
    if corpus is None:
        from drafter.facts.xlsx import template_bytes

        return template_bytes(), []
    from drafter.corpus.prefill import prefilled_workbook

    return prefilled_workbook(corpus, unit, year)


def plan_imports(paths: list[str | Path], unit: str | None = None, year: int | None = None):
    """Read earlier reports and settle each one's unit slug and year (``unit``/``year``, else
    read from the report); returns :class:`drafter.corpus.importer.ImportPlan` objects for the
    caller to show before anything is written. Raises InputError."""
    from drafter.corpus.importer import plan_import
    from drafter.errors import InputError

    if year is not None and len(paths) > 1:
        raise InputError("--year 只能用于一份报告（多份报告的年度各不相同）",
                         "去掉 --year 由各报告推断，或逐份导入")
    return [plan_import(p, unit, year) for p in paths]


def import_reports(paths: list[str | Path] | None = None, corpus: str | Path = "corpus", *,
                   unit: str | None = None, year: int | None = None, force: bool = False,
                   plans: list | None = None, llm: bool = False, model: str | None = None,
                   env: dict[str, str] | None = None):
    """Import earlier reports into ``corpus/<unit>/<year>/`` (report copied as-is + extracted
    ``facts.yaml``); ``plans`` from :func:`plan_imports` when the caller has shown them.
    ``llm``: a chat model (``OPENAI_BASE_URL`` …, ``model``) improves labels and item
    boundaries, grounded in the report (:mod:`drafter.import_refine`). Returns
    :class:`drafter.corpus.importer.Imported` objects. Raises InputError/OutputError/ConfigError;
    a failed import writes nothing."""
    from drafter.corpus.importer import write_imports

    refine = None
    if llm:
        from drafter.import_refine import Refiner

        refine = Refiner.from_env(model, env)  # ConfigError before anything is read
    plans = plans if plans is not None else plan_imports(paths or [], unit, year)
    return write_imports(plans, corpus, force=force, refine=refine)


def corpus_years(corpus: str | Path = "corpus") -> list[dict]:
    """Every unit and year of a corpus folder with what it holds (for ``drafter corpus list``):
    ``unit``, ``year``, ``files``, ``imported``, ``metrics``, ``plans`` and ``problem`` (a
    Chinese line when the facts file cannot be loaded, else None)."""
    from drafter.corpus import Corpus
    from drafter.errors import DrafterError
    from drafter.facts.model import ImportedFacts

    c = Corpus.open(corpus)
    rows = []
    for slug in c.units:
        for e in c.history(slug):
            row = {"unit": slug, "year": e.year,
                   "files": [p.name for p in (e.report_path, e.facts_path) if p is not None],
                   "imported": False, "metrics": None, "plans": None, "problem": None,
                   "name": None}
            try:
                facts = e.load_facts()
            except DrafterError as err:
                row["problem"] = err.one_line()
                facts = None
            if facts is not None:
                row.update(imported=isinstance(facts, ImportedFacts),
                           metrics=len(facts.all_metrics()), plans=len(facts.sections.plans),
                           name=facts.unit.name)
            rows.append(row)
    return rows
