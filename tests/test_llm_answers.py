"""Model answers as real models write them: wrappers taken off in code, answers that are not
the section rejected with a reason, and — served by the local OpenAI-compatible server from the
answer corpus (``tests/data/llm_answers``, dev units only) — what reaches the .docx.

The held-out unit of the corpus (``yunliang-xian``) is never read here: it is the evaluation's
(``python -m evaluations.llm_answers_eval``).
"""

from __future__ import annotations

import pytest

pytest.importorskip("httpx")

from drafter.backends.answers import normalise, strip_fences, strip_reasoning, wrapper_patterns  # noqa: E402
from drafter.backends.validity import check_answer  # noqa: E402

BODY = "（一）健全依法决策机制\n我局审查合同48份，提出法律意见20条。\n（二）深化法治宣传教育\n举办培训6期。"
HEADINGS = ["（一）健全依法决策机制", "（二）深化法治宣传教育"]


def norm(text: str, **kw):
    kw.setdefault("heading", "一、2023年度推进法治政府建设的主要举措和成效")
    kw.setdefault("subheadings", HEADINGS)
    return normalise(text, **kw)


# -- the wrapper table: every row's example is removed -----------------------------------------

ROWS = [p for kind in ("reasoning", "preface", "closing", "remark") for p in wrapper_patterns()[kind]]


@pytest.mark.parametrize("row", ROWS, ids=lambda p: p.id)
def test_every_wrapper_example_comes_off(row):
    assert row.family and row.source and row.example
    if row.kind == "reasoning":
        answer = row.example if "</think>" in row.example and row.id != "think-unclosed" else row.example
        got = norm(answer)
        assert "think>" not in got.text and row.id in got.removed_ids()
        return
    first_line = row.example.split("\n")[0]
    answer = f"{first_line}\n{BODY}" if row.kind == "preface" else f"{BODY}\n{first_line}"
    got = norm(answer)
    assert got.paragraphs == BODY.split("\n"), (row.id, got.paragraphs)
    assert not got.remarks


@pytest.mark.parametrize("answer", [
    "说明：本段内容均取自事实材料，未添加材料以外的数字。\n" + BODY,  # a note before the text
    "【简要说明】按材料中的两个方面组织正文。\n" + BODY,
    BODY + "\n—— 以上为本部分正文，共计约300字 ——",  # a closing between dashes
    BODY.replace("\n（二）", "\n抱歉，材料中没有提供局长的姓名，以下按职务表述。\n（二）"),  # an apology between
])
def test_notes_closings_and_apologies_around_the_text_come_off_and_the_text_stays(answer):
    got = norm(answer)
    assert got.paragraphs == BODY.split("\n"), got.paragraphs
    assert got.removed


@pytest.mark.parametrize("row", wrapper_patterns()["refusal"], ids=lambda p: p.id)
def test_every_refusal_example_is_recognised(row):
    assert norm(row.example).refusal


