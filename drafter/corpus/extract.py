"""An earlier report read into an imported facts file, offline (``drafter corpus add``).

Everything comes from the report through the checker's own readers and analyses: the
structure parser (sections, headings, plans), :mod:`drafter.report.info` (year, date, unit
type), :mod:`drafter.corpus.units` (name, self-reference, superior), :mod:`drafter.corpus.figures`
(metrics), :mod:`drafter.corpus.people` (people and organisations) and
:func:`drafter.report.plans.report_plan_items` (next year's plans). Every value carries
``source: "report, line N"`` and ``confirm: true``; what the report does not say is left out
and listed in ``imported.missing`` — nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from drafter.corpus import units
from drafter.report.structure import RUN_IN
from drafter.text.numerals import ordinal_value
from drafter.corpus.figures import report_figures
from drafter.corpus.people import report_people

if TYPE_CHECKING:  # pragma: no cover
    from drafter.facts.model import ImportedFacts
    from drafter.report import Report, Section

_SENTENCE = re.compile(r"[^。！？；;!?]+[。！？；;!?]?")
_CAUSE = re.compile(r"原因|究其|根源在于")
REPORT_SOURCE = "report"


def src(line: int) -> str:
    return f"{REPORT_SOURCE}, line {line}"


@dataclass
class Extraction:
    """What was read: ``data`` (the facts mapping, validated by :meth:`facts`), and Chinese
    lines for ``imported.missing`` and ``imported.notes``."""

    data: dict[str, Any]
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # (section key, index) of items made from a section's own paragraphs, titled with the
    # section's heading: their boundaries are the text's, not the writer's (``--llm`` may split them)
    loose: list[tuple[str, int]] = field(default_factory=list)

    def facts(self) -> "ImportedFacts":
        """The data as a validated facts model (FactsError if it does not load)."""
        from drafter.facts.model import ImportedFacts

        return ImportedFacts.model_validate(self.data)


def extract_facts(report: "Report", *, report_name: str, year: int,
                  slug: str | None = None) -> Extraction:
    """The facts of ``report`` (saved as ``report_name`` beside them) for ``year`` and the
    corpus unit ``slug`` (both settled by :func:`drafter.corpus.importer.plan_import`)."""
    ex = Extraction({})
    ex.data["unit"] = _unit(report, slug, ex)
    ex.data["recipients"] = list(report.recipients)
    if not report.recipients:
        ex.missing.append("主送机关（recipients）：报告中没有")
    ex.data["year"] = year
    _date(report, year, ex)
    _metrics(report, ex)
    _people(report, ex)
    ex.data["sections"] = _sections(report, ex)
    ex.data["imported"] = {"report": report_name, "missing": ex.missing, "notes": ex.notes}
    _drop_figures_stated_twice(ex)
    return ex


def _drop_figures_stated_twice(ex: Extraction) -> None:
    """A report that gives one thing two numbers (办理行政许可35件 … 办理行政许可38件: an error
    of the report, or two counts the words do not tell apart) cannot be one metric: the
    statements imported with it would contradict whichever number were kept. No number of
    that name is imported; each is listed, to be settled by the staff."""
    from pydantic import ValidationError

    from drafter.facts.model import ImportedFacts
    from drafter.facts.validate import typed_figure_conflicts

    for _ in range(5):  # (dropping a name can only end conflicts: a few rounds at most)
        try:
            conflicts = typed_figure_conflicts(ImportedFacts.model_validate(ex.data))
        except ValidationError:
            return  # (the import reports what does not load)
        names = {(m.label, m.unit) for m, _, _ in conflicts}
        if not names:
            return
        metrics = ex.data.get("metrics", [])
        dropped = [m for m in metrics if (m["label"], m["unit"]) in names]
        gone = {m["id"] for m in dropped}
        ex.data["metrics"] = [m for m in metrics if m["id"] not in gone]
        for m in ex.data["metrics"]:
            if m.get("part_of") in gone:
                del m["part_of"]  # its total is not imported: a figure of its own
        lost_parts = {m["part_of"] for m in dropped if m.get("part_of")}
        for m in ex.data["metrics"]:
            if m["id"] in lost_parts:
                m.pop("exhaustive", None)  # its parts no longer add up: not marked so
        for label, unit in sorted(names):
            values = "、".join(f"{m['value']:g}{unit}" for m in dropped
                              if (m["label"], m["unit"]) == (label, unit))
            ex.missing.append(f"数字“{label}”：报告中写了不同的数（{values}），未导入，请核对后填写")


def _unit(report: "Report", slug: str | None, ex: Extraction) -> dict[str, Any]:
    from drafter.report.info import unit_info

    unit: dict[str, Any] = {}
    name = units.unit_name(report)
    if name is not None:
        unit.update(name=name.value, source=src(name.line), confirm=True)
        if name.how == "正文":
            ex.notes.append(f"报告没有标题和署名，单位名称取自正文第{name.line}行的“{name.value}”，"
                            "可能是简称，请核实全称")
    else:
        ex.missing.append("单位全称（unit.name）：标题、署名和正文中都没有读出")
    short = units.self_reference(report, name.value if name is not None else None)
    kind = units.self_kind(name.value) if name is not None else None
    if short is not None:
        unit["short"] = short.value
    elif kind is not None:  # never written: the one the name implies (示例市应急管理局 → 我局)
        unit["short"] = f"我{kind}"
        ex.notes.append(f"正文中没有“我{kind}”等自称，unit.short 按单位名称取“我{kind}”，请核实")
    else:
        ex.missing.append("自称（unit.short，如“我局”“我县”）：正文中没有")
    info = unit_info(report)
    kind = info.type if info is not None else units.unit_type(name.value) if name else None
    if kind is not None:
        unit["type"] = kind
    else:
        ex.missing.append("单位类型（unit.type）：无法从名称或开头段判断，按默认 department")
    if slug:
        unit["slug"] = slug
    sup = units.superior(report)
    if sup is not None:
        unit["superior"] = sup.value
    return unit


def _date(report: "Report", year: int, ex: Extraction) -> None:
    import datetime as dt

    from drafter.report.info import report_date

    d = report_date(report)
    if d is None:
        under = _date_under_title(report)
        if under is not None:
            ex.data["date"], line = under
            if under[0].year == year + 1:
                ex.notes.append(f"成文日期取自标题下第{line}行")
                return
            del ex.data["date"]
        ex.missing.append("成文日期（date）：报告中没有")
        return
    if not d.valid or d.year != year + 1:
        ex.missing.append(f"成文日期（date）：第{d.paragraph.line}行“{d.raw}”不是{year + 1}年的有效日期，未导入")
        return
    ex.data["date"] = dt.date(d.year, d.month, d.day)  # type: ignore[arg-type]
    ex.notes.append(f"成文日期取自第{d.paragraph.line}行")


_PUBLISHED_DATE = re.compile(r"^\s*[（(]?\s*(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[）)]?\s*$")


def _date_under_title(report: "Report") -> "tuple[Any, int] | None":
    """A published report's date on its own line under the title: （2024年2月5日）."""
    import datetime as dt

    for p in report.lead[:3]:
        m = _PUBLISHED_DATE.match(p.text)
        if m:
            try:
                return dt.date(*map(int, m.groups())), p.line
            except ValueError:
                return None
    return None


