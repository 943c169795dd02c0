"""Report forms and real heading wording: the structure model finds each element wherever the
form puts it (cover letter, unit and date under the title, no 主送机关, headings without
numbers), and the rules use it (REPORT-RULES.md §2)."""

from __future__ import annotations

import pytest

from drafter.checker import CheckOptions, check_report
from drafter.report.info import report_date, unit_info
from drafter.report.readers import read_report
from drafter.report.structure import build_report

BODY = [
    "2023年，我局坚持依法行政，各项工作取得新进展。现将有关情况报告如下：",
    "一、压实第一责任人责任，推动法治建设",
    "局长主持研究法治工作4次。",
    "二、主要举措和成效",
    "修订制度5项。",
    "三、存在的不足和原因",
    "执法力量不足，主要是编制有限。",
    "四、2024年工作计划",
    "继续完善制度。",
]
COVER = ["示例县司法局关于报送2023年度法治政府建设情况报告的函", "示司函〔2024〕3号", "县人民政府：",
         "现将我局2023年度法治政府建设情况报告报送你单位，请审阅。", "示例县司法局", "2024年3月9日",
         "示例县司法局2023年度法治政府建设情况报告"]
# GB/T 9704 places: the 发文字号 above the letter's title, an 附注 under its date, 附件 lines.
COVER_GB = ["示司报〔2024〕5号", "示例县司法局关于报送2023年度法治政府建设情况报告的报告", "县人民政府：",
            "现将《示例县司法局2023年度法治政府建设情况报告》随文报送，请审阅。",
            "附件：示例县司法局2023年度法治政府建设情况报告", "示例县司法局", "2024年3月9日",
            "（此件公开发布）", "附件", "示例县司法局2023年度法治政府建设情况报告"]
UNDER = ["示例县司法局2023年度法治政府建设情况报告", "示例县司法局", "（2024年3月9日）"]
SUBMITTED = ["示例县司法局关于2023年度法治政府建设情况的报告", "县人民政府："]
END = ["示例县司法局", "2024年3月9日"]


def _report(lines: list[str], fmt: str = "txt"):
    return build_report(lines, path="<t>", fmt=fmt)


FORMS = [
    # lines, form, title, date, recipient, doc number, where the date was found
    (COVER + BODY, "published", COVER[-1], "2024年3月9日", "县人民政府", "示司函〔2024〕3号", "cover"),
    (COVER_GB + BODY, "published", COVER_GB[-1], "2024年3月9日", "县人民政府", "示司报〔2024〕5号",
     "cover"),
    (UNDER + BODY, "published", UNDER[0], "（2024年3月9日）", None, None, "under-title"),
    ([UNDER[0]] + BODY + END, "published", UNDER[0], "2024年3月9日", None, None, "end"),
    (SUBMITTED + BODY + END, "submitted", SUBMITTED[0], "2024年3月9日", "县人民政府", None, "end"),
]


@pytest.mark.parametrize("lines,form,title,date,recipient,doc,place", FORMS,
                         ids=["cover-letter", "cover-letter-gb9704", "under-title", "no-recipient",
                              "submitted"])
def test_each_element_is_found_where_the_form_puts_it(lines, form, title, date, recipient, doc, place):
    r = _report(lines)
    assert r.form == form
    assert r.title.text == title
    assert r.date.text.strip() == date and r.element_places["date"] == place
    assert (r.recipient_paragraph.text.rstrip("：") if r.recipient_paragraph else None) == recipient
    assert (r.doc_number.text if r.doc_number else None) == doc
    assert [s.key for s in r.sections] == ["leadership", "measures", "shortcomings", "plans"]
    assert r.presence["leadership"].how == "section"
    assert report_date(r).as_tuple() == (2024, 3, 9)


def _rules(lines, form="auto"):
    findings = check_report(_report(lines), CheckOptions(form=form))
    return {(f.rule, f.severity) for f in findings}


def test_published_forms_get_no_structure_error_and_an_info_saying_why():
    for lines in (COVER + BODY, COVER_GB + BODY, UNDER + BODY, [UNDER[0]] + BODY + END):
        got = _rules(lines)
        assert not {r for r, sev in got if r.startswith("STR") and sev == "error"}, got
        assert ("STR014", "info") in got
    assert ("STR014", "info") not in _rules(SUBMITTED + BODY + END)


def test_form_submitted_asks_for_the_recipient_and_published_does_not():
    lines = [UNDER[0]] + BODY + END
    assert ("STR009", "error") in _rules(lines, "submitted")
    assert not {r for r, _ in _rules(lines, "published") if r in ("STR009", "STR014")}


