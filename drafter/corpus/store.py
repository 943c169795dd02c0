"""Find a unit's years in a corpus folder and load their facts and reports.

Layout (DESIGN.md "Corpus")::

    corpus/<unit-slug>/<year>/facts.yaml
    corpus/<unit-slug>/<year>/report.docx | report.txt | report.md | report.doc | report.wps

A year may have facts, a report, or both. Nothing here touches the network.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from drafter.errors import InputError

# .doc/.wps: an imported report kept as it was (read through LibreOffice, see report.readers)
REPORT_NAMES = ("report.docx", "report.txt", "report.md", "report.doc", "report.wps")
FACTS_NAMES = ("facts.yaml", "facts.yml", "facts.xlsx")
_YEAR_DIR = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class YearEntry:
    """One year of one unit: its folder and the files found there (None when absent)."""

    slug: str
    year: int
    folder: Path
    facts_path: Path | None
    report_path: Path | None

    def load_facts(self):
        """The year's facts (``drafter.facts.Facts``) or None; FactsError if invalid."""
        if self.facts_path is None:
            return None
        from drafter.facts import load_facts

        return load_facts(self.facts_path)

    def load_report(self):
        """The year's report (``drafter.report.Report``) or None; InputError if unreadable."""
        if self.report_path is None:
            return None
        from drafter.report.readers import read_report

        return read_report(self.report_path)


@dataclass
class Corpus:
    """A corpus folder. ``root`` holds one folder per unit slug."""

    root: Path

    @classmethod
    def open(cls, root: str | os.PathLike[str]) -> "Corpus":
        p = Path(root)
        if not p.is_dir():
            raise InputError(f"{root}：语料文件夹不存在", "请用 --corpus 指定 corpus/ 文件夹，或省略该选项")
        return cls(p)

    @cached_property
    def units(self) -> list[str]:
        return sorted(d.name for d in self.root.iterdir()
                      if d.is_dir() and not d.name.startswith((".", "_")))

    def history(self, slug: str) -> list[YearEntry]:
        """Every year of ``slug`` with a facts file or a report, oldest first."""
        unit_dir = self.root / slug
        if not unit_dir.is_dir():
            return []
        out = []
        for d in sorted(unit_dir.iterdir()):
            if not (d.is_dir() and _YEAR_DIR.match(d.name)):
                continue
            facts = _first(d, FACTS_NAMES)
            report = _first(d, REPORT_NAMES)
            if facts or report:
                out.append(YearEntry(slug, int(d.name), d, facts, report))
        return out

    def entry(self, slug: str, year: int) -> YearEntry | None:
        return next((e for e in self.history(slug) if e.year == year), None)

    def earlier(self, slug: str, year: int) -> list[YearEntry]:
        """Years before ``year``, newest first."""
        return [e for e in reversed(self.history(slug)) if e.year < year]

    def previous(self, slug: str, year: int) -> YearEntry | None:
        """Last year's entry (exactly ``year - 1``), or None."""
        return self.entry(slug, year - 1)


def _first(folder: Path, names: tuple[str, ...]) -> Path | None:
    for n in names:
        p = folder / n
        if p.is_file():
            return p
    return None


def find_corpus_root(facts_path: str | os.PathLike[str], slug: str | None) -> Path | None:
    """The corpus a facts file sits in, when it is ``<root>/<slug>/<year>/facts.yaml``."""
    p = Path(facts_path).resolve()
    year_dir, unit_dir = p.parent, p.parent.parent
    if not _YEAR_DIR.match(year_dir.name):
        return None
    if slug and unit_dir.name != slug:
        return None
    return unit_dir.parent
