"""Corpus: the sample unit's history, splitting earlier reports, BM25 exemplars, the plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.corpus import Corpus, find_corpus_root
from drafter.corpus.retrieval import ExemplarIndex, tokenize
from drafter.corpus.split import split_sections
from drafter.errors import InputError
from drafter.facts import load_facts, parse_facts
from drafter.report.plans import report_plan_items
from drafter.plan import make_plan
from drafter.report.readers import read_report

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
UNIT = "shili-kegongxin"
FACTS_2023 = CORPUS / UNIT / "2023" / "facts.yaml"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.open(CORPUS)


def test_history_lists_the_sample_years_with_their_files(corpus):
    hist = corpus.history(UNIT)
    assert [e.year for e in hist] == [2021, 2022, 2023]
    assert [bool(e.report_path) for e in hist] == [True, True, False]
    assert all(e.facts_path for e in hist)
    assert [e.year for e in corpus.earlier(UNIT, 2023)] == [2022, 2021]
    assert corpus.previous(UNIT, 2023).year == 2022
    assert corpus.previous(UNIT, 2021) is None
    assert {"shili-kegongxin", "seed-xingyang"} <= set(corpus.units)


def test_corpus_root_is_found_from_a_facts_file_inside_it():
    assert find_corpus_root(FACTS_2023, UNIT) == CORPUS.resolve()
    assert find_corpus_root(FACTS_2023, "another-unit") is None
    assert find_corpus_root("/tmp/facts.yaml", UNIT) is None


def test_missing_corpus_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="语料文件夹不存在"):
        Corpus.open(tmp_path / "nope")


@pytest.mark.parametrize("year", [2021, 2022])
def test_earlier_reports_are_clean_and_split_into_the_mandated_sections(corpus, year):
    from drafter.checker import check_report

    report = read_report(corpus.entry(UNIT, year).report_path)
    findings = [f for f in check_report(report) if f.severity != "info"]
    assert findings == [], [(f.rule, f.line, f.message) for f in findings]
    parts = split_sections(report, year)
    keys = [p.key for p in parts]
    assert sorted(keys) == ["leadership", "measures", "plans", "shortcomings"]
    measures = next(p for p in parts if p.key == "measures")
    assert len(measures.passages) >= 5
    # run-in headings contribute their body, never their heading sentence
    assert all(not p.text.startswith("（") for p in measures.passages)
    assert all(p.year == year for p in measures.passages)


def _plan_texts(report):
    return [i.text for i in report_plan_items(report)]


@pytest.mark.parametrize("year,expected", [
    (2021, ["完善合法性审查机制", "推进“双随机、一公开”监管全覆盖", "加强行政执法队伍建设", "深化“八五”普法"]),
    (2022, ["全面落实重大行政决策程序制度", "提升行政执法质量", "加强科技和工信领域法治宣传",
            "推进政务公开标准化规范化"]),
])
def test_plan_items_of_an_earlier_report(corpus, year, expected):
    assert _plan_texts(read_report(corpus.entry(UNIT, year).report_path)) == expected


def test_plan_items_from_enumerated_paragraph(tmp_path):
    text = ("某局关于2023年度法治政府建设情况的报告\n市人民政府：\n现将有关情况报告如下：\n"
            "一、主要举措和成效\n全年工作有序推进。\n二、存在的不足和原因\n原因主要是力量不足。\n"
            "三、主要负责人履行推进法治建设第一责任人职责情况\n局长带头学法。\n"
            "四、2024年工作计划\n一是深化法治学习，健全制度。二是规范行政决策；三是加强执法监督。\n某局\n2024年2月1日\n")
    p = tmp_path / "r.txt"
    p.write_text(text, encoding="utf-8")
    assert _plan_texts(read_report(p)) == ["深化法治学习，健全制度", "规范行政决策", "加强执法监督"]


def test_tokenize_drops_punctuation_and_stopwords():
    toks = tokenize("进一步加强“双随机、一公开”监管，推进全覆盖。")
    assert "，" not in toks and "进一步" not in toks and "加强" not in toks
    assert "监管" in toks


def test_bm25_finds_exemplars_in_the_right_section(corpus):
    passages = []
    for e in corpus.earlier(UNIT, 2023):
        for part in split_sections(read_report(e.report_path), e.year):
            passages.extend(part.passages)
    index = ExemplarIndex(passages)
    hits = index.search("measures", "双随机 抽查 家次 结果公开", k=3)
    assert hits and all(h.passage.key == "measures" for h in hits)
    assert "双随机" in hits[0].passage.text
    assert hits == sorted(hits, key=lambda h: -h.score)
    causes = index.search("shortcomings", "执法人员业务能力", k=2)
    assert causes and all(h.passage.key == "shortcomings" for h in causes)
    assert index.search("other", "任何内容") == []
    assert index.search("measures", "，。") == []


def test_a_search_is_answered_from_the_cache_when_query_and_passages_are_unchanged(
        corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(tmp_path))
    passages = [p for e in corpus.earlier(UNIT, 2023)
                for part in split_sections(read_report(e.report_path), e.year) for p in part.passages]
    queries = [("measures", "双随机 抽查 家次 结果公开", 3), ("shortcomings", "执法人员业务能力", 2),
               ("leadership", "，。", 3)]  # one query per section (one entry each)
    searched = [ExemplarIndex(passages).search(*q) for q in queries]
    assert searched[0] and searched[1] and searched[2] == []
    fresh = ExemplarIndex(passages)
    monkeypatch.setattr(ExemplarIndex, "_search", lambda *a: pytest.fail("searched again"))
    assert [fresh.search(*q) for q in queries] == searched
    fewer = ExemplarIndex([p for p in passages if p is not searched[0][0].passage])
    with pytest.raises(pytest.fail.Exception):  # other passages: another search
        fewer.search(*queries[0])


def test_plan_takes_last_years_plans_figures_and_exemplars_from_the_corpus(corpus):
    plan = make_plan(load_facts(FACTS_2023), FACTS_2023, corpus)
    assert plan.previous_plans_source.endswith("2022/facts.yaml")
    assert [p.text for p in plan.previous_plans] == [
        "全面落实重大行政决策程序制度", "提升行政执法质量", "加强科技和工信领域法治宣传",
        "推进政务公开标准化规范化"]
    assert plan.unanswered_plans == []
    assert all(p.answered_by.startswith("sections.measures[") for p in plan.previous_plans)
    measures = plan.section("measures")
    assert measures.exemplars and all(e.year in (2021, 2022) for e in measures.exemplars)
    assert measures.previous_figures["inspections"]["value"] == 86
    assert plan.previous_report is not None and plan.previous_report.title is not None
    assert [s.key for s in plan.sections] == ["measures", "shortcomings", "leadership", "plans"]
    assert [s.numbered_heading[:2] for s in plan.sections] == ["一、", "二、", "三、", "四、"]


def test_plans_fall_back_to_last_years_report_when_it_has_no_facts(tmp_path):
    import shutil

    unit = tmp_path / UNIT
    shutil.copytree(CORPUS / UNIT / "2021", unit / "2021")
    (unit / "2021" / "facts.yaml").unlink()
    shutil.copytree(CORPUS / UNIT / "2022", unit / "2022")
    facts_path = unit / "2022" / "facts.yaml"
    plan = make_plan(load_facts(facts_path), facts_path, Corpus.open(tmp_path))
    assert plan.previous_plans_source.endswith("2021/report.txt")
    assert len(plan.previous_plans) == 4 and plan.unanswered_plans == []


def test_unanswered_plans_are_listed(corpus):
    text = FACTS_2023.read_text(encoding="utf-8").replace(
        "metrics:\n", "previous_plans:\n  - 全面落实重大行政决策程序制度\n  - 建设全市工业互联网安全监测平台\n"
                      "  - text: 开展数据安全执法检查\nmetrics:\n", 1)
    facts = parse_facts(text)
    plan = make_plan(facts, "facts.yaml", corpus)
    assert plan.previous_plans_source == "事实文件 previous_plans"
    assert [p.text for p in plan.unanswered_plans] == ["建设全市工业互联网安全监测平台", "开展数据安全执法检查"]
    assert plan.previous_plans[0].how == "matched"


def test_explicit_answers_link_a_plan_item(corpus):
    text = FACTS_2023.read_text(encoding="utf-8").replace(
        "metrics:\n", "previous_plans:\n  - 建设全市工业互联网安全监测平台\nmetrics:\n", 1).replace(
        "    - title: 加强规范性文件管理\n", "    - title: 加强规范性文件管理\n      answers: [1]\n", 1)
    plan = make_plan(parse_facts(text), "facts.yaml", corpus)
    link = plan.previous_plans[0]
    assert link.how == "explicit" and "加强规范性文件管理" in link.answered_by


def test_plan_without_corpus_has_no_exemplars_and_no_previous_plans():
    plan = make_plan(load_facts(FACTS_2023), FACTS_2023, None)
    assert plan.previous_plans == [] and plan.previous_plans_source is None
    assert all(not s.exemplars for s in plan.sections)
    data = plan.to_json()
    assert "previous_report" not in data and data["sections"][0]["key"] == "measures"
