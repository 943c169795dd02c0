"""The verifier of LLM-assisted review: the cases of LLM001–LLM005 (checker/cases/LLM.yaml),
and the behaviour behind them — exact quotes, ambiguity, duplicates of rule findings,
protected titles, numbers and names, minimal and more plausible typo corrections, severities.
Offline: no model is asked; proposals are given as a model would give them."""

from __future__ import annotations

import pytest

from drafter.checker import CheckOptions, check_report
from drafter.checker.registry import cases_for, get_rule
from drafter.checker.testing import case_options, case_report
from drafter.review.chunks import chunks
from drafter.review.plausible import changed_span, supported
from drafter.review.reply import Proposal
from drafter.review.runner import to_findings
from drafter.review.verify import Verifier

LLM_RULES = ("LLM001", "LLM002", "LLM003", "LLM004", "LLM005")
CASES = [(rid, kind, i, c) for rid in LLM_RULES for kind in ("fail", "pass")
         for i, c in enumerate(cases_for(rid)[kind])]


def verify(report, proposal: dict, findings=None, people=()):
    """The verdict of one proposal on the part of ``report`` that holds its quote (or the
    part of its first characters, for a quote that is not in the report)."""
    findings = check_report(report, CheckOptions()) if findings is None else findings
    p = Proposal(proposal["quote"], proposal.get("problem", ""), proposal.get("suggestion", ""),
                 proposal["kind"])
    parts = chunks(report)
    head = p.quote.strip()[:2]
    part = next((c for c in parts if p.quote in c.text), None) or \
        next(c for c in parts if head in c.text)
    return Verifier(report, findings, people).verify(part, [p])[0]


@pytest.mark.parametrize("rule_id,kind,i,case", CASES, ids=[f"{r}-{k}-{i}" for r, k, i, _ in CASES])
def test_llm_rule_case(rule_id, kind, i, case):
    report = case_report(case)
    opts = case_options(case)
    v = verify(report, case["proposal"], check_report(report, opts))
    if kind == "pass":
        assert v.action == "drop" and v.reason == case["reason"], (v.action, v.reason, v.why)
        return
    assert v.action != "drop", (v.reason, v.why)
    found = to_findings(report, v)
    assert found and {f.rule for f in found} == {rule_id}
    rule = get_rule(rule_id)
    assert {f.severity for f in found} == {case.get("severity", rule.severity)}
    assert all(f.source == "llm" and f.severity != "error" for f in found)
    if "quote" in case:
        assert {f.quote for f in found} == {case["quote"]}
    for f in found:  # the quote is where line and column say
        line = report.paragraphs[f.line - 1].text
        assert line[f.column - 1:f.column - 1 + len(f.quote)] == f.quote


def test_every_llm_rule_documents_how_it_is_produced_and_is_never_run_by_the_checker():
    report = case_report({"fragment": "（二）加强执法队伍建设。全局执法人员均已参加论训。"})
    assert not [f for f in check_report(report) if f.rule.startswith("LLM")]
    for rid in LLM_RULES:
        r = get_rule(rid)
        assert r.source == "llm" and r.severity != "error" and "--llm" in r.doc


def test_a_quote_found_several_times_is_placed_at_each_only_when_every_one_is_the_same_slip():
    report = case_report({"fragment": "（二）加强队伍建设。全年组织论训4期，论训人员全部考核合格。"})
    v = verify(report, {"quote": "论训", "suggestion": "轮训", "kind": "typo"})
    assert v.action == "keep" and len(v.spans) == 2
    # the same two-place quote with a remark about one of them cannot be placed
    v = verify(report, {"quote": "论训", "suggestion": "", "problem": "期数偏少", "kind": "logic"})
    assert (v.action, v.reason) == ("drop", "ambiguous")


def test_a_rule_hint_at_the_same_place_is_no_duplicate():
    # LAW003 only says "could not verify" (info) on a local document: a model's remark about
    # its name is new information, kept (as a warning asking to verify).
    report = case_report({"fragment": "（二）压实责任。印发《示例局2023年依法行政工作要点》。"})
    infos = [f for f in check_report(report) if f.quote == "《示例局2023年依法行政工作要点》"]
    assert infos and {f.severity for f in infos} == {"info"}
    v = verify(report, {"quote": "《示例局2023年依法行政工作要点》", "kind": "law",
                        "problem": "与局发文件登记的名称不一致",
                        "suggestion": "《示例局2023年度依法行政工作要点》"})
    assert v.action == "keep"
    f = to_findings(report, v)[0]
    assert f.severity == "warning" and "请核实" in f.message


