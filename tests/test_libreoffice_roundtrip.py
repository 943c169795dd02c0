"""LibreOffice interoperability: drafter's .docx re-saved by LibreOffice reads the same; the
annotated seed converts to PDF; .doc/.wps input is converted, or refused with a message.

The LibreOffice tests skip only when ``soffice`` is not installed (.ci/system-deps.sh).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from drafter.checker import check_report
from drafter.docx.convert import convert, soffice
from drafter.report.readers import read_docx_report
from drafter.docx.writer import write_docx
from drafter.report.readers import read_report

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "evaluations" / "cases" / "reports" / "03_lanxi_county_samr.txt"
needs_soffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) not installed")


def structure(report) -> dict:
    return {
        "paragraphs": [(x.text, x.role) for x in report.paragraphs],
        "title": report.title.text if report.title else None,
        "recipients": report.recipients,
        "sections": [(s.level, s.heading.number, s.title, s.key) for s in report.walk()],
        "signature": report.signature.text if report.signature else None,
        "date": report.date.text if report.date else None,
        "presence": {k: v.how for k, v in report.presence.items()},
    }


def findings(report) -> list[tuple]:
    return [(f.rule, f.line, f.column, f.quote, f.message) for f in check_report(report)]


@needs_soffice
@pytest.mark.parametrize("source", ["seed", "clean"])
def test_libreoffice_resave_reads_the_same(source, seed_path, tmp_path):
    src = seed_path if source == "seed" else CLEAN
    ours = write_docx(read_report(src), tmp_path / "ours.docx")
    resaved = convert(ours, "docx", tmp_path / "lo")
    assert resaved.read_bytes() != ours.read_bytes()  # LibreOffice really rewrote it
    a, b = read_docx_report(ours), read_docx_report(resaved)
    assert structure(b) == structure(a)
    assert findings(b) == findings(a)
    if source == "clean":  # layout rules included: still GB/T 9704 after LibreOffice
        assert [f for f in findings(b) if f[0].startswith("FMT1")] == []


@needs_soffice
def test_annotated_seed_converts_to_pdf_with_its_comments(seed_path, tmp_path, cli):
    docx = write_docx(read_report(seed_path), tmp_path / "seed.docx")
    out = tmp_path / "reviewed.docx"
    proc = cli("check", str(docx), "--annotate", str(out), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    import json

    found = json.loads(proc.stdout)["files"][0]["findings"]
    with zipfile.ZipFile(out) as zf:  # one comment per finding; mechanical ones one per paragraph
        n = zf.read("word/comments.xml").count(b"<w:comment ")
    assert len({(f["rule"], f["line"]) for f in found}) <= n < len(found)
    pdf = convert(out, 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}',
                  tmp_path / "pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    # LibreOffice exports each Word comment as a PDF text annotation (a note).
    assert len(re.findall(rb"/Subtype\s*/Text(?![A-Za-z])", data)) == n
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout \
        if shutil.which("pdftotext") else ""
    if text:
        assert "荥阳市" in text


@pytest.fixture(scope="module")
def seed_as_doc(tmp_path_factory) -> tuple[Path, Path]:
    """(the seed as drafter's .docx, the same saved by LibreOffice as Word 97 .doc)."""
    from tests.conftest import SEED

    if not SEED.exists():
        pytest.skip("the seed report (../shared/seeds) is not present")
    tmp = tmp_path_factory.mktemp("legacy")
    ours = write_docx(read_report(SEED), tmp / "seed.docx")
    return ours, convert(ours, "doc", tmp / "legacy")


@needs_soffice
@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_legacy_word_file_is_converted_and_checked(seed_as_doc, tmp_path, cli, suffix):
    ours, doc = seed_as_doc
    legacy = tmp_path / f"seed{suffix}"
    legacy.write_bytes(doc.read_bytes())
    proc = cli("check", str(legacy), "--format", "json")
    assert proc.returncode == 1, proc.stderr
    import json

    got = json.loads(proc.stdout)["files"][0]["findings"]
    # One more finding: the reader's note (STR013, info) that the file was converted.
    notes = [f for f in got if f["rule"] == "STR013"]
    assert len(notes) == 1 and "LibreOffice" in notes[0]["message"]
    want = [(f[0], f[3]) for f in findings(read_docx_report(ours))]
    assert [(f["rule"], f["quote"]) for f in got if f["rule"] != "STR013"] == want


@needs_soffice
@pytest.mark.parametrize("kind", ["rtf", "docx"])
def test_other_formats_saved_as_doc_are_read(tmp_path, kind):
    """Web systems export RTF (or a .docx) under a .doc name: read by content, not by name."""
    if kind == "rtf":
        body = r"{\rtf1\ansi\deff0 {\fonttbl {\f0 SimSun;}}\f0 \u27861?\u27835?\u25919?\u24220?\par}"
        legacy = tmp_path / "exported.doc"
        legacy.write_text(body, encoding="ascii")
        expected = "法治政府"
    else:
        src = write_docx(read_report(CLEAN), tmp_path / "real.docx")
        legacy = tmp_path / "renamed.doc"
        legacy.write_bytes(src.read_bytes())
        expected = read_docx_report(src).paragraphs[0].text
    report = read_report(legacy)
    assert report.paragraphs[0].text == expected


def test_legacy_word_file_without_libreoffice_exits_2(tmp_path, cli):
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    bin_dir = tmp_path / "bin"  # a PATH with python but no soffice
    bin_dir.mkdir()
    os.symlink(sys.executable, bin_dir / "python3")
    proc = cli("check", str(legacy), env={"PATH": str(bin_dir)})
    assert proc.returncode == 2
    assert "old.doc" in proc.stderr and "LibreOffice" in proc.stderr and "另存为" in proc.stderr
    assert "Traceback" not in proc.stderr


@needs_soffice
@pytest.mark.parametrize("data", [b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
                                  b"\xd0\xcf\x11\xe0", "这不是 Word 文件".encode()])
def test_damaged_legacy_file_exits_2(tmp_path, cli, data):
    legacy = tmp_path / "broken.doc"
    legacy.write_bytes(data)
    proc = cli("check", str(legacy))
    assert proc.returncode == 2, proc.stdout
    assert "broken.doc" in proc.stderr and "无法转换" in proc.stderr
    assert "Traceback" not in proc.stderr
