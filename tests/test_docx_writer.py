"""The GB/T 9704 .docx writer: reopen what it wrote with python-docx and as raw XML."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from drafter.checker.testing import skeleton
from drafter.docx.writer import docx_bytes, text_width, title_lines, write_docx
from drafter.errors import ConfigError, OutputError
from drafter.report.structure import build_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ROOT = Path(__file__).resolve().parent.parent
CLEAN_REPORTS = sorted((ROOT / "evaluations" / "cases" / "reports").glob("[01][0-9]_*.txt"))
CLEAN_REPORTS = [p for p in CLEAN_REPORTS if int(p.name[:2]) <= 10]

# A report with every heading level, run-in headings, blank lines, a manual full-width indent
# and a 附注 (our own text).
LONG = """示例区市场监督管理局关于2023年度法治政府建设情况的报告

区人民政府：
　　2023年，我局围绕市场监管中心工作，持续推进依法行政，法治政府建设取得新成效。现将有关情况报告如下：

一、主要举措和成效
（一）完善依法决策机制。我局修订党组工作规则和局长办公会议制度，重大事项一律经集体讨论决定。
1.健全合法性审查。全年审查规范性文件和重大合同共27件，提出修改意见46条，均被采纳。
（1）规范审查流程。制定合法性审查工作指引，明确送审材料、审查时限和审查意见格式。
（2）发挥法律顾问作用
聘请常年法律顾问2名，参与重大行政决策论证和疑难案件研讨。
2.推进政务公开
在区政府门户网站主动公开行政许可、行政处罚信息1360条。
（二）严格规范公正文明执法。全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度，全年办理行政处罚案件318件。
二、党政主要负责人履行推进法治建设第一责任人职责情况
局党组书记、局长认真履行第一责任人职责，全年主持召开党组会议专题研究法治建设工作4次。
三、存在的不足和原因
基层执法人员运用法律解决复杂问题的能力还需提升。究其原因，主要是培训的针对性不够强。
四、2024年工作安排
一是深化法治学习。二是强化执法监督。三是优化营商环境。

