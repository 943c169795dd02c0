"""The facts schema: what staff state about the year, validated by pydantic.

One facts file describes one unit's report for one year (DESIGN.md "Facts file"). The
Excel loader and the LLM backend reuse these models, so field names are stable.

Numbers enter a draft only through :class:`Metric` objects (or digits the staff typed in
their own statements): the template never computes a figure. A statement refers to a metric,
a person, an organisation or a document by id in braces — ``"{norm_docs_cleaned}"`` — and
:mod:`drafter.facts.render` expands it (see docs/facts-schema.md).

Structural checks that need the whole file (ids, part/total sums, dates, references) live in
:mod:`drafter.facts.validate`, so these models stay declarative.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    Tag,
    field_validator,
)

from drafter.sections import KEYS

SECTION_KEYS: tuple[str, ...] = KEYS  # drafter.sections
ID_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
RESERVED_IDS = frozenset({"unit", "short", "year", "next_year"})

_HEADING_NUMBER = re.compile(
    r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)][、.．]?|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|\d{1,2}\s*[.．、])\s*")


class _Model(BaseModel):
    # Unknown fields are typos far more often than intent: reject them with the field path.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _text(min_length: int = 1):
    return Field(min_length=min_length)


class _Sourced(_Model):
    """Where a value came from and whether staff must still confirm it. ``drafter corpus add``
    marks everything it reads from an earlier report: ``source: "report, line 7"`` and
    ``confirm: true`` (待核实). Both optional; a hand-written facts file needs neither."""

    source: str | None = None
    confirm: StrictBool = False


class Unit(_Sourced):
    """The reporting unit. ``short`` is how the report refers to itself (我局, 我区, 我市)."""

    name: str = _text()
    short: str = Field(default="我局", min_length=1)
    type: Literal["department", "government"] = "department"
    slug: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]*$")
    superior: str | None = None  # whose leadership the lead paragraph names: 市委、市政府


def _number(v: Any) -> Any:
    # YAML "10" (quoted), "10件", true: all wrong here; say so in one message, not per branch.
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError("not_number")
    return v


Number = Annotated[Union[int, float], BeforeValidator(_number)]


class Metric(_Sourced):
    """A figure: ``label`` + ``value`` + ``unit`` renders as 培训260余人次.

    ``approx`` marks an approximate figure (余/多 follow the number, 约/近 precede it).
    ``part_of`` names the metric this one is a part of; ``exhaustive`` on a total says its
    parts add up to it exactly (保留/修改/废止…), otherwise the parts may not exceed it.
    ``previous_value`` is last year's figure of the same metric, for ``{id.trend}``.
    """

    id: str | None = Field(default=None, pattern=ID_PATTERN)
    label: str = _text()
    value: Number = Field(ge=0)
    unit: str = _text()
    approx: Literal["余", "约", "近", "多"] | None = None
    part_of: str | None = Field(default=None, pattern=ID_PATTERN)
    exhaustive: StrictBool = False
    previous_value: Number | None = Field(default=None, ge=0)


def _metric_tag(v: Any) -> str:
    return "ref" if isinstance(v, str) else "inline"


MetricRef = Annotated[
    Union[Annotated[str, Tag("ref")], Annotated[Metric, Tag("inline")]],
    Discriminator(_metric_tag),
]


class Person(_Sourced):
    """A person named in the report, written one way: ``{id}`` renders the name,
    ``{id.full}`` the organisation, title and name (示例律师事务所律师周明)."""

    id: str | None = Field(default=None, pattern=ID_PATTERN)
    name: str = _text()
    role: str = _text()
    org: str | None = None
    title: str | None = None


class Organisation(_Sourced):
    """An organisation named in the report (司法局, 律师事务所…) and its role."""

    id: str | None = Field(default=None, pattern=ID_PATTERN)
    name: str = _text()
    role: str | None = None


_NESTED_TITLE = re.compile(r"[《<＜]([^《》<>＜＞]*)[》>＞]")
_NUMBER_YEAR = re.compile(r"[\[［【(（〔]\s*((?:19|20)\d\d)\s*[\]］】)）〕]")


def _clean_document_title(v: Any) -> Any:
    """A document's title without its outer 《》; a title inside it in 〈〉 (GB/T 15834)."""
    if isinstance(v, str):
        v = v.strip()
        if v.startswith("《") and v.endswith("》"):
            v = v[1:-1].strip()
        v = _NESTED_TITLE.sub(r"〈\1〉", v)
    return v


def _clean_document_number(v: Any) -> Any:
    """A 文号 as written in the report: the year in 〔〕, no brackets around the whole."""
    if isinstance(v, str):
        v = v.strip().strip("（）() ")
        v = _NUMBER_YEAR.sub(r"〔\1〕", v)
    return v


class Document(_Model):
    """A document the report cites (a 公文, a local measure). ``{id}`` renders it title first
    and the 文号 after it in brackets — 《关于……的意见》（豫发〔2021〕23号） — the way
    《党政机关公文处理工作条例》 cites a document; ``{id.full}`` puts the issuer before it.
    A statement that names the 文号 alone is cited the same way when drafted."""

    id: str | None = Field(default=None, pattern=ID_PATTERN)
    title: str = _text()
    number: str | None = None
    issuer: str | None = None

    _title = field_validator("title", mode="before")(_clean_document_title)
    _number = field_validator("number", mode="before")(_clean_document_number)


