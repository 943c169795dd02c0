"""Tracked-change primitives (drafter.docx.oxml.revisions): build w:ins / w:del, save a .docx,
reopen it and read the XML back; accepted and rejected texts; LibreOffice's view of them."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import datetime, timedelta, timezone

import docx
import pytest
from lxml import etree

from drafter.docx.convert import convert, soffice
from drafter.docx.oxml import revisions as R
from drafter.docx.oxml.write import set_fonts
from drafter.docx.reader import REVISIONS_NOTE, read_docx
from tests.docx_fixtures import p, parse_fragment, r

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
AUTHOR = "法制科审核"
WHEN = "2024-03-01T09:30:00Z"

# A paragraph as a list of (kind, text): keep = an ordinary run, ins = insertion(),
# del = deletion() of text, cut = an ordinary run then mark_deleted() where it stands.
CASES = [
    ("replace a number",
     [("keep", "全年办理行政处罚案件"), ("cut", "318"), ("ins", "381"), ("keep", "件。")],
     "全年办理行政处罚案件381件。", "全年办理行政处罚案件318件。"),
    ("insert a missing word",
     [("keep", "严格落实"), ("ins", "重大"), ("keep", "行政决策程序")],
     "严格落实重大行政决策程序", "严格落实行政决策程序"),
    ("delete a duplicated word",
     [("keep", "推进推进"), ("del", "推进"), ("keep", "依法行政")],
     "推进推进依法行政", "推进推进推进依法行政"),
    ("rewrite a whole paragraph",
     [("cut", "国务院法制办"), ("ins", "司法部")],
     "司法部", "国务院法制办"),
    ("spaces kept at the edges",
     [("keep", "第"), ("del", " 1 "), ("ins", " 2 "), ("keep", "条")],
     "第 2 条", "第 1 条"),
    ("insertion at the start, deletion at the end",
     [("ins", "（一）"), ("keep", "完善制度体系"), ("cut", "。。")],
     "（一）完善制度体系", "完善制度体系。。"),
]


def _rpr():
    """A w:rPr the way the writer formats body text (Chinese font in w:eastAsia)."""
    from docx.oxml.parser import OxmlElement

    rpr = OxmlElement("w:rPr")
    set_fonts(rpr, "仿宋_GB2312", "Times New Roman")
    return rpr


def build(document, segments) -> tuple[object, list[int]]:
    """Append a paragraph made of ``segments`` to ``document``; returns (w:p, revision ids)."""
    para = document.add_paragraph()
    ids = []
    for kind, text in segments:
        rev_id = R.next_revision_id(document.element.body)
        if kind == "keep" or kind == "cut":
            run = para.add_run(text)
            run._r.insert(0, _rpr())
            if kind == "cut":
                R.mark_deleted(run._r, author=AUTHOR, date=WHEN, id=rev_id)
                ids.append(rev_id)
        else:
            make = R.insertion if kind == "ins" else R.deletion
            para._p.append(make(text, _rpr(), author=AUTHOR, date=WHEN, id=rev_id))
            ids.append(rev_id)
    return para._p, ids


def saved(document, tmp_path, name="rev.docx"):
    path = tmp_path / name
    document.save(str(path))
    return path


def body_paragraphs(path):
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return root.findall(f"{W}body/{W}p")


@pytest.mark.parametrize("name,segments,accepted,rejected", CASES, ids=[c[0] for c in CASES])
def test_revisions_survive_saving_and_read_as_accepted_or_rejected(tmp_path, name, segments,
                                                                   accepted, rejected):
    document = docx.Document()
    _, ids = build(document, segments)
    path = saved(document, tmp_path)
    reopened = docx.Document(str(path))  # python-docx opens what we wrote
    assert reopened.paragraphs[0]._p is not None
    (p_el,) = body_paragraphs(path)
    assert R.accepted_text(p_el) == accepted
    assert R.rejected_text(p_el) == rejected

    marks = [el for el in p_el if el.tag in (f"{W}ins", f"{W}del")]
    assert [int(m.get(f"{W}id")) for m in marks] == ids and len(set(ids)) == len(ids)
    for mark, (kind, text) in zip(marks, [s for s in segments if s[0] != "keep"]):
        assert mark.tag == f"{W}{'ins' if kind == 'ins' else 'del'}"
        assert (mark.get(f"{W}author"), mark.get(f"{W}date")) == (AUTHOR, WHEN)
        (run,) = mark.findall(f"{W}r")
        # the run keeps the formatting it was given: rPr first, Chinese font in w:eastAsia
        assert run[0].tag == f"{W}rPr"
        assert run[0].find(f"{W}rFonts").get(f"{W}eastAsia") == "仿宋_GB2312"
        tag = "t" if kind == "ins" else "delText"
        assert [(c.tag, c.text, c.get(XML_SPACE)) for c in run[1:]] == [
            (f"{W}{tag}", text, "preserve")]
        assert run.find(f"{W}{'delText' if kind == 'ins' else 't'}") is None


def test_the_reader_sees_the_accepted_text_and_says_so(tmp_path):
    document = docx.Document()
    for _, segments, _, _ in CASES:
        build(document, segments)
    content = read_docx(saved(document, tmp_path))
    assert content.texts == [c[2] for c in CASES]
    assert REVISIONS_NOTE in content.notes


def test_deletion_of_a_run_copies_it_and_leaves_the_original_alone():
    (para,) = parse_fragment(p(r("保留", '<w:b/>'),
                               '<w:r><w:rPr><w:i/></w:rPr><w:t>删去</w:t><w:tab/>'
                               '<w:instrText> PAGE </w:instrText></w:r>'))
    run = para[1]
    before = etree.tostring(run)
    d = R.deletion(run, author="a", id=7)
    assert etree.tostring(run) == before
    (copy,) = d
    assert [c.tag for c in copy] == [f"{W}rPr", f"{W}delText", f"{W}tab", f"{W}delInstrText"]
    assert copy.find(f"{W}rPr/{W}i") is not None
    assert d.get(f"{W}date") is None  # no date given: no w:date
    R.mark_deleted(run, author="a", id=7)
    assert R.accepted_text(para) == "保留"
    assert R.rejected_text(para) == "保留删去\t"


# Word's own markup (moves, nested containers) read both ways.
INS = '<w:ins w:id="1" w:author="审核人" w:date="2024-03-01T00:00:00Z">{}</w:ins>'
DEL = ('<w:del w:id="2" w:author="审核人" w:date="2024-03-01T00:00:00Z"><w:r>'
       '<w:delText>{}</w:delText></w:r></w:del>')
WORD_PARAGRAPHS = [
    (p(r("甲"), INS.format(r("乙")), DEL.format("丙"), r("丁")), "甲乙丁", "甲丙丁"),
    (p('<w:moveFrom w:id="3" w:author="a">' + r("移走") + "</w:moveFrom>", r("原文"),
       '<w:moveTo w:id="4" w:author="a">' + r("移走") + "</w:moveTo>"), "原文移走", "移走原文"),
    (p('<w:hyperlink r:id="rId9">' + INS.format(r("链接")) + "</w:hyperlink>", r("正文")),
     "链接正文", "正文"),
    (p(r("隐藏", "<w:vanish/>"), DEL.format("删"), r("见")), "见", "删见"),
]


@pytest.mark.parametrize("xml,accepted,rejected", WORD_PARAGRAPHS)
def test_word_markup_reads_as_accepted_and_rejected(xml, accepted, rejected):
    (para,) = parse_fragment(xml)
    assert (R.accepted_text(para), R.rejected_text(para)) == (accepted, rejected)


@pytest.mark.parametrize("when,expected", [
    (datetime(2024, 3, 1, 9, 30, 5, 123456), "2024-03-01T09:30:05Z"),  # naive: UTC
    (datetime(2024, 3, 1, 17, 30, tzinfo=timezone(timedelta(hours=8))), "2024-03-01T09:30:00Z"),
    ("2023-12-31T23:59:59Z", "2023-12-31T23:59:59Z"),
    (None, None),
])
def test_revision_dates_are_utc_whole_seconds(when, expected):
    assert R.revision_date(when) == expected
    assert R.insertion("字", author="a", date=when, id=1).get(f"{W}date") == expected


def test_next_revision_id_counts_comments_and_earlier_revisions(tmp_path):
    document = docx.Document()
    assert R.next_revision_id(document.element.body) == 0
    para = document.add_paragraph("批注的文字")
    document.add_comment(para.runs, text="批注", author="a")
    build(document, CASES[0][1])
    ids = [int(el.get(f"{W}id")) for el in document.element.body.iter()
           if el.get(f"{W}id") is not None]
    # comment 0 (range start, range end, reference), then the two revisions
    assert sorted(ids) == [0, 0, 0, 1, 2]
    assert R.next_revision_id(document.element.body) == 3


def test_show_insertions_deletions_writes_revision_view_in_schema_order(tmp_path):
    document = docx.Document()
    settings = document.settings.element
    R.show_insertions_deletions(settings, False)
    R.show_insertions_deletions(settings, False)  # idempotent
    path = saved(document, tmp_path)
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/settings.xml"))
    names = [etree.QName(c).localname for c in root]
    assert names.count("revisionView") == 1
    assert root.find(f"{W}revisionView").get(f"{W}insDel") == "0"
    # CT_Settings: … proofState, revisionView, trackRevisions, … defaultTabStop …
    assert names.index("proofState") < names.index("revisionView") < names.index("defaultTabStop")


# ---- LibreOffice ------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) not installed")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@needs_soffice
def test_libreoffice_keeps_the_revisions_as_revisions(tmp_path):
    document = docx.Document()
    for _, segments, _, _ in CASES:
        build(document, segments)
    out = convert(saved(document, tmp_path), "docx", tmp_path / "lo")
    paragraphs = [x for x in body_paragraphs(out) if R.rejected_text(x)]
    assert [R.accepted_text(x) for x in paragraphs] == [c[2] for c in CASES]
    assert [R.rejected_text(x) for x in paragraphs] == [c[3] for c in CASES]
    authors = {m.get(f"{W}author") for x in paragraphs for m in x
               if m.tag in (f"{W}ins", f"{W}del")}
    assert authors == {AUTHOR}


@needs_soffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
@pytest.mark.parametrize("show", [False, True])
def test_libreoffice_shows_the_accepted_text(tmp_path, show):
    """With w:revisionView insDel="0" LibreOffice prints the text as accepted; with the markup
    shown it prints the deleted text too (struck through), which proves it is a deletion."""
    document = docx.Document()
    for _, segments, _, _ in CASES[:4]:
        build(document, segments)
    R.show_insertions_deletions(document.settings.element, show)
    pdf = convert(saved(document, tmp_path), "pdf", tmp_path / "lo")
    text = _squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                  text=True).stdout)
    if show:
        expected = ("全年办理行政处罚案件318381件。" "严格落实重大行政决策程序"
                    "推进推进推进依法行政" "国务院法制办司法部")
    else:
        expected = "".join(c[2] for c in CASES[:4])
    assert text == expected


def test_an_inserted_run_is_a_python_docx_run():
    """The builders make python-docx's element classes, so python-docx code can use them."""
    from docx.oxml.text.run import CT_R

    ins = R.insertion("字", _rpr(), author="a", id=1)
    assert isinstance(ins[0], CT_R) and ins[0].text == "字"