MARKDOWN = [
    ("### （一）健全依法决策机制\n我局审查合同48份。", ["（一）健全依法决策机制", "我局审查合同48份。"]),
    ("**（二）深化法治宣传教育**\n举办培训6期。", ["（二）深化法治宣传教育", "举办培训6期。"]),
    ("1. 健全依法决策机制。我局审查合同48份。\n2. 深化法治宣传教育：举办培训6期。",
     ["（一）健全依法决策机制", "我局审查合同48份。", "（二）深化法治宣传教育", "举办培训6期。"]),
    ("主要做法：\n- 审查合同48份\n- 提出法律意见20条；\n- 举办培训6期。",
     ["主要做法：一是审查合同48份；二是提出法律意见20条；三是举办培训6期。"]),
    ("• 审查合同48份。提出法律意见20条。\n• 举办培训6期。",
     ["一是审查合同48份。提出法律意见20条。二是举办培训6期。"]),
    ("- 审查合同48份。", ["审查合同48份。"]),
    ("---\n我局审查合同48份，*成效明显*。\n***", ["我局审查合同48份，成效明显。"]),
    ("> 我局审查合同48份。", ["我局审查合同48份。"]),
    ("推行`一网通办`，参见[门户网站](https://example.gov.cn)。", ["推行一网通办，参见门户网站。"]),
    ("## 一、2023年度推进法治政府建设的主要举措和成效\n我局审查合同48份。", ["我局审查合同48份。"]),
    ("```\n我局审查合同48份。\n```", ["我局审查合同48份。"]),
    ("一是审查合同48份。\n- 二是举办培训6期。\n- 三是提出意见20条。",
     ["一是审查合同48份。", "二是举办培训6期；三是提出意见20条。"]),
    # emoji as bullets and marks; an emoji before a given sub-heading leaves the heading
    ("✅ 审查合同48份。\n✅ 举办培训6期。", ["一是审查合同48份；二是举办培训6期。"]),
    ("📌 我局全面推进依法行政。\n\n✔️ 审查合同48份。\n✔️ 举办培训6期。",
     ["我局全面推进依法行政。", "一是审查合同48份；二是举办培训6期。"]),
    ("📌 （一）健全依法决策机制\n我局审查合同48份🎯。", ["（一）健全依法决策机制", "我局审查合同48份。"]),
    # a bracketed label before the text, an end mark after it
    ("【正文】\n我局审查合同48份。\n（全文完）", ["我局审查合同48份。"]),
    ("【正文】我局审查合同48份。\n—完—", ["我局审查合同48份。"]),
    # symbols of other bullet styles, with or without a space; source markers of a search
    ("▶审查合同48份。\n◆ 举办培训6期。", ["一是审查合同48份；二是举办培训6期。"]),
    ("■审查合同48份。\n■提出法律意见20条。", ["一是审查合同48份；二是提出法律意见20条。"]),
    ("我局审查合同48份[1]，举办培训6期[2][3]。", ["我局审查合同48份，举办培训6期。"]),
    # a numbered list whose item starts with a figure; a lone decimal is no item
    ("1．审查合同48份。\n2．6期培训全部完成。\n3．提出法律意见20条。",
     ["一是审查合同48份；二是6期培训全部完成；三是提出法律意见20条。"]),
    ("1.5万元罚没款全部上缴国库。", ["1.5万元罚没款全部上缴国库。"]),
    # a two-column table of counts: one sentence after its lead-in
    ("清理规范性文件，结果如下：\n\n| 清理结果 | 件数 |\n|:---|---:|\n| 继续有效 | 7 |\n| **废止** | 3 |",
     ["清理规范性文件，结果如下：继续有效7件，废止3件。"]),
    ("| 类别 | 数量（人次） |\n|---|---|\n| 培训干部 | 300 |\n| 其中：执法人员 | 120 |",
     ["培训干部300人次，其中执法人员120人次。"]),
    # 1、 and ① lists, which a 公文 numbers otherwise
    ("1、审查合同48份。\n2、举办培训6期。", ["一是审查合同48份；二是举办培训6期。"]),
    ("①审查合同48份。\n②举办培训6期。", ["一是审查合同48份；二是举办培训6期。"]),
    # the space a bold lead-in leaves; the report's own title repeated in the section
    ("**坚持依法决策。** 全年审查合同48份。", ["坚持依法决策。全年审查合同48份。"]),
    ("示例市科技和工业信息化局关于2023年度法治政府建设情况的报告\n我局审查合同48份。",
     ["我局审查合同48份。"]),
]


@pytest.mark.parametrize("answer,paragraphs", MARKDOWN)
def test_markdown_becomes_the_reports_plain_structure(answer, paragraphs):
    assert norm(answer).paragraphs == paragraphs


def test_a_table_that_is_not_a_list_of_counts_stays_for_the_checks_to_report():
    got = norm("| 指标 | 2022年 | 2023年 |\n|---|---|---|\n| 审查合同 | 40 | 48 |")
    assert len(got.paragraphs) == 3 and all(p.startswith("|") for p in got.paragraphs)
    assert "md-table" not in got.removed_ids()


@pytest.mark.parametrize("tail", ["（以上内容仅供参考，请结合实际修改）", "【如需调整篇幅，请告诉我】",
                                  "（注：文中数据均取自事实材料。）"])
def test_closing_notes_in_brackets_come_off(tail):
    assert norm(f"{BODY}\n{tail}").paragraphs == BODY.split("\n")


