"""Render the written .docx with LibreOffice (headless) and check the printed page: A4, all
text present, 22 lines × 28 characters, page numbers alternating sides, distinct fonts.

Skipped only when ``soffice`` is absent (.ci/system-deps.sh installs it with poppler-utils
and the fonts that docs/fontconfig/fonts.conf maps the official font names to).
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.docx.writer import write_docx

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


render = _load("drafter_eval_render", ROOT / "evaluations" / "render.py")
_writer_tests = _load("drafter_test_docx_writer", Path(__file__).with_name("test_docx_writer.py"))
LONG, report_of = _writer_tests.LONG, _writer_tests.report_of

pytestmark = pytest.mark.skipif(render.soffice() is None, reason="soffice (LibreOffice) absent")

LEFT = 28 * render.PT_PER_MM            # 79.37 pt
RIGHT = (210 - 26) * render.PT_PER_MM   # 521.57 pt
BODY_EM = 16 - 0.25                     # 三号 with −0.25 pt character spacing

# Body text without punctuation, so that no line-breaking rule moves a character: every
# full line must hold exactly 28 characters.
_BASE = ("我局坚持以习近平新时代中国特色社会主义思想为指导深入学习贯彻习近平法治思想全面推进"
         "严格规范公正文明执法不断提升依法行政能力和水平推动法治政府建设各项任务落地见效")
FULL = "\n".join(
    ["示例县司法局关于2023年度法治政府建设情况的报告", "县人民政府："]
    + [(_BASE[i * 3:] + _BASE[: i * 3]) + _BASE[:40] + "。" for i in range(10)]
    + ["示例县司法局", "2024年2月20日"]) + "\n"


def _squash(s: str) -> str:
    return re.sub(r"\s", "", s)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("render")
    result = {}
    for name, text in (("long", LONG), ("full", FULL)):
        report = report_of(text)
        docx = write_docx(report, out / f"{name}.docx")
        pdf, stderr = render.docx_to_pdf(docx, out)
        result[name] = (report, pdf, stderr)
    return result


def test_conversion_gives_a4_pdf_without_errors(rendered):
    for report, pdf, stderr in rendered.values():
        assert "Error" not in stderr, stderr
        info = render.pdf_info(pdf)
        w, h = (float(x) for x in re.findall(r"[\d.]+", info["Page size"])[:2])
        assert abs(w - 595.3) < 1 and abs(h - 841.9) < 1, info["Page size"]
        assert "A4" in info["Page size"]


def test_every_paragraph_is_printed(rendered):
    report, pdf, _ = rendered["long"]
    text = _squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                  text=True, check=True).stdout)
    for p in report.paragraphs:
        if p.text.strip():
            assert _squash(p.text) in text, p.text
    assert "—1—" in text


def test_full_page_holds_22_lines_of_28_characters(rendered):
    _, pdf, _ = rendered["full"]
    pages = render.pdf_pages(pdf)
    assert len(pages) >= 3
    page = pages[1]  # body text only
    rows = render.body_rows(page)
    grid = render.grid_of(page)
    print(f"\nrendered grid, page 2: {grid}")
    assert grid["lines"] == 22
    assert grid["chars_per_full_line"] == 28
    assert abs(grid["pitch_pt"] - 28.95) < 0.1
    # every line is 28 characters, or 26 after the two-character first-line indent, or a
    # paragraph's short last line
    for r in rows:
        n = len(_squash(r.text))
        if abs(r.x0 - LEFT) < 2:
            assert n <= 28
        else:
            assert abs(r.x0 - (LEFT + 2 * 16)) < 2 and n == 26, (r.x0, r.text)
    full = [r for r in rows if len(_squash(r.text)) == 28]
    assert len(full) >= 10
    assert all(abs(r.x1 - RIGHT) < BODY_EM for r in full)


def test_page_numbers_sit_right_on_odd_and_left_on_even_pages(rendered):
    _, pdf, _ = rendered["full"]
    pages = render.pdf_pages(pdf)
    for page in pages[:3]:
        limit = page.height - 35 * render.PT_PER_MM
        footer = [r for r in render.merge_rows(page.lines) if r.y0 > limit]
        assert len(footer) == 1, footer
        row = footer[0]
        assert _squash(row.text) == f"—{page.number}—"
        if page.number % 2:
            assert abs(row.x1 - (RIGHT - 14)) < 3, row  # 右空一字 (14 pt)
        else:
            assert abs(row.x0 - (LEFT + 14)) < 3, row   # 左空一字
        # the line starts about 7 mm below the 版心
        assert 3 * render.PT_PER_MM < row.y0 - limit < 11 * render.PT_PER_MM, row


def test_title_body_and_headings_use_distinct_fonts(rendered):
    _, pdf, _ = rendered["long"]
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    names = {line.split()[0].split("+", 1)[-1] for line in out if line.strip()}
    print(f"\nembedded fonts: {sorted(names)}")
    # 小标宋 (title), 仿宋 (body), 黑体 (一、), 楷体 (（一）), plus 宋体/Latin
    assert len(names) >= 4, names
