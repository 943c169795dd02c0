"""The docx XML layer (drafter.docx.oxml): units as python-docx Lengths, the drafted sample
report checked against the GB/T 9704 figures of REPORT-RULES.md §4, and the package's shape
(small modules that say what XML they own; nothing above docx imported at run time)."""

from __future__ import annotations

import ast
import zipfile
from pathlib import Path

import pytest
from docx.shared import Emu, Mm, Pt, Twips
from lxml import etree

from drafter.docx.oxml import units
from drafter.docx.oxml.elements import set_attrs

ROOT = Path(__file__).resolve().parent.parent
DOCX = ROOT / "drafter" / "docx"
SAMPLE = ROOT / "corpus" / "shili-kegongxin" / "2023" / "facts.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# ---- units -------------------------------------------------------------------------------


@pytest.mark.parametrize("length,tw,hp", [
    (Pt(16), 320, 32), (Pt(22), 440, 44), (Pt(14), 280, 28), (Pt(10.5), 210, 21),
    (Pt(28.95), 579, 58), (Pt(-0.25), -5, 0), (Pt(0), 0, 0),
    (Mm(37), 2098, 210), (Mm(210), 11906, 1191), (Twips(579), 579, 58), (Emu(635), 1, 0),
])
def test_lengths_convert_to_attribute_units(length, tw, hp):
    assert units.twips(length) == tw
    assert units.half_points(length) == hp


@pytest.mark.parametrize("value,pt", [(579, 28.95), (320, 16.0), (-5, -0.25), (0, 0.0)])
def test_twips_read_back_as_points(value, pt):
    assert units.from_twips(value).pt == pt


@pytest.mark.parametrize("value,pt", [(44, 22.0), (32, 16.0), (21, 10.5), (1, 0.5)])
def test_half_points_read_back_as_points(value, pt):
    assert units.from_half_points(value).pt == pt


@pytest.mark.parametrize("size,chars,tw", [(Pt(16), 2, 640), (Pt(16), 4.5, 1440),
                                           (Pt(14), 1, 280), (Pt(16), 0, 0)])
def test_character_indents(size, chars, tw):
    assert units.twips(units.times(size, chars)) == tw


def test_a_length_is_never_written_as_emu():
    el = etree.Element(f"{W}spacing")
    with pytest.raises(TypeError, match="units"):
        set_attrs(el, line=Pt(28.95))
    set_attrs(el, line=units.twips(Pt(28.95)))
    assert el.get(f"{W}line") == "579"


# ---- the drafted sample report against GB/T 9704 (REPORT-RULES.md §4) --------------------

MM_TWIPS = 1440 / 25.4  # the oracle: plain arithmetic, independent of drafter's helpers
SIZES = {"二号": 22, "三号": 16, "四号": 14}


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory):
    from tests.conftest import run_cli

    out = tmp_path_factory.mktemp("sample") / "sample.docx"
    proc = run_cli("draft", str(SAMPLE), "-o", str(out), "--no-color")
    assert proc.returncode in (0, 1), proc.stderr
    with zipfile.ZipFile(out) as z:
        return {n: etree.fromstring(z.read(n)) for n in ("word/document.xml", "word/styles.xml")}


def _style(styles, style_id):
    return next(s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == style_id)


def test_sample_page_is_a4_with_the_standard_margins(sample_docx):
    sect = sample_docx["word/document.xml"].find(f"{W}body/{W}sectPr")
    size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    assert (int(size.get(f"{W}w")), int(size.get(f"{W}h"))) == (round(210 * MM_TWIPS),
                                                                 round(297 * MM_TWIPS))
    for side, mm in (("top", 37), ("bottom", 35), ("left", 28), ("right", 26)):
        assert int(margins.get(f"{W}{side}")) == round(mm * MM_TWIPS), side