@pytest.mark.parametrize("answer,paragraphs", [
    # English around the text, and between its paragraphs
    ("Sure! Here's the draft:\n" + BODY, BODY.split("\n")),
    (BODY + "\nHope this helps. Let me know if anything should change.", BODY.split("\n")),
    ("（一）健全依法决策机制\n我局审查合同48份，提出法律意见20条。\nNote: every figure is from the facts.\n"
     "（二）深化法治宣传教育\n举办培训6期。", BODY.split("\n")),
    # a sentence on how the text was written, after it
    (BODY + "\n本部分内容均依据你提供的事实材料整理，未作延伸。", BODY.split("\n")),
    # a preface clause fused to the first sentence of the text: the clause goes, the sentence stays
    ("根据您提供的材料，我局审查合同48份，提出法律意见20条。\n（二）深化法治宣传教育\n举办培训6期。",
     ["我局审查合同48份，提出法律意见20条。", "（二）深化法治宣传教育", "举办培训6期。"]),
    ("好的，我局审查合同48份，提出法律意见20条。\n（二）深化法治宣传教育\n举办培训6期。",
     ["我局审查合同48份，提出法律意见20条。", "（二）深化法治宣传教育", "举办培训6期。"]),
    # ... but a lead-in stays a lead-in
    ("根据您提供的事实材料，我起草了这一部分的正文，具体如下：\n" + BODY, BODY.split("\n")),
    # an apology or caveat before the text, and its lead-in
    ("很抱歉，材料中没有写明会议的具体日期。下面是按现有材料写的正文：\n" + BODY, BODY.split("\n")),
    # a lead-in ending in a full stop; the plan of the text told first
    ("按照你的要求，现将这一部分撰写如下。\n" + BODY, BODY.split("\n")),
    ("本部分先概述决策机制，再介绍普法宣传：\n" + BODY, BODY.split("\n")),
    # English thinking out loud that quotes the facts
    ("Alright, drafting now with the 审查合同 and 培训 figures first.\n" + BODY, BODY.split("\n")),
    # a comment on the draft, a length in Chinese numerals or without 字数, after the text
    (BODY + "\n这样组织既突出了重点，又兼顾了各项数据。", BODY.split("\n")),
    ("```\n" + BODY + "\n```\n\n如此安排层次清楚，便于阅读。", BODY.split("\n")),
    (BODY + "\n（正文共约三百二十字）", BODY.split("\n")),
    (BODY + "\n（全文约320字）", BODY.split("\n")),
    # … but a last sentence of report text that looks back stays
    (BODY + "\n上述处理决定均经集体讨论。", BODY.split("\n") + ["上述处理决定均经集体讨论。"]),
    # sub-headings the model put in 【】
    ("【（一）健全依法决策机制】\n我局审查合同48份，提出法律意见20条。\n【（二）深化法治宣传教育】\n举办培训6期。",
     BODY.split("\n")),
    # a reasoning block whose closing tag never came, then the answer after a blank line
    ("<think>\n好的，用户要我写这一部分，先看事实材料：合同48份，意见20条，培训6期\n\n" + BODY,
     BODY.split("\n")),
])
def test_wrappers_of_further_forms_come_off(answer, paragraphs):
    got = norm(answer)
    assert got.paragraphs == paragraphs and not got.remarks and not got.invented


@pytest.mark.parametrize("row", wrapper_patterns()["invented"], ids=lambda p: p.id)
def test_every_invented_example_is_recognised(row):
    assert norm(f"{BODY}\n{row.example}").invented


def test_a_topic_turned_into_a_heading_is_dropped_where_the_section_has_none():
    got = norm("**履行第一责任人职责**\n局长主持召开会议4次。", subheadings=(), topics=["履行第一责任人职责"])
    assert got.paragraphs == ["局长主持召开会议4次。"]


