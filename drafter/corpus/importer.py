"""``drafter corpus add``: an earlier report into ``corpus/<slug>/<year>/`` — the report copied
as it is (``report.<ext>``) and the facts read from it (``facts.yaml``, :mod:`drafter.corpus.extract`).

Two steps, so the CLI can show what it inferred before anything is written:
:func:`plan_import` reads a report and settles its unit slug and year (the user's
``--unit``/``--year``, else read from the title, 署名 and date); :func:`write_imports` writes
every planned year atomically — each into a temporary folder beside its target, checked by
loading the facts back, then renamed into place. A failed import leaves nothing behind; an
existing year is replaced only with ``force``.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from drafter.corpus import units
from drafter.errors import InputError, OutputError

if TYPE_CHECKING:  # pragma: no cover
    from drafter.corpus.extract import Extraction
    from drafter.report import Report

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
IMPORT_SUFFIXES = (".docx", ".doc", ".wps", ".txt", ".md")
FACTS_NAME = "facts.yaml"
HEADER = ["# 由 drafter corpus add 从同一文件夹中的 {report} 读出（离线提取，未经人工核对）。",
          "# 每项都注明出处（source: report, line 行号）并标为待核实（confirm: true）；",
          "# 报告中没有、未能读出的内容列在文末 imported.missing。核实后可删去 confirm。",
          "# 字段说明见 docs/facts-schema.md"]


@dataclass
class ImportPlan:
    """One report to import: where it goes (``slug``, ``year``) and how each was settled
    (``slug_how``/``year_how``, Chinese; None when the user gave it)."""

    path: Path
    report: "Report"
    slug: str
    year: int
    unit_name: units.Found | None = None
    slug_how: str | None = None
    year_how: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def inferred(self) -> bool:
        return self.slug_how is not None or self.year_how is not None

    @property
    def report_name(self) -> str:
        return "report" + self.path.suffix.lower()


@dataclass
class Imported:
    """A written year: its folder and the extraction that went into its facts file."""

    plan: ImportPlan
    folder: Path
    extraction: "Extraction"


def plan_import(path: str | os.PathLike[str], unit: str | None = None,
                year: int | None = None) -> ImportPlan:
    """Read ``path`` and settle where it goes; InputError (exit 2) when it cannot be read, is
    not an annual report, or its unit or year can be read neither from it nor from the
    options."""
    from drafter.report.info import reporting_year
    from drafter.report.readers import read_report

    p = Path(path)
    if unit is not None and not SLUG.fullmatch(unit):
        raise InputError(f"单位编号“{unit}”不正确：只能用小写字母、数字和连字符",
                         "如 xingyang-kgx（单位名称的拼音）")
    if p.suffix.lower() not in IMPORT_SUFFIXES:
        raise InputError(f"{p}：不能导入“{p.suffix or '无扩展名'}”文件",
                         "请提供 .docx、.doc、.wps、.txt 或 .md 格式的往年报告")
    report = read_report(p)
    report.source_docx = None  # only the text is used
    if not _looks_like_report(report):
        raise InputError(f"{p}：不像法治政府建设年度报告（没有找到“主要举措和成效”“下一年度安排”等部分）",
                         "请确认选择了往年的年度报告")
    plan = ImportPlan(p, report, slug=unit or "", year=year or 0)
    plan.unit_name = units.unit_name(report)
    if not unit:
        name = plan.unit_name
        slug = units.infer_slug(name.value, report.text) if name else None
        if not slug:
            raise InputError(f"{p}：无法从报告中读出单位名称（没有标题和署名）",
                             "请用 --unit 指定语料库中的单位编号，如 --unit xingyang-kgx")
        plan.slug = slug
        plan.slug_how = f"由单位名称“{name.value}”（第{name.line}行，{name.how}）推断"
    found = reporting_year(report)
    if not year:
        if found is None:
            raise InputError(f"{p}：无法从报告中读出年度（标题、开头段和成文日期都没有）",
                             "请用 --year 指定，如 --year 2023")
        plan.year = found[0]
        plan.year_how = f"取自{found[1].where}（第{report.locate(found[1].start)[0]}行）"
    elif found is not None and found[0] != year:
        plan.notes.append(f"报告写的年度是{found[0]}年（{found[1].where}），已按 --year 导入为{year}年")
    return plan


def _looks_like_report(report: "Report") -> bool:
    """An annual report has mandated parts the structure parser recognises by their headings
    (a thematic report's topics are recognised only by position, so it must also speak of 法治),
    or says what it is in its title (a published one may have headings the parser misses)."""
    keys = {k for s in report.sections if not s.thematic for k in (s.key, *s.extra_keys) if k}
    if keys & {"measures", "plans", "shortcomings", "leadership"}:
        return True
    title = report.title.text if report.title is not None else ""
    if "法治政府建设" in title and "报告" in title:
        return True
    return bool(report.sections) and ("法治" in report.text or "依法行政" in report.text)


def write_imports(plans: list[ImportPlan], corpus: str | os.PathLike[str], force: bool = False,
                  refine: Callable[["Report", "Extraction"], None] | None = None) -> list[Imported]:
    """Extract and write every plan into ``corpus``; nothing is written unless all of them can
    be (the folders are prepared first, then renamed into place). ``refine`` may improve an
    extraction in place before it is written (``--llm``)."""
    from drafter.corpus.extract import extract_facts

    root = Path(corpus)
    if root.exists() and not root.is_dir():
        raise OutputError(f"{root}：不是文件夹，不能作为语料库", "请用 --corpus 指定一个文件夹")
    seen: dict[tuple[str, int], Path] = {}
    for plan in plans:
        key = (plan.slug, plan.year)
        if key in seen:
            raise InputError(f"{plan.path}：与 {seen[key]} 都要导入为 {plan.slug} 的{plan.year}年度",
                             "一个年度只能导入一份报告，请分别用 --unit/--year 指定")
        seen[key] = plan.path
        target = root / plan.slug / str(plan.year)
        if target.exists() and not force:
            raise OutputError(f"{target}：语料库中已有 {plan.slug} 的{plan.year}年度，未覆盖",
                              "如需替换请加 --force")
    done: list[Imported] = []
    staged: list[tuple[Path | None, Path, list[Path]]] = []
    try:
        for plan in plans:
            ex = extract_facts(plan.report, report_name=plan.report_name, slug=plan.slug,
                               year=plan.year)
            ex.notes[:0] = plan.notes
            if refine is not None:
                refine(plan.report, ex)
            target = root / plan.slug / str(plan.year)
            created = _make_dirs(target.parent)
            staged.append((None, target, created))  # the folders made are removed on failure
            tmp = Path(tempfile.mkdtemp(prefix=f".{plan.year}.import-", dir=target.parent))
            staged[-1] = (tmp, target, created)
            os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes it 0700; a year folder is ordinary
            _fill(tmp, plan, ex)
            done.append(Imported(plan, target, ex))
        for tmp, target, _created in staged:
            _swap(tmp, target, force)  # type: ignore[arg-type]  (every tmp is set by now)
    except BaseException as e:
        for tmp, _target, _created in staged:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
        for _tmp, _target, created in staged:
            for d in created:
                _remove_if_empty(d)
        if isinstance(e, OSError):  # disk full, no permission …: one line, nothing left behind
            raise OutputError(f"{root}：无法写入语料库（{e.strerror or e}），未导入",
                              "请检查磁盘空间和写入权限后重试") from None
        raise
    return done


def _fill(folder: Path, plan: ImportPlan, ex: "Extraction") -> None:
    """The report copied as-is and its facts file, checked by loading it back."""
    from drafter.errors import FactsError
    from drafter.facts import load_facts
    from drafter.facts.xlsx import dump_yaml

    try:
        shutil.copyfile(plan.path, folder / plan.report_name)
        facts = ex.facts()
        text = dump_yaml(facts, header=[h.format(report=plan.report_name) for h in HEADER])
        (folder / FACTS_NAME).write_text(text, encoding="utf-8")
    except OSError as e:
        raise OutputError(f"{folder.parent}：无法写入（{e.strerror or e}）", "请检查语料库文件夹的写入权限") from None
    try:
        load_facts(folder / FACTS_NAME)
    except FactsError as e:  # a bug in the extraction, not the user's: say what, keep nothing
        raise InputError(f"{plan.path}：读出的事实文件未通过核查（{e.message}）",
                         "请将该报告反馈给维护者；可先用 --unit/--year 导入其他报告") from None


def _make_dirs(folder: Path) -> list[Path]:
    """Create ``folder`` and missing parents; returns the ones created (deepest first)."""
    created = []
    p = folder
    while not p.exists():
        created.append(p)
        p = p.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{folder}：无法创建文件夹（{e.strerror or e}）", "请检查语料库文件夹的写入权限") from None
    return created


def _swap(tmp: Path, target: Path, force: bool) -> None:
    """Rename ``tmp`` to ``target``; an existing ``target`` (``force``) is moved aside first
    and removed once the new folder is in place."""
    old = None
    if target.exists() and not force:  # made by someone else since the check
        raise OutputError(f"{target}：语料库中已有该年度，未覆盖", "如需替换请加 --force")
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rename(target, old / target.name)
    try:
        os.rename(tmp, target)
    except OSError:
        if old is not None:
            os.rename(old / target.name, target)
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass
