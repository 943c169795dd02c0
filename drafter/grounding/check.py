"""The checks of a drafted text against given facts (:class:`Grounding`); see the package
docstring for what is accepted and what is stopped."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from drafter.grounding.known import Known, _title_key, facts_texts
from drafter.grounding.verdict import Problem, Verdict
from drafter.sections import cause_cues
from drafter.text.names import name_candidates
from drafter.text.titles import book_titles, title_texts, without_titles

if TYPE_CHECKING:  # pragma: no cover
    from drafter.facts.model import Facts
    from drafter.plan import SectionSpec
    from drafter.text.numbers import Quantity

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_HEADING_NUM = re.compile(r"^[ \u3000]*(?:[（(]\d{1,2}[）)]|\d{1,2}[.．、])")
_MARKDOWN = re.compile(r"^[ \u3000]*(?:#{1,6}[ \u3000]|[-*+•][ \u3000]|>[ \u3000]?|```|\|.*\|)"
                       r"|\*\*|__|`[^`\n]+`|\[[^\]\n]+\]\([^)\n]+\)", re.M)
_ENGLISH = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ ,;:]+[A-Za-z][A-Za-z'’-]*){3,}")
_SQUASH = re.compile(r"[\s\u3000。；;：:，,、“”\"]")

# Names anyone may write (the head of state, the country).
_ALLOWED_NAMES = ("习近平", "中华人民共和国", "中国")
_NAME_KIND = {"人名": "name", "单位名称": "org", "地名": "place"}


class Grounding:
    """Given texts (the facts, rendered), indexed for checking drafted texts against them.

    Build it with :meth:`from_facts` (a whole facts file) or :meth:`from_spec` (what one
    section's prompt gives the model). ``year`` is the reporting year (it and the next year
    may always be written); ``known`` what is true beyond these texts (:class:`Known`);
    ``counts`` the numbers of items the facts list (三个方面 is true when three are listed).
    """

    def __init__(self, texts: Iterable[str], year: int, known: Known | None = None,
                 counts: Iterable[int] = ()) -> None:
        from drafter.text.numbers import extract_quantities
        from drafter.text.refs import dates, doc_numbers

        self.year = year
        self.known = known or Known()
        self.statements = [t for t in texts if t]
        self.text = "\n".join(self.statements)
        every = self.text + "\n" + self.known.text
        self.names_text = _SQUASH.sub("", every)
        # The given figures by statement (two figures of one statement can make a third).
        self.groups = [extract_quantities(t) for t in self.statements]
        self.quantities = [q for g in self.groups for q in g]
        self.digits = set(_DIGITS.findall(every))
        self.counts = {c for c in counts if c > 0}
        self.titles = {_title_key(t) for t in title_texts(every)}
        self.title_entries = {id(e) for t in title_texts(every) if (e := _lexicon_entry(t)) is not None}
        self.doc_numbers = {d.key for d in doc_numbers(every)}
        self.dates = {(d.month, d.day) for d in dates(every)}

    @classmethod
    def from_facts(cls, facts: "Facts", extra: Iterable[str] = ()) -> "Grounding":
        """Everything the facts file states (``extra``: further given text, e.g. headings)."""
        texts = facts_texts(facts)
        # {id.value} renders a bare quantity: index it as written too.
        texts += [f"{m.value}{m.unit}" for m in facts.all_metrics()]
        return cls([*texts, *extra], facts.year)

    @classmethod
    def from_spec(cls, spec: "SectionSpec", known: Known | None = None) -> "Grounding":
        """What one section's prompt gives: its items and last year's plans, the unit."""
        texts = [spec.unit, spec.short, spec.heading, spec.numbered_heading]
        for it in spec.items:
            texts += [it.title or "", it.problem or "", *it.statements, *it.metrics, *it.causes,
                      it.outcome or ""]
        texts += [p.text for p in spec.previous_plans]
        answered = [p for p in spec.previous_plans if p.answered_by]
        counts = {len(spec.items), len(spec.subheadings), len(spec.previous_plans), len(answered)}
        return cls(texts, spec.year, known, counts)

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
        used = self._numbers(text, v)
        self._titles(text, v)
        self._names(text, v)
        self._form(text, v, headings, needs_causes)
        self._coverage(text, v, figures, used)
        return v

    def _coverage(self, text: str, v: Verdict, figures: Iterable[str], used: list["Quantity"]) -> None:
        """Every figure and person of ``figures`` must be in ``text`` — stated, or used by a
        figure computed from it (比上年增长9.5% states last year's value too)."""
        from drafter.text.numbers import extract_quantities

        written = extract_quantities(_without_heading_numbers(text)) + used
        for statement in figures:
            for q in extract_quantities(statement):
                if not any(abs(w.value - q.value) <= 1e-6 * max(1.0, q.value)
                           and (w.family == q.family or None in (w.family, q.family))
                           for w in written) and not _one_written_out(text, q):
                    what = f"{q.label}{q.raw.strip()}" if q.label else q.raw.strip()
                    v.problems.append(Problem("missing", what, f"漏写了数据“{what}”：请按事实材料写入"))
            for name, kind in name_candidates(statement):
                if kind == "人名" and name not in text:
                    v.problems.append(Problem("missing", name, f"漏写了“{name}”：请按事实材料写明"))

    def _numbers(self, text: str, v: Verdict) -> list["Quantity"]:
        """Check the figures, 文号 and dates of ``text``; returns the given figures that
        computed figures of the text use."""
        from drafter.text.derived import (binding_conflict, claims_sum, clause_before, counts_listed,
                                          derivation, is_list_count, listed_counts)
        from drafter.text.numbers import extract_quantities
        from drafter.text.refs import dates, doc_numbers

        body = _without_heading_numbers(text)
        covered: list[tuple[int, int]] = [(t.start, t.end) for t in book_titles(body)]
        for d in doc_numbers(body):
            covered.append((d.start, d.end))
            v.checked["数字"] += 1
            if d.key not in self.doc_numbers:
                quote = body[d.start:d.end]
                v.problems.append(Problem("docnum", quote, f"文号“{quote}”在事实材料中没有：请删去，不要自行编写文号"))
        for dt in dates(body):
            v.checked["数字"] += 1
            if (dt.month, dt.day) not in self.dates:
                quote = body[dt.start:dt.end]
                covered.append((dt.start, dt.end))
                v.problems.append(Problem("date", quote, f"日期“{quote}”在事实材料中没有：请删去，只使用事实材料中的日期"))
        counts = self.counts | listed_counts(text)
        taken = list(covered)
        used: list["Quantity"] = []
        found = extract_quantities(body)
        for q in found:
            if any(s <= q.start < e for s, e in taken):
                continue
            covered.append((q.start, q.end))
            v.checked["数字"] += 1
            raw = q.raw.strip()
            if counts_listed(q):  # 三个方面: true when it counts what is listed, whatever else is 3
                if not is_list_count(q, counts):
                    v.problems.append(Problem("number", raw, f"“{raw}”与所列条目数不符：请按实际列举的条数写，或删去"))
                continue
            s0, s1 = _sentence_at(body, q.start)
            how = derivation(q, self.groups, clause_before(body, q), body[s0:s1],
                             [x for x in found if s0 <= x.start < s1 and x is not q], self.statements)
            if how is None and claims_sum(q, clause_before(body, q), self.quantities):
                v.problems.append(Problem("number", raw, f"“{raw}”不等于所列各项之和：请按事实材料核算，或删去"))
                continue
            if self._given(q):
                other = binding_conflict(q, self.quantities)
                if other is not None and how is None:  # 撤销和确认违法的共9件 is a sum, not 确认违法
                    v.problems.append(Problem("number", raw, f"“{raw}”与事实材料不符：事实材料中“{other.label}”"
                                                             f"为{other.raw.strip()}，请按事实材料改正"))
                continue
            if how is not None:
                used.extend(how.operands)
                continue
            v.problems.append(Problem(
                "number", raw, f"数字“{raw}”在事实材料中没有：请删去，或只使用事实材料中给出的数字"))
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
        return used

    def _given(self, q: "Quantity") -> bool:
        """Whether the section's facts give ``q``'s value (same unit family)."""
        if q.value == 1 and not q.raw.strip()[:1].isdigit():
            return True  # 一名/一期 is an article, not a figure
        for f in self.quantities:
            if abs(f.value - q.value) <= 1e-6 * max(1.0, abs(q.value)) and (
                    f.family is None or q.family is None or f.family == q.family) and \
                    _approx_fits(q, f):
                return True
        return False

    def _titles(self, text: str, v: Verdict) -> None:
        for t in title_texts(text):
            v.checked["标题"] += 1
            e = _lexicon_entry(t)
            if _title_key(t) in self.titles or (e is not None and id(e) in self.title_entries):
                continue  # the facts cite it (under this name or another of the same document)
            if e is not None and not e.repealed:
                continue  # a current national document
            if e is None and _title_key(t) in self.known.titles:
                continue  # the unit's earlier reports or the local data cite it
            if e is not None:
                now = f"（现行为《{e.replaced_by}》）" if e.replaced_by else ""
                v.problems.append(Problem("title", t, f"{t}已废止{now}：请删去，或只引用事实材料中出现的文件"))
            else:
                v.problems.append(Problem("title", t, f"{t}不在事实材料中，也不是现行法律法规的准确名称："
                                                      f"请删去该文件名称，或只引用事实材料中出现的文件"))

    def _names(self, text: str, v: Verdict) -> None:
        seen: set[str] = set()
        for name, what in name_candidates(without_titles(text)):
            v.checked["名称"] += 1
            if name in seen or _SQUASH.sub("", name) in self.names_text or name in self.known.names \
                    or any(name in a for a in _ALLOWED_NAMES):
                continue
            seen.add(name)
            v.problems.append(Problem(_NAME_KIND.get(what, "name"), name,
                                      f"{what}“{name}”在事实材料中没有：请删去，不要自行编写人名、地名或单位名称"))

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


def _approx_fits(q: "Quantity", f: "Quantity") -> bool:
    """A stated approximation must not claim more than the given one: 不少于6期 is not 6期."""
    if q.approx_kind in (None, "about") or q.approx_kind == f.approx_kind:
        return True
    return q.approx_kind == "more" and f.approx_kind in (None, "more")


def _sentence_at(text: str, offset: int) -> tuple[int, int]:
    """(start, end) of the sentence of ``text`` holding ``offset``."""
    from drafter.text.sentences import sentence_spans

    lo = text.rfind("\n", 0, offset) + 1
    hi = text.find("\n", offset)
    hi = len(text) if hi < 0 else hi
    for s, e in sentence_spans(text[lo:hi]):
        if lo + s <= offset < lo + e:
            return lo + s, lo + e
    return lo, hi


def _without_heading_numbers(text: str) -> str:
    """``text`` with paragraph-initial heading numbers (1. （1）) blanked, offsets kept."""
    return "\n".join(_HEADING_NUM.sub(lambda m: " " * len(m.group()), line)
                     for line in text.split("\n"))


def _squash(s: str) -> str:
    return re.sub(r"[\s\u3000。；;：:，,]", "", s)


def _lexicon_entry(title: str):
    from drafter.text.laws import law_lexicon

    try:
        return law_lexicon().entry(title)
    except (OSError, ValueError, KeyError):  # a damaged lexicon must not stop grounding
        return None


def _one_written_out(text: str, q: "Quantity") -> bool:
    """Whether a figure of one is written out after its label ("撤销一件" for 撤销1件): the
    figures of ``text`` leave a lone 一 out (一件事, 一个窗口 are words)."""
    return q.value == 1 and bool(q.unit) and bool(q.label) and f"{q.label[-2:]}一{q.unit}" in text
