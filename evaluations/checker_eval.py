"""Checker metrics: recall per category on the mutation suite and the labelled reports, false
alarms per clean report, precision, and a per-rule table.

Matching (the issue's definition): a labelled defect counts as **found** when a finding of the
label's category points at it — its span overlaps the defect's (or a related span: the total
of a changed part, the other spelling of a name) or it sits on one of the defect's lines; a
deleted section is found by a structure finding about that mandated item (``section``).
Only ``warning`` and ``error`` findings count (an ``info`` finding is a hint, not a flag); the
tables also show recall with ``info`` included. On a mutant, findings already present on its
clean source (same rule and quote) are not new and count neither way.

Precision counts findings: true = a new warning/error finding that matches the defect; false =
every warning/error on a clean report, an unmatched one on a labelled defective report, and a
new unmatched one on a mutant.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluations.mutations import CASES, DEFAULT_SEED, SITES_PER_OPERATOR, Label, line_of

CATEGORIES = ("structure", "count", "placeholder", "name", "law", "institution", "typo", "date",
              "format")
FLAGS = ("warning", "error")
SECTION_KEYS = ("measures", "shortcomings", "leadership", "plans", "other")


@dataclass(frozen=True)
class F:
    """A finding reduced to what the metrics need (picklable, small)."""

    rule: str
    category: str
    severity: str
    line: int
    quote: str
    start: int
    end: int
    section: str | None = None


def _reduce(findings) -> list[F]:
    return [F(f.rule, f.category, f.severity, f.line or 0, f.quote, f.start, f.end, f.section)
            for f in findings]


def check_text(text: str, name: str = "<eval>") -> list[F]:
    """All findings of every rule on ``text`` (a .txt report), as :class:`F`."""
    from drafter.checker import CheckOptions, check_report
    from drafter.report.structure import build_report

    report = build_report(text.split("\n"), path=name, fmt="txt")
    return _reduce(check_report(report, CheckOptions()))


def _overlap(a1: int, b1: int, a2: int, b2: int) -> bool:
    return a1 <= b2 and a2 <= b1


def matches(f: F, label: Label, text: str) -> bool:
    """Whether finding ``f`` points at the defect of ``label`` (see the module docstring)."""
    if f.category != label.category:
        return False
    if label.section is not None:
        return f.section == label.section or (f.quote == "" and f.line == label.line)
    spans = [(label.start, label.end), *label.related]
    if any(_overlap(f.start, f.end, a, b) for a, b in spans):
        return True
    lines = set(range(label.line, label.line_end + 1))
    lines |= {line_of(text, a) for a, _ in label.related}
    return f.line in lines


@dataclass
class CaseResult:
    """One labelled defect (mutant or labelled report) and what the checker said."""

    id: str
    source: str
    operator: str
    category: str
    family: str
    quote: str
    line: int
    found: bool
    found_any: bool  # including info findings
    rules: list[str]  # rules of the matching warning/error findings
    extra: list[F] = field(default_factory=list)  # new unmatched warning/error findings
    note: str = ""


def _judge(case_id: str, source: str, label: Label, text: str, findings: list[F],
           baseline: Counter | None) -> tuple[CaseResult, list[F]]:
    """The result of one defect and the findings that matched it."""
    base = Counter(baseline or ())
    new = []
    for f in findings:
        key = (f.rule, f.quote)
        if base[key] > 0:
            base[key] -= 1
        else:
            new.append(f)
    hit = [f for f in new if matches(f, label, text)]
    flagged = [f for f in hit if f.severity in FLAGS]
    extra = [f for f in new if f.severity in FLAGS and f not in hit]
    res = CaseResult(case_id, source, label.operator, label.category, label.rule_family,
                     label.quote, label.line, bool(flagged), bool(hit),
                     sorted({f.rule for f in flagged}), extra, label.note)
    return res, flagged


# -- the mutation suite (one task per clean source, in a process pool) ---------------------

def _source_task(args: tuple[str, int, int]) -> dict[str, Any]:
    from evaluations.mutations import load_source, mutants_of

    path, seed, k = args
    src = load_source(path)
    baseline = check_text(src.text, src.name)
    base_keys = Counter((f.rule, f.quote) for f in baseline)
    cases, tps = [], []
    for m in mutants_of(src, seed, k):
        res, flagged = _judge(m.id, m.source, m.label, m.text, check_text(m.text, m.id), base_keys)
        cases.append(res)
        tps.extend(flagged)
    return {"source": src.name, "baseline": baseline, "cases": cases, "tp_findings": tps}


def run_mutation_suite(paths: list[Path], seed: int = DEFAULT_SEED, k: int = SITES_PER_OPERATOR,
                       jobs: int | None = None) -> list[dict[str, Any]]:
    """Check every mutant of ``paths`` (clean reports); one pool task per source."""
    jobs = jobs or os.cpu_count() or 1
    tasks = [(str(p), seed, k) for p in paths]
    if jobs == 1:
        return [_source_task(t) for t in tasks]
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_source_task, tasks))


# -- the labelled reports (evaluations/cases/reports) ----------------------------------------

@dataclass
class LabelledReport:
    name: str
    clean: bool
    findings: list[F]
    cases: list[CaseResult]
    matched: set[F] = field(default_factory=set)  # warning/error findings that hit a label


def _labels_of(text: str, meta: dict) -> list[Label]:
    import re

    out = []
    for d in meta.get("defects") or []:
        quote = d.get("quote") or ""
        note = d.get("note") or ""
        cat, fam = d["category"], d.get("rule_family", "")
        if not quote:
            m = re.match(r"^(%s)[：:]" % "|".join(SECTION_KEYS), note)
            section = d.get("section") or (m.group(1) if m else None)
            out.append(Label(cat, fam, "", 0, 0, 0, 0, "labelled", note, section or "?"))
            continue
        at = text.find(quote)
        if at < 0:
            raise ValueError(f"label quote not in the report: {quote!r}")
        others = []
        j = text.find(quote, at + 1)
        while j >= 0:
            others.append((j, j + len(quote)))
            j = text.find(quote, j + 1)
        out.append(Label(cat, fam, quote, line_of(text, at), line_of(text, at + len(quote)),
                         at, at + len(quote), "labelled", note, None, tuple(others)))
    return out


def run_labelled(folder: Path = CASES) -> list[LabelledReport]:
    import yaml

    out = []
    for lab in sorted(folder.glob("*.labels.yaml")):
        txt = lab.with_name(lab.name.replace(".labels.yaml", ".txt"))
        meta = yaml.safe_load(lab.read_text(encoding="utf-8")) or {}
        text = txt.read_text(encoding="utf-8").replace("\r\n", "\n").rstrip("\n")
        findings = check_text(text, txt.name)
        cases, used = [], set()
        for i, label in enumerate(_labels_of(text, meta)):
            res, flagged = _judge(f"{txt.stem}:{i}", txt.stem, label, text, findings, None)
            used |= set(flagged)
            cases.append(res)
        out.append(LabelledReport(txt.stem, bool(meta.get("clean")), findings, cases, used))
    return out


# -- the metrics ------------------------------------------------------------------------------

@dataclass
class CheckerMetrics:
    recall: dict[str, tuple[int, int, int]]  # category -> (found, found incl. info, total)
    by_operator: dict[str, tuple[str, int, int, int]]  # operator -> (category, found, any, total)
    labelled: dict[str, tuple[int, int]]  # category -> (found, total) on the labelled reports
    clean_reports: int
    clean_flags: int  # warnings + errors on the clean reports
    clean_by_report: dict[str, int]
    tp: int
    fp: int
    rules: dict[str, dict[str, int]]  # rule -> tp / fp_mutants / fp_clean / fp_labelled
    mutants: int
    missed: list[CaseResult]
    labelled_missed: list[CaseResult]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def false_alarms_per_clean(self) -> float:
        return self.clean_flags / self.clean_reports if self.clean_reports else 0.0


def compute(suite: list[dict[str, Any]], labelled: list[LabelledReport]) -> CheckerMetrics:
    rec: dict[str, list[int]] = {c: [0, 0, 0] for c in CATEGORIES}
    ops: dict[str, list] = {}
    rules: dict[str, Counter] = defaultdict(Counter)
    tp = fp = 0
    missed = []
    cases = [c for part in suite for c in part["cases"]]
    for c in cases:
        r = rec.setdefault(c.category, [0, 0, 0])
        r[0] += c.found
        r[1] += c.found_any
        r[2] += 1
        o = ops.setdefault(c.operator, [c.category, 0, 0, 0])
        o[1] += c.found
        o[2] += c.found_any
        o[3] += 1
        if not c.found:
            missed.append(c)
        for rid in c.rules:
            rules[rid]["tp"] += 1
        for f in c.extra:
            rules[f.rule]["fp_mutants"] += 1
        fp += len(c.extra)
    tp += sum(len(part["tp_findings"]) for part in suite)
    lab: dict[str, list[int]] = {}
    clean_by = {}
    lab_missed = []
    for rep in labelled:
        flags = [f for f in rep.findings if f.severity in FLAGS]
        if rep.clean:
            clean_by[rep.name] = len(flags)
            for f in flags:
                rules[f.rule]["fp_clean"] += 1
            fp += len(flags)
            continue
        for c in rep.cases:
            entry = lab.setdefault(c.category, [0, 0])
            entry[0] += c.found
            entry[1] += 1
            if not c.found:
                lab_missed.append(c)
            for rid in c.rules:
                rules[rid]["tp"] += 1
        for f in flags:
            if f in rep.matched:
                tp += 1
            else:
                fp += 1
                rules[f.rule]["fp_labelled"] += 1
    return CheckerMetrics(
        recall={k: tuple(v) for k, v in rec.items()},
        by_operator={k: tuple(v) for k, v in ops.items()},
        labelled={k: tuple(v) for k, v in lab.items()},
        clean_reports=len(clean_by), clean_flags=sum(clean_by.values()), clean_by_report=clean_by,
        tp=tp, fp=fp, rules={k: dict(v) for k, v in rules.items()}, mutants=len(cases),
        missed=missed, labelled_missed=lab_missed)


# -- tables -------------------------------------------------------------------------------------

def _pct(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "未评测"


def render(m: CheckerMetrics, operators: list, max_missed: int = 40) -> str:
    """The checker part of RESULTS.md (Markdown); ``operators`` are the mutation operators."""
    desc = {op.name: op.description for op in operators}
    out = ["### 召回率（按类别）", "",
           "| 类别 | 变异数 | 找到（警告/错误） | 召回率 | 含提示的召回率 |", "|---|---|---|---|---|"]
    for cat in CATEGORIES:
        found, anyf, total = m.recall.get(cat, (0, 0, 0))
        out.append(f"| {cat} | {total} | {found} | {_pct(found, total)} | {_pct(anyf, total)} |")
    out += ["", "### 召回率（按变异类型）", "",
            "| 变异 | 说明 | 类别 | 变异数 | 找到 | 召回率 | 含提示 |", "|---|---|---|---|---|---|---|"]
    for name, (cat, found, anyf, total) in m.by_operator.items():
        out.append(f"| {name} | {desc.get(name, '')} | {cat} | {total} | {found} | "
                   f"{_pct(found, total)} | {_pct(anyf, total)} |")
    out += ["", "### 标注报告中的缺陷（cases/reports，非干净报告）", "",
            "| 类别 | 缺陷数 | 找到 | 召回率 |", "|---|---|---|---|"]
    for cat in CATEGORIES:
        if cat in m.labelled:
            found, total = m.labelled[cat]
            out.append(f"| {cat} | {total} | {found} | {_pct(found, total)} |")
    out += ["", "### 误报与精确率", "",
            f"- 干净报告 {m.clean_reports} 份，警告和错误共 {m.clean_flags} 条，"
            f"平均每份 **{m.false_alarms_per_clean:.2f}** 条。"]
    noisy = {k: v for k, v in m.clean_by_report.items() if v}
    if noisy:
        out.append("- 有误报的干净报告：" + "，".join(f"{k} {v} 条" for k, v in noisy.items()))
    out.append(f"- 总体精确率（按条计，警告和错误）：命中 {m.tp} 条，误报 {m.fp} 条，"
               f"精确率 **{m.precision:.3f}**。")
    from drafter.checker import all_rules

    registered = {r.id: r for r in all_rules()}
    out += ["", "### 按规则（全部已注册规则；命中缺陷按缺陷计，误报按条计，只计警告和错误）", "",
            "| 规则 | 名称 | 默认级别 | 命中缺陷 | 变异引入的误报 | 干净报告误报 | 标注报告误报 | 精确率 |",
            "|---|---|---|---|---|---|---|---|"]
    for rid in sorted(set(registered) | set(m.rules)):
        r = m.rules.get(rid, {})
        rule = registered.get(rid)
        tp = r.get("tp", 0)
        fps = r.get("fp_mutants", 0), r.get("fp_clean", 0), r.get("fp_labelled", 0)
        prec = _pct(tp, tp + sum(fps)) if tp + sum(fps) else "—"
        out.append(f"| {rid} | {rule.name if rule else '?'} | {rule.severity if rule else '?'} | "
                   f"{tp} | {fps[0]} | {fps[1]} | {fps[2]} | {prec} |")
    misses = m.labelled_missed + sorted(m.missed, key=lambda c: (CATEGORIES.index(c.category)
                                                                 if c.category in CATEGORIES else 99,
                                                                 c.operator, c.id))
    if misses:
        out += ["", f"### 漏检（共 {len(misses)} 个，列出前 {min(len(misses), max_missed)} 个）", "",
                "| 变异 | 类别 | 行 | 注入的缺陷 |", "|---|---|---|---|"]
        for c in misses[:max_missed]:
            q = (c.note or c.quote).replace("\n", "⏎").replace("|", "｜") or "（删除）"
            out.append(f"| {c.id} | {c.category} | {c.line} | {q[:60]} |")
    return "\n".join(out)
