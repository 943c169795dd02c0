"""The opener book: how often each opener has been used, in this section and in the report.

A capable writer does not start four paragraphs of one report with "2023年，". The book counts
two things, each against the limits of ``prompts/template/openers.yaml``:

- **openers** — the text before the first "，" of every sentence drafted (what a reader sees
  repeating: 一年来 / 同时 / 究其原因 / 我局编制并公布……);
- **words** — the openers and connectors the template itself adds (我局, 同时, 全年), so the
  self-reference does not start every paragraph either; the time words (一年来, 全年, 2023年)
  are one family, each used once in the whole report, including the lead and the staff's own
  statements that start with one.

One book serves one report (``TemplateBackend.draft_sections``) or one section
(``draft_section``).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

_SENTENCE_END = re.compile(r"(?<=[。；！？])")
_RUN_IN = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)][^。]{1,40}。")


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph (split after 。；！？), run-in heading removed."""
    return [s for s in _SENTENCE_END.split(_RUN_IN.sub("", paragraph)) if s.strip()]


def opener(sentence: str) -> str:
    """The text before the first "，" of a sentence (all of it when there is none)."""
    return sentence.split("，", 1)[0].rstrip("。；！？")


def rotation(seed: str, slot: str, index: int, n: int) -> list[int]:
    """Indexes 0..n-1 starting at a stable hash of (seed, slot) plus ``index``."""
    if n <= 0:
        return []
    h = int(hashlib.sha1(f"{seed}|{slot}".encode()).hexdigest()[:8], 16)
    return [(h + index + k) % n for k in range(n)]


@dataclass
class Limits:
    section: int = 1
    report: int = 2
    time_report: int = 1


@dataclass
class OpenerBook:
    limits: Limits = field(default_factory=Limits)
    openers_report: Counter = field(default_factory=Counter)
    openers_section: Counter = field(default_factory=Counter)
    words_report: Counter = field(default_factory=Counter)
    words_section: Counter = field(default_factory=Counter)
    time_words: Counter = field(default_factory=Counter)

    def enter(self) -> None:
        """A new section begins."""
        self.openers_section.clear()
        self.words_section.clear()

    # -- openers (text before the first "，") ---------------------------------------------------

    def opener_ok(self, sentence: str) -> bool:
        o = opener(sentence)
        return (self.openers_section[o] < self.limits.section
                and self.openers_report[o] < self.limits.report)

    def record(self, paragraph: str) -> None:
        """Count the openers of every sentence of a drafted paragraph."""
        for s in sentences(paragraph):
            o = opener(s)
            self.openers_section[o] += 1
            self.openers_report[o] += 1

    # -- words the template adds ----------------------------------------------------------------

    def word_ok(self, word: str, time: bool = False) -> bool:
        w = word.rstrip("，")
        if not w:
            return True
        if time and self.time_words[w] >= self.limits.time_report:
            return False
        return self.words_section[w] < self.limits.section and self.words_report[w] < self.limits.report

    def use_word(self, word: str, time: bool = False) -> None:
        w = word.rstrip("，")
        if not w:
            return
        self.words_section[w] += 1
        self.words_report[w] += 1
        if time:
            self.time_words[w] += 1

    def use_time(self, word: str) -> None:
        """A time word the text already starts with (the lead's 2023年, a statement's 全年)."""
        self.time_words[word.rstrip("，")] += 1
