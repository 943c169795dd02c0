"""The evaluation machinery: the mutation generator and the metrics (no timing assertions)."""

from __future__ import annotations

from collections import Counter

import pytest

from evaluations import checker_eval as ce
from evaluations.checker_eval import F, CaseResult, LabelledReport
from evaluations.drafting_eval import _facts_block, model_reply
from evaluations.mutations import (CASES, Edit, Label, apply_edits, clean_sources, generate,
                                   line_of, load_source, mutants_of, operators)

CATEGORIES = {"structure", "count", "placeholder", "name", "law", "institution", "typo", "date",
              "format"}
FAMILY_OF = {"structure": "STR", "count": "CNT", "placeholder": "PH", "name": "NAM", "law": "LAW",
             "institution": "INS", "typo": "TYP", "date": "DAT", "format": "FMT"}


@pytest.fixture(scope="module")
def sources():
    return clean_sources(CASES)


@pytest.fixture(scope="module")
def mutants(sources):
    return generate(sources, seed=7, k=2)


def test_clean_sources_are_the_reports_labelled_clean(sources):
    names = {s.name for s in sources}
    assert "01_wangchuan_county_gov" in names and "16_tongxi_county_gov" in names
    assert not any(n.startswith(("11_", "12_", "13_", "14_")) for n in names)


def test_generator_is_deterministic(sources):
    a = generate(sources[:3], seed=11, k=2)
    b = generate(sources[:3], seed=11, k=2)
    assert [(m.id, m.text, m.label) for m in a] == [(m.id, m.text, m.label) for m in b]
    c = generate(sources[:3], seed=12, k=2)
    assert [m.text for m in a] != [m.text for m in c]


def test_every_operator_yields_mutants_with_a_design_category(mutants):
    ops = {op.name: op for op in operators()}
    made = Counter(m.operator for m in mutants)
    assert set(made) == set(ops), f"operators without a mutant: {set(ops) - set(made)}"
    for m in mutants:
        assert m.label.category in CATEGORIES
        assert m.label.rule_family == FAMILY_OF[m.label.category]
    assert len(mutants) >= 200


def test_each_mutant_differs_from_its_source_only_at_the_labelled_place(sources, mutants):
    by_name = {s.name: s for s in sources}
    for m in mutants:
        src = by_name[m.source].text
        assert m.text != src, m.id
        rebuilt, starts = apply_edits(src, m.edits)
        assert rebuilt == m.text, m.id
        first = m.edits[0]
        lab = m.label
        assert lab.start == starts[0]
        assert m.text[lab.start:lab.end] == lab.quote
        assert lab.line == line_of(m.text, lab.start)
        if m.operator == "delete-section":
            assert lab.quote == "" and first.text == "" and lab.section in (
                "shortcomings", "plans", "leadership")
            continue
        # One edit: the text before and after the labelled span is the source's.
        assert len(m.edits) == 1, m.id
        assert lab.quote == first.text
        assert m.text[:lab.start] == src[:first.start]
        assert m.text[lab.end:] == src[first.end:]
        assert src[first.start:first.end] != first.text


def test_deleted_section_renumbers_later_headings(sources):
    src = next(s for s in sources if s.name.startswith("01_"))  # layout A, 一 … 四
    m = next(m for m in mutants_of(src, k=3) if m.label.section == "shortcomings")
    heads = [ln.split("、")[0] for ln in m.text.split("\n") if ln[:2] in ("一、", "二、", "三、", "四、")]
    assert heads == ["一", "二", "三"]
    assert "存在的不足和原因" not in m.text


def test_count_sum_mutant_breaks_a_sum_that_held(sources):
    src = next(s for s in sources if s.name.startswith("01_"))
    m = next(m for m in mutants_of(src, k=3) if m.operator == "count-sum")
    total = m.text[m.label.related[0][0]:m.label.related[0][1]]
    assert total[0].isdigit() and "其中" in m.text.split("\n")[m.label.line - 1]


def test_apply_edits_rejects_overlaps():
    with pytest.raises(ValueError):
        apply_edits("abcdef", (Edit(0, 3, "x"), Edit(2, 4, "y")))
    assert apply_edits("abcdef", (Edit(4, 5, "Z"), Edit(0, 1, "")))[0] == "bcdZf"


# -- matching and metrics on hand-made examples ------------------------------------------------

TEXT = "第一行\n第二行有个错字\n第三行"


def _label(**kw) -> Label:
    base = dict(category="typo", rule_family="TYP", quote="错字", line=2, line_end=2, start=9,
                end=11, operator="typo-word")
    base.update(kw)
    return Label(**base)


def _f(rule="TYP002", category="typo", severity="warning", line=2, quote="错字", start=9, end=11,
       section=None) -> F:
    return F(rule, category, severity, line, quote, start, end, section)


