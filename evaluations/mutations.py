"""The mutation suite: inject one labelled defect at a time into clean reports.

``generate(sources, seed)`` yields :class:`Mutant` objects, each a clean report with exactly
one defect of one category (a part changed so a sum breaks, a placeholder, a name's character
swapped, a distorted law title, an outdated institution, a typo, a wrong plan year, a late or
malformed date, a half-width comma, a broken line, a deleted mandated section) and its
:class:`Label` (category, quote, line, rule family, span). Deterministic: the sites are chosen
by a ``random.Random`` seeded with the seed, the source's name and the operator, so the same
inputs always give the same mutants.

A mutant is its source with a few :class:`Edit` s applied (``apply_edits``); the first edit is
the defect, further ones only keep the report otherwise clean (renumbering the headings after
a deleted section). The word lists are ``evaluations/data/mutations.yaml``, written apart from
the checker's lexicons. The operators themselves live in :mod:`evaluations.mutation_ops`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Iterator

DATA = Path(__file__).resolve().parent / "data" / "mutations.yaml"
CASES = Path(__file__).resolve().parent / "cases" / "reports"
CJK = "\u4e00-\u9fff"
DEFAULT_SEED = 20240301
SITES_PER_OPERATOR = 3


@dataclass(frozen=True)
class Edit:
    """Replace ``source[start:end]`` with ``text`` (source coordinates)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Label:
    """Where the injected defect is in the mutant's text and what it is.

    ``start``/``end`` index the mutant's text (``quote == text[start:end]``; equal for
    something deleted); ``line``/``line_end`` are the 1-based lines they fall on. ``related``
    are other spans a finding may rightly point at (the total whose part changed, the other
    spelling of a name). ``section`` is the mandated item a deleted section reported.
    """

    category: str
    rule_family: str
    quote: str
    line: int
    line_end: int
    start: int
    end: int
    operator: str
    note: str = ""
    section: str | None = None
    related: tuple[tuple[int, int], ...] = ()

    def to_json(self) -> dict:
        return {"category": self.category, "rule_family": self.rule_family,
                "quote": self.quote, "line": self.line, "operator": self.operator,
                "section": self.section, "note": self.note}


@dataclass(frozen=True)
class Mutant:
    id: str
    source: str
    operator: str
    text: str
    label: Label
    edits: tuple[Edit, ...] = field(repr=False, default=())


@dataclass(frozen=True)
class Candidate:
    """One possible defect an operator found: its edits (first = the defect) and label data."""

    edits: tuple[Edit, ...]
    note: str
    section: str | None = None
    related: tuple[tuple[int, int], ...] = ()  # source coordinates
    group: str = ""  # sites of the same group are taken at most once (variety)


@dataclass(frozen=True)
class Operator:
    name: str
    category: str
    family: str
    description: str  # Chinese, for the tables