def _clean_title(v: Any) -> Any:
    """Drop a typed heading number ("（一）健全…") and final punctuation; the template numbers."""
    if isinstance(v, str):
        v = _HEADING_NUMBER.sub("", v.strip()).rstrip("。；;，,：: ")
    return v


class Item(_Sourced):
    """One topic of a section: ``title`` becomes the （一） heading, ``facts`` are the staff's
    statements (plain prose, may contain ``{metric_id}``), ``metrics`` are figures to state
    after them, ``outcome`` is what the work achieved (成效; drafted as the item's closing
    sentence). ``answers`` lists last year's plan items (1-based) this topic answers."""

    title: str = _text()
    facts: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    metrics: list[MetricRef] = Field(default_factory=list)
    outcome: str | None = Field(default=None, min_length=1)
    answers: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list)

    _title = field_validator("title", mode="before")(_clean_title)


class ShortcomingItem(_Sourced):
    """A shortcoming and its causes; an empty ``causes`` list drafts a 【待补充：原因】 marker."""

    title: str | None = None
    problem: str = _text()
    causes: list[Annotated[str, Field(min_length=1)]]

    _title = field_validator("title", mode="before")(_clean_title)


class Sections(_Model):
    """Items per mandated section, in report order. A missing or empty mandated section is
    drafted as a visible 【待补充】 marker, never dropped."""

    measures: list[Item] = Field(default_factory=list)
    shortcomings: list[ShortcomingItem] = Field(default_factory=list)
    leadership: list[Item] = Field(default_factory=list)
    plans: list[Item] = Field(default_factory=list)
    other: list[Item] = Field(default_factory=list)

    def items(self, key: str) -> list[Any]:
        return list(getattr(self, key))


class PreviousPlan(_Model):
    text: str = _text()


def _plan_tag(v: Any) -> str:
    return "text" if isinstance(v, str) else "item"


PlanEntry = Annotated[
    Union[Annotated[str, Tag("text")], Annotated[PreviousPlan, Tag("item")]],
    Discriminator(_plan_tag),
]


class Facts(_Model):
    """A whole facts file. ``date`` is the 成文日期; ``previous_plans`` are last year's planned
    items (None: take them from the corpus, i.e. last year's facts or report)."""

    unit: Unit
    recipients: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    year: StrictInt = Field(ge=2000, le=2100)
    date: dt.date
    profile: str | None = None
    font_profile: str = "gb2312"
    overview: str | None = None
    metrics: list[Metric] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    sections: Sections = Field(default_factory=Sections)
    previous_plans: list[PlanEntry] | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _parse_date(cls, v: Any) -> Any:
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, str):
            m = re.fullmatch(r"\s*(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?\s*", v)
            if not m:
                raise ValueError("date_format")
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                raise ValueError("date_invalid") from None
        return v

    # -- convenience for the renderer, the plan and the checker --------------------------

    def previous_plan_texts(self) -> list[str] | None:
        if self.previous_plans is None:
            return None
        return [p if isinstance(p, str) else p.text for p in self.previous_plans]

    def all_metrics(self) -> list[Metric]:
        """Top-level metrics, then inline metrics of items in document order."""
        out = list(self.metrics)
        for key in SECTION_KEYS:
            for item in self.sections.items(key):
                out.extend(m for m in getattr(item, "metrics", []) if isinstance(m, Metric))
        return out

    def metric_index(self) -> dict[str, Metric]:
        return {m.id: m for m in self.all_metrics() if m.id}

    def parts_of(self, metric_id: str) -> list[Metric]:
        return [m for m in self.all_metrics() if m.part_of == metric_id]


# -- an earlier year imported from its report (drafter corpus add) ---------------------------

class Imported(_Model):
    """How an imported year's facts were made: the report they were read from (``report``, the
    file beside them), what could not be read from it (``missing``, Chinese, one line each) and
    remarks for whoever confirms them (``notes``)."""

    report: str = _text()
    missing: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    notes: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)


class ImportedUnit(Unit):
    """The unit of an imported year: its name may be absent from the report (no title, no
    署名) and is then left out, never guessed."""

    name: str | None = Field(default=None, min_length=1)  # type: ignore[assignment]
    short: str | None = Field(default=None, min_length=1)  # type: ignore[assignment]


class ImportedFacts(Facts):
    """Facts read from an earlier year's report (``imported:`` present). An earlier year is
    history — last year's figures, plans, people — so what the report does not say (its name,
    主送机关, 成文日期) may be absent; :meth:`draft_gaps` names what drafting would need."""

    unit: ImportedUnit  # type: ignore[assignment]
    recipients: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)  # type: ignore[assignment]
    date: dt.date | None = None  # type: ignore[assignment]
    imported: Imported

    def draft_gaps(self) -> list[str]:
        """Required-for-drafting fields this imported file lacks (field paths)."""
        gaps = [("unit.name", self.unit.name), ("unit.short", self.unit.short),
                ("recipients", self.recipients), ("date", self.date)]
        return [name for name, value in gaps if not value]


def facts_class(data: Any) -> type[Facts]:
    """The model a parsed facts mapping is validated with: imported years have ``imported:``."""
    return ImportedFacts if isinstance(data, dict) and "imported" in data else Facts