def test_a_late_date_under_the_title_or_on_the_cover_letter_is_checked_against_the_deadline():
    # a department, dated 3月9日: after the 3月1日 deadline (DAT006), whichever place holds it
    for lines in (COVER + BODY, UNDER + BODY):
        assert ("DAT006", "warning") in _rules(lines)


def test_the_unit_of_a_published_title_without_guanyu_is_read():
    info = unit_info(_report(UNDER + BODY))
    assert info is not None and info.name == "示例县司法局" and info.type == "department"


WECHAT_MD = """# 示例县人民政府2023年度法治政府建设情况报告

2023年，县政府坚持依法行政。现将有关情况报告如下：

**县长履行推进法治建设第一责任人职责情况**

县长主持研究法治工作4次。

**2023年度主要举措和成效**

**持续优化政府职能**

修订制度5项。

**存在的不足和原因**

执法力量不足，主要是编制有限。

**2024年工作安排**

继续完善制度。

示例县人民政府

2024年3月9日
"""


def test_bold_lines_of_a_reprint_are_headings_with_levels(tmp_path):
    p = tmp_path / "wechat.md"
    p.write_text(WECHAT_MD, encoding="utf-8")
    r = read_report(p)
    top = [(s.title, s.key, s.level) for s in r.sections]
    assert top == [("县长履行推进法治建设第一责任人职责情况", "leadership", 1),
                   ("2023年度主要举措和成效", "measures", 1),
                   ("存在的不足和原因", "shortcomings", 1), ("2024年工作安排", "plans", 1)]
    assert [c.title for c in r.sections[1].children] == ["持续优化政府职能"]
    assert r.signature.text == "示例县人民政府" and r.date.text == "2024年3月9日"
    # the finding's column points into the file, past the "**"
    heading = r.sections[0].heading.paragraph
    assert r.locate(heading.offset) == (5, 3)


def test_short_lines_of_a_numbered_report_are_not_taken_for_headings():
    lines = SUBMITTED + BODY[:3] + ["严格落实决策程序"] + BODY[3:] + END
    r = _report(lines)
    assert [s.heading.style for s in r.walk()] == ["cn"] * 4


@pytest.mark.parametrize("numbers,flagged", [
    (["1.", "2.", "3.", "4."], []),      # continuous: (一) 1.–2., (二) 3.–4.
    (["1.", "2.", "1.", "2."], []),      # restarting under each parent
    (["1.", "2.", "3.", "5."], ["5."]),  # a gap in a continuous scheme
    (["1.", "2.", "1.", "3."], ["3."]),  # a gap in a restarting scheme
])
def test_numbering_is_checked_within_its_scheme(numbers, flagged):
    lines = SUBMITTED + BODY[:4] + ["（一）依法履职", f"{numbers[0]}修订制度5项。", f"{numbers[1]}清理文件3件。",
                                    "（二）规范执法", f"{numbers[2]}评查案卷40卷。", f"{numbers[3]}开展培训2期。"] \
        + BODY[5:] + END
    got = [f.quote for f in check_report(_report(lines), CheckOptions()) if f.rule == "STR005"]
    assert got == flagged


@pytest.mark.parametrize("paragraphs,flagged", [
    (["一是修订规则。二是健全机制。", "三是强化考核。"], []),
    (["一是修订规则。二是健全机制。", "二是强化考核。"], ["二是"]),
    (["一是修订规则。二是健全机制。", "四是强化考核。"], ["四是"]),
    (["一是制度不细。二是执行不力。原因：一是调研不足。二是考核不严。"], []),
])
def test_enumerations_continue_across_paragraphs_under_one_heading(paragraphs, flagged):
    lines = SUBMITTED + BODY[:4] + ["（一）完善制度"] + paragraphs + BODY[5:] + END
    got = [f.quote for f in check_report(_report(lines), CheckOptions()) if f.rule == "STR007"]
    assert got == flagged


@pytest.mark.parametrize("heading,how", [
    ("一、压实第一责任人责任，以上率下推进依法行政", "section"),
    ("一、局党组书记、局长带头履行推进法治建设第一责任人职责，推动卫生健康领域依法行政提档升级", "section"),
    ("一、法治第一责任人履职到位", "section"),
    ("一、区政府主要领导认真落实第一责任人职责，高位推动法治政府建设", "section"),
])
def test_leadership_headings_in_real_wording(heading, how):
    lines = SUBMITTED + ["现将有关情况报告如下：", heading, "局长主持研究法治工作4次。"] + BODY[3:] + END
    r = _report(lines)
    assert r.presence["leadership"].how == how
    assert "STR002" not in {f.rule for f in check_report(r, CheckOptions())}


