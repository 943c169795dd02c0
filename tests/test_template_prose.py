"""Sentence planning of the template backend on fresh cases (not the samples): the relation
between two statements, connectors only where licensed, openers that do not repeat, 一是…
runs of parallel verb phrases and at most five entries, outcomes as closing sentences."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from drafter.backends.template import TemplateBackend
from drafter.backends.template.sentences import cues
from drafter.plan import ItemSpec, SectionSpec

C = cues("我区")


def spec(key: str, items: list[ItemSpec], short: str = "我区") -> SectionSpec:
    return SectionSpec(key=key, number=1, heading="主要举措和成效", unit="示例区人民政府", short=short,
                       year=2023, seed="示例区人民政府|2023", items=items)


def item(*statements: str, title: str = "推进依法行政", outcome: str | None = None,
         metrics: tuple[str, ...] = ()) -> ItemSpec:
    return ItemSpec(source="x", title=title, statements=list(statements), metrics=list(metrics),
                    outcome=outcome)


# -- relations ---------------------------------------------------------------------------------

@pytest.mark.parametrize("prev, cur, relation", [
    # the second names someone the first already named: continue, no connector
    ("聘请青禾律师事务所律师许长风担任法律顾问", "法律顾问许长风参与重大合同审查", "continuation"),
    ("编制年度重大行政决策事项目录，纳入决策事项4项", "4项决策事项均履行法定程序", "continuation"),
    # a person acts on: 区长 … then 主持召开 …
    ("区长陶远认真履行第一责任人职责", "主持召开区政府常务会议专题研究法治建设3次", "continuation"),
    # a new subject, or a new measure
    ("开展送法下乡活动", "区人民调解委员会调处纠纷", "addition"),
    ("修订行政执法人员管理办法", "开展行政执法案卷评查", "addition"),
    ("修订行政执法人员管理办法", "我区开展行政执法案卷评查", "addition"),
    # a count of what was done
    ("畅通投诉举报渠道", "受理群众咨询320人次", "figures"),
    # putting into practice what the first set up
    ("出台区行政执法监督办法", "严格执行行政执法监督制度", "progression"),
    # the statement already starts so
    ("完成年度清理", "其中废止5件", "linked"),
    ("完成年度清理", "全年办结投诉1200件", "time"),
    ("完成年度清理", "有效防范了法律风险", "result"),
])
def test_relation_between_two_statements(prev, cur, relation):
    assert C.relation(prev, cur) == relation


@pytest.mark.parametrize("text, figure", [
    ("受理投诉举报320件", True),
    ("贯彻《关于加强基层治理的意见》（示政〔2022〕5号）要求", False),   # a 文号 is no figure
    ("落实《提升行政执法质量三年行动计划（2023—2025年）》", False),
    ("2023年完成清理", False),
])
def test_a_figure_is_a_digit_outside_titles_numbers_and_years(text, figure):
    assert C.has_figure(text) is figure


@pytest.mark.parametrize("title, means", [
    ("大力推进教育培训工作", "推进教育培训工作"),
    ("持续深入推进普法", "推进普法"),
    ("严格规范公正文明执法", "严格规范公正文明执法"),
    ("行政复议和应诉", None),                      # not a verb phrase
    ("全面推进政务公开标准化规范化和政务服务便利化", None),  # too long for 通过……，
])
def test_the_means_of_an_outcome_come_from_the_title(title, means):
    assert C.means(title) == means


# -- one section ---------------------------------------------------------------------------------

def draft(key: str, items: list[ItemSpec], **kw) -> list[str]:
    return TemplateBackend().draft_section(spec(key, items, **kw))


def test_parallel_verb_statements_become_a_run_closed_by_the_outcome():
    paras = draft("measures", [item("修订区政府合同管理办法", "审查区政府合同41份",
                                    "组织合同管理专题培训2期",
                                    title="加强合同管理", outcome="合同纠纷明显减少")])
    body = paras[1]
    assert re.match(r"一是修订区政府合同管理办法；二是审查区政府合同41份；三是组织合同管理专题培训2期。", body)
    closing = body.split("。")[-2]
    assert closing.endswith("，合同纠纷明显减少") and closing.startswith(("通过", "经过努力"))


def test_a_continuing_statement_joins_the_entry_before_it_and_a_self_reference_goes():
    paras = draft("measures", [item("我区聘请青禾律师事务所律师许长风担任法律顾问",
                                    "法律顾问许长风参与重大合同审查",
                                    "开展行政规范性文件清理", "编制权责清单")])
    assert "一是聘请青禾律师事务所律师许长风担任法律顾问，法律顾问许长风参与重大合同审查；二是开展" in paras[1]


def test_statements_with_their_own_subjects_stay_prose_without_a_connector_before_a_continuation():
    paras = draft("measures", [item("聘请青禾律师事务所律师许长风担任法律顾问",
                                    "法律顾问许长风参与重大合同审查",
                                    "区司法局组织执法人员培训")])
    body = paras[1]
    assert "一是" not in body
    assert "。法律顾问许长风参与重大合同审查。" in body  # continuation: nothing between


def test_a_connector_never_opens_an_item():
    items = [item(f"开展第{n}类专项整治", "区市场监管局组织联合检查") for n in range(1, 8)]
    paras = draft("measures", items)
    bodies = [p for p in paras if not p.startswith("（")]
    assert len(bodies) == 7
    for body in bodies:
        assert not body.startswith(("同时", "此外", "另外", "与此同时", "在此基础上"))


def test_no_opener_or_connector_repeats_within_a_section():
    items = [item(f"修订第{n}项制度", f"开展第{n}次检查", f"区执法局复核第{n}批案卷", title=f"事项{n}")
             for n in range(1, 9)]
    paras = draft("measures", items)
    openers = Counter(s.split("，", 1)[0] for p in paras if not p.startswith("（")
                      for s in re.findall(r"[^。]+。", p))
    assert [o for o, n in openers.items() if n > 1] == []


def test_an_item_opening_like_an_earlier_one_gets_a_fallback_opener():
    same = "落实“谁执法谁普法”普法责任制，开展以案释法"
    paras = draft("measures", [item(same, "区司法局组织旁听庭审", title="一"),
                               item(same, "区司法局组织模拟法庭", title="二")])
    bodies = [p for p in paras if not p.startswith("（")]
    assert len({b.split("，", 1)[0] for b in bodies}) == 2
    assert all(same in b for b in bodies)


def test_more_than_five_statements_become_two_paragraphs_and_no_run_passes_five():
    statements = [f"{verb}第{n}项工作" for n, verb in
                  enumerate(["修订", "开展", "组织", "推行", "完善", "健全", "落实"], start=1)]
    paras = draft("measures", [item(*statements, outcome="工作质效明显提升")])
    assert len(paras) == 3  # heading + two paragraphs
    for p in paras[1:]:
        assert "六是" not in p
    assert all(s in "".join(paras) for s in statements)
    assert paras[-1].endswith("工作质效明显提升。")


def test_an_outcome_already_led_or_without_a_result_word_is_written_as_given():
    a = draft("measures", [item("开展法治宣传", "组织以案释法", outcome="通过宣传，群众知法守法意识明显增强")])
    assert a[1].endswith("。通过宣传，群众知法守法意识明显增强。")
    b = draft("measures", [item("开展法治宣传", outcome="全区未发生行政诉讼败诉案件")])
    assert b[1].endswith("。全区未发生行政诉讼败诉案件。")


def test_a_time_word_the_staff_used_is_not_added_again():
    paras = draft("measures", [item("全年办结投诉1200件", metrics=("受理咨询300人次",)),
                               item("开展专项检查", metrics=("检查经营主体80户",))])
    text = "".join(paras)
    assert text.count("全年") == 1


def test_more_than_five_shortcomings_become_numbered_paragraphs():
    items = [ItemSpec(source="x", problem=f"第{n}方面工作还有差距", causes=[f"第{n}方面力量不足"])
             for n in range(1, 8)]
    paras = draft("shortcomings", items)
    assert [p[:3] for p in paras[1:]] == [f"（{c}）" for c in "一二三四五六七"]
    assert not any("六是" in p for p in paras)
    openers = Counter(s.split("，", 1)[0] for p in paras for s in re.findall(r"[^。]+。", p))
    assert [o for o, n in openers.items() if n > 1] == []


def test_more_than_five_plans_with_titles_only_are_not_one_run():
    items = [ItemSpec(source="x", title=f"完善第{n}项制度") for n in range(1, 8)]
    paras = draft("plans", items)
    assert "六是" not in "".join(paras)
    assert paras[1] == "（一）完善第1项制度。"


def test_one_book_serves_the_whole_report():
    backend = TemplateBackend()
    specs = [spec("measures", [item("修订执法制度", "开展专项检查", title=f"事项{n}") for n in range(1, 6)]),
             spec("other", [item("修订执法制度", "开展专项检查", title=f"其他{n}") for n in range(1, 4)])]
    specs[1].key = "other"
    text = "".join(p for paras in backend.draft_sections(specs) for p in paras)
    starts = Counter(re.findall(r"(?:^|[。；])(同时|此外|另外|与此同时|一年来|全年)", text))
    assert starts and max(starts.values()) <= 2, starts
    assert starts["一年来"] <= 1 and starts["全年"] <= 1
