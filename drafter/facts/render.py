"""Turn facts into text pieces: quantities (GB/T 15835), metrics, and statements with their
``{id}`` placeholders expanded.

This is the only place a number is turned into text, so every figure in a draft is a value
from the facts file, written the same way everywhere:

========================  ==============================================  =================
placeholder               renders                                         example
========================  ==============================================  =================
``{id}``                  label, quantity, and its parts (其中…)           清理规范性文件10件，其中继续有效5件、修改3件、废止2件
``{id.total}``            label and quantity only                          清理规范性文件10件
``{id.value}``            quantity only                                    10件 / 260余人次 / 约300人
``{id.label}``            label only                                       清理规范性文件
``{id.parts}``            the parts only                                   继续有效5件、修改3件、废止2件
``{id.prev}``             last year's quantity                             8件
``{id.trend}``            comparison with last year (no computed number)   较上年的8件有所增加
``{id.yoy}``              change computed from last year (drafter.facts.yoy) 同比增长25%
``{person}``              name                                             周明
``{person.full}``         organisation, title and name                     示例市正衡律师事务所律师周明
``{org}``                 name                                             示例市司法局
``{doc}``                 title first, then the 文号 in brackets           《关于……的意见》（豫发〔2021〕23号）
``{doc.full}``            issuer, title and 文号                           中共河南省委、河南省人民政府《关于……的意见》（豫发〔2021〕23号）
``{doc.title}``           title in 《》                                    《关于……的意见》
``{doc.number}``          文号                                             豫发〔2021〕23号
``{unit}`` ``{short}``    the unit's full name / self-reference            示例市…局 / 我局
``{year}`` ``{next_year}``  the reporting year / the year after            2023 / 2024
========================  ==============================================  =================

A 文号 a statement names on its own ("贯彻豫发〔2021〕23号文件要求") is cited title first
when the facts define that document, and a figure counting people by what they hold is
written so its measure word fits (注销2名人员的执法证件, :mod:`drafter.text.measure_words`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from drafter.facts.model import Document, Facts, Metric, Organisation, Person
from drafter.facts.validate import PLACEHOLDER
from drafter.text.measure_words import counted_phrase

_CJK = r"[\u4e00-\u9fff“”《》（）〔〕]"
_HALF_PUNCT = [(re.compile(rf"(?<={_CJK})\s*,\s*|\s*,\s*(?={_CJK})"), "，"),
               (re.compile(rf"(?<={_CJK})\s*;\s*|\s*;\s*(?={_CJK})"), "；"),
               (re.compile(rf"(?<={_CJK})\s*:\s*(?={_CJK})"), "："),
               (re.compile(rf"\((?={_CJK})"), "（"),
               (re.compile(rf"(?<={_CJK})\)"), "）")]


def format_number(value: int | float) -> str:
    """Arabic numerals without grouping, as written in the facts: 10, 96.4, 2146.8."""
    if isinstance(value, int):
        return str(value)
    d = Decimal(repr(value))
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def format_quantity(value: int | float, unit: str, approx: str | None = None) -> str:
    """260余人次, 500多人, 约300人, 近500人, 15万余份, 96.4% (GB/T 15835: Arabic numerals)."""
    n = format_number(value)
    if approx in ("余", "多"):
        if unit[:1] in ("万", "亿"):  # 15万余份, not 15余万份
            return f"{n}{unit[0]}{approx}{unit[1:]}"
        return f"{n}{approx}{unit}"
    if approx in ("约", "近"):
        return f"{approx}{n}{unit}"
    return f"{n}{unit}"


def metric_quantity(m: Metric) -> str:
    return format_quantity(m.value, m.unit, m.approx)


@dataclass
class Renderer:
    """Expands placeholders against one facts file and records which metrics were used."""

    facts: Facts
    used: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.metrics = self.facts.metric_index()
        self.people: dict[str, Person] = {p.id: p for p in self.facts.people if p.id}
        self.orgs: dict[str, Organisation] = {o.id: o for o in self.facts.organisations if o.id}
        self.docs: dict[str, Document] = {d.id: d for d in self.facts.documents if d.id}
        numbered = sorted((d for d in self.facts.documents if d.number), key=lambda d: -len(d.number or ""))
        # A bare 文号 (not already after its title: 》（…）) → the title-first citation; a
        # "文件" right after it goes (…〔2021〕23号文件要求 → 《…》（…〔2021〕23号）要求).
        self._bare_numbers = (re.compile("(?<!》（)(?:" + "|".join(re.escape(d.number or "") for d in numbered)
                                         + ")(?:文件(?=要求|精神|规定|部署))?")
                              if numbered else None)
        self._by_number = {d.number: d for d in numbered}

    # -- metrics ------------------------------------------------------------------------

    def parts(self, m: Metric) -> list[Metric]:
        return [p for p in self.facts.all_metrics() if m.id and p.part_of == m.id]

    def metric_total(self, m: Metric) -> str:
        self._use(m)
        return counted_phrase(m.label, metric_quantity(m), m.unit)

    def metric_parts(self, m: Metric) -> str:
        items = []
        for p in self.parts(m):
            self._use(p)
            items.append(counted_phrase(p.label, metric_quantity(p), p.unit))
        return "、".join(items)

    def metric_full(self, m: Metric) -> str:
        """Label and quantity, with ``，其中`` and the parts when it has any."""
        text = self.metric_total(m)
        parts = self.metric_parts(m)
        return f"{text}，其中{parts}" if parts else text

    def metric_trend(self, m: Metric) -> str:
        self._use(m)
        prev = format_quantity(m.previous_value, m.unit) if m.previous_value is not None else ""
        if m.previous_value is None or m.approx:
            return ""
        if m.value > m.previous_value:
            return f"较上年的{prev}有所增加"
        if m.value < m.previous_value:
            return f"较上年的{prev}有所减少"
        return "与上年持平"

    def metric_yoy(self, m: Metric) -> str:
        """同比增长9.3% / 同比提高2个百分点 / 与上年持平 (drafter.facts.yoy); a visible
        【待补充】 marker when last year's figure is unknown (no previous_value, not in the corpus)."""
        from drafter.facts.yoy import metric_change

        self._use(m)
        ch = metric_change(m)
        if ch is None:
            return self.metric_trend(m) if m.previous_value == 0 else f"【待补充：{m.label}上年数值】"
        return ch.text()

    def _use(self, m: Metric) -> None:
        if m.id:
            self.used.add(m.id)

    # -- documents ----------------------------------------------------------------------

    @staticmethod
    def cite(d: Document, full: bool = False) -> str:
        """《title》（number）, title first; ``full`` puts the issuer before it."""
        text = f"《{d.title}》" + (f"（{d.number}）" if d.number else "")
        return f"{d.issuer or ''}{text}" if full else text

    def cite_bare_numbers(self, text: str) -> str:
        """A 文号 named without its title, cited title first (the facts define the document)."""
        if self._bare_numbers is None:
            return text

        def one(mt: re.Match[str]) -> str:
            number = mt.group(0).removesuffix("文件")
            return self.cite(self._by_number[number])

        return self._bare_numbers.sub(one, text)

    # -- statements -----------------------------------------------------------------------

    def expand(self, text: str) -> str:
        """A statement with every placeholder replaced, bare 文号 cited title first, and
        half-width punctuation between Chinese characters made full-width (GB/T 15834)."""
        out = PLACEHOLDER.sub(lambda mt: self._one(mt.group(1), mt.group(2)),
                              self.cite_bare_numbers(text))
        return normalise_punctuation(out)

    def _one(self, ident: str, attr: str | None) -> str:
        f = self.facts
        if ident == "unit":
            return f.unit.name
        if ident == "short":
            return f.unit.short
        if ident == "year":
            return str(f.year)
        if ident == "next_year":
            return str(f.year + 1)
        if ident in self.metrics:
            m = self.metrics[ident]
            if attr is None:
                return self.metric_full(m)
            if attr == "total":
                return self.metric_total(m)
            if attr == "value":
                self._use(m)
                return metric_quantity(m)
            if attr == "label":
                return m.label
            if attr == "parts":
                return self.metric_parts(m)
            if attr == "prev":
                self._use(m)
                return format_quantity(m.previous_value, m.unit)
            if attr == "trend":
                return self.metric_trend(m)
            if attr == "yoy":
                return self.metric_yoy(m)
        if ident in self.people:
            p = self.people[ident]
            if attr == "full":
                return f"{p.org or ''}{p.title or ''}{p.name}"
            return {"role": p.role, "org": p.org or "", "title": p.title or ""}.get(attr or "", p.name)
        if ident in self.orgs:
            o = self.orgs[ident]
            return o.role or "" if attr == "role" else o.name
        if ident in self.docs:
            d = self.docs[ident]
            if attr == "title":
                return f"《{d.title}》"
            if attr in ("number", "issuer"):
                return getattr(d, attr) or ""
            return self.cite(d, full=attr == "full")
        # Validation guarantees every placeholder resolves; keep the text visible otherwise.
        return "{" + ident + (f".{attr}" if attr else "") + "}"

    def referenced(self, text: str) -> set[str]:
        """Metric ids a statement refers to (with any attribute)."""
        return {m.group(1) for m in PLACEHOLDER.finditer(text) if m.group(1) in self.metrics}


def normalise_punctuation(text: str) -> str:
    for pat, repl in _HALF_PUNCT:
        text = pat.sub(repl, text)
    return text


def sentence(text: str) -> str:
    """A statement as a clause: trimmed, without final punctuation (the template adds it)."""
    return text.strip().rstrip("。；;，,：:、 ")