def test_reasoning_and_fence_helpers_for_the_review():
    raw = "<think>\n先想一想。\n</think>\n```json\n{\"findings\": []}\n```"
    assert strip_fences(strip_reasoning(raw)) == '{"findings": []}'
    assert strip_reasoning("推理……\n</think>\n\n答案") == "答案"
    assert strip_reasoning("<think>\n想到一半") == ""
    # unclosed, with report text after the thinking: only the thinking goes
    assert strip_reasoning("<think>\n先看事实材料，要写几个数字？\n\n我局审查合同48份。") == "我局审查合同48份。"
    assert strip_reasoning("<think>\n先看事实材料。\n\n我需要写合同48份。") == ""
    # report text that says 良好的 or 我街道 is report text
    assert strip_reasoning("<think>\n先看材料？\n\n全年办理案件12件，取得良好的效果。\n\n我街道坚持自我监督。") \
        == "全年办理案件12件，取得良好的效果。\n\n我街道坚持自我监督。"


# -- is the answer the section at all ----------------------------------------------------------

FACTS_CHARS = 120
GOOD_TEXT = ("我局严格落实重大行政决策程序，全年审查合同48份，提出法律意见20条，均被采纳，"
             "有效防范了法律风险。举办法治培训6期，培训干部职工300人次，干部依法行政能力不断提升。"
             "清理规范性文件10件，其中继续有效7件、废止3件。")


@pytest.mark.parametrize("answer,finish,kind", [
    ("抱歉，我无法协助完成这个请求。", None, "refusal"),
    ("作为一个人工智能助手，我不能代替贵单位撰写正式公文，建议由业务科室起草。", None, "refusal"),
    ("", None, "empty"),
    ("<think>\n只想不写。\n</think>", None, "empty"),
    ("我局依法行政水平进一步提升。", None, "too-short"),
    ((GOOD_TEXT + "\n") * 4, None, "loop"),
    (GOOD_TEXT.replace("。举办", "。这里你可以再补充一些数据。举办", 1), None, "addresses-user"),
    (GOOD_TEXT[:60], "length", "truncated"),
    # the answer calls part of itself an example or an assumption: its content is not the facts'
    (GOOD_TEXT + "\n由于材料中缺少信息化建设的具体数据，以下内容为示例。\n全县执法全过程记录实现网上运行。",
     None, "invented"),
    ("以下数据仅为示意，请根据贵单位实际情况替换。\n" + GOOD_TEXT, None, "invented"),
    ("我局持续推进法治建设，" * 300 + "成效明显。", None, "too-long"),
    # cut in the middle of a sentence, though the server said "stop"
    (GOOD_TEXT + "\n下一步，我局将进一步健全", "stop", "truncated"),
    # a refusal, then a framework to fill in
    ("抱歉，我无法核实贵单位的实际情况，不宜代为撰写。下面提供一个写作框架：\n" + GOOD_TEXT, None, "refusal"),
])
def test_answers_that_are_not_the_section_are_rejected_with_a_reason(answer, finish, kind):
    got = check_answer(norm(answer, subheadings=()), FACTS_CHARS, finish, answer)
    assert got is not None and got.kind == kind, got
    assert got.reason and got.instruction


@pytest.mark.parametrize("answer", [
    GOOD_TEXT,
    "抱歉，事实材料未写明培训对象，以下按现有材料起草。\n\n" + GOOD_TEXT,  # an apology, then the section
    "以下是本部分正文：\n" + GOOD_TEXT + "\n如需调整，请告诉我。",  # wrappers are not a reason
    GOOD_TEXT + "\n\n这一段我把培训的内容放在了后面，您看是否合适？",  # a remark paragraph of its own
    GOOD_TEXT + "\n全年办理行政复议案件【待补充：行政复议案件数】",  # ends with the drafter's own marker
])
def test_real_sections_pass_the_validity_checks(answer):
    assert check_answer(norm(answer, subheadings=()), FACTS_CHARS, "stop", answer) is None


# -- the answer corpus, served (dev units) --------------------------------------------------------

@pytest.fixture(scope="module")
def outcomes():
    from evaluations.llm_answers_eval import HELD_OUT, evaluate, load_manifest

    return evaluate([e for e in load_manifest() if e["unit"] not in HELD_OUT])


def test_no_planted_error_reaches_the_docx_even_from_a_model_that_repeats_itself(outcomes):
    planted = [o for o in outcomes if o.entry["kind"] == "planted"]
    assert len(planted) >= 30
    reached = [(o.entry["file"], o.entry["planted"]) for o in planted if o.planted_reached]
    assert not reached
    assert all(o.status in ("trimmed", "fallback") for o in planted)