@pytest.mark.parametrize("fragment, proposal, reason", [
    # a repealed title in the lexicon is the LAW rules' to judge, never the model's
    ("（二）化解信访矛盾。依照《信访条例》办理信访事项45件。",
     {"quote": "《信访条例》", "kind": "law", "suggestion": "《信访工作条例》"}, "duplicate-of-rule"),
    ("（二）加强学习。组织学习《中华人民共和国行政处罚法》3次。",
     {"quote": "处罚法", "kind": "typo", "suggestion": "处分法"}, "protected-title"),
    ("（二）加强学习。组织学习《中华人民共和国行政处罚法》3次。",
     {"quote": "《中华人民共和国行政处罚法》", "kind": "law", "suggestion": "",
      "problem": "名称有误"}, "protected-title"),
    # a typo "correction" that changes a figure, a name from the facts, or a person by a role word
    ("（二）加强学习。全年集中学法十二次。",
     {"quote": "学法十二次", "kind": "typo", "suggestion": "学法十三次"}, "changes-number"),
    ("（二）健全法律顾问制度。聘请律师李文彬担任法律顾问。",
     {"quote": "李文彬", "kind": "typo", "suggestion": "李文斌"}, "changes-name"),
    ("（二）无中生有。",
     {"quote": "无中生有", "kind": "typo", "suggestion": "无中生友", "problem": ""}, "typo-not-supported"),
    ("（二）加强学习。全年集中学法12次。",
     {"quote": "学法12次", "kind": "unknown", "suggestion": ""}, "malformed"),
    ("（二）加强学习。全年集中学法12次。",
     {"quote": "全年集中学法12次", "kind": "style", "suggestion": "", "problem": "表述准确，无需修改。"}, "no-op"),
])
def test_drop_and_downgrade_reasons(fragment, proposal, reason):
    v = verify(case_report({"fragment": fragment}), proposal)
    assert v.reason == reason, (v.action, v.reason, v.why)


HOLDS, DUP, KEEP = ("info", "arithmetic-holds"), ("drop", "duplicate-of-rule"), ("keep", None)


@pytest.mark.parametrize("fragment, quote, problem, outcome", [
    # parts that add up, one of them after the quote: the model overlooked it
    ("（二）规范涉企检查。全年检查企业430家，其中食品企业215家、药品企业128家，其他87家。",
     "全年检查企业430家，其中食品企业215家、药品企业128家", "分项之和343家与总数430家不符。", HOLDS),
    ("（二）规范涉企检查。全年检查企业430家，其中食品企业215家、药品企业128家、其他87家。",
     "其中食品企业215家、药品企业128家、其他87家", "分项合计有误。", HOLDS),
    # a rate that matches its figures (305/312 = 97.76%)
    ("（二）畅通信访渠道。全年受理群众来信来访312件，办结305件，办结率97.8%。",
     "受理群众来信来访312件，办结305件，办结率97.8%", "办结率计算错误。", HOLDS),
    # parts that do not add up, a rate that does not match: the model is right (and the
    # CNT rules already say so: its finding is their duplicate)
    ("（二）规范涉企检查。全年检查企业430家，其中食品企业215家、药品企业128家、其他78家。",
     "其中食品企业215家、药品企业128家、其他78家", "分项之和421家与总数430家不符。", DUP),
    ("（二）畅通信访渠道。全年受理群众来信来访312件，办结305件，办结率98.8%。",
     "办结305件，办结率98.8%", "305/312约为97.8%，不是98.8%。", DUP),
    # a rate drafter cannot recompute (纠错 is not how 纠错率 is counted): kept
    ("（二）化解行政争议。全年审结行政复议案件312件，纠错27件，纠错率8.7%。",
     "审结行政复议案件312件，纠错27件，纠错率8.7%", "纠错率计算错误。", KEEP),
    # a figure outside any statement drafter can recompute, or no figure at all: kept
    ("（二）规范涉企检查。全年检查企业430家，比上年增加一倍。",
     "全年检查企业430家，比上年增加一倍", "“增加一倍”缺少上年数字，无法核实。", KEEP),
    ("（三）存在的不足。执法力量不足，原因是经济增长较快。",
     "原因是经济增长较快", "原因与问题没有因果关系。", KEEP),
])
def test_a_logic_finding_on_arithmetic_that_holds_is_only_a_hint(fragment, quote, problem, outcome):
    report = case_report({"fragment": fragment})
    v = verify(report, {"quote": quote, "kind": "logic", "suggestion": "", "problem": problem})
    assert (v.action, v.reason) == outcome, (v.action, v.reason, v.why)
    if outcome == HOLDS:
        f = to_findings(report, v)[0]
        assert f.severity == "info" and "核对" in f.message and "相符" in f.message


