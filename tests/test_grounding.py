"""Grounding: numbers, names and 《》 titles in a drafted text must come from the facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.facts import load_facts
from drafter.grounding import Grounding

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "tests" / "data" / "llm_facts.yaml"


@pytest.fixture(scope="module")
def grounding() -> Grounding:
    return Grounding.from_facts(load_facts(FACTS))


GROUNDED = [
    # figures as the facts give them, with their parts and approximations
    "我局严格落实《重大行政决策程序暂行条例》，全年审查合同48份。",
    "举办法治培训6期，培训260余人次；清理规范性文件10件，其中继续有效5件、修改3件、废止2件。",
    # names the facts give; 一名 is an article, not a figure; years of the report
    "聘请示例市正衡律师事务所律师周明担任法律顾问，确定一名同志负责联络。",
    "韩景川同志主持召开党组会议，深入学习贯彻习近平法治思想。",
    "2023年，我局配合示例市司法局完成年度法治督察，2024年将组织执法人员全员轮训。",
    # a law the facts cite, under its full name (the same document in the law lexicon)
    "认真执行《中华人民共和国重大行政决策程序暂行条例》。",
    # a current national law the facts do not cite (the law lexicon knows it as current)
    "认真落实《中华人民共和国行政处罚法》。",
    # heading ordinals and generic mentions are not names or figures
    "1.健全依法决策机制\n（2）聘请律师事务所提供法律服务，与多家律师事务所合作。",
]


@pytest.mark.parametrize("text", GROUNDED)
def test_grounded_text_passes(grounding, text):
    v = grounding.check(text)
    assert v.ok, v.summary()


INVENTED = [
    ("审查合同52份。", "number", "52份"),
    ("培训300余人次。", "number", "300余人次"),
    ("合同审查率达到95%。", "number", "95%"),
    ("召开三次专题会议。", "number", "三次"),
    ("2021年出台了制度。", "year", "2021年"),
    ("于12月15日印发通知。", "date", "12月15日"),
    ("聘请王建国律师担任法律顾问。", "name", "王建国"),
    ("局长李华同志亲自部署。", "name", "李华"),
    ("会同江州市司法局开展执法检查。", "place", "江州市"),
    ("聘请明理律师事务所担任法律顾问。", "org", "明理律师事务所"),
    ("认真落实《江州市行政执法条例》。", "title", "《江州市行政执法条例》"),
    ("认真落实《信访条例》。", "title", "《信访条例》"),  # repealed (《信访工作条例》 since 2022)
    ("共审核XX件规范性文件。", "placeholder", "XX件"),
    ("【待补充：培训次数】", "placeholder", "【待补充：培训次数】"),
    ("**健全依法决策机制**", "markdown", "**"),
    ("## 主要举措", "markdown", "##"),
    ("- 严格落实制度", "markdown", "-"),
    ("Here is the section you asked for. 我局认真落实。", "english", "Here is the section you asked for"),
    ("", "empty", ""),
]


@pytest.mark.parametrize("text,kind,quote", INVENTED)
def test_invented_content_is_named(grounding, text, kind, quote):
    v = grounding.check(text)
    assert not v.ok
    hits = [(p.kind, p.quote) for p in v.problems]
    assert (kind, quote) in hits, hits
    # every message tells the writer what to do
    assert all("：请" in p.message for p in v.problems)


def test_missing_heading_and_missing_causes_fail(grounding):
    v = grounding.check("执法人员法律素养有待提升。", headings=["（一）健全依法决策机制"],
                        needs_causes=True)
    kinds = [(p.kind, p.quote) for p in v.problems]
    assert ("missing", "（一）健全依法决策机制") in kinds
    assert ("missing", "原因") in kinds
    ok = grounding.check("（一）健全依法决策机制。执法人员法律素养有待提升，究其原因，主要是培训的针对性不强。",
                         headings=["（一）健全依法决策机制"], needs_causes=True)
    assert ok.ok, ok.summary()


def test_dropped_figures_and_people_are_missing_parts(grounding):
    given = ["举办法治培训6期，培训260余人次", "韩景川同志主持召开党组会议"]
    v = grounding.check("我局举办法治培训6期。", figures=given)
    missing = [p.quote for p in v.problems if p.kind == "missing"]
    assert missing == ["培训260余人次", "韩景川"], missing
    assert grounding.check("我局举办法治培训6期，培训260余人次。韩景川同志主持召开党组会议。",
                           figures=given).ok


def test_nothing_to_check_is_reported_as_such(grounding):
    v = grounding.check("我局持续推进法治政府建设。")
    assert v.ok and sum(v.checked.values()) == 0
    assert "未发现需核对" in v.summary()


def test_spec_grounding_only_accepts_what_the_section_gives():
    from drafter.plan import make_plan

    plan = make_plan(load_facts(FACTS), FACTS, None)
    measures = plan.section("measures")
    g = Grounding.from_spec(measures)
    assert g.check("审查合同48份，培训260余人次。").ok
    # a figure of another section is not given to this section's writer
    other = Grounding.from_spec(plan.section("leadership"))
    assert [p.quote for p in other.check("审查合同48份。").problems] == ["48份"]


@pytest.mark.parametrize("path", sorted((ROOT / "corpus").glob("*/*/facts.yaml")) + [FACTS],
                         ids=lambda p: "/".join(p.parts[-3:-1]))
def test_template_drafts_are_grounded(path):
    """Precision: the template backend's own text (facts only) raises no grounding problem."""
    from drafter.backends.llm_prompts import subheadings
    from drafter.backends.template import TemplateBackend
    from drafter.plan import make_plan

    facts = load_facts(path)
    plan = make_plan(facts, path, None)
    whole = Grounding.from_facts(facts)
    tb = TemplateBackend()
    checked = 0
    for spec in plan.sections:
        if spec.missing or any(it.problem and not it.causes for it in spec.items):
            continue  # drafted as a visible 【待补充】 marker on purpose
        text = "\n".join(tb.draft_section(spec))
        for v in (whole.check(text),
                  Grounding.from_spec(spec).check(
                      text, headings=subheadings(spec), needs_causes=spec.key == "shortcomings",
                      figures=[t for it in spec.items for t in (*it.statements, *it.metrics)])):
            assert v.ok, (spec.key, v.summary())
            checked += sum(v.checked.values())
    assert checked > 5
