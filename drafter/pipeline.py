"""The drafting pipeline: facts → plan → backend per section → grounding → Report → checker →
.docx → run record. A thin runner, fed by one :class:`DraftRequest` (built once by the CLI and
by the web page) and reporting progress as events (:class:`~drafter.backends.base.DraftEvents`).

The grounding stage (DESIGN.md) runs for every backend: each section's final text is checked
against the section's facts (:class:`drafter.grounding.SectionGrounding`) and the verdict goes
into the run record; a backend that ``repairs`` (llm) also uses the same checks to repair or
replace its text before it returns. The gate (issue 5 §7): the whole checker runs on the drafted
report before the .docx is written; findings are printed and listed in the run report. A .docx
with error findings is still written (staff fix it in Word) but the result's exit code is 1. A
mandated section without facts is drafted as a visible 【待补充：…】 marker, never dropped.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.errors import FactsError, OutputError
from drafter.io import check_output_path
from drafter.run_record import DraftResult, Gap, prepare_run_dir, write_run_dir
from drafter.sections import MANDATED_KEYS, label as section_label

GAP_RE = re.compile(r"【待补充[：:][^】]*】")


def default_output(facts_path: str | os.PathLike[str], facts: Any) -> Path:
    """``{unit}{year}年度法治政府建设情况报告.docx`` beside the facts file."""
    # The unit name is data: characters a file name cannot hold (a "/" would make a folder) go.
    unit = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "", facts.unit.name).strip(" .") or "报告"
    return Path(facts_path).parent / f"{unit}{facts.year}年度法治政府建设情况报告.docx"


@dataclass
class DraftRequest:
    """One ``drafter draft`` (or 起草 page) run.

    ``facts`` a facts file (YAML/XLSX); ``output`` the .docx (default: beside the facts file);
    ``corpus`` a corpus folder (default: the one the facts file sits in); ``backend`` a
    registered name (``template``, ``llm``) or a Backend object; ``model``, ``concurrency``,
    ``cache`` and ``env`` (the endpoint's variables; default the process environment) for the
    llm backend; ``run_dir`` keeps each stage's output; ``write=False`` drafts without writing.
    ``known_titles`` / ``known_names``: local document titles and names of people,
    organisations and places grounding accepts beyond the facts (the user's local data).
    """

    facts: str | os.PathLike[str]
    output: str | os.PathLike[str] | None = None
    corpus: str | os.PathLike[str] | None = None
    backend: Any = "template"
    model: str | None = None
    run_dir: str | os.PathLike[str] | None = None
    force: bool = False
    write: bool = True
    concurrency: int = 5
    cache: bool = True
    env: dict[str, str] | None = None
    known_titles: tuple[str, ...] = ()
    known_names: tuple[str, ...] = ()

    def make_backend(self) -> Any:
        """The Backend to draft with; ConfigError (exit 2) when it cannot be used."""
        if not isinstance(self.backend, str):
            return self.backend
        from drafter.backends import get_backend

        options: dict[str, Any] = {"concurrency": self.concurrency, "cache": self.cache,
                                   "run_dir": Path(self.run_dir) if self.run_dir else None}
        if self.env is not None:
            options["env"] = self.env
        return get_backend(self.backend, self.model, **options)


def draft(request: DraftRequest | str | os.PathLike[str],
          output: str | os.PathLike[str] | None = None, *, events: Any = None,
          **fields: Any) -> DraftResult:
    """Draft the report of a facts file and (``write``) save it as .docx.

    ``request`` is a :class:`DraftRequest`, or the facts file with the request's other fields
    as keywords (``draft(path, out, backend="llm")``). ``events`` receives progress
    (:class:`~drafter.backends.base.DraftEvents`; default: none).

    Raises DrafterError subclasses (exit 2) for bad facts, an unusable output path or run
    folder, an unknown backend — all before any drafting. Returns the result whose
    ``exit_code`` is 1 when errors were found or facts are missing.
    """
    from drafter.backends.base import DraftEvents
    from drafter.facts import load_facts
    from drafter.facts.model import ImportedFacts

    req = request if isinstance(request, DraftRequest) else DraftRequest(request, output, **fields)
    from drafter.cache import USER_CACHES

    USER_CACHES.set(req.cache)  # --no-cache: no cache of the user's data is read or written
    events = events or DraftEvents()
    t = _Timer()
    events.stage("facts")
    facts = load_facts(req.facts)
    missing = facts.draft_gaps() if isinstance(facts, ImportedFacts) else []
    if missing:  # an imported earlier year: history, not a complete facts file to draft from
        raise FactsError(f"{req.facts}：导入的往年事实文件缺少起草必需的字段 {'、'.join(missing)}",
                         "补填后再起草；字段说明见 docs/facts-schema.md")
    t.lap("facts")
    out = Path(req.output) if req.output else default_output(req.facts, facts)
    if req.write:
        if out.suffix.lower() != ".docx":
            raise OutputError(f"{out}：输出文件应以 .docx 结尾", "例如 -o 报告.docx")
        check_output_path(out, req.force)
    be = req.make_backend()
    # Created only once the backend is usable: a configuration error (exit 2) leaves no folder.
    rdir = prepare_run_dir(req.run_dir, req.force) if req.run_dir else None
    corpus_obj = _open_corpus(req.corpus, req.facts, facts)
    t.lap("setup")

    from drafter.grounding import Groundings, Known
    from drafter.plan import make_plan

    # Exemplars are retrieved when the backend reads them or the plan is kept (--run-dir).
    plan = make_plan(facts, req.facts, corpus_obj, exemplars=rdir is not None or be.uses_exemplars)
    t.lap("plan")
    events.stage("draft")
    events.sections_planned(plan.sections)
    # What is true beyond each section's facts: names and titles anywhere in the facts file, and
    # the titles of the unit's earlier reports (local data from drafter.toml joins here, issue 17).
    known = Known.for_plan(facts, plan, req.known_titles, req.known_names)
    grounds = Groundings(plan.sections, known)  # built on first use, or while a model is awaited

    def idle() -> None:
        grounds.prepare()
        _warm_later_stages()

    drafted = be.draft_sections(plan.sections, events, grounds, idle=idle)
    sections = {spec.key: [p for p in paras if p.strip()]
                for spec, paras in zip(plan.sections, drafted)}
    t.lap("draft")

    events.stage("ground")
    grounding, notes = _ground(plan, sections, grounds)
    t.lap("ground")
    texts = _assemble(facts, plan, sections)
    from drafter.report.structure import build_report

    report = build_report(texts, path=str(out), fmt="docx")
    gaps = [Gap(key, m.group(0), _gap_hint(key)) for key, paras in sections.items()
            for p in paras for m in GAP_RE.finditer(p)]
    for key in MANDATED_KEYS:
        if report.presence[key].how != "section":
            notes.append(f"结构识别异常：“{section_label(key)}”未被识别为一级标题")
    t.lap("assemble")

    events.stage("check")
    from drafter.checker import CheckOptions, check_report

    findings = check_report(report, CheckOptions(facts=facts, previous=plan.previous_report,
                                                 profile=facts.profile))
    t.lap("check")
    result = DraftResult(output=out if req.write else None, report=report, findings=findings,
                         plan=plan, sections=sections, gaps=gaps, notes=notes,
                         backend_report=be.report(), backend_summary=be.summary_lines(),
                         grounding=grounding)
    if req.write:
        events.stage("docx")
        from drafter.docx.writer import docx_bytes
        from drafter.io import atomic_write_bytes

        data = docx_bytes(report, font_profile=facts.font_profile, seal=facts.layout.seal,
                          doc_number=facts.doc_number,
                          properties={"title": texts[0], "author": facts.unit.name})
        data, result.confirms = _mark_confirms(data, plan.confirms, str(out))
        atomic_write_bytes(out, data, force=req.force)
        t.lap("docx")
    result.timings_ms = t.laps
    if rdir is not None:
        write_run_dir(rdir, result, req.force)
    return result


def _ground(plan: Any, sections: dict[str, list[str]], grounds: dict[str, Any]
            ) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The grounding stage: every section's final text against its facts, whoever wrote it.
    Returns the verdict per section key and notes for sections that did not pass."""
    verdicts: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    for spec in plan.sections:
        g = grounds[spec.key]
        if g.skip:
            verdicts[spec.key] = {"ok": None, "skipped": g.skip, "checked": {}, "problems": []}
            continue
        v = g.check("\n".join(sections[spec.key]))
        verdicts[spec.key] = v.to_dict()
        if not v.ok:
            notes.append(f"“{section_label(spec.key)}”未通过事实核查：{v.summary()}")
    return verdicts, notes


def _mark_confirms(data: bytes, confirms: list[Any], name: str) -> tuple[bytes, list[dict[str, Any]]]:
    """The draft with a Word comment "待核实：……" on every value the facts mark ``confirm``,
    and where each one went (its paragraph; None when the text was not found as written — an
    LLM may reword it — and the comment sits on its section's heading)."""
    if not confirms:
        return data, []
    import tempfile

    from drafter.docx.comments import Note, note_docx
    from drafter.report.readers import read_docx_report

    with tempfile.TemporaryDirectory(prefix="drafter-confirm-") as tmp:
        path = Path(tmp) / "draft.docx"
        path.write_bytes(data)
        written = read_docx_report(path, name)  # the paragraphs as Word has them
    notes, where = [], []
    for c in confirms:
        span = _locate(written, c)
        if span is not None:
            s, e = span
            notes.append(Note(s, e, f"待核实：{c.text}", written.text[s:e]))
            where.append({"text": c.text, "section": c.section,
                          "paragraph": written.paragraph_at(s).line})
            continue
        heads = [sec.heading.paragraph for sec in written.sections_for(c.section or "")]
        anchor = heads[0] if heads else (written.title or written.paragraphs[0])
        notes.append(Note(anchor.offset, anchor.offset,
                          f"待核实（初稿中未找到原句，请核对本部分）：{c.text}"))
        where.append({"text": c.text, "section": c.section, "paragraph": None})
    return note_docx(data, written, notes, name).data, where


def _locate(report: Any, confirm: Any) -> tuple[int, int] | None:
    """The span of ``confirm.text`` (else its shorter form) in its section, else anywhere."""
    ranges = [(sec.heading.paragraph.offset, sec.all_paragraphs()[-1].end)
              for sec in report.sections_for(confirm.section or "")] or [(0, len(report.text))]
    for text in (confirm.text, confirm.also):
        for lo, hi in ranges:
            at = report.text.find(text, lo, hi) if text else -1
            if at >= 0:
                return at, at + len(text)
    return None
def _warm_later_stages() -> None:
    """Load what checking and writing a report need (rules, lexicons, the .docx writer) by
    running them on a two-line report, in memory. A backend waiting on the network calls this
    in a thread, so the model's latency hides these one-off costs."""
    from drafter.checker import CheckOptions, check_report
    from drafter.docx.writer import docx_bytes
    from drafter.report.structure import build_report

    report = build_report(["关于2023年度法治政府建设情况的报告", "一、主要举措和成效", "全年审查合同12份。"],
                          path="warm-up.docx", fmt="docx")
    check_report(report, CheckOptions())
    docx_bytes(report)


def _gap_hint(key: str) -> str:
    from drafter.prompts import load_patterns

    return str(load_patterns(key).data.get("gap_hint", ""))


def _open_corpus(corpus: Any, facts_path: Any, facts: Any) -> Any:
    from drafter.corpus import Corpus, find_corpus_root

    if corpus:
        return Corpus.open(corpus)
    root = find_corpus_root(facts_path, facts.unit.slug)
    return Corpus(root) if root is not None else None


def _assemble(facts: Any, plan: Any, sections: dict[str, list[str]]) -> list[str]:
    """Title, 主送机关, lead, the sections under their numbered headings, 署名, 成文日期."""
    from drafter.prompts import load_patterns
    from drafter.facts.render import Renderer, sentence

    frame = load_patterns("frame")
    seed = f"{facts.unit.name}|{facts.year}"
    values = {"unit": facts.unit.name, "short": facts.unit.short, "year": facts.year,
              "next_year": facts.year + 1}
    under = (frame.fill(frame.raw("under_superior"), superior=facts.unit.superior)
             if facts.unit.superior else "")
    if facts.overview:
        overview = sentence(Renderer(facts).expand(facts.overview)) + "。"
        lead = frame.fill(frame.raw("lead_with_overview"), overview=overview)
    else:
        lead = frame.render("lead", seed, under_superior=under, **values)
    d = facts.date
    texts = [frame.fill(frame.raw("title"), **values),
             frame.fill(frame.raw("recipients"), recipients="、".join(facts.recipients)),
             lead]
    for spec in plan.sections:
        texts.append(spec.numbered_heading)
        texts.extend(sections[spec.key])
    texts.append(frame.fill(frame.raw("signature"), **values))
    texts.append(frame.fill(frame.raw("date"), date=f"{d.year}年{d.month}月{d.day}日"))
    return texts


class _Timer:
    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round((now - self.t0) * 1000, 1)
        self.t0 = now
