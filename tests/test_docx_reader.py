"""The .docx reader: what is body text, in which order, auto numbers, and hostile files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from drafter.checker import CheckOptions, check_report
from drafter.docx.autonumber import format_number
from drafter.docx.reader import ALT_CHUNK_NOTE, REVISIONS_NOTE
from drafter.report.readers import read_docx_report
from drafter.errors import InputError
from drafter.report.readers import read_report
from tests.conftest import connected
from tests.docx_fixtures import (
    CHINESE_OUTLINE,
    abstract_num,
    autonumbered_docx,
    field,
    level,
    lines_docx,
    make_docx,
    num,
    numpr,
    p,
    r,
    rewrite_member,
    text_box,
)

ROOT = Path(__file__).resolve().parent.parent
INS = '<w:ins w:id="1" w:author="审核人" w:date="2024-03-01T00:00:00Z">{}</w:ins>'
DEL = ('<w:del w:id="2" w:author="审核人" w:date="2024-03-01T00:00:00Z"><w:r>'
       '<w:delText>{}</w:delText></w:r></w:del>')


def texts(report) -> list[str]:
    return [x.text for x in report.paragraphs]


# ---- what is body text, and in which order --------------------------------------------

BODY_CASES = [
    ("split runs inside a word",
     p(r("法治"), r("政府", "<w:b/>"), r("建设")), ["法治政府建设"]),
    ("hyperlink runs",
     p(r("详见"), '<w:hyperlink r:id="{rel:http://127.0.0.1:9/x}">' + r("门户网站") + "</w:hyperlink>",
       r("公开栏目")), ["详见门户网站公开栏目"]),
    ("PAGE field: result read, instruction not",
     p(r("第"), field("PAGE", "3"), r("页")), ["第3页"]),
    ("REF field result",
     p(r("见"), field(r"REF _Ref12345 \h", "附件1"), r("。")), ["见附件1。"]),
    ("simple field",
     p(r("共"), '<w:fldSimple w:instr=" NUMPAGES ">' + r("12") + "</w:fldSimple>", r("页")),
     ["共12页"]),
    ("nested fields: only the outer result",
     p('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF </w:instrText></w:r>',
       field("PAGE", "1"), '<w:r><w:instrText> = 1 "首页" "" </w:instrText></w:r>',
       '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', r("首页"),
       '<w:r><w:fldChar w:fldCharType="end"/></w:r>'), ["首页"]),
    ("a field spanning two paragraphs (TOC)",
     p('<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
       r'<w:r><w:instrText> TOC \o "1-3" </w:instrText></w:r>',
       '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', r("目录一"))
     + p(r("目录二"), '<w:r><w:fldChar w:fldCharType="end"/></w:r>') + p("正文"),
     ["目录一", "目录二", "正文"]),
    ("smart tag and inline content control",
     p('<w:smartTag w:uri="urn:x" w:element="place">' + r("荥阳市") + "</w:smartTag>",
       '<w:sdt><w:sdtPr><w:alias w:val="单位"/></w:sdtPr><w:sdtContent>' + r("科工信局")
       + "</w:sdtContent></w:sdt>"), ["荥阳市科工信局"]),
    ("block content control",
     '<w:sdt><w:sdtPr/><w:sdtContent>' + p("控件内段落") + "</w:sdtContent></w:sdt>",
     ["控件内段落"]),
    ("tab is \\t, line break joins",
     p(r("关于2023年度法治政府"), "<w:r><w:br/></w:r>", r("建设情况的报告"),
       "<w:r><w:tab/></w:r>", r("附")), ["关于2023年度法治政府建设情况的报告\t附"]),
    ("hidden text is not read",
     p(r("可见"), r("隐藏", "<w:vanish/>"), r("文字")), ["可见文字"]),
    ("empty paragraphs keep their numbers",
     p("甲") + "<w:p/>" + p("乙"), ["甲", "", "乙"]),
    ("a symbol from a Unicode font is read, a Symbol-font glyph is not",
     p(r("a"), '<w:r><w:sym w:font="宋体" w:char="2460"/></w:r>',
       '<w:r><w:sym w:font="Symbol" w:char="F0B7"/></w:r>'), ["a①"]),
    ("math text",
     p(r("比例"), "<m:oMath><m:r><m:t>x+1</m:t></m:r></m:oMath>"), ["比例x+1"]),
]


@pytest.mark.parametrize("body,expected", [c[1:] for c in BODY_CASES],
                         ids=[c[0] for c in BODY_CASES])
def test_body_text(tmp_path, body, expected):
    path = make_docx(tmp_path / "t.docx", body)
    report = read_docx_report(path, "t.docx")
    assert texts(report) == expected
    assert report.reader_notes == []
    assert [x.line for x in report.paragraphs] == list(range(1, len(expected) + 1))


def test_table_cells_in_row_order_and_merged_cells_once(tmp_path):
    tc = "<w:tc><w:tcPr>{}</w:tcPr>{}</w:tc>"
    body = (p("表前")
            + "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
            + "<w:tr>" + tc.format('<w:gridSpan w:val="2"/>', p("指标")) + tc.format("", p("数量"))
            + "</w:tr><w:tr>" + tc.format('<w:vMerge w:val="restart"/>', p("复议"))
            + tc.format("", p("收案")) + tc.format("", p("12") + p("件")) + "</w:tr>"
            + "<w:tr>" + tc.format("<w:vMerge/>", "<w:p/>") + tc.format("", p("结案"))
            + tc.format("", "<w:tbl><w:tr><w:tc>" + p("嵌套") + "</w:tc></w:tr></w:tbl><w:p/>")
            + "</w:tr></w:tbl>" + p("表后"))
    report = read_docx_report(make_docx(tmp_path / "t.docx", body), "t.docx")
    assert texts(report) == ["表前", "指标", "数量", "复议", "收案", "12", "件", "", "结案",
                             "嵌套", "", "表后"]
    assert [x.in_table for x in report.paragraphs] == [False] + [True] * 10 + [False]


def test_text_box_read_once_after_its_anchor(tmp_path):
    body = (p(r("正文一"), text_box(p("文本框第一段"), p("文本框第二段")), r("（续）"))
            + p("正文二"))
    report = read_docx_report(make_docx(tmp_path / "t.docx", body), "t.docx")
    assert texts(report) == ["正文一（续）", "文本框第一段", "文本框第二段", "正文二"]
    assert report.text.count("文本框第一段") == 1


TRACKED_CASES = [
    ("insertion read, deletion skipped",
     p(r("全年共"), DEL.format("办理"), INS.format(r("受理")), r("案件12件")), "全年共受理案件12件"),
    ("move: text at its new place only",
     p('<w:moveFrom w:id="3" w:author="a">' + r("旧位置") + "</w:moveFrom>", r("正文"),
       '<w:moveTo w:id="4" w:author="a">' + r("新位置") + "</w:moveTo>"), "正文新位置"),
    ("a text box in a tracked deletion is deleted with it",
     p(r("正文"), '<w:del w:id="6" w:author="a">' + text_box(p("删除的文本框")) + "</w:del>"),
     "正文"),
    ("inserted paragraph mark",
     p('<w:r><w:t>段落</w:t></w:r>', ppr='<w:rPr><w:ins w:id="5" w:author="a"/></w:rPr>'), "段落"),
]


@pytest.mark.parametrize("body,expected", [c[1:] for c in TRACKED_CASES],
                         ids=[c[0] for c in TRACKED_CASES])
def test_tracked_changes_read_as_accepted_with_a_note(tmp_path, body, expected):
    report = read_docx_report(make_docx(tmp_path / "t.docx", body), "t.docx")
    assert texts(report) == [expected]
    assert report.reader_notes == [REVISIONS_NOTE]


def test_alt_chunk_content_is_reported_as_unread(tmp_path):
    body = p("正文") + '<w:altChunk r:id="rId999"/>'
    report = read_docx_report(make_docx(tmp_path / "t.docx", body), "t.docx")
    assert texts(report) == ["正文"]
    assert report.reader_notes == [ALT_CHUNK_NOTE]


def test_headers_footers_comments_are_not_body_text(tmp_path):
    def setup(d):
        sec = d.sections[0]
        sec.header.paragraphs[0].text = "页眉文字"
        sec.footer.paragraphs[0].text = "页脚文字"
        d.add_comment(d.paragraphs[0].runs, text="批注文字", author="审核人")

    path = make_docx(tmp_path / "t.docx", p("正文文字"), setup=setup)
    with zipfile.ZipFile(path) as zf:  # the parts really are there
        names = zf.namelist()
        assert "word/comments.xml" in names
        assert any(n.startswith("word/header") for n in names)
    report = read_docx_report(path, "t.docx")
    assert texts(report) == ["正文文字"]


# ---- automatic numbering ----------------------------------------------------------------

FORMAT_CASES = [
    (1, "decimal", "1"), (12, "decimal", "12"), (3, "decimalZero", "03"),
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCounting", "二十"), (35, "chineseCounting", "三十五"),
    (10, "chineseCountingThousand", "十"), (101, "chineseCountingThousand", "一百〇一"),
    (110, "chineseCountingThousand", "一百一十"), (1234, "chineseCountingThousand", "一千二百三十四"),
    (10, "japaneseCounting", "十"), (3, "ideographTraditional", "丙"),
    (10, "ideographDigital", "一〇"), (2, "ideographZodiac", "丑"),
    (11, "chineseLegalSimplified", "壹拾壹"), (3, "decimalEnclosedCircle", "③"),
    (21, "decimalEnclosedCircle", "㉑"), (12, "decimalFullWidth", "１２"),
    (4, "upperLetter", "D"), (27, "lowerLetter", "aa"), (14, "upperRoman", "XIV"),
    (9, "lowerRoman", "ix"), (2, "decimalEnclosedParen", "⑵"), (1, "decimalEnclosedFullstop", "⒈"),
    (5, "bullet", ""), (5, "none", ""), (2, "ordinal", "2nd"),
]


@pytest.mark.parametrize("n,fmt,expected", FORMAT_CASES)
def test_format_number(n, fmt, expected):
    assert format_number(n, fmt) == expected


def _numbered(tmp_path, paras, numbering=CHINESE_OUTLINE, styles=""):
    """paras: (text, numId, ilvl) or text; returns the texts read back."""
    body = "".join(p(t) if isinstance(t, str) else p(t[0], ppr=numpr(t[1], t[2])) for t in paras)
    report = read_docx_report(make_docx(tmp_path / "n.docx", body, numbering, styles), "n.docx")
    return report


def test_outline_numbering_levels_and_restart(tmp_path):
    report = _numbered(tmp_path, [
        ("主要举措", 90, 0), ("第一项", 90, 1), ("细目", 90, 2), ("细目", 90, 2), ("小项", 90, 3),
        ("第二项", 90, 1), ("细目", 90, 2), "正文段落", ("存在不足", 90, 0), ("第一项", 90, 1)])
    assert texts(report) == [
        "一、主要举措", "（一）第一项", "1.细目", "2.细目", "（1）小项", "（二）第二项",
        "1.细目", "正文段落", "二、存在不足", "（一）第一项"]
    assert [x.auto_number for x in report.paragraphs][:3] == ["一、", "（一）", "1."]
    assert report.paragraphs[7].auto_number is None
    assert [(s.level, s.heading.ordinal) for s in report.walk()][:2] == [(1, 1), (2, 1)]


NUMBERING_CASES = [
    ("multi-level %1.%2", abstract_num(1, level(0, "decimal", "%1."), level(1, "decimal", "%1.%2")),
     [(0, "a"), (1, "b"), (1, "c"), (0, "d"), (1, "e")],
     ["1.a", "1.1\tb", "1.2\tc", "2.d", "2.1\te"]),
    ("decimal with a space suffix",
     abstract_num(1, level(0, "decimal", "%1", extra='<w:suff w:val="space"/>')),
     [(0, "a"), (0, "b")], ["1 a", "2 b"]),
    ("bullets give no number", abstract_num(1, level(0, "bullet", "\uf0b7")),
     [(0, "要点"), (0, "要点")], ["要点", "要点"]),
    ("start value", abstract_num(1, level(0, "chineseCounting", "%1、", start=3)),
     [(0, "a"), (0, "b")], ["三、a", "四、b"]),
    ("a level that never restarts (lvlRestart 0)",
     abstract_num(1, level(0, "chineseCounting", "%1、"),
                  level(1, "decimal", "（%2）", extra='<w:lvlRestart w:val="0"/>')),
     [(0, "a"), (1, "b"), (0, "c"), (1, "d")], ["一、a", "（1）b", "二、c", "（2）d"]),
    ("legal numbering shows all levels in decimal",
     abstract_num(1, level(0, "chineseCounting", "%1、"),
                  level(1, "decimal", "%1.%2", extra="<w:isLgl/>")),
     [(0, "a"), (1, "b")], ["一、a", "1.1\tb"]),
    ("enclosed circled numbers", abstract_num(1, level(0, "decimalEnclosedCircle", "%1")),
     [(0, "a"), (0, "b")], ["①\ta", "②\tb"]),
]


@pytest.mark.parametrize("abstract,paras,expected", [c[1:] for c in NUMBERING_CASES],
                         ids=[c[0] for c in NUMBERING_CASES])
def test_numbering_definitions(tmp_path, abstract, paras, expected):
    report = _numbered(tmp_path, [(t, 1, ilvl) for ilvl, t in paras],
                       numbering=abstract + num(1, 1))
    assert texts(report) == expected


def test_restart_by_a_new_num_with_start_override_and_continue_by_a_shared_abstract(tmp_path):
    # Word's usual way for "（一）" lists kept apart from "一、": a single-level list, and
    # "restart numbering" makes a new w:num with a startOverride.
    numbering = (abstract_num(5, level(0, "chineseCounting", "（%1）"))
                 + num(11, 5) + num(12, 5, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>'
                                    "</w:lvlOverride>") + num(13, 5))
    report = _numbered(tmp_path, [("a", 11, 0), ("b", 11, 0), ("c", 12, 0), ("d", 12, 0),
                                  ("e", 13, 0)], numbering=numbering)
    # num 13 has no override: it continues the list instance of num 11 (same abstractNum).
    assert texts(report) == ["（一）a", "（二）b", "（一）c", "（二）d", "（三）e"]


def test_numbering_from_the_paragraph_style_and_removed_by_num_id_zero(tmp_path):
    styles = ('<w:style w:type="paragraph" w:styleId="Heading1CN"><w:name w:val="一级标题"/>'
              '<w:pPr><w:numPr><w:numId w:val="90"/></w:numPr></w:pPr></w:style>'
              '<w:style w:type="paragraph" w:styleId="Heading1CNSub"><w:name w:val="一级标题子"/>'
              '<w:basedOn w:val="Heading1CN"/></w:style>')
    body = (p("主要举措", ppr='<w:pStyle w:val="Heading1CN"/>')
            + p("存在不足", ppr='<w:pStyle w:val="Heading1CNSub"/>')
            + p("不编号", ppr='<w:pStyle w:val="Heading1CN"/><w:numPr><w:numId w:val="0"/></w:numPr>')
            + p("下一年度安排", ppr='<w:pStyle w:val="Heading1CN"/>'))
    report = read_docx_report(make_docx(tmp_path / "s.docx", body, CHINESE_OUTLINE, styles), "s")
    assert texts(report) == ["一、主要举措", "二、存在不足", "不编号", "三、下一年度安排"]


# ---- the seed three ways: same structure, same STR findings ------------------------------

def _structure(report):
    return ([(s.level, s.heading.ordinal, s.title, s.key) for s in report.walk()],
            {k: v.how for k, v in report.presence.items()})


def _str_findings(report):
    return sorted((f.rule, f.line) for f in check_report(report, CheckOptions())
                  if f.rule.startswith("STR"))


def test_seed_as_docx_autonumbered_docx_and_gbk_txt_reads_the_same(tmp_path, seed_path):
    text = seed_path.read_text(encoding="utf-8")
    lines = text.splitlines()
    reference = read_report(seed_path)
    literal = read_report(lines_docx(tmp_path / "literal.docx", lines))
    auto = read_report(autonumbered_docx(tmp_path / "auto.docx", lines))
    gbk = tmp_path / "seed-gbk.txt"
    gbk.write_bytes(text.encode("gbk"))
    gbk_report = read_report(gbk)

    assert literal.text == reference.text == gbk_report.text
    assert len(auto.paragraphs) == len(reference.paragraphs)
    assert sum(x.auto_number is not None for x in auto.paragraphs) == 13
    for other in (literal, auto, gbk_report):
        assert _structure(other) == _structure(reference)
        assert _str_findings(other) == _str_findings(reference)
    ref_findings = [(f.rule, f.line, f.quote) for f in check_report(reference, CheckOptions())
                    if f.rule.startswith("STR")]
    assert ref_findings  # the seed has structure defects: the comparison compares something
    for other in (literal, gbk_report):
        assert [(f.rule, f.line, f.quote) for f in check_report(other, CheckOptions())
                if f.rule.startswith("STR")] == ref_findings


REPORTS = sorted((ROOT / "evaluations" / "cases" / "reports").glob("*.txt"))


@pytest.mark.skipif(not REPORTS, reason="no evaluation reports present")
@pytest.mark.parametrize("path", REPORTS, ids=[x.stem for x in REPORTS])
def test_evaluation_reports_check_the_same_as_docx(tmp_path, path):
    """Each sample report saved as .docx (numbers typed, and for the clean ones 01..10 also
    numbers from Word automatic numbering) is read and checked exactly like the .txt."""
    from drafter.checker import select_rules

    # The layout rules (FMT1xx) judge the Word file's own formatting, which a .txt lacks.
    text_rules = select_rules(ignore=["FMT1"])
    txt = read_report(path)
    lines = [x.text for x in txt.paragraphs]
    findings = [(f.rule, f.line, f.column, f.quote) for f in check_report(txt, CheckOptions())]
    literal = read_report(lines_docx(tmp_path / "literal.docx", lines))
    assert literal.text == txt.text
    assert [(f.rule, f.line, f.column, f.quote)
            for f in check_report(literal, CheckOptions(), text_rules)] == findings
    if path.name[:2] <= "10":
        auto = read_report(autonumbered_docx(tmp_path / "auto.docx", lines))
        assert any(x.auto_number for x in auto.paragraphs)
        assert _structure(auto) == _structure(txt)
        assert sorted((f.rule, f.line) for f in check_report(auto, CheckOptions(), text_rules)
                      ) == sorted((f[0], f[1]) for f in findings)


# ---- hostile and broken files ------------------------------------------------------------

def _good_docx(tmp_path):
    return make_docx(tmp_path / "good.docx", p("正文"))


def _truncated(tmp_path):
    data = _good_docx(tmp_path).read_bytes()
    out = tmp_path / "报告.docx"
    out.write_bytes(data[: len(data) // 2])
    return out


def _not_a_zip(tmp_path):
    out = tmp_path / "报告.docx"
    out.write_text("这不是 Word 文件", encoding="utf-8")
    return out


def _zip_without_document(tmp_path):
    out = tmp_path / "报告.docx"
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("readme.txt", "hello")
    return out


def _zip_bomb(tmp_path):
    """A few dozen KB on disk that inflates to 60 MB of XML."""
    out = tmp_path / "报告.docx"
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            for _ in range(60):
                fh.write(chunk)
    assert out.stat().st_size < 1024 * 1024
    return out


def _high_ratio(tmp_path):
    """Within the size limits, but compressed 1000 to 1."""
    out = tmp_path / "报告.docx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<" + b"a" * (20 * 1024 * 1024) + b"/>")
    return out


def _empty_body(tmp_path):
    return make_docx(tmp_path / "报告.docx", "<w:p/>" + p(" ") + p(r("隐藏", "<w:vanish/>")),
                     setup=lambda d: setattr(d.sections[0].header.paragraphs[0], "text", "页眉"))


def _ole(tmp_path):
    out = tmp_path / "报告.docx"
    out.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    return out


def _xlsx_renamed(tmp_path):
    import openpyxl

    out = tmp_path / "报告.docx"
    wb = openpyxl.Workbook()
    wb.save(out)
    return out


def _malformed_xml(tmp_path):
    return rewrite_member(_good_docx(tmp_path).rename(tmp_path / "报告.docx"), "word/document.xml",
                          lambda data: data[: len(data) // 2])


def _strict(tmp_path):
    """Word's "Strict Open XML Document": other namespaces and relationship types."""
    return rewrite_member(_good_docx(tmp_path).rename(tmp_path / "报告.docx"), "_rels/.rels",
                          lambda data: data.replace(
                              b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
                              b"http://purl.oclc.org/ooxml/officeDocument/relationships/"))


