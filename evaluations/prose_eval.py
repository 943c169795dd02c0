"""Prose of the template drafts: does it read like a capable 办公室 writer, not a filled form?

``python -m evaluations.prose_eval [--pages DIR]`` drafts every sample facts file (the
corpus and ``tests/data/llm_facts.yaml``) with the default template backend and measures:

- *openers* — the text before the first "，" of every body paragraph (run-in heading removed,
  the lead included): how often the most used one occurs in the report and in one section
  (bar: at most twice in the report, once in a section);
- *connectors* — every sentence that starts with a connector of
  ``prompts/template/connectors.yaml``, checked against the relation it stands in
  (:meth:`drafter.backends.template.sentences.Cues.relation`, computed from the sentence
  before it within the same item): licensed or not (bar: none unlicensed);
- *lists* — 一是…二是… runs: the longest (bar: ≤ 5) and the share of entries that open with a
  verb phrase (parallel heads);
- *sentences* — characters per sentence (split after 。！？): median, P90, longest;
- *length* — characters of the draft's body paragraphs (lead included, headings not) against
  the characters of the facts' content (statements, problems, causes, figures, outcomes as
  rendered; titles are headings on both sides);
- *outcomes* — each item's ``outcome`` found verbatim in the draft (bar: all);
- *documents* — each 文号 in the draft preceded by its title (》（…号）) (bar: no bare 文号);
- *measure words* — a person measure word right after a personal item (执法证件2名) (bar: 0);
- *seconds* — drafting and writing the .docx in-process (bar: ≤ 1 s).

With ``--pages DIR`` (and in ``python -m evaluations --write-results``) it also writes one
side-by-side page per sample, facts → draft (:mod:`evaluations.prose_page`).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FACTS = sorted((ROOT / "corpus").glob("*/*/facts.yaml")) + [ROOT / "tests" / "data" / "llm_facts.yaml"]
PAGES = Path(__file__).resolve().parent / "prose"
BARS = {"opener_report": 2, "opener_section": 1, "list_max": 5, "seconds": 1.0}

_RUN_IN = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)][^。]{1,40}。")
_SENTENCE = re.compile(r"[^。！？]+[。！？]?")
_ORDINAL = re.compile(r"([一二三四五六七八九十])是")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}〔\d{4}〕\d+号")
_RESULT_LEAD = re.compile(r"^(?:通过[^，。]{1,30}|经过努力)，")
_SKIP_ROLES = {"title", "recipient", "heading", "signature", "date", "blank"}


@dataclass
class ProseMetrics:
    facts: str
    paragraphs: int = 0
    opener_report: int = 0
    opener_section: int = 0
    repeated_openers: list[str] = field(default_factory=list)
    connectors: int = 0
    unlicensed: list[str] = field(default_factory=list)
    list_runs: int = 0
    list_max: int = 0
    list_entries: int = 0
    list_verb_heads: int = 0
    sentences: int = 0
    sentence_median: float = 0.0
    sentence_p90: float = 0.0
    sentence_max: int = 0
    characters: int = 0
    facts_characters: int = 0
    outcomes_found: int = 0
    outcomes_total: int = 0
    doc_numbers: int = 0
    doc_numbers_bare: list[str] = field(default_factory=list)
    measure_slips: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return (not self.error and self.opener_report <= BARS["opener_report"]
                and self.opener_section <= BARS["opener_section"] and not self.unlicensed
                and self.list_max <= BARS["list_max"] and self.outcomes_found == self.outcomes_total
                and not self.doc_numbers_bare and not self.measure_slips
                and self.seconds <= BARS["seconds"])


# -- the pieces of a drafted report ------------------------------------------------------------

def body_paragraphs(report: Any) -> list[tuple[str, str, bool]]:
    """(section key or "lead", text without a run-in heading, starts an item) of every body
    paragraph, in order."""
    out: list[tuple[str, str, bool]] = [("lead", p.text, True) for p in report.lead]
    for sec in report.sections:
        new_item = True
        for p in sec.all_paragraphs():
            text = p.text
            m = _RUN_IN.match(text)
            if m:  # a run-in heading （一）标题。 starts an item; the rest is body
                text, new_item = text[m.end():], True
            elif p.role in _SKIP_ROLES or p is sec.heading:
                new_item = True
                continue
            if text.strip():
                out.append((sec.key, text, new_item))
            new_item = False
    return out


def opener(text: str) -> str:
    return text.split("，", 1)[0].rstrip("。；！？")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.findall(text) if s.strip()]


# -- the measures -------------------------------------------------------------------------------

def measure(facts_path: Path, result: Any, seconds: float) -> ProseMetrics:
    from drafter.backends.template.sentences import cues
    from drafter.prompts import load_patterns

    report, plan = result.report, result.plan
    m = ProseMetrics(_short(facts_path), seconds=round(seconds, 3))
    paras = body_paragraphs(report)
    m.paragraphs = len(paras)
    _openers(m, paras)
    c = cues(plan.sections[0].short if plan.sections else "我局")
    _connectors(m, paras, c, load_patterns("connectors"), plan.year)
    _lists(m, paras, c)
    lengths = [len(s) for _, t, _ in paras for s in sentences(t)]
    if lengths:
        m.sentences = len(lengths)
        m.sentence_median = statistics.median(lengths)
        m.sentence_p90 = sorted(lengths)[max(0, int(len(lengths) * 0.9) - 1)]
        m.sentence_max = max(lengths)
    m.characters = sum(len(t) for _, t, _ in paras)
    # Titles are headings on both sides: neither counts.
    m.facts_characters = sum(len(t) for s in plan.sections for it in s.items
                             for t in [it.problem, *it.statements, *it.causes, *it.metrics, it.outcome]
                             if t)
    text = report.text
    outcomes = [it.outcome for s in plan.sections for it in s.items if it.outcome]
    m.outcomes_total = len(outcomes)
    m.outcomes_found = sum(o in text for o in outcomes)
    for mt in _DOC_NUMBER.finditer(text):
        m.doc_numbers += 1
        if not text[:mt.start()].endswith("》（") and not _after_title(text, mt.start()):
            m.doc_numbers_bare.append(mt.group(0))
    m.measure_slips = _measure_slips(text)
    return m


def _after_title(text: str, start: int) -> bool:
    """The 文号 stands in the brackets right after a 《》 title: 》（豫发〔2021〕23号）."""
    before = text[max(0, start - 12):start]
    return bool(re.search(r"》（[\u4e00-\u9fff]{0,10}$", before))


def _openers(m: ProseMetrics, paras: list[tuple[str, str, bool]]) -> None:
    report: Counter = Counter()
    section: Counter = Counter()
    for key, text, _ in paras:
        o = opener(text)
        report[o] += 1
        section[(key, o)] += 1
    m.opener_report = max(report.values(), default=0)
    m.opener_section = max(section.values(), default=0)
    m.repeated_openers = sorted(o for o, n in report.items() if n > 1)


def _connector_groups(connectors: Any) -> list[tuple[str, str, list[str]]]:
    """(connector text, group, relations it is licensed in), longest first."""
    out = []
    for name, rel in (connectors.get("relations") or {}).items():
        for t in rel.get("connectors") or []:
            if "{" not in t:
                out.append((t, name, list(rel.get("applies_to") or [])))
    return sorted(out, key=lambda x: -len(x[0]))


def _bare(sentence: str, groups: list[tuple[str, str, list[str]]], leads: list[str]) -> str:
    """A sentence without the opener or connector the template may have put before it."""
    s = _RESULT_LEAD.sub("", sentence)
    for t in [g[0] for g in groups] + leads:
        if s.startswith(t):
            return s[len(t):]
    return s


def _paragraph_leads(year: int) -> list[str]:
    """The openers of ``openers.yaml`` that end with "，" (一年来，/2023年，), filled."""
    from drafter.prompts import load_patterns

    p = load_patterns("openers")
    out = []
    for entries in (p.get("paragraph") or {}).values():
        for e in entries or []:
            t = str(e.get("text", "") if isinstance(e, dict) else e)
            if t.endswith("，") and "{short}" not in t:
                out.append(t.replace("{year}", str(year)))
    return sorted(set(out), key=len, reverse=True)


def _connectors(m: ProseMetrics, paras: list[tuple[str, str, bool]], c: Any, connectors: Any,
                year: int) -> None:
    groups = _connector_groups(connectors)
    leads = _paragraph_leads(year)
    prev: str | None = None
    for key, text, new_item in paras:
        if new_item or key == "lead":
            prev = None
        for s in sentences(text):
            rest = None
            if _RESULT_LEAD.match(s):
                rest = _RESULT_LEAD.sub("", s)
                ok = prev is not None and c.is_result(rest)
            else:
                hit = next(((t, g, rels) for t, g, rels in groups if s.startswith(t)), None)
                if hit:
                    rest = s[len(hit[0]):].rstrip("。")
                    if hit[1] == "figures":
                        ok = c.kind(rest) == "verb" and c.has_figure(rest)
                    else:
                        rel = c.relation(_bare(prev, groups, leads).rstrip("。"), rest) if prev else None
                        ok = rel in hit[2]
            if rest is not None:
                m.connectors += 1
                if not ok:
                    m.unlicensed.append(s[:24])
            prev = s


def _lists(m: ProseMetrics, paras: list[tuple[str, str, bool]], c: Any) -> None:
    """Runs of 一是…; the heads of measures (not of shortcomings, which name problems)."""
    expected = "一二三四五六七八九十"
    for key, text, _ in paras:
        found = [(mt.group(1), mt.end()) for mt in _ORDINAL.finditer(text)]
        if not found or found[0][0] != "一":
            continue
        run = 0
        for k, (ordinal, end) in enumerate(found):
            if k >= len(expected) or ordinal != expected[k]:
                break
            run += 1
            if key != "shortcomings":
                m.list_entries += 1
                m.list_verb_heads += c.verb_initial(text[end:])
        m.list_runs += 1
        m.list_max = max(m.list_max, run)


def _measure_slips(text: str) -> list[str]:
    from drafter.text.measure_words import measure_words

    mw = measure_words()
    items = "|".join(re.escape(w) for w in mw.personal_items)
    units = "|".join(re.escape(u) for u in sorted(mw.person_units, key=len, reverse=True))
    if not items or not units:
        return []
    return [x.group(0) for x in re.finditer(rf"(?:{items})\d+(?:\.\d+)?[余多]?(?:{units})", text)]


# -- running ------------------------------------------------------------------------------------

def _short(p: Path) -> str:
    try:
        return str(p.relative_to(ROOT))
    except ValueError:
        return str(p)


def run(facts_files: list[Path] | None = None, pages: Path | None = None) -> list[ProseMetrics]:
    """Draft every sample with the template backend and measure it; write the side-by-side
    pages into ``pages`` when given."""
    from drafter.pipeline import draft

    out = []
    drafted = []
    with tempfile.TemporaryDirectory(prefix="drafter-prose-") as tmp:
        draft(FACTS[0], Path(tmp) / "warm.docx", force=True)  # imports and lexicons: not per draft
        for f in facts_files or FACTS:
            try:
                t0 = time.perf_counter()
                result = draft(f, Path(tmp) / "d.docx", force=True)
                secs = time.perf_counter() - t0
            except Exception as e:  # noqa: BLE001 — a broken draft is a result to report
                out.append(ProseMetrics(_short(f), error=f"{type(e).__name__}: {e}"))
                continue
            m = measure(f, result, secs)
            out.append(m)
            drafted.append((f, result, m))
    if pages is not None:
        from evaluations.prose_page import write_pages

        write_pages(drafted, pages)
    return out


def render(rows: list[ProseMetrics]) -> str:
    lines = ["| 事实文件 | 段首重复（全文/单部分最多） | 衔接词（未合关系） | 列举 | "
             "句长（中位/P90/最长） | 字数/事实字数 | 成效写入 | 文号先题名 | 量词误用 | 用时（秒） | 达标 |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.error:
            lines.append(f"| {r.facts} | 未评测：{r.error} | | | | | | | | | ❌ |")
            continue
        unl = f"{r.connectors}（{len(r.unlicensed)}）" + (f"：{'；'.join(r.unlicensed[:2])}" if r.unlicensed else "")
        heads = f"{r.list_verb_heads}/{r.list_entries}" if r.list_entries else "—"
        lists = f"最长{r.list_max}项，动宾开头{heads}" if r.list_runs else "无列举"
        ratio = f"{r.characters}/{r.facts_characters}（{r.characters / r.facts_characters:.2f}）" \
            if r.facts_characters else f"{r.characters}/0"
        docs = f"{r.doc_numbers - len(r.doc_numbers_bare)}/{r.doc_numbers}" if r.doc_numbers else "无文号"
        outc = f"{r.outcomes_found}/{r.outcomes_total}" if r.outcomes_total else "无成效"
        lines.append(f"| {r.facts} | {r.opener_report}/{r.opener_section} | {unl} | {lists} | "
                     f"{r.sentence_median:.0f}/{r.sentence_p90:.0f}/{r.sentence_max} | {ratio} | {outc} | "
                     f"{docs} | {len(r.measure_slips)} | {r.seconds:.2f} | {'✅' if r.ok else '❌'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evaluations.prose_eval",
                                 description="模板起草文字质量评测：段首、衔接词、列举、句长、成效、文号、量词、用时")
    ap.add_argument("--pages", type=Path, nargs="?", const=PAGES, default=None,
                    help=f"写出每个样例的“事实→草稿”对照页（默认目录 {PAGES.relative_to(ROOT)}）")
    args = ap.parse_args(argv)
    rows = run(pages=args.pages)
    print(render(rows))
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
