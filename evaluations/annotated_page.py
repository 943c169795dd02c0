"""Render one page of an annotated report (``drafter check --annotate``) as a PNG for the docs.

Usage::

    python evaluations/annotated_page.py [REPORT] [--page 1] [--dpi 80] [--out docs/annotated-seed-page-1.png]

REPORT (default: the seed) is written as a GB/T 9704 .docx when it is .txt/.md, annotated
(every finding a Word comment), converted to PDF by LibreOffice (``soffice --headless``, fonts
via ``docs/fontconfig/fonts.conf``) and the page rendered by ``pdftoppm``. LibreOffice 7.4
exports Word comments as PDF notes, which a rendered page shows only as note icons; so that
the picture also shows what the comments say, the notes of that page — read back from the PDF
LibreOffice wrote (position and text) — are numbered beside their icons and listed in a panel
to the right of the page. Needs soffice, pdftoppm and Pillow (``pip install -e .[docs]``).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_5a7ed637e8473e00.txt"
FONTCONFIG = ROOT / "docs" / "fontconfig" / "fonts.conf"
PDF_EXPORT = 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}'


def pdf_notes(pdf: bytes) -> list[list[tuple[tuple[float, ...], str]]]:
    """Per page (in order): the (rect, text) of each note (/Subtype /Text annotation).

    LibreOffice writes the page tree and the annotations as plain (uncompressed) objects.
    """
    objects = {int(m.group(1)): m.group(2) for m in
               re.finditer(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)}
    pages_root = next(body for body in objects.values() if re.search(rb"/Type\s*/Pages\b", body))
    kids = [int(x) for x in re.findall(rb"(\d+) 0 R", re.search(rb"/Kids\s*\[(.*?)\]",
                                                                  pages_root, re.S).group(1))]
    out = []
    for page in kids:
        annots = re.search(rb"/Annots\s*\[(.*?)\]", objects[page], re.S)
        notes = []
        for ref in re.findall(rb"(\d+) 0 R", annots.group(1) if annots else b""):
            body = objects.get(int(ref), b"")
            if not re.search(rb"/Subtype\s*/Text(?![A-Za-z])", body):
                continue
            rect = tuple(float(x) for x in re.search(rb"/Rect\s*\[([^\]]*)\]", body).group(1).split())
            notes.append((rect, _pdf_string(body)))
        out.append(notes)
    return out


def _pdf_string(body: bytes) -> str:
    """The /Contents string of an annotation (hex UTF-16BE or a literal string)."""
    m = re.search(rb"/Contents\s*<([0-9A-Fa-f\s]*)>", body)
    if m:
        raw = bytes.fromhex(m.group(1).decode("ascii"))
        return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
    m = re.search(rb"/Contents\s*\(((?:\\.|[^\\)])*)\)", body, re.S)
    if not m:
        return ""
    raw = re.sub(rb"\\(.)", lambda x: {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(x.group(1),
                                                                                  x.group(1)),
                 m.group(1), flags=re.S)
    return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")


def _font(size: int):
    from PIL import ImageFont

    path = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True,
                          text=True).stdout.strip()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default()


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines, cur = [], ""
    for ch in text:
        if draw.textlength(cur + ch, font=font) > width:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    return lines + ([cur] if cur else [])


def _dashed(draw, a: tuple[float, float], b: tuple[float, float], colour, dash: int = 4) -> None:
    """A horizontal dashed line from ``a`` to ``b``."""
    x = a[0]
    while x < b[0]:
        draw.line([x, a[1], min(x + dash, b[0]), a[1]], fill=colour, width=1)
        x += 2 * dash


def compose(page_png: Path, notes: list[tuple[tuple[float, ...], str]], page_height_pt: float,
            dpi: int, out: Path, panel: int = 430, max_lines: int = 3) -> int:
    """The page with numbered markers at its notes and a panel listing them; returns how many
    notes are listed."""
    from PIL import Image, ImageDraw

    page = Image.open(page_png).convert("RGB")
    scale = dpi / 72
    image = Image.new("RGB", (page.width + panel, page.height), "white")
    image.paste(page, (0, 0))
    draw = ImageDraw.Draw(image)
    font, small = _font(12), _font(10)
    draw.rectangle([page.width, 0, image.width - 1, image.height - 1], fill=(247, 247, 250))
    draw.line([page.width, 0, page.width, image.height], fill=(200, 200, 210))
    notes = sorted(notes, key=lambda n: (-n[0][3], n[0][0]))
    # Notes at the same spot (two findings on one quote) share one marker: "1,2".
    markers: list[tuple[float, float, list[int]]] = []
    for k, (rect, _) in enumerate(notes, start=1):
        x, y = rect[0] * scale, (page_height_pt - rect[3]) * scale
        if markers and abs(markers[-1][0] - x) < 8 and abs(markers[-1][1] - y) < 8:
            markers[-1][2].append(k)
        else:
            markers.append((x, y, [k]))
    line_colour, accent = (226, 190, 120), (214, 150, 40)
    y_next, shown, tops = 8, 0, {}
    for k, (rect, text) in enumerate(notes, start=1):
        y = (page_height_pt - rect[3]) * scale
        lines = _wrap(draw, f"{k}. {text}", font, panel - 24)
        if len(lines) > max_lines:
            lines = lines[:max_lines]
            lines[-1] = lines[-1][:-1] + "…"
        top = max(y_next, int(y) - 4)
        height = 15 * len(lines) + 8
        if top + height > image.height - 4:
            rest = len(notes) - shown
            draw.text((page.width + 12, image.height - 20), f"……本页另有 {rest} 条批注", font=font,
                      fill=(90, 90, 90))
            break
        box = [page.width + 8, top, image.width - 8, top + height]
        draw.rounded_rectangle(box, radius=4, fill="white", outline=accent)
        for i, line in enumerate(lines):
            draw.text((box[0] + 8, top + 4 + 15 * i), line, font=font, fill=(40, 40, 40))
        tops[k] = top + 8
        y_next, shown = top + height + 4, shown + 1
    for x, y, ks in markers:  # Word-style leader: along the line to the margin, then to the box
        label = ",".join(map(str, ks))
        w = max(14, draw.textlength(label, font=small) + 6)
        edge = page.width - 6
        for k in ks:
            if k in tops:
                _dashed(draw, (x + w, y - 4), (edge, y - 4), line_colour)
                draw.line([edge, y - 4, page.width + 8, tops[k]], fill=line_colour, width=1)
        draw.rounded_rectangle([x, y - 11, x + w, y + 3], radius=7, fill=accent)
        draw.text((x + w / 2, y - 4), label, font=small, fill="white", anchor="mm")
    # A 128-colour palette keeps the antialiased text and a third of the file size.
    image.quantize(colors=128, method=2).save(out, optimize=True)
    return shown


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("report", type=Path, nargs="?", default=SEED)
    ap.add_argument("--page", type=int, default=1)
    ap.add_argument("--dpi", type=int, default=80)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "annotated-seed-page-1.png")
    args = ap.parse_args(argv)
    from drafter.api import annotate_file
    from drafter.docx.convert import convert, soffice

    if soffice() is None or shutil.which("pdftoppm") is None:
        print("needs soffice (libreoffice-writer-nogui) and pdftoppm (poppler-utils)",
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="drafter-annotated-") as tmp:
        work = Path(tmp)
        docx = work / "annotated.docx"
        findings, annotated = annotate_file(args.report, docx)
        pdf = convert(docx, PDF_EXPORT, work, env={"FONTCONFIG_FILE": str(FONTCONFIG)})
        data = pdf.read_bytes()
        notes = pdf_notes(data)
        height = float(re.search(rb"/MediaBox\s*\[\s*[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)",
                                 data).group(1))
        prefix = work / "page"
        subprocess.run(["pdftoppm", "-r", str(args.dpi), "-png", "-singlefile", "-f",
                        str(args.page), "-l", str(args.page), str(pdf), str(prefix)], check=True)
        shown = compose(prefix.with_suffix(".png"), notes[args.page - 1], height, args.dpi,
                        args.out)
    print(f"{args.report.name}: {len(findings)} findings, {annotated.comments} comments, "
          f"{sum(map(len, notes))} PDF notes on {len(notes)} pages; page {args.page}: "
          f"{len(notes[args.page - 1])} notes, {shown} listed → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