BAD_FILES = [
    ("truncated", _truncated, "不是有效的 .docx 文件"),
    ("not a zip", _not_a_zip, "不是有效的 .docx 文件"),
    ("zip without word/document.xml", _zip_without_document, "没有 word/document.xml"),
    ("zip bomb: huge declared size", _zip_bomb, "上限 50 MB"),
    ("compression ratio", _high_ratio, "压缩比异常"),
    ("empty body", _empty_body, "文档中没有正文文字"),
    ("encrypted or old .doc", _ole, "加密的 Word 文档或旧版 .doc"),
    ("another Office file renamed", _xlsx_renamed, "不是 Word 文档"),
    ("malformed document.xml", _malformed_xml, "不是有效的 .docx 文件"),
    ("strict Open XML", _strict, "Strict Open XML"),
]


@pytest.mark.parametrize("make,expected", [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_bad_docx_is_an_input_error_naming_the_file(tmp_path, make, expected):
    path = make(tmp_path)
    with pytest.raises(InputError) as exc:
        read_report(path, "报告.docx")
    assert exc.value.message.startswith("报告.docx：")
    assert expected in exc.value.message
    assert exc.value.hint


def test_damaged_member_is_an_input_error(tmp_path):
    path = _good_docx(tmp_path)
    data = bytearray(path.read_bytes())
    # Corrupt the compressed bytes of word/document.xml (its CRC check then fails).
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 5, start + 25):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="good.docx：不是有效的 .docx 文件"):
        read_docx_report(path, "good.docx")




