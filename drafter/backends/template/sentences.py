"""What kind of sentence a fact statement is, and how it relates to the one before it.

The template never rewrites a statement; it only decides what goes *between* statements. That
needs two judgements, both made from the words a statement starts with
(``prompts/template/relations.yaml``), without segmentation:

- :func:`Cues.kind` — ``verb`` (a verb-object phrase whose subject is the unit: 编制并公布……),
  ``nominal`` (the statement names its own subject: 法律顾问薛宝庆参与……), ``time``
  (全年……), ``linked`` (其中……, 同时……) or ``result`` (有效……);
- :func:`Cues.relation` — between two consecutive statements: ``continuation`` (the second
  carries on with a subject the first named, or a verb phrase follows a sentence about a
  person, who acts on), ``addition`` (a new measure or a new subject),
  ``figures`` (a count of what was done), ``progression`` (putting into practice what the
  first set up), ``result``; ``time`` and ``linked`` when the statement already starts so.

``prompts/template/connectors.yaml`` says which connectors each relation licenses; the
backend and the prose evaluation use the same judgement, so a connector in a draft can be
checked against the relation it stands in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from drafter.prompts import PromptFile, load_patterns

_YEAR_START = re.compile(r"^(?:\d{4}\s*年(?:度)?|\d{1,2}\s*月)")
_DIGIT = re.compile(r"\d")
_CJK2 = re.compile(r"(?=([\u4e00-\u9fff]{2}))")
# Digits inside 《》 titles and 〔〕 文号 years are not figures.
_NOT_FIGURES = re.compile(r"《[^》]*》|〔\d{4}〕\d+号|（[^）]*〔\d{4}〕[^）]*）|\d{4}年")


@dataclass(frozen=True)
class Cues:
    """The word lists of ``relations.yaml`` (with the unit's self-reference filled in)."""

    short: str
    verb_heads: tuple[str, ...]
    not_verb_heads: tuple[str, ...]
    time_starts: tuple[str, ...]
    linked_starts: tuple[str, ...]
    agent_words: tuple[str, ...]
    predicate_marks: tuple[str, ...]
    result_words: tuple[str, ...]
    result_starts: tuple[str, ...]
    generic: frozenset[str]
    establish_words: tuple[str, ...]
    implement_starts: tuple[str, ...]
    intensifiers: tuple[str, ...]

    # -- one statement ------------------------------------------------------------------------

    def time_start(self, text: str) -> str | None:
        """The time word a statement starts with (全年, 2023年), else None."""
        m = _YEAR_START.match(text)
        if m:
            return m.group(0)
        return _starts(text, self.time_starts)

    def kind(self, text: str) -> str:
        """``time``, ``linked``, ``result``, ``verb`` or ``nominal`` (see the module doc)."""
        if self.time_start(text):
            return "time"
        if _starts(text, self.linked_starts):
            return "linked"
        if _starts(text, self.result_starts):
            return "result"
        if self.verb_initial(text):
            return "verb"
        return "nominal"

    def verb_initial(self, text: str) -> bool:
        body = self.without_self(text)
        return bool(_starts(body, self.verb_heads)) and not _starts(body, self.not_verb_heads)

    def without_self(self, text: str) -> str:
        """The statement without a leading self-reference (我局编制…… → 编制……)."""
        if self.short and text.startswith(self.short) and len(text) > len(self.short):
            return text[len(self.short):]
        return text

    def subject(self, text: str) -> str:
        """The subject a nominal statement names: up to the first predicate mark, digit or
        comma (法律顾问薛宝庆参与…… → 法律顾问薛宝庆)."""
        end = len(text)
        for mark in self.predicate_marks:
            i = text.find(mark, 1)
            if 0 < i < end:
                end = i
        for stop in ("，", "；", "、"):
            i = text.find(stop)
            if 0 < i < end:
                end = i
        m = _DIGIT.search(text)
        if m and 0 < m.start() < end:
            end = m.start()
        return text[:end]

    def has_figure(self, text: str) -> bool:
        """Whether the first clause states a figure (a digit outside titles, 文号 and years)."""
        first = re.split(r"[，；：]", text, maxsplit=1)[0]
        return bool(_DIGIT.search(_NOT_FIGURES.sub("", first)))

    def is_result(self, text: str) -> bool:
        """Whether a sentence states an achievement (a result word in it)."""
        return any(w in text for w in self.result_words)

    # -- two statements -----------------------------------------------------------------------

    def relation(self, prev: str, cur: str) -> str:
        """How ``cur`` relates to the statement before it (see the module doc)."""
        kind = self.kind(cur)
        if kind in ("time", "linked", "result"):
            return kind
        if kind == "nominal":
            return "continuation" if self.shares_subject(prev, cur) else "addition"
        if self.kind(prev) == "nominal" and any(w in self.subject(prev) for w in self.agent_words):
            return "continuation"  # the person the sentence before named acts on
        if self.has_figure(self.without_self(cur)):
            return "figures"
        if (any(w in prev for w in self.establish_words)
                and _starts(self.without_self(cur), self.implement_starts)):
            return "progression"
        return "addition"

    def shares_subject(self, prev: str, cur: str) -> bool:
        """Whether the subject ``cur`` names already occurs in ``prev`` (a shared two-character
        word that is not generic: 薛宝庆, 决策)."""
        grams = {g for g in _CJK2.findall(self.subject(cur)) if g not in self.generic}
        return any(g in prev for g in grams)

    def means(self, title: str | None) -> str | None:
        """The measure an item's title names, for “通过……，”: the title without leading
        intensifiers, when it is a short verb-object phrase; else None."""
        if not title or "，" in title:
            return None
        t = title
        while True:
            w = _starts(t, self.intensifiers)
            if not w or len(t) - len(w) < 4:
                break
            t = t[len(w):]
        if len(t) > 14 or not _starts(t, self.verb_heads) or _starts(t, self.intensifiers):
            return None
        return t


def _starts(text: str, words: tuple[str, ...]) -> str | None:
    """The longest of ``words`` that ``text`` starts with."""
    best = None
    for w in words:
        if w and text.startswith(w) and (best is None or len(w) > len(best)):
            best = w
    return best


def _list(p: PromptFile, slot: str, **values: str) -> tuple[str, ...]:
    return tuple(p.fill(str(w), **values) for w in p.get(slot) or [])


@cache
def cues(short: str) -> Cues:
    """The relation cues for a unit whose self-reference is ``short`` (我局, 我县)."""
    p = load_patterns("relations")
    return Cues(short=short, verb_heads=_list(p, "verb_heads"),
                not_verb_heads=_list(p, "not_verb_heads"), time_starts=_list(p, "time_starts"),
                linked_starts=_list(p, "linked_starts"), agent_words=_list(p, "agent_words"),
                predicate_marks=_list(p, "predicate_marks"),
                result_words=_list(p, "result_words"), result_starts=_list(p, "result_starts"),
                generic=frozenset(_list(p, "generic", short=short)),
                establish_words=_list(p, "establish_words"),
                implement_starts=_list(p, "implement_starts"), intensifiers=_list(p, "intensifiers"))
