"""Grounding: is every number, name and 《》 title of a drafted text traceable to the facts?

The drafter's promise is that it never invents a figure, a name or a document. Whatever writes
the prose (the template, or a language model), :class:`Grounding` checks the result against
one facts file before it is accepted:

- **numbers** — every count/amount/percentage (:func:`drafter.text.numbers.extract_quantities`)
  must equal a figure of the facts (same value, same unit family); every other Arabic digit
  run (dates, 文号, years) must occur in the facts, or be the reporting year or the year
  after; paragraph-initial heading numbers (1. （1）) are ordinals, not figures;
- **names** — people (a segmenter-tagged name with a common surname: three characters, or
  two beside a role word such as 律师/同志/局长), places (望川县, 江州市) and firms
  (…律师事务所, …公司) must occur in the facts;
- **titles** — every 《》 title must be one the facts cite (punctuation aside, or the same
  document of the law lexicon under another accepted name);
- **form** — no placeholder residue (the PH001 patterns), no markdown, no English sentence,
  no missing part (a sub-heading the plan gave, the causes of a shortcoming), not empty.

Each problem says exactly what to fix, in Chinese, so the LLM backend can send it back as a
repair instruction and the run report can show it. "Nothing found" is stated as such
(``Verdict.checked``), never silently read as "grounded".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from drafter.sections import cause_cues
from drafter.text.names import name_candidates
from drafter.text.titles import book_titles, title_texts, without_titles

if TYPE_CHECKING:  # pragma: no cover
    from drafter.facts.model import Facts
    from drafter.text.numbers import Quantity
    from drafter.plan import SectionSpec

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_HEADING_NUM = re.compile(r"^[ \u3000]*(?:[（(]\d{1,2}[）)]|\d{1,2}[.．、])")
_MARKDOWN = re.compile(r"^[ \u3000]*(?:#{1,6}[ \u3000]|[-*+•][ \u3000]|>[ \u3000]?|```|\|.*\|)"
                       r"|\*\*|__|`[^`\n]+`|\[[^\]\n]+\]\([^)\n]+\)", re.M)
_ENGLISH = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,;:]+[A-Za-z][A-Za-z'’-]*){3,}")

# Names anyone may write (the head of state, the country).
_ALLOWED_NAMES = ("习近平", "中华人民共和国", "中国")


@dataclass(frozen=True)
class Problem:
    """One reason a text is not accepted. ``kind``: number, year, name, title, placeholder,
    markdown, english, missing, empty. ``message`` tells the writer what to do (Chinese)."""

    kind: str
    quote: str
    message: str


@dataclass
class Verdict:
    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            n = ", ".join(f"{k} {v}" for k, v in self.checked.items() if v)
            return f"通过（已核对：{n}）" if n else "通过（未发现需核对的数字、名称或标题）"
        return "；".join(p.message for p in self.problems)

    def to_dict(self) -> dict:
        return {"ok": self.ok, "checked": dict(self.checked),
                "problems": [{"kind": p.kind, "quote": p.quote, "message": p.message}
                             for p in self.problems]}


def facts_texts(facts: "Facts") -> list[str]:
    """Every piece of text the facts state, with ``{id}`` placeholders rendered."""
    from drafter.facts.render import Renderer, format_quantity
    from drafter.facts.validate import text_fields

    r = Renderer(facts)
    out = [facts.unit.name, facts.unit.short, facts.unit.superior or "", *facts.recipients,
           f"{facts.year}年", f"{facts.date.year}年{facts.date.month}月{facts.date.day}日"]
    for text, _loc in text_fields(facts):
        out.append(r.expand(text))
    for m in facts.all_metrics():
        out.append(f"{m.label}{format_quantity(m.value, m.unit, m.approx)}")
        if m.previous_value is not None:
            out.append(f"{m.label}{format_quantity(m.previous_value, m.unit)}")
    for p in facts.people:
        out.append(f"{p.org or ''}{p.title or ''}{p.name}，{p.role}")
    for o in facts.organisations:
        out.append(f"{o.name}，{o.role or ''}")
    out.extend(r.cite(d, full=True) for d in facts.documents)
    out.extend(facts.previous_plan_texts() or [])
    return [t for t in out if t]


class Grounding:
    """Given texts (the facts, rendered), indexed for checking drafted texts against them.

    Build it with :meth:`from_facts` (a whole facts file) or :meth:`from_spec` (what one
    section's prompt gives the model). ``year`` is the reporting year (it and the next year
    may always be written).
    """

    def __init__(self, texts: Iterable[str], year: int) -> None:
        from drafter.text.numbers import extract_quantities

        self.year = year
        self.text = "\n".join(t for t in texts if t)
        self.quantities = extract_quantities(self.text)
        self.digits = set(_DIGITS.findall(self.text))
        self.titles = {_title_key(t) for t in title_texts(self.text)}
        self.title_entries = {id(e) for t in title_texts(self.text)
                              if (e := _lexicon_entry(t)) is not None}

    @classmethod
    def from_facts(cls, facts: "Facts", extra: Iterable[str] = ()) -> "Grounding":
        """Everything the facts file states (``extra``: further given text, e.g. headings)."""
        texts = facts_texts(facts)
        # {id.value} renders a bare quantity: index it as written too.
        texts += [f"{m.value}{m.unit}" for m in facts.all_metrics()]
        return cls([*texts, *extra], facts.year)

    @classmethod
    def from_spec(cls, spec: "SectionSpec") -> "Grounding":
        """What one section's prompt gives: its items and last year's plans, the unit."""
        texts = [spec.unit, spec.short, spec.heading, spec.numbered_heading]
        for it in spec.items:
            texts += [it.title or "", it.problem or "", *it.statements, *it.metrics, *it.causes,
                      it.outcome or ""]
        texts += [p.text for p in spec.previous_plans]
        return cls(texts, spec.year)

    # -- the check ------------------------------------------------------------------------
    def check(self, text: str, *, headings: Iterable[str] = (), needs_causes: bool = False,
              figures: Iterable[str] = ()) -> Verdict:
        """Check ``text`` (one drafted section). ``headings`` are sub-headings the text must
        contain (as given); ``needs_causes`` asks for a statement of causes (shortcomings);
        ``figures`` are given statements whose quantities and people the text must all state."""
        v = Verdict(checked={"数字": 0, "名称": 0, "标题": 0})
        if not text.strip():
            v.problems.append(Problem("empty", "", "回复为空：请按要求写出本节正文"))
            return v
        self._numbers(text, v)
        self._titles(text, v)
        self._names(text, v)
        self._form(text, v, headings, needs_causes)
        self._coverage(text, v, figures)
        return v

    def _coverage(self, text: str, v: Verdict, figures: Iterable[str]) -> None:
        from drafter.text.numbers import extract_quantities

        written = extract_quantities(_without_heading_numbers(text))
        for statement in figures:
            for q in extract_quantities(statement):
                if not any(abs(w.value - q.value) <= 1e-6 * max(1.0, q.value)
                           and (w.family == q.family or None in (w.family, q.family))
                           for w in written):
                    what = f"{q.label}{q.raw.strip()}" if q.label else q.raw.strip()
                    v.problems.append(Problem("missing", what, f"漏写了数据“{what}”：请按事实材料写入"))
            for name, kind in name_candidates(statement):
                if kind == "人名" and name not in text:
                    v.problems.append(Problem("missing", name, f"漏写了“{name}”：请按事实材料写明"))

    def _numbers(self, text: str, v: Verdict) -> None:
        from drafter.text.numbers import extract_quantities

        body = _without_heading_numbers(text)
        covered: list[tuple[int, int]] = [(t.start, t.end) for t in book_titles(body)]
        for q in extract_quantities(body):
            covered.append((q.start, q.end))
            v.checked["数字"] += 1
            if not self._known_quantity(q):
                v.problems.append(Problem(
                    "number", q.raw.strip(),
                    f"数字“{q.raw.strip()}”在事实材料中没有：请删去，或只使用事实材料中给出的数字"))
        for m in _DIGITS.finditer(body):
            if any(s <= m.start() < e for s, e in covered):
                continue
            v.checked["数字"] += 1
            d = m.group()
            if d in self.digits or d in (str(self.year), str(self.year + 1)):
                continue
            kind = "year" if _YEAR.fullmatch(d) else "number"
            quote = body[m.start():m.end() + 1].strip() if kind == "year" else d
            v.problems.append(Problem(
                kind, quote, f"“{quote}”在事实材料中没有：请删去，只使用事实材料中给出的年份、日期和数字"))

    def _known_quantity(self, q: "Quantity") -> bool:
        if q.value == 1 and not q.raw.strip()[:1].isdigit():
            return True  # 一名/一期 is an article, not a figure
        for f in self.quantities:
            if abs(f.value - q.value) <= 1e-6 * max(1.0, abs(q.value)) and (
                    f.family is None or q.family is None or f.family == q.family):
                return True
        return False

    def _titles(self, text: str, v: Verdict) -> None:
        for t in title_texts(text):
            v.checked["标题"] += 1
            if _title_key(t) in self.titles:
                continue
            e = _lexicon_entry(t)
            if e is not None and id(e) in self.title_entries:
                continue
            v.problems.append(Problem("title", t, f"{t}不在事实材料中：请删去该文件名称，或只引用事实材料中出现的文件"))

    def _names(self, text: str, v: Verdict) -> None:
        seen: set[str] = set()
        for name, what in name_candidates(without_titles(text)):
            v.checked["名称"] += 1
            if name in seen or name in self.text or any(name in a for a in _ALLOWED_NAMES):
                continue
            seen.add(name)
            v.problems.append(Problem("name", name, f"{what}“{name}”在事实材料中没有：请删去，不要自行编写人名、地名或单位名称"))

    def _form(self, text: str, v: Verdict, headings: Iterable[str], needs_causes: bool) -> None:
        from drafter.text.placeholders import find_placeholders

        for s, e, pat in find_placeholders(text):
            v.problems.append(Problem("placeholder", text[s:e],
                                      f"残留占位符“{text[s:e]}”（{pat.what}）：请写出完整内容，不要留占位符"))
        for m in _MARKDOWN.finditer(text):
            q = m.group().strip() or m.group()
            v.problems.append(Problem("markdown", q, f"含有 Markdown 标记“{q}”：请输出纯文本，不要使用 #、*、- 等标记"))
            break
        for m in _ENGLISH.finditer(text):
            v.problems.append(Problem("english", m.group(), f"含有英文语句“{m.group()[:40]}”：请全部使用中文"))
            break
        flat = _squash(text)
        for h in headings:
            if _squash(h) not in flat:
                v.problems.append(Problem("missing", h, f"缺少小标题“{h}”：请按给定的编号和文字写出该小标题"))
        if needs_causes and not cause_cues().search(text):
            v.problems.append(Problem("missing", "原因", "只写了不足，没有写原因：请逐条写明产生不足的原因"))


@dataclass
class SectionGrounding:
    """The grounding stage for one section (every backend's text passes through it): what the
    section's text is checked against — the section's given facts (:meth:`Grounding.from_spec`),
    the sub-headings it must carry, the statements whose figures and people it must all state,
    and whether it must state causes. ``skip`` says why a section is not checked (drafted as a
    visible 【待补充】 marker: there is nothing to ground)."""

    spec: "SectionSpec"
    grounding: Grounding | None = None
    headings: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    needs_causes: bool = False
    skip: str | None = None

    @classmethod
    def for_spec(cls, spec: "SectionSpec") -> "SectionGrounding":
        from drafter.sections import requires_causes

        if spec.gap_reason:
            return cls(spec, skip=spec.gap_reason)
        sg = cls(spec, Grounding.from_spec(spec), spec.subheadings,
                 [t for it in spec.items for t in (*it.statements, *it.metrics)],
                 requires_causes(spec.key))
        sg.check("\n".join(sg.figures[:1]))  # first use of the number parser (cn2an) now
        return sg

    def check(self, text: str) -> Verdict:
        """The verdict on ``text`` (one section's paragraphs joined with newlines); a skipped
        section's verdict checks nothing and says so (``checked`` is empty)."""
        if self.grounding is None:
            return Verdict()
        return self.grounding.check(text, headings=self.headings, needs_causes=self.needs_causes,
                                    figures=self.figures)


def _without_heading_numbers(text: str) -> str:
    """``text`` with paragraph-initial heading numbers (1. （1）) blanked, offsets kept."""
    return "\n".join(_HEADING_NUM.sub(lambda m: " " * len(m.group()), line)
                     for line in text.split("\n"))


def _squash(s: str) -> str:
    return re.sub(r"[\s\u3000。；;：:，,]", "", s)


def _title_key(title: str) -> str:
    from drafter.text.laws import punct_key

    return punct_key(title)


def _lexicon_entry(title: str):
    from drafter.text.laws import law_lexicon

    try:
        return law_lexicon().entry(title)
    except (OSError, ValueError, KeyError):  # a damaged lexicon must not stop grounding
        return None