@pytest.mark.parametrize("finding, expected", [
    (_f(), True),                                        # same span
    (_f(start=5, end=7, quote="第二", line=2), True),    # another spot on the defect's line
    (_f(line=3, start=13, end=15, quote="第三"), False),  # another line
    (_f(category="format"), False),                      # wrong category
])
def test_matches_by_span_or_line_and_category(finding, expected):
    assert TEXT[9:11] == "错字"
    assert ce.matches(finding, _label(), TEXT) is expected


def test_deleted_section_matches_a_structure_finding_about_that_item():
    lab = _label(category="structure", rule_family="STR", quote="", start=4, end=4, line=2,
                 line_end=2, operator="delete-section", section="plans")
    assert ce.matches(_f(rule="STR001", category="structure", section="plans", line=9,
                         quote="", start=30, end=30), lab, TEXT)
    assert not ce.matches(_f(rule="STR001", category="structure", section="leadership", line=9,
                             quote="", start=30, end=30), lab, TEXT)


def test_judge_ignores_findings_the_clean_source_already_had():
    baseline = Counter({("TYP002", "错字"): 1})
    res, flagged = ce._judge("x", "src", _label(), TEXT, [_f()], baseline)
    assert not res.found and flagged == []
    res, flagged = ce._judge("x", "src", _label(), TEXT, [_f(), _f(rule="FMT001", category="format",
                                                                  line=1, quote="一", start=1, end=2)],
                             Counter())
    assert res.found and res.rules == ["TYP002"] and [f.rule for f in res.extra] == ["FMT001"]


def test_info_findings_count_only_in_the_with_info_recall():
    res, _ = ce._judge("x", "src", _label(), TEXT, [_f(severity="info")], Counter())
    assert (res.found, res.found_any) == (False, True)


def test_compute_recall_false_alarms_and_precision():
    def case(cat, found, rules=(), extra=()):
        return CaseResult("id", "s", "op-" + cat, cat, FAMILY_OF[cat], "q", 1, found, found,
                          list(rules), list(extra))

    fp = _f(rule="FMT001", category="format", line=5, quote=",", start=40, end=41)
    suite = [{"cases": [case("typo", True, ["TYP002"]), case("typo", False),
                        case("count", True, ["CNT001"], [fp])],
              "tp_findings": [_f(), _f(rule="CNT001", category="count")]}]
    clean_fa = _f(rule="LAW001", category="law", line=3, quote="《某法》", start=20, end=25)
    labelled = [LabelledReport("clean-1", True, [clean_fa, _f(severity="info")], []),
                LabelledReport("clean-2", True, [], [])]
    m = ce.compute(suite, labelled)
    assert m.recall["typo"] == (1, 1, 2)
    assert m.recall["count"] == (1, 1, 1)
    assert m.recall["law"] == (0, 0, 0)
    assert m.false_alarms_per_clean == 0.5           # one warning/error over two clean reports
    assert (m.tp, m.fp) == (2, 2)                    # the mutant's extra + the clean report's
    assert m.precision == 0.5
    assert m.rules["FMT001"] == {"fp_mutants": 1} and m.rules["LAW001"] == {"fp_clean": 1}
    assert [c.category for c in m.missed] == ["typo"]


def test_a_placeholder_mutant_is_found_by_the_real_checker(sources):
    src = next(s for s in sources if s.name.startswith("02_"))
    m = next(m for m in mutants_of(src, k=1) if m.operator == "placeholder")
    base = Counter((f.rule, f.quote) for f in ce.check_text(src.text))
    res, flagged = ce._judge(m.id, m.source, m.label, m.text, ce.check_text(m.text), base)
    assert res.found and any(f.category == "placeholder" for f in flagged)


def test_labelled_report_quotes_are_located():
    meta = {"defects": [{"category": "typo", "quote": "错字", "rule_family": "TYP"},
                        {"category": "structure", "quote": "", "rule_family": "STR",
                         "note": "plans：缺少下一年度安排"}]}
    labels = ce._labels_of(TEXT, meta)
    assert (labels[0].line, labels[0].start, labels[0].end) == (2, 9, 11)
    assert labels[1].section == "plans"
    with pytest.raises(ValueError):
        ce._labels_of(TEXT, {"defects": [{"category": "typo", "quote": "没有的话"}]})


# -- the stand-in model of the LLM drafting evaluation ------------------------------------------

PROMPT = """请起草“一、2023年度推进法治政府建设的主要举措和成效”部分的正文。

事实材料（只能使用这里的数字、名称和文件）：
- 小标题: （一）全面落实重大行政决策程序制度
  事实:
  - 编制并公布年度重大行政决策事项目录，纳入决策事项3项
  数据:
  - 提出法律意见63条
- 不足: 执法监督手段比较单一
  原因:
  - 执法信息化建设相对滞后

必须使用的小标题（按顺序，编号和文字不变）：
（一）全面落实重大行政决策程序制度
"""