def test_names_from_the_facts_are_protected_even_without_a_role_word():
    report = case_report({"fragment": "（二）健全制度。周海平同志牵头修订制度6项。"})
    proposal = {"quote": "周海平同志", "kind": "typo", "suggestion": "周海萍同志"}
    assert verify(report, proposal, people=("周海平",)).reason == "changes-name"


def test_the_same_finding_proposed_twice_is_kept_once():
    report = case_report({"fragment": "（二）加强执法队伍建设。全局执法人员均已参加论训。"})
    part = next(c for c in chunks(report) if "论训" in c.text)
    p = Proposal("参加论训", "错字", "参加轮训", "typo")
    verdicts = Verifier(report, check_report(report)).verify(part, [p, p])
    assert [(v.action, v.reason) for v in verdicts] == [("keep", None), ("drop", "repeated")]


def test_quotes_are_matched_after_the_readers_normalisation_only():
    report = case_report({"fragment": "（二）加强执法队伍建设。全局执法人员均已参加论训。"})
    # surrounding spaces and a CRLF are what a reader would have dropped: found
    assert verify(report, {"quote": " 参加论训\r\n", "kind": "typo", "suggestion": "参加轮训"}).action == "keep"
    # another punctuation mark is another text: not found
    assert verify(report, {"quote": "参加论训.", "kind": "typo", "suggestion": "参加轮训."}).reason == "quote-not-found"


# -- "is the suggestion more likely than the quote?" --------------------------------------
# Fresh examples of each class (not taken from the evaluation sets).
@pytest.mark.parametrize("left, quote, right, suggestion, ok", [
    ("严格", "落石", "责任", "落实", True),           # non-word → word
    ("按时", "报颂", "市司法局", "报送", True),
    ("", "2023以来年", "，我局", "2023年以来", True),  # 年 belongs after the number
    ("", "逐条的核对", "", "逐条地核对", True),        # 地 before a verb
    ("工作", "做的很好", "", "做得很好", True),        # 得 before a complement
    ("", "得到及时的处理", "", "得到及时地处理", False),  # nominal: 的 is right
    ("", "有效的监督", "", "有效地监督", False),      # 监督 read as a noun here
    ("", "认真地落实", "", "认真的落实", False),      # right 地 "corrected" to 的
    ("", "制定", "规范性文件", "制订", False),        # a commoner word replaced by a rarer one
    ("开展", "法治宣传", "活动", "法制宣传", False),  # into a wrong form the lexicon lists
    ("全面推行", "重大执法决定法制审核", "制度", "重大执法决定法治审核", False),  # fixed name
    ("加强", "监管", "", "监督", False),             # a real word swapped for a word of another sound
    ("坚持", "有法必依", "", "有法必以", False),
    ("疑难案件", "会商", "", "研究", False),         # two characters of another sound: a new word
])
def test_support_for_a_typo_correction(left, quote, right, suggestion, ok):
    assert supported(left, quote, right, suggestion, "报告正文").ok is ok


def test_a_real_word_slip_needs_the_corrected_word_in_the_report():
    # 权利/权力 sound alike; 权力 appears elsewhere in this report, so the slip is believed
    assert supported("推行", "权利清单", "制度", "权力清单", "规范行政权力运行。").ok
    assert not supported("推行", "权利清单", "制度", "权力清单", "其他内容。").ok


@pytest.mark.parametrize("quote, suggestion, span", [
    ("持证上冈", "持证上岗", (3, 4, "岗")),
    ("逐一反馈", "逐一地反馈", (2, 2, "地")),
    ("2019以来年", "2019年以来", (4, 7, "年以来")),
    ("同样", "同样", (2, 2, "")),
])
def test_changed_span(quote, suggestion, span):
    assert changed_span(quote, suggestion) == span
