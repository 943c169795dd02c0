"""References in report text that are not counts: 文号 (document numbers) and calendar dates.

- :data:`DOC_NUMBER` — an issuing-office code, the year in brackets, the sequence number and
  号 (豫发〔2021〕23号, with any of the bracket forms writers use); the FMT rules check its
  brackets, grounding checks that the facts give it.
- :func:`doc_numbers` — each 文号 in a text with its normal form (〔〕 brackets, no 第/spaces),
  so two spellings of one number compare equal.
- :func:`dates` — 2023年6月15日, 6月15日, 2023年6月 (a month on its own is a date too), as
  (year or None, month, day or None) with their spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# 文号: an issuing-office code, the year in brackets, the sequence number and 号 (豫发〔2021〕23号).
# The lookbehinds (a Chinese character before the bracket, not 年月日第的) come after the
# bracket: a pattern that starts with a character class lets the engine skip to the brackets.
DOC_NUMBER = re.compile(r"([\[【(（［﹝〔])(?<=[\u4e00-\u9fff].)(?<![年月日第的].)\s*((?:19|20)\d{2})\s*"
                        r"([\]】)）］﹞〕])\s*(第?)\s*(\d{1,4})\s*号(?![楼院线房门车机位段室])")
_CODE = re.compile(r"[\u4e00-\u9fff]{1,8}$")
# Every date starts with an ASCII digit: the lookahead lets the engine skip to the digits.
_DATE = re.compile(r"(?=[0-9])(?:(?<!\d)((?:19|20)\d\d)\s*年\s*)?(?<!\d)(1[0-2]|0?[1-9])\s*月(?:\s*(3[01]|[12]\d|0?[1-9])\s*日)?")


@dataclass(frozen=True)
class DocNumber:
    start: int  # where the issuing-office code starts (as far as it can be told)
    end: int
    code: str  # the characters right before the bracket (up to 8; may include a verb)
    year: int
    number: int

    @property
    def key(self) -> str:
        """Year and sequence number: the part of a 文号 that cannot be mistaken."""
        return f"〔{self.year}〕{self.number}号"


def doc_numbers(text: str) -> list[DocNumber]:
    out = []
    for m in DOC_NUMBER.finditer(text):
        code = _CODE.search(text, max(0, m.start() - 8), m.start())
        start = code.start() if code else m.start()
        out.append(DocNumber(start, m.end(), code.group() if code else "", int(m.group(2)),
                             int(m.group(5))))
    return out


@dataclass(frozen=True)
class DateRef:
    start: int
    end: int
    year: int | None
    month: int
    day: int | None


def dates(text: str) -> list[DateRef]:
    """Calendar dates written with 年/月/日 in Arabic digits."""
    out = []
    for m in _DATE.finditer(text):
        y, mo, d = m.group(1), m.group(2), m.group(3)
        out.append(DateRef(m.start(), m.end(), int(y) if y else None, int(mo), int(d) if d else None))
    return out
