"""Layout rules FMT101–FMT107: GB/T 9704-2012 checks of an existing .docx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafter.checker import CheckOptions, check_report, select_rules
from drafter.checker.layout_profiles import layout_profile_names, load_layout_profile
from drafter.docx.oxml import formatting
from drafter.report.readers import read_docx_report
from drafter.docx.writer import write_docx
from drafter.report.readers import read_report
from tests.docx_fixtures import lines_docx, make_docx, p, r

ROOT = Path(__file__).resolve().parent.parent
REPORTS = sorted((ROOT / "evaluations" / "cases" / "reports").glob("*.txt"))
LAYOUT = select_rules(["FMT1"])
LAYOUT_IDS = ["FMT101", "FMT102", "FMT103", "FMT104", "FMT105", "FMT106", "FMT107"]


def layout_findings(report, profile: str | None = None):
    return check_report(report, CheckOptions(profile=profile), LAYOUT)


def test_the_family_is_complete_and_cites_the_standard():
    assert [x.id for x in LAYOUT] == LAYOUT_IDS
    for rule in LAYOUT:
        assert rule.category == "format" and rule.severity == "warning"
        assert re.search(r"GB/T 9704-2012 \d+(\.\d+)*", rule.doc), rule.id
        assert re.search(r"\d+(\.\d+)+", rule.summary), rule.id


@pytest.mark.parametrize("font_profile", ["gb2312", "modern"])
@pytest.mark.parametrize("path", REPORTS, ids=[x.stem for x in REPORTS])
def test_drafters_own_docx_is_clean(path, font_profile, tmp_path):
    docx = write_docx(read_report(path), tmp_path / "r.docx", font_profile=font_profile)
    assert [(f.rule, f.message) for f in layout_findings(read_docx_report(docx))] == []


def test_text_input_is_not_evaluated(seed_path):
    assert layout_findings(read_report(seed_path)) == []


def test_a_word_default_document_breaks_every_layout_rule(tmp_path):
    lines = REPORTS[0].read_text(encoding="utf-8").splitlines()
    report = read_docx_report(lines_docx(tmp_path / "plain.docx", lines))
    found = {f.rule: f for f in layout_findings(report)}
    assert sorted(found) == LAYOUT_IDS
    assert "Letter" in found["FMT101"].message
    assert "上25.4" in found["FMT102"].message
    assert found["FMT104"].quote == report.title.text
    # python-docx's template takes its Chinese font from the theme (w:eastAsiaTheme).
    theme_font = formatting.theme_fonts(_docx(report))["minor"]
    assert f"“{theme_font}”" in found["FMT103"].message
    # Page-level findings point at the title, with an empty quote.
    assert found["FMT101"].quote == "" and found["FMT101"].line == report.title.line


def _docx(report):
    return report.source_docx


STYLES = ('<w:style w:type="paragraph" w:styleId="Kai"><w:name w:val="Kai"/>'
          '<w:basedOn w:val="Normal"/><w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/>'
          '<w:sz w:val="32"/></w:rPr></w:style>'
          '<w:style w:type="paragraph" w:styleId="KaiChild"><w:name w:val="KaiChild"/>'
          '<w:basedOn w:val="Kai"/></w:style>'
          '<w:style w:type="character" w:styleId="Hei"><w:name w:val="Hei"/>'
          '<w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>')


@pytest.mark.parametrize("para,expected", [
    (p(r("文字"), ppr='<w:pStyle w:val="Kai"/>'), ("楷体_GB2312", 16.0)),
    (p(r("文字"), ppr='<w:pStyle w:val="KaiChild"/>'), ("楷体_GB2312", 16.0)),  # w:basedOn
    (p(r("文字", '<w:rStyle w:val="Hei"/>'), ppr='<w:pStyle w:val="Kai"/>'), ("黑体", 16.0)),
    (p(r("文字", '<w:rStyle w:val="Hei"/><w:rFonts w:eastAsia="仿宋"/><w:sz w:val="28"/>'),
       ppr='<w:pStyle w:val="Kai"/>'), ("仿宋", 14.0)),  # direct formatting wins
])
def test_effective_font_and_size_follow_word_inheritance(tmp_path, para, expected):
    import docx

    doc = docx.Document(str(make_docx(tmp_path / "s.docx", para, styles=STYLES)))
    fmt = formatting.DocFormat(doc)
    p_el = doc.element.body[0]
    run = p_el.find(formatting.qn("w:r"))
    got = fmt.run_format(run, p_el)
    assert (got.east_asia, got.size_pt) == expected


def test_a_theme_font_wins_over_the_name_beside_it(tmp_path):
    import docx

    para = p(r("文字", '<w:rFonts w:eastAsia="仿宋" w:eastAsiaTheme="majorEastAsia"/>'))
    doc = docx.Document(str(make_docx(tmp_path / "t.docx", para)))
    fmt = formatting.DocFormat(doc)
    p_el = doc.element.body[0]
    got = fmt.run_format(p_el.find(formatting.qn("w:r")), p_el)
    assert got.east_asia == formatting.theme_fonts(doc)["major"]


@pytest.mark.parametrize("rule,value,size,grid,expected", [
    ("exact", 579, 16, (None, None), (28.95, True)),
    ("atLeast", 400, 16, (None, None), (20.8, False)),
    ("auto", 240, 16, (None, None), (20.8, False)),
    ("auto", 360, 16, (None, None), (31.2, False)),
    ("auto", 240, 16, ("lines", 28.95), (28.95, False)),  # one grid line holds 16 pt text
    ("auto", 240, 16, ("lines", 15.6), (31.2, False)),  # Word's default grid: two lines
])
def test_line_pitch_estimate(rule, value, size, grid, expected):
    pitch, exact = formatting.line_pitch_pt(formatting.LineSpacing(rule, value, True), size,
                                            formatting.Grid(*grid))
    assert (round(pitch, 2), exact) == expected


def test_page_number_in_a_header_counts(tmp_path):
    lines = REPORTS[0].read_text(encoding="utf-8").splitlines()

    def setup(d):
        from tests.docx_fixtures import parse_fragment

        header = d.sections[0].header
        header.paragraphs[0]._p.append(parse_fragment(
            '<w:fldSimple w:instr=" PAGE \\* MERGEFORMAT "><w:r><w:t>1</w:t></w:r></w:fldSimple>')[0])

    body = "".join(p(r(x)) if x else "<w:p/>" for x in lines)
    report = read_docx_report(make_docx(tmp_path / "h.docx", body, setup=setup))
    assert "FMT106" not in {f.rule for f in layout_findings(report)}
    bare = read_docx_report(make_docx(tmp_path / "n.docx", body))
    assert "FMT106" in {f.rule for f in layout_findings(bare)}


def test_profiles():
    assert {"gbt9704", "fangzheng", "relaxed"} <= set(layout_profile_names())
    default = load_layout_profile(None)
    assert default.key == "gbt9704" and default.margins_mm["top"] == 37
    assert not default.body.accepts_font("方正仿宋_GBK")
    fz = load_layout_profile("fangzheng")
    assert fz.body.accepts_font("方正仿宋_GBK") and fz.line_pitch_pt == 29
    assert fz.margins_mm == default.margins_mm  # inherited
    relaxed = load_layout_profile("relaxed")
    assert relaxed.body.accepts_font("方正仿宋_GBK") and relaxed.margin_tolerance_mm == 5
    assert load_layout_profile("no-such-profile").key == "gbt9704"
    assert load_layout_profile("default").key == "gbt9704"  # a locality profile name


def test_fangzheng_profile_from_the_command_line(tmp_path, cli, seed_path):
    from drafter.checker.layout_variants import variant_bytes

    out = tmp_path / "fz.docx"
    out.write_bytes(variant_bytes(read_report(seed_path), {"body_font": "方正仿宋_GBK",
                                                           "line_pitch_pt": 29}))
    strict = cli("check", str(out), "--select", "FMT1,DAT")
    assert "FMT103" in strict.stdout
    proc = cli("check", str(out), "--profile", "fangzheng", "--select", "FMT1,DAT")
    assert proc.returncode == 0, proc.stderr  # the date rules accept the name too
    assert "FMT1" not in proc.stdout and "DAT006" in proc.stdout