def _metrics(report: "Report", ex: Extraction) -> None:
    figures, skipped = report_figures(report)
    ids = _metric_ids([f.label for f in figures])
    out = []
    for f, mid in zip(figures, ids):
        m: dict[str, Any] = {"id": mid, "label": f.label, "value": f.value, "unit": f.unit}
        if f.approx:
            m["approx"] = f.approx
        if f.part_of is not None:
            m["part_of"] = ids[f.part_of]
        if f.exhaustive:
            m["exhaustive"] = True
        m.update(source=src(f.line), confirm=True)
        out.append(m)
    ex.data["metrics"] = out
    for s in skipped:
        ex.missing.append(f"数字（第{s.line}行“{s.raw}”）：{s.why}，未导入")


def _metric_ids(labels: list[str]) -> list[str]:
    """Ids from the labels' pinyin initials (清理规范性文件 → qlgfxwj), unique in the file."""
    from pypinyin import Style, lazy_pinyin

    seen: dict[str, int] = {}
    out = []
    for label in labels:
        letters = "".join(lazy_pinyin(label, style=Style.FIRST_LETTER, errors="ignore"))
        base = re.sub(r"[^a-z0-9]", "", letters.lower())[:12] or "m"
        base = base if base[0].isalpha() else "m" + base
        base = "m_" + base if base in ("unit", "short", "year", "next_year") else base
        n = seen.get(base, 0) + 1
        seen[base] = n
        out.append(base if n == 1 else f"{base}_{n}")
    return out


