"""The document model shared by the readers, the drafter and the checker.

A :class:`Report` is a list of :class:`Paragraph` objects (one per input line for .txt/.md,
one per Word paragraph for .docx) plus the parts recognised in them: title, 主送机关, lead,
the section tree (一、 → （一） → 1. → （1）), 署名 and 成文日期.

Positions: ``Report.text`` is the paragraphs joined with "\\n", so the 1-based line of a
paragraph is its position in that text; for .docx that is the paragraph number. Every
offset in this module is an index into ``Report.text``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Iterator, Literal


SectionKey = Literal["measures", "shortcomings", "leadership", "plans", "other"]


@dataclass
class Paragraph:
    """One paragraph of the input.

    ``line`` is the 1-based line (txt/md) or paragraph number (docx); ``offset`` is where
    the paragraph starts in ``Report.text``. ``auto_number`` is the heading number that Word
    automatic numbering supplied (already prefixed to ``text``), or None when the number,
    if any, is typed in the text. ``role`` is filled by the structure parser.
    """

    text: str
    line: int
    offset: int = 0
    auto_number: str | None = None
    # title | recipient | lead | heading | body | signature | date | note | blank | cover |
    # doc_number ("cover": a paragraph of a cover letter before the report, see Report.cover;
    # "doc_number": a 文号 line above or under the title)
    role: str = "body"
    in_table: bool = False
    # The whole paragraph is emphasised (a Markdown "**…**" line): a heading of a reprint
    # that lost its numbers, when the structure parser says so.
    emphasis: bool = False
    # Characters of the source line before ``text`` that the reader dropped (a Markdown
    # "## " or "- " and the spaces before it); 0 for .txt/.docx.
    col_shift: int = 0

    @property
    def end(self) -> int:
        return self.offset + len(self.text)


@dataclass
class Heading:
    """A numbered heading at the start of a paragraph.

    ``number`` is the number exactly as written (e.g. "一、", "(一)", "（一）、");
    ``ordinal`` its value (1 for 一); ``style`` one of ``cn`` (一、), ``paren-cn`` (（一）),
    ``arabic`` (1.), ``paren-arabic`` (（1）), or ``none`` for a heading without a number (a
    reprint's bold line: ``number`` "", ``ordinal`` 0). ``title`` is the heading text without its
    number; for a run-in heading (body text follows in the same paragraph) it is the first
    sentence only, and ``run_in`` is True.
    """

    level: int
    number: str
    ordinal: int
    style: str
    separator: str
    title: str
    run_in: bool
    paragraph: Paragraph

    @property
    def title_offset(self) -> int:
        return self.paragraph.offset + len(self.number)


@dataclass
class Enumeration:
    """A run-in item "一是…" inside a paragraph: ``ordinal`` and where its marker starts."""

    ordinal: int
    marker: str
    offset: int
    paragraph: Paragraph


@dataclass
class Section:
    """A heading and what belongs to it (its paragraphs and its subsections).

    ``key`` is the mandated item this section reports (see :mod:`drafter.sections`) or None when it
    could not be classified; level-1 sections of a thematic report (layout C) get
    ``measures`` with ``thematic`` True. ``extra_keys`` holds further items a combined
    heading names ("存在的问题及下一步打算" is shortcomings and plans).
    """

    heading: Heading
    paragraphs: list[Paragraph] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)
    key: str | None = None
    extra_keys: list[str] = field(default_factory=list)
    thematic: bool = False

    @property
    def level(self) -> int:
        return self.heading.level

    @property
    def title(self) -> str:
        return self.heading.title

    @property
    def line(self) -> int:
        return self.heading.paragraph.line

    def walk(self) -> Iterator["Section"]:
        yield self
        for child in self.children:
            yield from child.walk()

    def all_paragraphs(self) -> list[Paragraph]:
        """The heading paragraph, the body and every subsection's paragraphs, in order."""
        out = [self.heading.paragraph]
        items: list[tuple[int, list[Paragraph]]] = [(p.offset, [p]) for p in self.paragraphs]
        items += [(c.heading.paragraph.offset, c.all_paragraphs()) for c in self.children]
        for _, ps in sorted(items, key=lambda t: t[0]):
            out.extend(ps)
        return out

    def body_text(self) -> str:
        """Text of the section without its own heading title (run-in body included)."""
        parts = []
        head = self.heading
        if head.run_in:
            parts.append(head.paragraph.text[len(head.number) + len(head.title):])
        for p in self.all_paragraphs()[1:]:
            parts.append(p.text)
        return "\n".join(parts)


@dataclass
class Presence:
    """How a mandated item is present: as a level-1 ``section``, a ``subsection``, only a
    ``sentence`` mentioning it, or ``absent``. ``where`` is the paragraph that shows it."""

    key: str
    how: Literal["section", "subsection", "sentence", "absent"]
    where: Paragraph | None = None
    offset: int | None = None
    quote: str = ""


@dataclass
class CoverLetter:
    """A cover letter (报送函 / 报送的报告) before the report itself: its paragraphs and the
    elements found in them (None when absent). ``recipients`` split from ``recipient``."""

    paragraphs: list[Paragraph]
    title: Paragraph | None = None
    doc_number: Paragraph | None = None
    recipient: Paragraph | None = None
    recipients: list[str] = field(default_factory=list)
    signature: Paragraph | None = None
    date: Paragraph | None = None


@dataclass
class Report:
    """A whole report. ``path`` is as the user gave it; ``format`` is txt, md or docx.

    ``form`` is the form the text shows (``submitted``: 主送机关 under the title, 署名 and
    成文日期 at the end; ``published``: as published on a website — no 主送机关, the unit and
    date under the title, or a cover letter before it); ``form_reasons`` say why, in Chinese.
    ``cover`` is the cover letter, if any; ``doc_number`` the 发文字号 line (of the cover
    letter or under the title). ``signature``/``date`` are the report's 署名/成文日期 wherever
    the form puts them: ``element_places`` says where each was found (``end``, ``under-title``
    or ``cover``).
    """

    path: str
    format: str
    paragraphs: list[Paragraph]
    title: Paragraph | None = None
    recipients: list[str] = field(default_factory=list)
    recipient_paragraph: Paragraph | None = None
    lead: list[Paragraph] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    signature: Paragraph | None = None
    date: Paragraph | None = None
    enumerations: list[list[Enumeration]] = field(default_factory=list)
    presence: dict[str, Presence] = field(default_factory=dict)
    reader_notes: list[str] = field(default_factory=list)
    form: str = "submitted"
    form_reasons: list[str] = field(default_factory=list)
    cover: CoverLetter | None = None
    doc_number: Paragraph | None = None
    element_places: dict[str, str] = field(default_factory=dict)
    # The python-docx Document a .docx report was read from (the layout rules read its page
    # setup, styles and footers); None for .txt/.md input and for reports built in memory.
    source_docx: object | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._starts = [p.offset for p in self.paragraphs]
        self._text: str | None = None

    @property
    def text(self) -> str:
        # Joined once: callers ask for it per finding, and a report is not edited in place
        # (the paragraph offsets above are fixed at construction too).
        if self._text is None:
            self._text = "\n".join(p.text for p in self.paragraphs)
        return self._text

    def body_paragraphs(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.text.strip()]

    def paragraph_at(self, offset: int) -> Paragraph:
        """The paragraph containing ``offset`` (an index into ``text``)."""
        if not self.paragraphs:
            raise ValueError("empty report")
        i = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return self.paragraphs[i]

    def locate(self, offset: int) -> tuple[int, int]:
        """(1-based line, 1-based column) of an offset into ``text``, in the source file
        (a Markdown prefix the reader dropped is counted, see ``Paragraph.col_shift``)."""
        p = self.paragraph_at(offset)
        return p.line, offset - p.offset + 1 + p.col_shift

    def walk(self) -> Iterator[Section]:
        for s in self.sections:
            yield from s.walk()

    def sections_for(self, key: str) -> list[Section]:
        """Level-1 sections classified as ``key`` (several for a thematic layout)."""
        return [s for s in self.sections if s.key == key or key in s.extra_keys]

    @property
    def characters(self) -> int:
        return sum(len("".join(p.text.split())) for p in self.paragraphs)


def make_paragraphs(texts: list[str], auto_numbers: list[str | None] | None = None,
                    in_table: list[bool] | None = None,
                    col_shifts: list[int] | None = None,
                    emphasis: list[bool] | None = None) -> list[Paragraph]:
    """Number paragraphs 1..n and compute their offsets in the joined text."""
    out: list[Paragraph] = []
    offset = 0
    for i, t in enumerate(texts):
        out.append(Paragraph(text=t, line=i + 1, offset=offset,
                             auto_number=auto_numbers[i] if auto_numbers else None,
                             in_table=bool(in_table and in_table[i]),
                             col_shift=col_shifts[i] if col_shifts else 0,
                             emphasis=bool(emphasis and emphasis[i])))
        offset += len(t) + 1
    return out