def test_stand_in_model_writes_every_fact_from_the_prompt():
    assert len(_facts_block(PROMPT)) == 2
    reply = model_reply([{"role": "system", "content": "…"}, {"role": "user", "content": PROMPT}])
    lines = reply.split("\n")
    assert "（一）全面落实重大行政决策程序制度" in lines
    assert "纳入决策事项3项" in reply and "提出法律意见63条" in reply
    assert "执法监督手段比较单一" in reply and "究其原因" in reply and "信息化建设相对滞后" in reply


def test_load_source_reads_year_and_unit_type():
    src = load_source(CASES / "01_wangchuan_county_gov.txt")
    assert (src.year, src.unit_type) == (2022, "government")
    assert src.report.title is not None


def test_drafting_metrics_count_sections_facts_and_invented_numbers(tmp_path):
    from types import SimpleNamespace

    from drafter.report.structure import build_report
    from evaluations.drafting_eval import FACTS, draft_one, measure

    facts = next(f for f in FACTS if "shili-kegongxin" in str(f) and "2023" in str(f))
    result, secs = draft_one(facts, "template", tmp_path)
    m = measure("template", facts, result, secs)
    assert (m.sections_present, m.sections_total) == (4, 4)
    assert m.statements_found == m.statements_total > 0
    assert m.metrics_found == m.metrics_total > 0
    assert m.numbers_not_in_facts == [] and m.errors == 0

    # The same draft with an invented figure and without its plans section.
    texts = [p.text for p in result.report.paragraphs]
    plans = next(i for i, t in enumerate(texts) if "主要安排" in t and t.startswith(("四、", "五、")))
    tampered = texts[:plans] + ["全年另办理案件999件。"] + texts[-2:]
    fake = SimpleNamespace(report=build_report(tampered, path="x", fmt="txt"), plan=result.plan,
                           findings=[])
    m2 = measure("template", facts, fake, 0.0)
    assert m2.numbers_not_in_facts == ["999"]
    assert m2.sections_present == 3
    assert m2.statements_found < m.statements_found


def test_bench_run_reports_exit_code_output_and_memory():
    import sys

    from evaluations.bench import run

    r = run([sys.executable, "-c", "import sys; print('ok'); sys.exit(3)"])
    assert r.returncode == 3 and r.stdout.strip() == b"ok"
    assert r.max_rss_mb > 0 and r.wall_s > 0 and r.cpu_s >= 0


# -- the prose evaluation finds what it measures ---------------------------------------------

@pytest.fixture(scope="module")
def sample_draft():
    from pathlib import Path

    from drafter.pipeline import draft

    path = Path(__file__).resolve().parent.parent / "corpus" / "shili-kegongxin" / "2023" / "facts.yaml"
    return path, draft(path, write=False)


def _with(result, old: str, new: str):
    """The drafted report with one text changed (the plan stays)."""
    from dataclasses import replace

    from drafter.report.structure import build_report

    texts = [p.text for p in result.report.paragraphs]
    hits = [i for i, t in enumerate(texts) if old in t]
    assert hits, old
    texts[hits[0]] = texts[hits[0]].replace(old, new, 1)
    return replace(result, report=build_report(texts, path="x.docx", fmt="docx"))


@pytest.mark.parametrize("old,new,field", [
    # a connector opening an item: nothing before it to add to
    ("一年来，编制并公布", "同时，编制并公布", "unlicensed"),
    # 此外 before a sentence that carries on with the subject of the one before
    ("。每项决策均履行", "。此外，每项决策均履行", "unlicensed"),
    # 全年 before a statement that is no count
    ("我局严格执行", "全年严格执行", "unlicensed"),
    # the same opener twice in one section
    ("严格落实规范性文件合法性审核", "一年来，严格落实规范性文件合法性审核", "opener_section"),
    # a 文号 without its title; a person measure word on a certificate
    ("对照《提升行政执法质量三年行动计划（2023—2025年）》（国办发〔2023〕27号）", "对照国办发〔2023〕27号", "doc_numbers_bare"),
    ("行政执法人员21名", "执法证件21名", "measure_slips"),
    # an outcome left out
    ("经过努力，决策的科学化、民主化、法治化水平进一步提升。", "", "outcomes_found"),
])
def test_the_prose_evaluation_catches_each_defect(sample_draft, old, new, field):
    from evaluations.prose_eval import measure

    path, result = sample_draft
    clean = measure(path, result, 0.1)
    assert clean.ok, clean
    bad = measure(path, _with(result, old, new), 0.1)
    assert not bad.ok
    if field == "outcomes_found":
        assert bad.outcomes_found == clean.outcomes_found - 1
    elif field == "opener_section":
        assert bad.opener_section == 2
    else:
        assert len(getattr(bad, field)) == len(getattr(clean, field)) + 1, getattr(bad, field)