@dataclass
class Source:
    """A clean report and what the operators need to know about it."""

    name: str
    text: str
    year: int | None
    unit_type: str | None

    @property
    def report(self):  # drafter.report.Report, built lazily
        if not hasattr(self, "_report"):
            from drafter.report.structure import build_report

            self._report = build_report(self.text.split("\n"), path=self.name, fmt="txt")
        return self._report

    def body_ranges(self) -> list[tuple[int, int]]:
        """Spans of ``text`` that are running text (lead, body, run-in heading bodies)."""
        out = []
        for p in self.report.paragraphs:
            if p.role in ("body", "lead"):
                out.append((p.offset, p.end))
        for s in self.report.walk():
            h = s.heading
            if h.run_in:
                out.append((h.paragraph.offset + len(h.number) + len(h.title), h.paragraph.end))
        return sorted(out)

    def body_matches(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        for a, b in self.body_ranges():
            yield from pattern.finditer(self.text, a, b)


@cache
def lexicon() -> dict:
    import yaml

    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def load_source(path: str | Path) -> Source:
    """A clean report file (.txt) and the year / unit type of its label file, when present."""
    p = Path(path)
    text = p.read_text(encoding="utf-8").replace("\r\n", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    year = unit_type = None
    lab = p.with_name(p.stem + ".labels.yaml")
    if lab.exists():
        import yaml

        meta = yaml.safe_load(lab.read_text(encoding="utf-8")) or {}
        year, unit_type = meta.get("year"), meta.get("unit_type")
    if year is None:
        m = re.search(r"(20\d\d)\s*年度?", text.split("\n", 1)[0])
        year = int(m.group(1)) if m else None
    return Source(p.stem, text, year, unit_type)


def clean_sources(folder: str | Path = CASES) -> list[Source]:
    """The reports of ``folder`` whose label file says ``clean: true``."""
    import yaml

    out = []
    for lab in sorted(Path(folder).glob("*.labels.yaml")):
        meta = yaml.safe_load(lab.read_text(encoding="utf-8")) or {}
        txt = lab.with_name(lab.name.replace(".labels.yaml", ".txt"))
        if meta.get("clean") and txt.exists():
            out.append(load_source(txt))
    return out


def apply_edits(text: str, edits: tuple[Edit, ...]) -> tuple[str, list[int]]:
    """The edited text and, per edit (in the given order), where its replacement starts."""
    order = sorted(range(len(edits)), key=lambda i: edits[i].start)
    out, pos, shift = [], 0, 0
    starts = [0] * len(edits)
    for i in order:
        e = edits[i]
        if e.start < pos:
            raise ValueError("overlapping edits")
        out.append(text[pos:e.start])
        starts[i] = e.start + shift
        out.append(e.text)
        shift += len(e.text) - (e.end - e.start)
        pos = e.end
    out.append(text[pos:])
    return "".join(out), starts


def map_offset(offset: int, edits: tuple[Edit, ...]) -> int:
    """Where a source offset outside every edit lands in the edited text."""
    shift = sum(len(e.text) - (e.end - e.start) for e in edits if e.end <= offset)
    return offset + shift


def in_title(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside 《…》 (a site there would also distort a title)."""
    return text.rfind("《", 0, pos) > text.rfind("》", 0, pos)


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def make_mutant(src: Source, op: Operator, cand: Candidate, index: int) -> Mutant:
    text, starts = apply_edits(src.text, cand.edits)
    first = cand.edits[0]
    start = starts[0]
    end = start + len(first.text)
    if op.name == "delete-section":  # the defect is an absence: point at the gap
        end = start
    related = tuple((map_offset(a, cand.edits), map_offset(b, cand.edits))
                    for a, b in cand.related)
    label = Label(category=op.category, rule_family=op.family, quote=text[start:end],
                  line=line_of(text, start), line_end=line_of(text, end), start=start, end=end,
                  operator=op.name, note=cand.note, section=cand.section, related=related)
    return Mutant(id=f"{src.name}:{op.name}:{index}", source=src.name, operator=op.name,
                  text=text, label=label, edits=cand.edits)


def choose(cands: list[Candidate], k: int, rng: random.Random) -> list[Candidate]:
    """Up to ``k`` candidates, preferring different groups, in a seeded order."""
    pool = list(cands)
    rng.shuffle(pool)
    picked, groups = [], set()
    for c in pool:
        if c.group and c.group in groups:
            continue
        picked.append(c)
        groups.add(c.group)
        if len(picked) == k:
            return picked
    for c in pool:  # not enough distinct groups: fill up with the rest
        if len(picked) == k:
            break
        if c not in picked:
            picked.append(c)
    return picked


def mutants_of(src: Source, seed: int = DEFAULT_SEED, k: int = SITES_PER_OPERATOR,
               operators: list[str] | None = None) -> list[Mutant]:
    """The mutants of one clean report: up to ``k`` sites per operator."""
    from evaluations.mutation_ops import OPERATORS

    out = []
    for op, find in OPERATORS:
        if operators and op.name not in operators:
            continue
        rng = random.Random(f"{seed}|{src.name}|{op.name}")
        cands = find(src, rng)
        for i, cand in enumerate(choose(cands, k, rng)):
            out.append(make_mutant(src, op, cand, i))
    return out


def generate(sources: list[Source] | None = None, seed: int = DEFAULT_SEED,
             k: int = SITES_PER_OPERATOR) -> list[Mutant]:
    """All mutants of ``sources`` (default: the clean reports of evaluations/cases/reports)."""
    return [m for s in (sources if sources is not None else clean_sources())
            for m in mutants_of(s, seed, k)]


def operators() -> list[Operator]:
    from evaluations.mutation_ops import OPERATORS

    return [op for op, _ in OPERATORS]


def main(argv: list[str] | None = None) -> int:
    """``python -m evaluations.mutations [--id ID] [--dump DIR]``: show one mutant (its label
    and the changed line), list them all, or write them as .txt files with ``labels.json``."""
    import argparse
    import json

    ap = argparse.ArgumentParser(prog="python -m evaluations.mutations",
                                 description="生成变异测试用例（每个用例在干净报告中注入一处缺陷）")
    ap.add_argument("--id", help="只显示这个变异（如 02_shili_city_justice:name-char:0）")
    ap.add_argument("--dump", metavar="DIR", help="把全部变异写成 DIR/<编号>.txt，标注写入 DIR/labels.json")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("-k", type=int, default=SITES_PER_OPERATOR, help="每种变异最多取几处")
    args = ap.parse_args(argv)
    mutants = generate(seed=args.seed, k=args.k)
    if args.id:
        m = next((m for m in mutants if m.id == args.id), None)
        if m is None:
            print(f"没有变异 {args.id}")
            return 2
        lines = m.text.split("\n")
        print(json.dumps(m.label.to_json(), ensure_ascii=False, indent=2))
        for n in range(m.label.line, m.label.line_end + 1):
            print(f"{n}: {lines[n - 1] if n <= len(lines) else ''}")
        return 0
    if args.dump:
        out = Path(args.dump)
        out.mkdir(parents=True, exist_ok=True)
        for m in mutants:
            (out / f"{m.id.replace(':', '__')}.txt").write_text(m.text + "\n", encoding="utf-8")
        (out / "labels.json").write_text(json.dumps(
            {m.id.replace(":", "__") + ".txt": m.label.to_json() for m in mutants},
            ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"已写入 {len(mutants)} 个变异到 {out}")
        return 0
    for m in mutants:
        print(f"{m.id}\t{m.label.category}\t第{m.label.line}行\t{m.label.note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