def test_faithful_answers_reach_the_docx(outcomes):
    faithful = [o for o in outcomes if o.entry["kind"] == "faithful"]
    kept = sum(o.kept for o in faithful) / sum(o.sentences for o in faithful)
    assert kept >= 0.9, kept
    assert all(o.status in ("accepted", "trimmed") for o in faithful)


def test_wrapped_answers_leave_no_residue_and_keep_their_content(outcomes):
    wrapped = [o for o in outcomes if o.entry["kind"] == "wrapped"
               or (o.entry["kind"] == "addresses-user" and o.entry.get("wrapper") != "remark-inside")]
    assert [(o.entry["file"], o.residue) for o in wrapped if o.residue] == []
    kept = sum(o.kept for o in wrapped) / sum(o.sentences for o in wrapped)
    assert kept >= 0.85, kept


def test_refusals_cut_streams_loops_and_short_answers_never_reach_the_docx(outcomes):
    failures = [o for o in outcomes if o.entry["kind"] in ("refusal", "invented", "truncated", "loop", "too-short")
                or o.entry.get("wrapper") == "remark-inside"]
    assert {o.entry["kind"] for o in failures} >= {"refusal", "invented", "truncated", "loop", "too-short"}
    assert [o.entry["file"] for o in failures if o.used] == []
    says = {"refusal": "拒绝作答", "invented": "示例或假设", "truncated": "回复不完整", "loop": "重复",
            "too-short": "过短", "addresses-user": "对用户说的话"}
    for o in failures:
        assert o.status == "fallback" and says[o.entry["kind"]] in (o.reason or ""), (o.entry["file"], o.reason)


def test_numbered_items_under_markdown_heading_marks_lose_both_marks():
    got = norm("### 1. 健全制度体系\n审查合同48份。\n### 2. 深化普法\n举办培训6期。", subheadings=())
    assert not any(p.startswith(("1", "2", "#")) for p in got.paragraphs), got.paragraphs


def test_a_trim_never_leaves_a_sub_heading_without_its_text(outcomes):
    """Trimming an untraceable title out of the only sentence under a given sub-heading keeps
    the rest of that sentence (clause level) rather than a bare heading in the .docx."""
    import re

    heading = re.compile(r"^（[一二三四五六七八九十]+）[^。；]*$")
    bare = []
    for o in outcomes:
        if not o.used:
            continue
        lines = [ln for ln in o.section_text.split("\n") if ln.strip()]
        bare += [(o.entry["file"], ln) for i, ln in enumerate(lines) if heading.match(ln)
                 and (i + 1 == len(lines) or heading.match(lines[i + 1]))]
    assert bare == []
    alone = next(o for o in outcomes if o.entry["file"].endswith("planted-title-alone-under-heading.txt"))
    assert alone.status == "trimmed" and not alone.planted_reached
    assert "（四）开展面向企业的精准普法\n持续开展“送法进企业”活动，推动普法与企业服务深度融合。" in alone.section_text


def test_an_invented_name_in_a_list_goes_alone_and_the_sentence_reads_on():
    """The least a trim takes: a list item that is exactly the untraceable name ("、王嘉宁"),
    before whole sentences or clauses; only where every quote stands as such an item."""
    from types import SimpleNamespace

    from drafter.backends.llm_section import trim

    ground = SimpleNamespace(headings=["（一）健全依法决策机制"])
    paras = ["（一）健全依法决策机制", "聘请律师林思远、王嘉宁担任法律顾问，审查合同48份。"]
    verdict = {"problems": [{"kind": "name", "quote": "王嘉宁"}]}
    kept, removed = trim(ground, paras, verdict, "item")
    assert kept == ["（一）健全依法决策机制", "聘请律师林思远担任法律顾问，审查合同48份。"]
    assert removed == ["王嘉宁"]
    alone = {"problems": [{"kind": "name", "quote": "王嘉宁"}]}
    assert trim(ground, ["（一）健全依法决策机制", "律师王嘉宁审查合同48份。"], alone, "item") \
        == (["（一）健全依法决策机制", "律师王嘉宁审查合同48份。"], [])  # no item: the other levels
