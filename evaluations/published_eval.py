"""The published-layout set (``evaluations/cases/published``): reports as governments publish
them (cover letters with 文号, unit and date under the title, no 主送机关, WeChat headings,
continuous numbering, leadership headings in real wording), kept apart from the mutation
suite.

Each report ``NN_slug.txt|.md`` has ``NN_slug.labels.yaml`` (see the folder's README):
``clean``, ``defects`` (category, quote, rule_family, note; optional ``kind`` and, for an
absent element, ``element: date|signature|recipient|title``), ``expected`` structure
elements, and ``split: holdout`` for the reports kept out of development (evaluated only).

Figures per split: warnings+errors per clean report, false structure errors on clean reports,
recall per category and per defect kind, and structure-element accuracy against ``expected``.
A defect counts as found under the same matching as the labelled reports of the mutation
suite (:func:`evaluations.checker_eval.matches`); an absent element (``element:``) is found
by the structure rule about that element.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluations.checker_eval import FLAGS, CaseResult, F, _judge, _labels_of, _reduce

PUBLISHED = Path(__file__).resolve().parent / "cases" / "published"
ELEMENTS = ("title", "date", "recipient", "doc_number", "leadership")
# The rule that reports an element as absent (labels with ``element:``).
ELEMENT_RULES = {"date": "STR011", "signature": "STR010", "recipient": "STR009", "title": "STR008"}


@dataclass
class PublishedReport:
    name: str
    split: str  # dev | holdout
    clean: bool
    findings: list[F]
    cases: list[CaseResult]
    matched: set[F] = field(default_factory=set)
    structure: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # element -> (expected, got)


def elements(report) -> dict[str, Any]:
    """The structure elements the checker recognised in ``report`` (as the labels write them)."""
    from drafter.report.info import report_date

    title = None
    if report.title is not None:
        title = "".join(p.text.strip() for p in report.paragraphs if p.role == "title")
    d = report_date(report)
    rec = report.recipient_paragraph
    doc = getattr(report, "doc_number", None)
    return {"title": title, "date": d.raw if d else None,
            "recipient": rec.text.strip().rstrip("：:") if rec is not None else None,
            "doc_number": doc.text.strip() if doc is not None else None,
            "leadership": report.presence["leadership"].how}


def _absent_element_judge(case_id: str, source: str, meta: dict, findings: list[F]) -> CaseResult:
    rule = ELEMENT_RULES[meta["element"]]
    hit = [f for f in findings if f.rule == rule and f.quote == ""]
    flagged = [f for f in hit if f.severity in FLAGS]
    return CaseResult(case_id, source, "labelled", meta["category"], meta.get("rule_family", ""),
                      "", 0, bool(flagged), bool(hit), sorted({f.rule for f in flagged}), [],
                      meta.get("note", ""))


def run_published(folder: Path = PUBLISHED, form: str = "auto") -> list[PublishedReport]:
    """Check every report of ``folder`` as ``drafter check`` does (.txt and .md readers)."""
    import yaml

    from drafter.checker import CheckOptions, check_report
    from drafter.report.readers import read_report

    out = []
    for lab in sorted(folder.glob("*.labels.yaml")):
        stem = lab.name.removesuffix(".labels.yaml")
        src = next(p for p in (folder / f"{stem}.txt", folder / f"{stem}.md") if p.exists())
        meta = yaml.safe_load(lab.read_text(encoding="utf-8")) or {}
        report = read_report(src)
        opts = CheckOptions()
        if hasattr(opts, "form"):
            opts.form = form
        findings = _reduce(check_report(report, opts))
        text = report.text
        cases, used = [], set()
        defects = meta.get("defects") or []
        plain = {"defects": [d for d in defects if not d.get("element")]}
        labels = iter(_labels_of(text, plain))
        for i, d in enumerate(defects):
            cid = f"{stem}:{i}"
            if d.get("element"):
                res = _absent_element_judge(cid, stem, d, findings)
                used |= {f for f in findings if f.rule in res.rules and f.quote == ""}
            else:
                res, flagged = _judge(cid, stem, next(labels), text, findings, None)
                used |= set(flagged)
            res.operator = d.get("kind") or d["category"]
            cases.append(res)
        got = elements(report)
        expected = meta.get("expected") or {}
        structure = {k: (expected.get(k), got.get(k)) for k in ELEMENTS if k in expected}
        out.append(PublishedReport(stem, meta.get("split") or "dev", bool(meta.get("clean")),
                                   findings, cases, used, structure))
    return out


@dataclass
class PublishedMetrics:
    split: str
    reports: int
    clean_reports: int
    clean_flags: int
    clean_structure_errors: int  # STR error findings on clean reports
    clean_by_report: dict[str, int]
    recall: dict[str, tuple[int, int]]  # category -> (found, total)
    kinds: dict[str, tuple[str, int, int]]  # kind -> (category, found, total)
    structure: dict[str, tuple[int, int]]  # element -> (correct, total)
    structure_misses: list[tuple[str, str, Any, Any]]
    rules_clean: dict[str, int]  # rule -> warnings/errors on clean reports
    rules_unmatched: dict[str, int]  # rule -> unmatched warnings/errors on defective reports
    missed: list[CaseResult]

    @property
    def flags_per_clean(self) -> float:
        return self.clean_flags / self.clean_reports if self.clean_reports else 0.0

    @property
    def min_recall(self) -> tuple[str, float]:
        rates = [(c, f / t) for c, (f, t) in self.recall.items() if t]
        return min(rates, key=lambda x: x[1]) if rates else ("-", 0.0)


def compute_published(reports: list[PublishedReport], split: str | None = None) -> PublishedMetrics:
    """Metrics of the reports of ``split`` (dev | holdout), or of all reports when None."""
    chosen = [r for r in reports if split is None or r.split == split]
    rec: dict[str, list[int]] = {}
    kinds: dict[str, list] = {}
    struct: dict[str, list[int]] = {}
    misses_s = []
    clean_by: dict[str, int] = {}
    rules_clean: Counter = Counter()
    rules_un: Counter = Counter()
    str_errors = 0
    missed = []
    for r in chosen:
        for el, (exp, got) in r.structure.items():
            s = struct.setdefault(el, [0, 0])
            s[1] += 1
            if exp == got:
                s[0] += 1
            else:
                misses_s.append((r.name, el, exp, got))
        flags = [f for f in r.findings if f.severity in FLAGS]
        if r.clean:
            clean_by[r.name] = len(flags)
            rules_clean.update(f.rule for f in flags)
            str_errors += sum(1 for f in flags if f.rule.startswith("STR") and f.severity == "error")
            continue
        for c in r.cases:
            e = rec.setdefault(c.category, [0, 0])
            e[0] += c.found
            e[1] += 1
            k = kinds.setdefault(c.operator, [c.category, 0, 0])
            k[1] += c.found
            k[2] += 1
            if not c.found:
                missed.append(c)
        rules_un.update(f.rule for f in flags if f not in r.matched)
    return PublishedMetrics(
        split or "all", len(chosen), len(clean_by), sum(clean_by.values()), str_errors, clean_by,
        {k: tuple(v) for k, v in rec.items()}, {k: tuple(v) for k, v in kinds.items()},
        {k: tuple(v) for k, v in struct.items()}, misses_s, dict(rules_clean), dict(rules_un),
        missed)


def _pct(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "未评测"


_SPLIT_NAMES = {"dev": "开发集（dev：开发时查看和调试）", "holdout": "留出集（holdout：只评测，不据此调整）",
                "all": "全部"}


def render_published(metrics: list[PublishedMetrics]) -> str:
    """Tables of the published set, one block per split."""
    out: list[str] = []
    for m in metrics:
        out += [f"### {_SPLIT_NAMES.get(m.split, m.split)}", "",
                f"- 报告 {m.reports} 份，其中干净报告 {m.clean_reports} 份；干净报告上的警告和错误共 "
                f"{m.clean_flags} 条，平均每份 **{m.flags_per_clean:.2f}** 条；其中结构类错误 "
                f"**{m.clean_structure_errors}** 条。"]
        noisy = {k: v for k, v in m.clean_by_report.items() if v}
        if noisy:
            out.append("- 有误报的干净报告：" + "，".join(f"{k} {v} 条" for k, v in noisy.items()))
        if m.rules_clean or m.rules_unmatched:
            rules = sorted(set(m.rules_clean) | set(m.rules_unmatched))
            out.append("- 未对应标注缺陷的警告和错误（按规则，干净报告/缺陷报告）："
                       + "，".join(f"{r} {m.rules_clean.get(r, 0)}/{m.rules_unmatched.get(r, 0)}"
                                   for r in rules))
        out += ["", "| 类别 | 缺陷数 | 找到 | 召回率 |", "|---|---|---|---|"]
        for cat, (found, total) in sorted(m.recall.items()):
            out.append(f"| {cat} | {total} | {found} | {_pct(found, total)} |")
        out += ["", "| 缺陷类型 | 类别 | 缺陷数 | 找到 |", "|---|---|---|---|"]
        for kind, (cat, found, total) in sorted(m.kinds.items(), key=lambda kv: (kv[1][0], kv[0])):
            out.append(f"| {kind} | {cat} | {total} | {found} |")
        out += ["", "| 结构要素 | 报告数 | 识别正确 | 准确率 |", "|---|---|---|---|"]
        for el in ELEMENTS:
            if el in m.structure:
                ok, total = m.structure[el]
                out.append(f"| {el} | {total} | {ok} | {_pct(ok, total)} |")
        if m.structure_misses:
            out += ["", "结构要素识别有误：" + "；".join(
                f"{n} {el}（应为 {exp!r}，识别为 {got!r}）" for n, el, exp, got in m.structure_misses)]
        if m.missed:
            out += ["", "漏检：" + "；".join(
                f"{c.id} {c.category}“{(c.quote or c.note)[:30]}”" for c in m.missed)]
        out.append("")
    return "\n".join(out)


def per_report_lines(reports: list[PublishedReport]) -> str:
    """One line per report: flags, unmatched flags and missed defects (for development)."""
    lines = []
    for r in reports:
        flags = [f for f in r.findings if f.severity in FLAGS]
        un = [f for f in flags if f not in r.matched]
        miss = [c for c in r.cases if not c.found]
        bad = [(el, e, g) for el, (e, g) in r.structure.items() if e != g]
        lines.append(f"{r.name} [{r.split}{' clean' if r.clean else ''}] flags={len(flags)} "
                     f"unmatched={[(f.rule, f.line, f.quote[:20]) for f in un]} "
                     f"missed={[(c.category, (c.quote or c.note)[:24]) for c in miss]} "
                     f"structure={bad}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m evaluations.published_eval",
                                 description="公开版式评测集：逐份报告的结果和汇总表")
    ap.add_argument("--split", choices=("dev", "holdout", "all"), default="dev")
    ap.add_argument("--form", default="auto")
    args = ap.parse_args(argv)
    reports = run_published(form=args.form)
    split = None if args.split == "all" else args.split
    chosen = [r for r in reports if split is None or r.split == split]
    print(per_report_lines(chosen))
    print(render_published([compute_published(reports, split)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
