"""Reading review replies as real models write them, cutting a report into parts, and the
request each part becomes (prompts from prompts/review/)."""

from __future__ import annotations

import pytest

from drafter.checker import check_report
from drafter.checker.testing import case_report
from drafter.report.structure import build_report
from drafter.review.chunks import MAX_CHARS, chunks
from drafter.review.prompt import chunk_text_of, messages, report_facts
from drafter.review.reply import clean_json, parse_reply, strip_reasoning

ONE = '{"findings": [{"quote": "持证上冈", "problem": "错字", "suggestion": "持证上岗", "kind": "typo"}]}'
EMPTY = '{"findings": []}'


@pytest.mark.parametrize("reply, quotes", [
    (ONE, ["持证上冈"]),
    ("<think>\n先看标题……\n</think>\n\n" + ONE, ["持证上冈"]),
    ("<think>\n\n</think>\n\n" + EMPTY, []),  # Qwen3 with thinking off
    ("只有结尾的思考。\n</think>\n" + ONE, ["持证上冈"]),  # the template opened <think>
    # the reasoning itself holds a findings object: it must not be taken for the answer
    ('<think>草稿：{"findings": [{"quote": "草稿里的引文"}]}</think>\n' + ONE, ["持证上冈"]),
    ("```json\n" + ONE + "\n```", ["持证上冈"]),
    ("以下是审核结果：\n```json\n" + ONE + "\n```\n以上意见供参考。", ["持证上冈"]),
    ("审核结果如下：\n" + ONE, ["持证上冈"]),
    (ONE + "\n\n以上是我的审核意见，仅供参考。", ["持证上冈"]),
    ('{"findings": [\n  // 错别字\n  {"quote": "持证上冈", "suggestion": "持证上岗", "kind": "typo"},\n]}',
     ["持证上冈"]),  # a comment and a trailing comma
    ('[{"quote": "持证上冈", "kind": "typo"}]', ["持证上冈"]),  # the list alone
    ('{"quote": "持证上冈", "kind": "typo"}', ["持证上冈"]),  # one finding alone
])
def test_replies_in_every_wrapper_are_read(reply, quotes):
    parsed = parse_reply(reply)
    assert parsed.error is None and [p.quote for p in parsed.proposals] == quotes


def test_strings_are_never_touched_by_the_clean_up():
    text = '{"findings": [{"quote": "网址 http://a.b//c，逗号,]", "kind": "style",}]}'
    parsed = parse_reply(text)
    assert [p.quote for p in parsed.proposals] == ["网址 http://a.b//c，逗号,]"]
    assert clean_json('{"a": "x, }", /* c */ "b": [1,2,],}') == '{"a": "x, }",  "b": [1,2]}'


@pytest.mark.parametrize("reply, error", [
    ("", "回复为空"),
    ("<think>还在想……", "回复为空"),  # cut off while reasoning
    ("抱歉，我无法完成这个任务。", "没有可解析"),
    ('```json\n{"findings": [{"quote": "x", \n```', "没有可解析"),  # truncated JSON
])
def test_unreadable_replies_say_why(reply, error):
    parsed = parse_reply(reply)
    assert parsed.proposals == [] and error in parsed.error


def test_kinds_are_normalised_and_bad_entries_counted():
    parsed = parse_reply('{"findings": [{"quote": "a", "kind": "错别字"}, {"quote": "b", "kind": "Logic"},'
                         ' {"quote": "c", "kind": "opinion"}, {"problem": "没有引文"}, "字符串"]}')
    assert [(p.quote, p.kind) for p in parsed.proposals] == [("a", "typo"), ("b", "logic"), ("c", "")]
    assert parsed.malformed == 2


def test_strip_reasoning():
    assert strip_reasoning("<think>a</think>b<think>c</think>d") == "bd"
    assert strip_reasoning("a</think>b") == "b"
    assert strip_reasoning("b<think>unfinished") == "b"


# -- parts of a report ---------------------------------------------------------------------
def test_a_report_is_cut_into_opening_each_section_and_ending():
    report = case_report({"fragment": "（二）加强执法。全年培训4期。"})
    parts = chunks(report)
    assert [c.id for c in parts] == ["opening", "s1", "s2", "s3", "s4", "ending"]
    assert [c.key for c in parts] == [None, "leadership", "measures", "shortcomings", "plans", None]
    for c in parts:  # every part is its span of the report's text, trimmed
        assert c.text == report.text[c.start:c.end] and c.text == c.text.strip()
    assert parts[0].text.startswith(report.title.text) and parts[-1].text.endswith("2024年2月20日")
    # the whole text is covered, in order, without overlap
    assert all(a.end < b.start for a, b in zip(parts, parts[1:]))
    # the plans part carries the shortcomings (without their heading) to compare with
    plans = parts[4]
    assert "学法用法的常态化机制" in plans.context and "三、" not in plans.context
    assert all(not c.context for c in parts if c is not plans)


def test_a_long_section_is_sent_in_pieces_and_a_report_without_headings_as_one_body():
    body = [f"（{i}）第{i}项工作。" + "依法推进各项工作，" * 40 for i in range(1, 21)]
    lines = ["示例局关于2023年度法治政府建设情况的报告", "市人民政府：", "现将有关情况报告如下：",
             "一、主要举措和成效", *body, "示例局", "2024年2月20日"]
    parts = chunks(build_report(lines, path="long", fmt="txt"))
    pieces = [c for c in parts if c.id.startswith("s1")]
    assert len(pieces) > 1 and all(len(c.text) <= MAX_CHARS for c in pieces)
    assert [c.id for c in pieces][:2] == ["s1.1", "s1.2"] and "共" in pieces[0].label
    flat = build_report(["示例局关于2023年度法治政府建设情况的报告", "市人民政府：",
                         "2023年，我局依法行政。全年培训4期。", "示例局", "2024年2月20日"],
                        path="flat", fmt="txt")
    assert [c.id for c in chunks(flat)] == ["opening", "body"]


def test_the_request_names_the_report_and_the_rule_findings_already_made():
    report = case_report({"fragment": "（二）化解矛盾纠纷。建全矛盾纠纷排查机制,全年调解纠纷58件。"})
    found = check_report(report)
    part = next(c for c in chunks(report) if "建全" in c.text)
    (role_s, system), (role_u, user) = messages(report_facts(report), part, found)
    assert (role_s, role_u) == ("system", "user")
    assert '{"findings": [' in system and "{{" not in system  # the reply format, braces filled
    assert "示例市科学技术和工业信息化局关于2023年度法治政府建设情况的报告" in user and "2023" in user
    assert "“建全”" in user and "“,”" in user  # TYP002 and FMT001 are listed
    assert chunk_text_of(user) == part.text
