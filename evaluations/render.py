"""Render a report as GB/T 9704 .docx → PDF (LibreOffice, headless) → PNG, and measure the grid.

Usage::

    python evaluations/render.py REPORT [--out DIR] [--png PAGE] [--dpi 80] [--profile gb2312]

REPORT is .txt/.md (written with drafter's .docx writer first) or a .docx. Prints the pages,
the paper size and, per page, the body lines and characters per full line, e.g. to check the
22 lines × 28 characters of GB/T 9704. Needs ``soffice`` (libreoffice-writer-nogui) and
poppler-utils (pdftotext, pdfinfo, pdftoppm); fonts via ``docs/fontconfig/fonts.conf``, which
maps the Windows font names to free Debian fonts (rendering only).

tests/test_render.py imports the helpers below.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTCONFIG = ROOT / "docs" / "fontconfig" / "fonts.conf"
PT_PER_MM = 72 / 25.4


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_env(home: Path) -> dict[str, str]:
    """Environment for soffice: a private HOME (a fresh profile, no clash with a running
    office) and the fontconfig aliases."""
    env = dict(os.environ)
    env["HOME"] = str(home)
    env["FONTCONFIG_FILE"] = str(FONTCONFIG)
    return env


def docx_to_pdf(docx: Path, outdir: Path, timeout: int = 180) -> tuple[Path, str]:
    """Convert with ``soffice --headless --convert-to pdf``; returns the PDF and soffice's
    stderr (RuntimeError when no PDF was produced)."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("soffice not found")
    outdir.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="soffice-home-"))
    try:
        proc = subprocess.run(
            [exe, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(outdir),
             str(docx)], env=render_env(home), capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    pdf = outdir / (docx.stem + ".pdf")
    if proc.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"soffice failed ({proc.returncode}): {proc.stderr.strip()}")
    return pdf, proc.stderr


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@dataclass
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)


def pdf_pages(pdf: Path) -> list[Page]:
    """Text lines with their boxes (points), per page, from ``pdftotext -bbox-layout``."""
    from lxml import etree

    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         check=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True, resolve_entities=False))
    pages = []
    for i, pg in enumerate(root.iter("{*}page"), start=1):
        page = Page(i, float(pg.get("width")), float(pg.get("height")))
        for ln in pg.iter("{*}line"):
            text = "".join(w.text or "" for w in ln.iter("{*}word"))
            page.lines.append(Line(*(float(ln.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")),
                                   text))
        page.lines.sort(key=lambda line: (round(line.y0), line.x0))
        pages.append(page)
    return pages


def merge_rows(lines: list[Line], tolerance: float = 3.0) -> list[Line]:
    """pdftotext may split one printed line into several (a change of font): join pieces
    whose tops are within ``tolerance`` points."""
    rows: list[Line] = []
    for line in sorted(lines, key=lambda x: (x.y0, x.x0)):
        if rows and abs(rows[-1].y0 - line.y0) <= tolerance:
            r = rows[-1]
            rows[-1] = Line(min(r.x0, line.x0), min(r.y0, line.y0), max(r.x1, line.x1),
                            max(r.y1, line.y1), r.text + line.text)
        else:
            rows.append(line)
    return rows


def body_rows(page: Page, bottom_margin_mm: float = 35.0) -> list[Line]:
    """The printed lines inside the 版心 (the footer below it excluded)."""
    limit = page.height - bottom_margin_mm * PT_PER_MM + 2
    return [r for r in merge_rows(page.lines) if r.y1 <= limit]


def grid_of(page: Page, left_margin_mm: float = 28.0) -> dict[str, object]:
    """Lines in the 版心, characters on the widest line starting at the left margin (Chinese
    characters; digits and Latin letters count half), and the mean line pitch."""
    rows = body_rows(page)
    left = left_margin_mm * PT_PER_MM
    widths = [round(sum(0.5 if ch.isascii() else 1 for ch in re.sub(r"\s", "", r.text)))
              for r in rows]  # in characters: a digit or Latin letter is half a character
    full = [w for r, w in zip(rows, widths) if abs(r.x0 - left) < 3]
    top = max(full, default=0)
    pitch = ((rows[-1].y0 - rows[0].y0) / (len(rows) - 1)) if len(rows) > 1 else None
    return {"lines": len(rows), "chars_per_full_line": top,
            "full_lines": sum(1 for w in full if w == top), "pitch_pt": pitch}


def pdf_to_png(pdf: Path, page: int, dpi: int, out: Path) -> Path:
    """Page ``page`` as PNG at ``dpi`` (pdftoppm), written to ``out``."""
    prefix = out.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l",
                    str(page), str(pdf), str(prefix)], check=True)
    return prefix.with_suffix(".png")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("report", type=Path)
    ap.add_argument("--out", type=Path, default=None, help="output folder (default: a temp dir)")
    ap.add_argument("--png", type=int, default=None, metavar="PAGE", help="also render PAGE")
    ap.add_argument("--png-path", type=Path, default=None, help="where to write the PNG")
    ap.add_argument("--dpi", type=int, default=80)
    ap.add_argument("--profile", default="gb2312")
    args = ap.parse_args(argv)
    if soffice() is None:
        print("soffice not found: apt-get install libreoffice-writer-nogui", file=sys.stderr)
        return 2
    out = args.out or Path(tempfile.mkdtemp(prefix="drafter-render-"))
    out.mkdir(parents=True, exist_ok=True)
    docx = args.report
    if docx.suffix.lower() != ".docx":
        from drafter.docx.writer import write_docx
        from drafter.report.readers import read_report

        docx = write_docx(read_report(args.report), out / (args.report.stem + ".docx"),
                          font_profile=args.profile, force=True)
    pdf, _ = docx_to_pdf(docx, out)
    info = pdf_info(pdf)
    print(f"{pdf}: {info.get('Pages')} pages, {info.get('Page size')}")
    for page in pdf_pages(pdf):
        g = grid_of(page)
        pitch = f"{g['pitch_pt']:.2f} pt" if g["pitch_pt"] else "-"
        print(f"  page {page.number}: {g['lines']} lines, {g['chars_per_full_line']} chars per "
              f"full line ({g['full_lines']} such lines), pitch {pitch}")
    if args.png:
        png = pdf_to_png(pdf, args.png, args.dpi, args.png_path or out / f"page-{args.png}.png")
        print(f"  page {args.png} → {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
