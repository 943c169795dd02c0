"""The pydantic schema of ``drafter.toml`` (see :mod:`drafter.config`), validated key by key."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from drafter.config import KnownName, LocalData, LocalInstitution, LocalTitle

_MONTH_DAY = re.compile(r"^(0?[1-9]|1[0-2])-(0?[1-9]|[12]\d|3[01])$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CheckSettings(_Strict):
    """``[check]``: defaults of ``drafter check`` (command-line options override them)."""

    form: Literal["auto", "submitted", "published"] = "auto"
    profile: str | None = Field(default=None, min_length=1)


class DeadlineSettings(_Strict):
    submit_by: str
    publish_by: str
    rule: str = ""

    @field_validator("submit_by", "publish_by")
    @classmethod
    def _month_day(cls, v: str) -> str:
        if not _MONTH_DAY.match(v):
            raise ValueError("应写作“月-日”，如 03-01")
        return v


class ProfileSettings(_Strict):
    """``[profile]``: a local profile; fields not given come from ``base`` (a named profile)."""

    name: str = Field(min_length=1)
    base: str = "default"
    deadlines: dict[Literal["department", "government"], DeadlineSettings] = {}
    publish_rule: str | None = None
    source: str = ""


class TitleSettings(_Strict):
    """``[[titles]]``: a local law or document title."""

    title: str = Field(min_length=2)
    short: list[str] = []
    former: list[str] = []  # earlier names: citing one is an error (LAW001)
    kind: str = ""
    source: str = ""

    @field_validator("title", "short", "former")
    @classmethod
    def _no_book_marks(cls, v):
        items = v if isinstance(v, list) else [v]
        for t in items:
            if t.startswith("《") or t.endswith("》"):
                raise ValueError("不要带书名号《》")
        return v


class InstitutionSettings(_Strict):
    """``[[institutions]]``: a local institution and the names it replaced."""

    name: str = Field(min_length=2)
    former: list[str] = []
    source: str = ""


class NameSettings(_Strict):
    """``[[names]]``: a person's name as it must be written."""

    name: str = Field(min_length=2, max_length=6)
    role: str = ""
    org: str = ""


class Config(_Strict):
    """The whole ``drafter.toml``."""

    check: CheckSettings = CheckSettings()
    profile: ProfileSettings | None = None
    titles: list[TitleSettings] = []
    institutions: list[InstitutionSettings] = []
    names: list[NameSettings] = []
    # Where the file was read from (set by the loader, not a key of the file).
    path: str | None = Field(default=None, exclude=True)

    @property
    def local(self) -> LocalData:
        return LocalData(
            tuple(LocalTitle(t.title, tuple(t.short), tuple(t.former), t.kind, t.source)
                  for t in self.titles),
            tuple(LocalInstitution(i.name, tuple(i.former), i.source) for i in self.institutions),
            tuple(KnownName(n.name, n.role, n.org) for n in self.names))