def test_a_leadership_item_among_the_plans_is_not_the_years_report():
    lines = SUBMITTED + ["现将有关情况报告如下：", "一、主要举措和成效", "修订制度5项。",
                         "二、存在的不足和原因", "执法力量不足，主要是编制有限。", "三、2024年工作计划",
                         "（一）压实第一责任人责任", "继续完善制度。"] + END
    assert _report(lines).presence["leadership"].how == "absent"


# What GB/T 9704 puts after the 成文日期 — attachments, the 版记 — and a web page's footer are
# not the report: its 署名 and date stay found, an attachment's list is not its numbering.
AFTER_DATE = {
    "attachments": ["附件：1．2023年度规范性文件清理目录", "附件1", "规范性文件清理目录", "1．示例县行政执法公示办法",
                    "2．示例县合同管理办法", "附件2", "行政执法人员名单", "1．张明", "2．李强"],
    "banji": ["抄送：县委全面依法治县委员会办公室，市司法局。", "示例县司法局办公室　　　　2024年3月9日印发"],
    "web-footer": ["【打印本页】　【关闭窗口】"],
    "attachment-with-its-own-headings": ["附件", "执法事项清单说明", "一、适用范围", "本清单适用于全局。",
                                         "二、调整程序", "按程序调整。"],
}


@pytest.mark.parametrize("tail", AFTER_DATE.values(), ids=AFTER_DATE.keys())
def test_what_follows_the_date_is_not_the_report(tail):
    r = _report(SUBMITTED + BODY + END + tail)
    assert r.date.text == "2024年3月9日" and r.signature.text == "示例县司法局"
    assert [s.key for s in r.sections] == ["leadership", "measures", "shortcomings", "plans"]
    assert {p.role for p in r.paragraphs[-len(tail):]} == {"appendix"}
    got = {(f.rule, f.severity) for f in check_report(r, CheckOptions(form="submitted"))
           if f.severity != "info"}
    assert not {rule for rule, _ in got if rule in ("STR005", "STR010", "STR011", "FMT004", "FMT006")}, got


def test_a_cover_letters_date_before_its_report_is_not_an_appendix():
    r = _report(COVER_GB + BODY + END)
    assert r.title.text == COVER_GB[-1] and not [p for p in r.paragraphs if p.role == "appendix"]


def test_a_cover_letter_whose_number_is_still_a_placeholder_is_still_a_cover_letter():
    lines = ["示司报〔2024〕XX号"] + COVER_GB[1:]
    r = _report(lines + BODY + END)
    assert r.title.text == COVER_GB[-1] and r.doc_number.text == "示司报〔2024〕XX号"
    got = {f.rule for f in check_report(r, CheckOptions()) if f.severity == "error"}
    assert "PH001" in got and "STR008" not in got


@pytest.mark.parametrize("title", [
    ["示例县城市管理综合行政执法局", "关于2023年度法治政府建设情况的报告"],
    ["示例县城市管理综合行政执法局关于2023年度", "法治政府建设情况的报告"],
    ["示例县城市管理综合行政执法局", "2023年度法治政府建设情况报告"],
])
def test_a_title_laid_out_on_two_lines_is_the_title(title):
    r = _report(title + ["县人民政府："] + BODY + END)
    assert [p.text for p in r.paragraphs if p.role == "title"] == title
    assert r.recipient_paragraph.text == "县人民政府："
    got = {f.rule for f in check_report(r, CheckOptions(form="submitted")) if f.severity != "info"}
    assert not got & {"STR008", "STR009", "FMT006"}, got


def test_a_masthead_or_a_sentence_is_not_a_titles_first_line():
    r = _report(["示例县人民政府文件", "示例县人民政府关于2023年度法治政府建设情况的报告", "市人民政府："]
                + BODY + END)
    assert [p.text for p in r.paragraphs if p.role == "title"] == ["示例县人民政府关于2023年度法治政府建设情况的报告"]


def test_a_letterhead_above_a_cover_letters_number_is_not_its_title():
    r = _report(["示例县司法局"] + COVER_GB + BODY + END)
    assert r.title.text == COVER_GB[-1] and r.doc_number.text == COVER_GB[0]
    assert r.paragraphs[0].role == "masthead"


def test_a_doc_number_then_a_title_on_two_lines():
    r = _report(["示司报〔2024〕5号", "示例县司法局", "关于2023年度法治政府建设情况的报告", "县人民政府："] + BODY + END)
    assert [p.text for p in r.paragraphs if p.role == "title"] == ["示例县司法局", "关于2023年度法治政府建设情况的报告"]
    assert r.doc_number.text == "示司报〔2024〕5号"
