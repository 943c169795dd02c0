"""Signature layouts of GB/T 9704-2012: ``layout.seal`` false (7.3.5.2: 署名右空二字, the date two
characters right of it) or true (7.3.5.1: 成文日期右空四字, 署名 centred above it, room for the
seal), and an optional 发文字号 (7.2.4) centred above the title — in the facts, in the XML and
on the page LibreOffice renders."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from drafter.docx.writer import _closing_indents
from drafter.pipeline import draft
from drafter.report.readers import read_report
from tests.facts_cases import BASE

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
UNIT = "示例市科学技术和工业信息化局"


@pytest.mark.parametrize("signature,date,seal,expected", [
    # (widths in characters: a digit is half) the date (6.5) is the longer: it stands 右空二字
    ("示例市司法局", "2024年2月20日", False, (4.5, 2.0)),
    # 14 characters: 署名 右空二字, the date starting two characters to its right
    (UNIT, "2024年2月20日", False, (2.0, 7.5)),
    (UNIT, "2024年2月20日", True, (0.25, 4.0)),  # seal: date 右空四字, 署名 centred on it
    ("示例市司法局", "2024年12月20日", True, (4.5, 4.0)),
    (None, "2024年2月20日", True, (4.0, 4.0)),
])
def test_closing_indents(signature, date, seal, expected):
    assert _closing_indents(signature, date, seal) == expected


def _facts(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "facts.yaml"
    path.write_text(BASE.replace("date: 2024-02-20\n", "date: 2024-02-20\n" + extra), encoding="utf-8")
    return path


LAYOUTS = [("unsealed", "", False, None),
           ("sealed", "layout: {seal: true}\n", True, None),
           ("sealed-with-number", "layout: {seal: true}\ndoc_number: 示科工信〔2024〕3号\n", True,
            "示科工信〔2024〕3号"),
           ("unsealed-with-number", "doc_number: 示科工信〔2024〕7号\n", False, "示科工信〔2024〕7号")]


@pytest.mark.parametrize("name,extra,seal,number", LAYOUTS, ids=[x[0] for x in LAYOUTS])
def test_layouts_in_the_docx(tmp_path, name, extra, seal, number):
    import docx

    out = tmp_path / "r.docx"
    result = draft(_facts(tmp_path, extra), out)
    assert [f.rule for f in result.errors if f.rule != "PH001"] == []  # BASE leaves two gaps
    paras = docx.Document(str(out)).paragraphs
    texts = [p.text for p in paras]
    sig = texts.index(UNIT, 3)
    assert texts[sig + 1] == "2024年2月20日"
    blanks = 0
    while texts[sig - 1 - blanks] == "":
        blanks += 1
    assert blanks == (2 if seal else 1)
    ind = paras[sig + 1]._p.pPr.find(f"{W}ind")
    assert ind.get(f"{W}rightChars") == ("400" if seal else "750")  # 14-character 署名
    if number:
        assert texts[:3] == [number, "", ""] and paras[3].style.style_id == "Title"
        assert paras[0].alignment == 1  # centred
    else:
        assert paras[0].style.style_id == "Title"
    report = read_report(out)  # the checker still finds title, 署名 and date
    assert report.title is not None and report.title.text.endswith("报告")
    assert (report.signature.text, report.date.text) == (UNIT, "2024年2月20日")


@pytest.mark.parametrize("bad,phrase", [
    ("doc_number: 示科工信[2024]3号\n", "发文字号写法不规范"),
    ("doc_number: 示科工信〔2023〕3号\n", "年份2023与成文日期的年份2024不一致"),
    ("layout: {seal: 是}\n", "应为 true 或 false"),
    ("layout: {stamp: true}\n", "未知字段“stamp”"),
])
def test_bad_layout_facts_are_named(tmp_path, bad, phrase):
    from drafter.errors import FactsError
    from drafter.facts import load_facts

    with pytest.raises(FactsError) as e:
        load_facts(_facts(tmp_path, bad))
    assert phrase in e.value.message


def _render():
    spec = importlib.util.spec_from_file_location("drafter_eval_render", ROOT / "evaluations" / "render.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["drafter_eval_render"] = module
    spec.loader.exec_module(module)
    return module


render = _render()


@pytest.mark.skipif(render.soffice() is None, reason="soffice (LibreOffice) absent")
@pytest.mark.parametrize("name,extra,seal,number", LAYOUTS[:3], ids=[x[0] for x in LAYOUTS[:3]])
def test_rendered_closing_and_doc_number(tmp_path, name, extra, seal, number):
    out = tmp_path / "r.docx"
    draft(_facts(tmp_path, extra), out)
    pdf, _ = render.docx_to_pdf(out, tmp_path)
    pages = render.pdf_pages(pdf)
    left, right = 28 * render.PT_PER_MM, (210 - 26) * render.PT_PER_MM
    em, pitch = 16.0, 28.95
    rows = render.merge_rows(pages[-1].lines)
    sig = next(r for r in rows if r.text.replace(" ", "") == UNIT)
    date = next(r for r in rows if r.text.replace(" ", "") == "2024年2月20日")
    body = [r for r in rows if r.y0 < sig.y0 and r.x0 < left + 3 * em]
    gap = (sig.y0 - body[-1].y0) / pitch  # lines from the last body line to the 署名
    assert abs(date.y0 - sig.y0 - pitch) < 2
    if seal:  # 7.3.5.1: 右空四字; 署名 centred on the date; two lines left for the seal
        assert abs((right - date.x1) - 4 * em) < 3
        assert abs((sig.x0 + sig.x1) / 2 - (date.x0 + date.x1) / 2) < em
        assert round(gap) == 3
    else:  # 7.3.5.2: 署名 右空二字; the date starts two characters (digits counted half a
        # character, as in 仿宋/Times New Roman; the stand-in fonts print them wider) to its right
        assert abs((right - sig.x1) - 2 * em) < 3
        assert abs((right - date.x1) - 7.5 * em) < 3 and date.x0 > sig.x0
        assert round(gap) == 2
    if number:
        first = render.merge_rows(pages[0].lines)
        top = first[0]
        assert top.text.replace(" ", "") == number
        assert abs((top.x0 + top.x1) / 2 - (left + right) / 2) < 3  # 居中
        title = first[1]
        assert "关于" in title.text and (title.y0 - top.y0) / pitch > 2.5  # two blank lines