def test_sample_grid_gives_22_lines_of_28_characters(sample_docx):
    grid = sample_docx["word/document.xml"].find(f"{W}body/{W}sectPr/{W}docGrid")
    assert grid.get(f"{W}type") == "lines"
    pitch_pt = int(grid.get(f"{W}linePitch")) / 20
    assert pitch_pt == pytest.approx(28.95, abs=0.05)
    assert round((297 - 37 - 35) / 25.4 * 72 / pitch_pt) == 22
    normal = _style(sample_docx["word/styles.xml"], "Normal")
    spacing = normal.find(f"{W}pPr/{W}spacing")
    assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == (grid.get(f"{W}linePitch"),
                                                                      "exact")
    char_pt = int(normal.find(f"{W}rPr/{W}sz").get(f"{W}val")) / 2 \
        + int(normal.find(f"{W}rPr/{W}spacing").get(f"{W}val")) / 20
    assert int((210 - 28 - 26) / 25.4 * 72 // char_pt) == 28


@pytest.mark.parametrize("style_id,size", [
    ("Title", "二号"), ("Normal", "三号"), ("Heading1", "三号"), ("Heading2", "三号"),
    ("Heading3", "三号"), ("Heading4", "三号"), ("GbSignature", "三号"), ("GbDate", "三号"),
    ("Footer", "四号"),
])
def test_sample_font_sizes_in_half_points(sample_docx, style_id, size):
    sz = _style(sample_docx["word/styles.xml"], style_id).find(f"{W}rPr/{W}sz")
    assert int(sz.get(f"{W}val")) == SIZES[size] * 2


def test_sample_body_indent_is_two_characters(sample_docx):
    ind = _style(sample_docx["word/styles.xml"], "Normal").find(f"{W}pPr/{W}ind")
    assert ind.get(f"{W}firstLineChars") == "200"
    assert int(ind.get(f"{W}firstLine")) == 2 * SIZES["三号"] * 20


# ---- the package's shape -----------------------------------------------------------------

OXML = sorted((DOCX / "oxml").glob("*.py"))
ABOVE_DOCX = ("drafter.report", "drafter.checker", "drafter.facts", "drafter.corpus",
              "drafter.text", "drafter.plan", "drafter.pipeline", "drafter.backends",
              "drafter.api", "drafter.cli", "drafter.web", "drafter.grounding",
              "drafter.prompts")


@pytest.mark.parametrize("path", OXML, ids=[p.name for p in OXML])
def test_oxml_modules_are_small_and_say_what_they_own(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) < 400
    assert ast.get_docstring(ast.parse(text))


def _runtime_imports(tree: ast.Module) -> list[str]:
    """Modules imported anywhere (functions included) except under ``if TYPE_CHECKING:``."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for child in node.body for n in ast.walk(child))
    names = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", sorted(DOCX.rglob("*.py")), ids=lambda p: p.name)
def test_docx_never_imports_a_higher_layer(path):
    imports = _runtime_imports(ast.parse(path.read_text(encoding="utf-8")))
    assert [m for m in imports if m.startswith(ABOVE_DOCX)] == []


def test_code_and_docs_name_the_oxml_package_not_the_old_modules():
    paths = [*ROOT.joinpath("drafter").rglob("*.py"), ROOT / "README.md",
             ROOT / "docs" / "DEVELOPING.md"]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert "_oxml" not in text and "docx._format" not in text, path


def test_importing_the_docx_layer_does_not_load_python_docx():
    """Heavy imports inside functions (docs/DEVELOPING.md): `drafter check` on text input
    may import these modules without paying for python-docx."""
    import subprocess
    import sys

    code = ("import importlib, pkgutil, sys, drafter.docx.oxml as o\n"
            "for m in pkgutil.iter_modules(o.__path__):\n"
            "    importlib.import_module('drafter.docx.oxml.' + m.name)\n"
            "for m in ('reader', 'writer', 'comments', 'fix', 'runs', 'autonumber'):\n"
            "    importlib.import_module('drafter.docx.' + m)\n"
            "print(sorted(k for k in sys.modules if k == 'docx' or k.startswith('docx.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
