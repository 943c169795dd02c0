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
``{unit}`` ``{short}``    the unit's full name / self-reference            示例市…局 / 我局
``{year}`` ``{next_year}``  the reporting year / the year after            2023 / 2024
========================  ==============================================  =================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from drafter.facts.model import Facts, Metric, Organisation, Person
from drafter.facts.validate import PLACEHOLDER

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
    """260余人次, 500多人, 约300人, 近500人, 96.4% (GB/T 15835: Arabic numerals)."""
    n = format_number(value)
    if approx in ("余", "多"):
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

    # -- metrics ------------------------------------------------------------------------

    def parts(self, m: Metric) -> list[Metric]:
        return [p for p in self.facts.all_metrics() if m.id and p.part_of == m.id]

    def metric_total(self, m: Metric) -> str:
        self._use(m)
        return f"{m.label}{metric_quantity(m)}"

    def metric_parts(self, m: Metric) -> str:
        items = []
        for p in self.parts(m):
            self._use(p)
            items.append(f"{p.label}{metric_quantity(p)}")
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

    # -- statements -----------------------------------------------------------------------

    def expand(self, text: str) -> str:
        """A statement with every placeholder replaced and half-width punctuation between
        Chinese characters made full-width (GB/T 15834)."""
        out = PLACEHOLDER.sub(lambda mt: self._one(mt.group(1), mt.group(2)), text)
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