def _people(report: "Report", ex: Extraction) -> None:
    people, orgs, notes = report_people(report)
    taken = {m["id"] for m in ex.data.get("metrics", [])}
    ex.data["people"] = []
    for i, p in enumerate(people, start=1):
        pid = _free_id(f"person{i}", taken)
        entry: dict[str, Any] = {"id": pid, "name": p.name, "role": p.role}
        if p.org:
            entry["org"] = p.org
        if p.title:
            entry["title"] = p.title
        entry.update(source=src(p.line), confirm=True)
        ex.data["people"].append(entry)
    ex.data["organisations"] = [
        {"id": _free_id(f"org{i}", taken), "name": o.name, "source": src(o.line), "confirm": True}
        for i, o in enumerate(orgs, start=1)]
    ex.notes.extend(notes)


def _free_id(base: str, taken: set[str]) -> str:
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}_{n}"
    taken.add(ident)
    return ident


# ---- sections --------------------------------------------------------------------------------

def _sections(report: "Report", ex: Extraction) -> dict[str, list[dict[str, Any]]]:
    from drafter.report.plans import report_plan_items

    out: dict[str, list[dict[str, Any]]] = {"measures": [], "shortcomings": [], "leadership": [],
                                            "plans": [], "other": []}
    lead_where = report.presence.get("leadership")
    lead_para = lead_where.where if lead_where is not None and lead_where.how == "subsection" else None
    for sec in report.sections:
        keys = [k for k in (sec.key, *sec.extra_keys) if k]
        if not keys:
            ex.missing.append(f"第{sec.line}行“{sec.title}”：未能归入法定部分，未导入")
            continue
        key = keys[0]
        if key == "plans":
            continue  # below, with the plans of combined headings
        if key == "shortcomings":
            out["shortcomings"].extend(_shortcomings(sec, ex))
            continue
        for child in sec.children:
            ck = "leadership" if lead_para is not None and child.heading.paragraph is lead_para else key
            out[ck].append(_item(child.title, _sentences(child.body_text(), child.line, ex), child.line))
        loose = [p for p in sec.paragraphs if p.text.strip()]
        if sec.heading.run_in or loose:
            body = _own_body(sec)
            line = sec.line if sec.heading.run_in else loose[0].line  # where its statements start
            ex.loose.append((key, len(out[key])))
            out[key].append(_item(sec.title, _sentences(body, line, ex), line))
    for plan in report_plan_items(report):
        facts = _sentences(plan.detail, plan.line or 0, ex)
        out["plans"].append(_item(plan.text, facts, plan.line or 0))
    for key, label in (("measures", "主要举措和成效"), ("shortcomings", "存在的不足和原因"),
                       ("leadership", "第一责任人履职情况"), ("plans", "下一年度主要安排")):
        if not out[key]:
            pr = report.presence.get(key)
            where = (f"只在第{pr.where.line}行有相关语句" if pr is not None and pr.how == "sentence"
                     and pr.where is not None else "没有这一部分")
            ex.missing.append(f"{label}（sections.{key}）：报告中{where}，未单独导入")
    return {k: v for k, v in out.items() if v}


def _own_body(sec: "Section") -> str:
    """A section's own text: its run-in body and paragraphs, not its subsections'."""
    head = sec.heading
    parts = [head.paragraph.text[len(head.number) + len(head.title):]] if head.run_in else []
    parts += [p.text for p in sec.paragraphs]
    return "\n".join(parts)


def _item(title: str, facts: list[str], line: int) -> dict[str, Any]:
    item: dict[str, Any] = {"title": title, "facts": facts}
    if line:
        item.update(source=src(line), confirm=True)
    return item