示例区市场监督管理局
2024年2月26日
（此件公开发布）
"""


def report_of(text: str, path: str = "<test>"):
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return build_report(lines, path=path, fmt="txt")


def skeleton_report():
    return report_of(skeleton().replace("{fragment}\n", ""))


class Docx:
    """A written .docx opened both ways: python-docx (``doc``) and raw XML parts."""

    def __init__(self, data: bytes, tmp_path: Path, name: str = "out.docx"):
        import docx

        self.path = tmp_path / name
        self.path.write_bytes(data)
        self.doc = docx.Document(str(self.path))
        with zipfile.ZipFile(self.path) as z:
            self.names = set(z.namelist())
            self.raw = {n: z.read(n) for n in self.names if n.endswith((".xml", ".rels"))}
        self.document = etree.fromstring(self.raw["word/document.xml"])
        self.styles = etree.fromstring(self.raw["word/styles.xml"])
        self.settings = etree.fromstring(self.raw["word/settings.xml"])
        self.style_by_id = {s.get(f"{W}styleId"): s for s in self.styles.iter(f"{W}style")}

    def paragraphs(self):
        return list(self.document.iter(f"{W}p"))

    def style_prop(self, style_id: str, path: str, attr: str):
        """A property of a style, following w:basedOn to the document defaults."""
        sid = style_id
        while sid:
            style = self.style_by_id[sid]
            el = style.find(path)
            if el is not None and el.get(f"{W}{attr}") is not None:
                return el.get(f"{W}{attr}")
            based = style.find(f"{W}basedOn")
            sid = based.get(f"{W}val") if based is not None else None
        defaults = self.styles.find(f"{W}docDefaults")
        el = defaults.find(".//" + path.replace("./", ""))
        return el.get(f"{W}{attr}") if el is not None else None

    def para_style(self, p) -> str:
        ps = p.find(f"{W}pPr/{W}pStyle")
        return ps.get(f"{W}val") if ps is not None else "Normal"

    def para_text(self, p) -> str:
        return "".join(t.text or "" for t in p.iter(f"{W}t"))


@pytest.fixture
def long_docx(tmp_path):
    return Docx(docx_bytes(report_of(LONG)), tmp_path)


@pytest.fixture
def skel_docx(tmp_path):
    return Docx(docx_bytes(skeleton_report()), tmp_path)


# ---- page ----------------------------------------------------------------------------------

def test_page_is_a4_with_gbt9704_margins(long_docx):
    from docx.shared import Mm

    section = long_docx.doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    sect = long_docx.document.find(f"{W}body/{W}sectPr")
    pg_sz, pg_mar = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    assert (pg_sz.get(f"{W}w"), pg_sz.get(f"{W}h")) == ("11906", "16838")
    # 37 / 35 / 28 / 26 mm in twips (1 mm = 56.69 twips)
    assert {k: pg_mar.get(f"{W}{k}") for k in ("top", "bottom", "left", "right")} == {
        "top": "2098", "bottom": "1984", "left": "1587", "right": "1474"}
    # the page-number line starts 7 mm below the 版心: footer = 35 − 7 − 4.9 mm (14 pt)
    assert abs(int(pg_mar.get(f"{W}footer")) - round(23.1 * 1440 / 25.4)) <= 3


def test_document_grid_is_lines_with_28_95_pt_pitch(long_docx):
    grid = long_docx.document.find(f"{W}body/{W}sectPr/{W}docGrid")
    assert grid.get(f"{W}type") == "lines"
    assert grid.get(f"{W}linePitch") == "579"
    assert grid.get(f"{W}charSpace") is None


@pytest.mark.parametrize("style_id", ["Normal", "Heading1", "Heading2", "Heading3", "Heading4",
                                      "Title", "GbRecipient", "GbSignature", "GbDate", "GbNote"])
def test_line_spacing_is_exact_grid_pitch(long_docx, style_id):
    spacing = long_docx.style_by_id[style_id].find(f"{W}pPr/{W}spacing")
    assert spacing.get(f"{W}lineRule") == "exact"
    assert spacing.get(f"{W}line") == "579"
    assert spacing.get(f"{W}before") == "0"


def test_body_has_negative_character_spacing_and_two_character_indent(long_docx):
    style = long_docx.style_by_id["Normal"]
    assert style.find(f"{W}rPr/{W}spacing").get(f"{W}val") == "-5"  # −0.25 pt
    ind = style.find(f"{W}pPr/{W}ind")
    assert ind.get(f"{W}firstLineChars") == "200" and ind.get(f"{W}firstLine") == "640"
    assert style.find(f"{W}pPr/{W}jc").get(f"{W}val") == "both"


# ---- fonts ---------------------------------------------------------------------------------

FONTS = {  # style → (w:eastAsia, w:sz, bold)
    "gb2312": {"Title": ("方正小标宋简体", "44", "0"), "Normal": ("仿宋_GB2312", "32", "0"),
               "GbRecipient": ("仿宋_GB2312", "32", "0"), "Heading1": ("黑体", "32", "0"),
               "Heading2": ("楷体_GB2312", "32", "0"), "Heading3": ("仿宋_GB2312", "32", "1"),
               "Heading4": ("仿宋_GB2312", "32", "0"), "GbSignature": ("仿宋_GB2312", "32", "0"),
               "GbDate": ("仿宋_GB2312", "32", "0"), "GbNote": ("仿宋_GB2312", "32", "0"),
               "Footer": ("宋体", "28", "0"), "RunInBody": ("仿宋_GB2312", "32", "0")},
    "modern": {"Title": ("方正小标宋简体", "44", "0"), "Normal": ("仿宋", "32", "0"),
               "Heading1": ("黑体", "32", "0"), "Heading2": ("楷体", "32", "0"),
               "Heading3": ("仿宋", "32", "1"), "Heading4": ("仿宋", "32", "0"),
               "Footer": ("宋体", "28", "0"), "RunInBody": ("仿宋", "32", "0")},
}


@pytest.mark.parametrize("profile", sorted(FONTS))
def test_styles_name_east_asian_fonts_sizes_and_weight(tmp_path, profile):
    d = Docx(docx_bytes(report_of(LONG), font_profile=profile), tmp_path)
    for style_id, (east_asia, size, bold) in FONTS[profile].items():
        assert d.style_prop(style_id, f"./{W}rPr/{W}rFonts", "eastAsia") == east_asia, style_id
        assert d.style_prop(style_id, f"./{W}rPr/{W}sz", "val") == size, style_id
        assert d.style_prop(style_id, f"./{W}rPr/{W}b", "val") == bold, style_id
        latin = d.style_prop(style_id, f"./{W}rPr/{W}rFonts", "ascii")
        assert latin == ("宋体" if style_id == "Footer" else "Times New Roman"), style_id
        assert d.style_prop(style_id, f"./{W}rPr/{W}color", "val") == "000000"


def test_no_theme_fonts_or_colours_anywhere(long_docx):
    for part in ("word/styles.xml", "word/document.xml", "word/footer1.xml",
                 "word/footer2.xml"):
        xml = long_docx.raw[part].decode("utf-8")
        assert not re.findall(r"w:(?:asciiTheme|eastAsiaTheme|hAnsiTheme|cstheme)=", xml), part
        assert "w:themeColor=" not in xml, part
    # python-docx's Word-2010 stylesWithEffects copy (theme fonts again) is not shipped
    assert "word/stylesWithEffects.xml" not in long_docx.names
    assert "docProps/thumbnail.jpeg" not in long_docx.names
    # the template's 100 table styles (theme colours) are dropped; the default ones stay
    tables = [s for s in long_docx.style_by_id.values() if s.get(f"{W}type") == "table"]
    assert sorted(s.get(f"{W}styleId") for s in tables) == ["TableGrid", "TableNormal"]


def test_font_table_names_the_fonts_with_chinese_fallbacks(long_docx):
    table = etree.fromstring(long_docx.raw["word/fontTable.xml"])
    fonts = {f.get(f"{W}name"): f for f in table.iter(f"{W}font")}
    assert {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体",
            "Times New Roman"} <= set(fonts)
    assert fonts["仿宋_GB2312"].find(f"{W}altName").get(f"{W}val") == "仿宋"
    assert fonts["仿宋_GB2312"].find(f"{W}charset").get(f"{W}val") == "86"


def test_unknown_font_profile_is_a_config_error():
    with pytest.raises(ConfigError) as e:
        docx_bytes(skeleton_report(), font_profile="nope")
    assert "nope" in e.value.message and "gb2312" in e.value.hint


# ---- paragraphs, headings, styles ------------------------------------------------------------

def test_paragraph_styles_follow_roles(long_docx):
    d = long_docx
    got = [(d.para_style(p), d.para_text(p)[:6]) for p in d.paragraphs()
           if p.getparent().tag == f"{W}body"]
    assert got == [
        ("Title", "示例区市场监"), ("GbRecipient", "区人民政府："), ("Normal", "2023年，"),
        ("Heading1", "一、主要举措"), ("Heading2", "（一）完善依"), ("Heading3", "1.健全合法"),
        ("Heading4", "（1）规范审"), ("Heading4", "（2）发挥法"), ("Normal", "聘请常年法律"),
        ("Heading3", "2.推进政务"), ("Normal", "在区政府门户"), ("Heading2", "（二）严格规"),
        ("Heading1", "二、党政主要"), ("Normal", "局党组书记、"), ("Heading1", "三、存在的不"),
        ("Normal", "基层执法人员"), ("Heading1", "四、2024"), ("Normal", "一是深化法治"),
        ("Normal", ""),  # the one blank line above the 署名
        ("GbSignature", "示例区市场监"), ("GbDate", "2024年2"), ("GbNote", "（此件公开发"),
    ]


@pytest.mark.parametrize("style_id,level", [("Heading1", "0"), ("Heading2", "1"),
                                            ("Heading3", "2"), ("Heading4", "3")])
def test_heading_styles_carry_outline_levels(long_docx, style_id, level):
    style = long_docx.style_by_id[style_id]
    assert style.find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == level
    assert style.find(f"{W}name").get(f"{W}val") == f"heading {level and int(level) + 1}"
    assert style.find(f"{W}link") is None  # no "Heading N Char" with template colours
    assert style.find(f"{W}pPr/{W}ind").get(f"{W}firstLineChars") == "200"
    for sid in ("Normal", "Title", "GbRecipient", "GbSignature"):
        assert long_docx.style_by_id[sid].find(f"{W}pPr/{W}outlineLvl") is None


def test_python_docx_sees_heading_styles(long_docx):
    names = [p.style.name for p in long_docx.doc.paragraphs]
    assert names.count("Heading 1") == 4
    assert names.count("Heading 2") == 2
    assert names.count("Heading 3") == 2
    assert names.count("Heading 4") == 2


def test_run_in_heading_splits_heading_font_and_body_font(long_docx):
    d = long_docx
    para = next(p for p in d.paragraphs() if d.para_text(p).startswith("（一）"))
    runs = para.findall(f"{W}r")
    assert [("".join(t.text for t in r.iter(f"{W}t"))) for r in runs] == [
        "（一）完善依法决策机制。", "我局修订党组工作规则和局长办公会议制度，重大事项一律经集体讨论决定。"]
    assert runs[0].find(f"{W}rPr") is None  # heading font from the Heading2 style (楷体)
    assert runs[1].find(f"{W}rPr/{W}rStyle").get(f"{W}val") == "RunInBody"
    # a run-in heading does not chain keep-with-next to the following paragraph
    assert para.find(f"{W}pPr/{W}keepNext").get(f"{W}val") == "0"
    standalone = next(p for p in d.paragraphs() if d.para_text(p) == "（2）发挥法律顾问作用")
    assert standalone.find(f"{W}pPr/{W}keepNext") is None  # the style's keep-with-next holds
    assert d.style_by_id["Heading4"].find(f"{W}pPr/{W}keepNext") is not None


def test_blank_lines_are_dropped_and_manual_indent_stripped(long_docx):
    d = long_docx
    texts = [d.para_text(p) for p in d.paragraphs() if p.getparent().tag == f"{W}body"]
    assert texts.count("") == 1
    assert texts[texts.index("") + 1] == "示例区市场监督管理局"
    assert texts[2].startswith("2023年")  # "　　" (full-width spaces) removed: the style indents


def test_long_title_breaks_between_words(long_docx):
    d = long_docx
    title = d.paragraphs()[0]
    parts = [t.text for t in title.iter(f"{W}t")]
    assert len(title.findall(f".//{W}br")) == len(parts) - 1 == 1
    assert "".join(parts) == "示例区市场监督管理局关于2023年度法治政府建设情况的报告"
    assert title.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Title"
    assert d.style_by_id["Title"].find(f"{W}pPr/{W}jc").get(f"{W}val") == "center"
    assert d.style_by_id["Title"].find(f"{W}pPr/{W}spacing").get(f"{W}after") == "579"


@pytest.mark.parametrize("title,lines", [
    ("示例市科学技术和工业信息化局关于2023年度法治政府建设情况的报告",
     ["示例市科学技术和工业信息化局关于", "2023年度法治政府建设情况的报告"]),
    ("望川县人民政府关于2022年度法治政府建设情况的报告",
     ["望川县人民政府关于2022年度", "法治政府建设情况的报告"]),
    ("国务院关于2023年度法治政府建设情况的报告",  # fits one line (19 characters)
     ["国务院关于2023年度法治政府建设情况的报告"]),
    # no break point leaves every line within 20 characters: left to Word's wrapping
    ("中共示例市委全面依法治市委员会办公室示例市司法局关于2023年度法治政府建设情况的报告",
     ["中共示例市委全面依法治市委员会办公室示例市司法局关于2023年度法治政府建设情况的报告"]),
])
def test_title_lines_break_at_word_boundaries_within_twenty_characters(title, lines):
    assert title_lines(title) == lines
    assert "".join(lines) == title
    if len(lines) > 1:
        assert all(text_width(x) <= 20 for x in lines)


def test_signature_and_date_follow_gbt9704_without_seal(skel_docx):
    d = skel_docx

    def right_chars(text):
        p = next(p for p in d.paragraphs() if d.para_text(p) == text)
        return p.find(f"{W}pPr/{W}ind").get(f"{W}rightChars")

    # 署名 (14 characters) 右空二字; the date (6.5 characters wide) starts two characters
    # right of the 署名: its right indent is 14 − 6.5 = 7.5 characters.
    assert right_chars("示例市科学技术和工业信息化局") == "200"
    assert right_chars("2024年2月20日") == "750"
    assert d.style_by_id["GbSignature"].find(f"{W}pPr/{W}jc").get(f"{W}val") == "right"


def test_short_signature_moves_left_so_the_date_keeps_two_characters(tmp_path):
    text = skeleton().replace("{fragment}\n", "").replace(
        "示例市科学技术和工业信息化局\n2024年2月20日", "示例局\n2024年2月20日")
    d = Docx(docx_bytes(report_of(text)), tmp_path)
    inds = {d.para_text(p): p.find(f"{W}pPr/{W}ind").get(f"{W}rightChars")
            for p in d.paragraphs() if d.para_style(p) in ("GbSignature", "GbDate")}
    # date 右空二字; 署名 starts two characters left of the date: 2 + 6.5 + 2 − 3 = 7.5
    assert inds == {"2024年2月20日": "200", "示例局": "750"}


def test_note_is_indented_two_characters(long_docx):
    ind = long_docx.style_by_id["GbNote"].find(f"{W}pPr/{W}ind")
    assert ind.get(f"{W}leftChars") == "200" and ind.get(f"{W}firstLineChars") == "0"


# ---- footers -------------------------------------------------------------------------------

def test_settings_are_current_word_and_chinese(long_docx):
    compat = {c.get(f"{W}name"): c.get(f"{W}val")
              for c in long_docx.settings.iter(f"{W}compatSetting")}
    assert compat["compatibilityMode"] == "15"  # not 兼容模式 (python-docx's template: 14)
    lang = long_docx.settings.find(f"{W}themeFontLang")
    assert lang.get(f"{W}eastAsia") == "zh-CN"


def test_page_numbers_odd_right_even_left(long_docx):
    d = long_docx
    assert d.settings.find(f"{W}evenAndOddHeaders") is not None
    sect = d.document.find(f"{W}body/{W}sectPr")
    refs = {r.get(f"{W}type"): r.get("{http://schemas.openxmlformats.org/officeDocument/"
                                     "2006/relationships}id")
            for r in sect.iter(f"{W}footerReference")}
    assert set(refs) == {"default", "even"}
    rels = etree.fromstring(d.raw["word/_rels/document.xml.rels"])
    target = {r.get("Id"): r.get("Target") for r in rels}
    for kind, align, side in (("default", "right", "right"), ("even", "left", "left")):
        footer = etree.fromstring(d.raw["word/" + target[refs[kind]]])
        p = footer.find(f"{W}p")
        assert p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Footer"
        assert p.find(f"{W}pPr/{W}jc").get(f"{W}val") == align
        ind = p.find(f"{W}pPr/{W}ind")
        assert ind.get(f"{W}{side}Chars") == "100" and ind.get(f"{W}{side}") == "280"
        kinds = [c.get(f"{W}fldCharType") for c in p.iter(f"{W}fldChar")]
        assert kinds == ["begin", "separate", "end"]
        assert "".join(t.text for t in p.iter(f"{W}instrText")).strip() == "PAGE"
        texts = [t.text for t in p.iter(f"{W}t")]
        assert texts == ["— ", "1", " —"]


# ---- properties ----------------------------------------------------------------------------

def test_core_properties_default_to_title_and_unit(long_docx):
    cp = long_docx.doc.core_properties
    assert cp.title == "示例区市场监督管理局关于2023年度法治政府建设情况的报告"
    assert cp.author == cp.last_modified_by == "示例区市场监督管理局"
    assert cp.comments == "" and cp.revision == 1
    core = long_docx.raw["docProps/core.xml"].decode("utf-8")
    assert "python-docx" not in core and "2013-12-23" not in core
    app = long_docx.raw["docProps/app.xml"].decode("utf-8")
    assert "<Application>drafter</Application>" in app and "Macintosh" not in app


def test_properties_argument_sets_core_properties(tmp_path):
    props = {"title": "标题甲", "author": "示例单位", "subject": "法治政府建设年度报告",
             "keywords": "法治政府;年度报告"}
    d = Docx(docx_bytes(skeleton_report(), properties=props), tmp_path)
    cp = d.doc.core_properties
    assert (cp.title, cp.author, cp.subject, cp.keywords) == tuple(props.values())
    assert cp.last_modified_by == "示例单位"


def test_unknown_property_is_rejected():
    with pytest.raises(ValueError):
        docx_bytes(skeleton_report(), properties={"creator": "x"})


# ---- round trip through the reader --------------------------------------------------------

def _shape(report):
    paras = [(p.role, p.text.strip()) for p in report.paragraphs if p.role != "blank"]
    tree = [(s.level, s.heading.number.strip(), s.title, s.heading.run_in, s.key)
            for s in report.walk()]
    return paras, tree, report.recipients, report.presence.keys()


@pytest.mark.parametrize("source", ["skeleton", "long"] + [p.name for p in CLEAN_REPORTS])
def test_reading_the_docx_back_gives_the_same_report(tmp_path, source):
    from drafter.report.readers import read_report

    if source == "skeleton":
        original = skeleton_report()
    elif source == "long":
        original = report_of(LONG)
    else:
        original = read_report(ROOT / "evaluations" / "cases" / "reports" / source)
    path = write_docx(original, tmp_path / "r.docx")
    back = read_report(path)
    assert back.format == "docx"
    assert _shape(back) == _shape(original)
    assert {k: v.how for k, v in back.presence.items()} == \
        {k: v.how for k, v in original.presence.items()}


@pytest.mark.parametrize("profile", ["gb2312", "modern"])
def test_written_layout_passes_the_layout_rules(tmp_path, profile):
    """The checker's GB/T 9704 layout rules (FMT1xx, which read the .docx itself) find
    nothing to warn about in what the writer produces."""
    from drafter.checker import CheckOptions, check_report, select_rules
    from drafter.report.readers import read_report

    rules = select_rules(["FMT1"])
    assert rules
    for name, report in (("long", report_of(LONG)), ("skeleton", skeleton_report())):
        back = read_report(write_docx(report, tmp_path / f"{name}.docx", font_profile=profile))
        assert getattr(back, "source_docx", None) is not None  # the rules see the Word file
        findings = check_report(back, CheckOptions(), rules)
        assert [(f.rule, f.message) for f in findings] == [], name


# ---- output safety -------------------------------------------------------------------------

def test_write_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "报告.docx"
    target.write_bytes(b"old")
    with pytest.raises(OutputError) as e:
        write_docx(skeleton_report(), target)
    assert "已存在" in e.value.message and "--force" in e.value.hint
    assert target.read_bytes() == b"old"
    assert write_docx(skeleton_report(), target, force=True) == target
    assert zipfile.is_zipfile(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.docx"]  # no temp file left


def test_write_into_missing_folder_is_an_output_error(tmp_path):
    with pytest.raises(OutputError):
        write_docx(skeleton_report(), tmp_path / "missing" / "r.docx")