def test_external_entities_and_relationships_are_never_resolved(tmp_path, listener):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    port = listener.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    path = make_docx(tmp_path / "x.docx",
                     p(r("正文开头")) + p("<w:r><w:t>&xxe;</w:t></w:r>".replace("&", "&amp;"))
                     + p('<w:hyperlink r:id="{rel:' + url + 'link}">' + r("链接") + "</w:hyperlink>"),
                     setup=lambda d: d.part.relate_to(url + "template.dotx",
                                                      "http://schemas.openxmlformats.org/"
                                                      "officeDocument/2006/relationships/"
                                                      "attachedTemplate", is_external=True))

    def add_doctype(xml: bytes) -> bytes:
        head, _, rest = xml.partition(b"?>")
        dtd = (f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">'
               f'<!ENTITY net SYSTEM "{url}dtd">]>').encode()
        return head + b"?>" + dtd + rest.replace(b"&amp;xxe;", b"&xxe;&net;")

    rewrite_member(path, "word/document.xml", add_doctype)
    assert b"&xxe;" in zipfile.ZipFile(path).read("word/document.xml")
    report = read_docx_report(path, "x.docx")
    assert "机密内容" not in report.text
    assert texts(report)[0] == "正文开头" and texts(report)[2] == "链接"
    assert not connected(listener)