def _run_in_items(text: str) -> list[str]:
    """A paragraph of run-in items (一是…。二是…。三是…) as one text per item, its lead-in
    (对照……，主要表现在：) left out; a cause stated for all of them at the end (究其原因，A；B；C)
    goes to the items one by one when it has one part per item, else stays with the last. A
    paragraph without 一是 … 二是 is itself."""
    # Items that are sentences of their own (一是A。二是B。); not a list inside one sentence
    # (一是A，二是B。原因是C: one problem with one cause).
    marks = [m for m in RUN_IN.finditer(text) if not text[:m.start()].strip() or
             text[:m.start()].rstrip()[-1] in "。；;！？!?：:"]
    ordinals = [ordinal_value(m.group(1)) for m in marks]
    if len(marks) < 2 or ordinals[:2] != [1, 2]:
        return [text]
    items = [text[m.start():(marks[k + 1].start() if k + 1 < len(marks) else len(text))]
             for k, m in enumerate(marks)]
    shared = _SHARED_CAUSE.search(items[-1])
    if shared:
        parts = [x for x in re.split(r"[；;]", shared.group("causes").rstrip("。")) if x.strip()]
        if len(parts) == len(items):
            items[-1] = items[-1][:shared.start()]
            items = [f"{it.rstrip()}原因是{c.strip().removeprefix('主要是')}。" for it, c in zip(items, parts)]
    return items


# A cause stated once for a run of problems, at its end: "究其原因，主要是A；B；C。"
_SHARED_CAUSE = re.compile(r"(?:究其原因|原因(?:主要)?(?:是|在于|有))[，,：:]?(?P<causes>[^。]*[；;][^。]*。?)$")


def _shortcomings(sec: "Section", ex: Extraction) -> list[dict[str, Any]]:
    """Each subsection, else each paragraph — or each run-in item of it (一是…二是…): a
    problem and its causes (the sentences from the first one naming a cause — 原因 … — to
    the end)."""
    out = []
    groups = [(c.title, c.body_text(), c.line) for c in sec.children]
    own = [(None, p.text, p.line) for p in sec.paragraphs if p.text.strip()]
    if sec.heading.run_in:
        own.insert(0, (None, _own_body(sec).split("\n")[0], sec.line))
    own = [(t, item, line) for t, text, line in own for item in _run_in_items(text)]
    for title, text, line in groups + own:
        sentences = _sentences(text, line, ex)
        cut = next((i for i, s in enumerate(sentences) if _CAUSE.search(s)), len(sentences))
        if cut == 0 and sentences:
            head = _split_at_cause(sentences[0])
            if len(head) == 2:  # 执法力量仍然不足，主要原因是编制有限
                sentences, cut = head + sentences[1:], 1
        problem, causes = "；".join(sentences[:cut]), sentences[cut:]
        head = RUN_IN.match(problem)  # 一是执法力量薄弱: the draft numbers them itself
        if head and not RUN_IN.search(problem, head.end()):
            problem = problem[head.end():]
        if not problem:
            problem = title or ""
        if not problem:
            continue
        item: dict[str, Any] = {"problem": problem, "causes": causes}
        if title:
            item = {"title": title, **item}
        if not causes:
            ex.missing.append(f"不足的原因（第{line}行）：报告没有写明，causes 留空")
        item.update(source=src(line), confirm=True)
        out.append(item)
    return out


def _split_at_cause(sentence: str) -> list[str]:
    """A problem and its cause in one sentence (执法力量仍然不足，主要原因是编制有限): the
    clauses before the one naming the cause, and that one on; the sentence alone when no
    clause comes before the cause."""
    m = _CAUSE.search(sentence)
    comma = max(sentence.rfind("，", 0, m.start()), sentence.rfind(",", 0, m.start())) if m else -1
    if comma <= 0:
        return [sentence]
    return [sentence[:comma].rstrip(), sentence[comma + 1:].lstrip()]


def _sentences(text: str, line: int, ex: Extraction) -> list[str]:
    """The statements of a passage: its sentences without final punctuation; one with a brace
    (which a facts statement reads as a reference) is left out and listed."""
    out = []
    for m in _SENTENCE.finditer(text.replace("\n", "")):
        s = m.group().strip().rstrip("。；;，,：:、！？!? ")
        if not s:
            continue
        if "{" in s or "}" in s:
            ex.missing.append(f"第{line}行一句含花括号，事实陈述中不能直接使用，未导入")
            continue
        out.append(s)
    return out
