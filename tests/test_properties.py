"""Property tests (hypothesis): the readers, the number extractor, the facts parser, the
checker and the .docx round trip on arbitrary input — arbitrary Unicode, mixed scripts,
control characters, huge numbers, empty lines. No exception escapes except the documented
InputError / FactsError, and what comes back is consistent (offsets, lines, round trips).

Example counts are moderate so the suite stays fast; hypothesis keeps failing examples in
its database and replays them first.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from drafter.errors import FactsError, InputError
from drafter.text.numbers import cn_to_number, extract_quantities
from drafter.report.readers import decode_text, read_report, split_lines
from drafter.report.structure import build_report

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- strategies ------------------------------------------------------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
CN_NUMERAL = st.text(alphabet="零〇一二两三四五六七八九十百千万亿点", min_size=1, max_size=12)
UNIT = st.sampled_from(["件", "人次", "%", "％", "万元", "个", "家", "期", "场", "名", "余件", "多人",
                        "亿元", "次", "份", "项", "个百分点", "倍"])
PUNCT = st.sampled_from(list("，。；：、（）《》“”！？—…·〔〕【】 \t\u3000,.;:()[]-+/%"))
HUGE = st.one_of(st.integers(min_value=0, max_value=10**400).map(str),
                 st.floats(allow_nan=False, allow_infinity=False).map(lambda f: f"{abs(f):f}"),
                 st.decimals(allow_nan=False, allow_infinity=False).map(str))
WORD = st.sampled_from(["共", "其中", "全年", "办理", "较上年", "增长", "下降", "约", "余", "近",
                        "百分之", "第", "年", "月", "日", "一是", "二是", "（一）", "一、", "累计",
                        "2023年", "《中华人民共和国行政处罚法》", "XX", "××", "【待补充】"])
# Arbitrary code points, surrogates excepted (they cannot be encoded): other scripts, emoji,
# combining marks, controls, private use.
ANY = st.characters(blacklist_categories=("Cs",))
TOKEN = st.one_of(st.text(CJK, min_size=1, max_size=6), CN_NUMERAL, UNIT, PUNCT, HUGE, WORD,
                  st.text(ANY, max_size=4), st.text("абвгдеαβγ日本語한국어عربيةअ", max_size=4))
LINE = st.lists(TOKEN, max_size=12).map("".join)
LINES = st.lists(st.one_of(LINE, st.just(""), st.just("   ")), max_size=25)
TEXT = LINES.map("\n".join)

XML_INVALID = {chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF]}


# -- the number extractor ---------------------------------------------------------------------

@FAST
@given(TEXT, st.integers(min_value=0, max_value=10_000))
@example("共" + "9" * 400 + "件，其中" + "9" * 399 + "件", 0)
@example("百分之" + "九" * 50 + "，增长" + "9" * 330 + "%", 3)
@example("", 0)
def test_extracted_quantities_point_at_their_own_text(text, base):
    qs = extract_quantities(text)
    for q in qs:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.raw
        assert not math.isnan(q.value) and q.value >= 0
        assert q.low <= q.high or math.isinf(q.value)
    shifted = extract_quantities(text, base)
    assert [(q.start - base, q.end - base, q.raw) for q in shifted] == \
        [(q.start, q.end, q.raw) for q in qs]


@FAST
@given(st.one_of(CN_NUMERAL, st.text(ANY, max_size=20)))
@example("亿" * 60)
@example("九" * 400)
def test_chinese_numerals_are_a_number_or_none(s):
    v = cn_to_number(s)
    assert v is None or isinstance(v, float)


# -- the text reader ---------------------------------------------------------------------------

@FAST
@given(st.binary(max_size=3000))
@example(b"\xef\xbb\xbf\xff\xfe")
@example(b"\xff\xfe\x00\xd8")  # UTF-16 BOM, then a lone surrogate
@example(b"\xfe\xff")
def test_any_bytes_decode_to_text_or_an_input_error_naming_the_file(data):
    try:
        text = decode_text(data, "报告.txt")
    except InputError as e:
        assert e.message.startswith("报告.txt：") and e.hint
    else:
        assert isinstance(text, str)


@FAST
@given(st.text(ANY, max_size=400))
def test_utf8_text_decodes_to_itself(s):
    data = s.encode("utf-8")
    if b"\x00" in data[:4096]:
        with pytest.raises(InputError):
            decode_text(data, "x.txt")
    elif s.startswith("\ufeff"):
        assert decode_text(data, "x.txt") == s[1:]
    else:
        assert decode_text(data, "x.txt") == s


# What a GB-encoded report holds: Chinese prose, figures, Latin letters, Chinese punctuation.
# (Charset detection on a few characters is guesswork — "一一一一" is valid Big5 and UTF-8 as
# well — so the sentences are real words, as in a report, not random runs of characters.)
PHRASES = ("我局 坚持 依法行政 全面 推进 法治政府 建设 行政执法 人员 持证上岗 开展 专项 检查 "
           "群众 满意度 明显 提升 规范性文件 合法性 审核 备案 清理 废止 修改 继续有效 法律顾问 "
           "律师事务所 参与 重大 行政 决策 公众 专家 论证 风险 评估 集体 讨论 决定 政务公开 "
           "信息 主动 公开 申请 答复 复议 诉讼 应诉 出庭 负责人 第一责任人 履职 述法 学法 "
           "培训 考试 普法 宣传 进企业 进社区 下一步 存在 不足 原因 主要是 深入 贯彻 习近平法治思想").split()
GB_REPORT = st.lists(st.one_of(st.sampled_from(PHRASES), UNIT,
                               st.sampled_from(list("，。；：、（）《》“”")),
                               st.integers(0, 10**6).map(str), st.sampled_from(["GB/T 9704", "A4", "12345热线"])),
                     min_size=12, max_size=80).map("".join)


@FAST
@given(GB_REPORT)
@example("一一一一一0.000000")  # these GB bytes are valid UTF-8 too ("һһһһһ")
@example("个A40GB/T 9704一一一一一一一一")  # once misread as Shift-JIS ("ｸ璡40…")
def test_gb18030_report_text_decodes_to_itself_or_is_refused(s):
    data = s.encode("gb18030")
    try:
        out = decode_text(data, "x.txt")
    except InputError:
        return  # too little to tell the encoding: refused with a message, never misread
    try:
        as_utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None
    # Bytes that are valid UTF-8 are read as UTF-8 (by design: a few Chinese characters can
    # form valid UTF-8 by chance; a whole report cannot).
    assert out == (as_utf8 if as_utf8 is not None else s)


def test_split_lines_examples():
    assert split_lines("a\r\nb\rc\n") == ["a", "b", "c"]
    assert split_lines("") == [] and split_lines("\n\n") == ["", ""]


@FAST
@given(st.lists(st.sampled_from(["a", "中", " ", "\n", "\r", "\r\n"]), max_size=40).map("".join))
def test_split_lines_keeps_every_physical_line(raw):
    lines = split_lines(raw)
    normal = raw.replace("\r\n", "\n").replace("\r", "\n")
    assert all("\n" not in ln and "\r" not in ln for ln in lines)
    assert "\n".join(lines) + ("\n" if normal.endswith("\n") else "") == normal


@SLOW
@given(TEXT, st.sampled_from([".txt", ".md"]), st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_text_reports_read_into_a_consistent_model(text, suffix, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"报告{suffix}"
        path.write_bytes(data)
        try:
            report = read_report(path, f"报告{suffix}")
        except InputError as e:
            assert e.message.startswith(f"报告{suffix}：") and e.hint
            return
    assert report.text == "\n".join(p.text for p in report.paragraphs)
    assert [p.line for p in report.paragraphs] == list(range(1, len(report.paragraphs) + 1))
    for p in report.paragraphs:
        assert report.text[p.offset:p.offset + len(p.text)] == p.text
    if suffix == ".txt":
        assert len(report.paragraphs) == len(split_lines(text.replace("\ufeff", "", 1)
                                                         if text.startswith("\ufeff") else text))


# -- the checker on whatever the readers let through -------------------------------------------

@SLOW
@given(LINES.filter(lambda ls: any(ln.strip() for ln in ls)))  # the readers refuse empty files
@example(["关于2023年度法治政府建设情况的报告", "", "一、" + "9" * 400 + "件", "共" + "9" * 30 + "件，其中"
          + "9" * 29 + "件、" + "9" * 29 + "件"])
@example(["\u3000"])
def test_every_rule_runs_on_any_report_and_locates_its_findings(lines):
    from drafter.checker import check_report

    report = build_report(lines, path="x.txt", fmt="txt")
    for f in check_report(report):
        assert 1 <= f.line <= max(1, len(lines)) and f.column >= 1
        assert f.severity in ("error", "warning", "info") and f.message


# -- facts ---------------------------------------------------------------------------------------

@FAST
@given(st.one_of(TEXT, st.text(ANY, max_size=300)))
@example("unit: {name: " + "9" * 400 + "}\nyear: " + "9" * 400)
@example("a: &x [*x]")
@example("- " * 200)
def test_any_text_is_facts_or_a_facts_error(text):
    from drafter.facts import parse_facts

    try:
        parse_facts(text, "facts.yaml")
    except FactsError as e:
        assert e.message.startswith("facts.yaml") and e.hint


# -- .docx: write what the text reader produced, read it back ----------------------------------

@SLOW
@given(LINES)
@example(["标题\x0b含垂直制表符", "正文\x0c换页\x01控制字符"])
def test_any_report_writes_a_docx_that_reads_back_the_same(lines):
    from drafter.report.readers import read_docx_report
    from drafter.docx.writer import docx_bytes

    report = build_report(lines, path="x.txt", fmt="txt")
    data = docx_bytes(report)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.docx"
        path.write_bytes(data)
        try:
            back = read_docx_report(path, "x.docx")
        except InputError as e:
            assert "没有正文文字" in e.message
            assert not any("".join(c for c in ln if c not in XML_INVALID).strip() for ln in lines)
            return
    def norm(s: str) -> str:
        return "".join("".join(c for c in s if c not in XML_INVALID).split())

    written = [norm(ln) for ln in lines if norm(ln)]
    assert [norm(p.text) for p in back.paragraphs if norm(p.text)] == written
