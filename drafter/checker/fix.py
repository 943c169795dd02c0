"""Applying the safe fixes (Edits) that findings carry: ``drafter check --fix``.

Only Edits are applied — punctuation width, 〈〉, 顿号 between titles, 文号 brackets, spaces
between digits and Chinese, full-width digits, joined line breaks, variant characters. A finding
without Edits (a name, a number, a law title, a word choice) is never touched.

Overlapping edits: the edits are taken left to right and one that overlaps an edit already
taken is dropped (on a tie the longer one wins), so applying the rest is well defined; a later
run of ``--fix`` applies what was dropped if it still applies.

Text files keep their encoding (UTF-8 with or without BOM, GB18030/GBK, UTF-16, …) and their
line-break style, so the fixed copy can replace the original for whatever tool reads it; only
if the fixed text cannot be encoded in the original encoding is it written as UTF-8 (and
``TextFix.note`` says so).
"""

from __future__ import annotations

import bisect
import codecs
from dataclasses import dataclass
from typing import Iterable

from drafter.checker.finding import Edit, Finding
from drafter.report import Report


def collect_edits(findings: Iterable[Finding]) -> list[Edit]:
    """Every Edit attached to ``findings`` (duplicates removed)."""
    seen: set[Edit] = set()
    out: list[Edit] = []
    for f in findings:
        for e in f.edits or ():
            if e not in seen:
                seen.add(e)
                out.append(e)
    return out


def _content_key(s: str) -> str:
    """The words of ``s``: width-folded (NFKC), simplified (t2s), without punctuation/spaces."""
    import unicodedata

    from drafter.checker.rules.typos import to_simplified

    folded = unicodedata.normalize("NFKC", s)
    kept = "".join(ch for ch in folded if not unicodedata.category(ch)[0] in "PZC"
                   and ch not in "<>")
    return to_simplified(kept)


def preserves_content(text: str, edit: Edit) -> bool:
    """True when ``edit`` changes only punctuation, spacing, character width or script variant.

    This is the guarantee of ``--fix``: no word, name, number or law title is ever changed,
    whatever rule proposed the edit.
    """
    return _content_key(text[edit.start:edit.end]) == _content_key(edit.replacement)


def split_safe(text: str, edits: Iterable[Edit]) -> tuple[list[Edit], list[Edit]]:
    """(edits that preserve content, edits that would change words and are withheld)."""
    safe: list[Edit] = []
    withheld: list[Edit] = []
    for e in edits:
        (safe if preserves_content(text, e) else withheld).append(e)
    return safe, withheld


def select_edits(edits: Iterable[Edit], text: str | None = None,
                 within_paragraphs: bool = False) -> list[Edit]:
    """Non-overlapping edits, left to right (longer first on a tie).

    With ``within_paragraphs`` (for .docx) an edit whose span crosses a paragraph break of
    ``text`` — joining two paragraphs — is left out.
    """
    chosen: list[Edit] = []
    reach = -1  # the furthest end of a chosen (non-empty) edit
    inserted: set[int] = set()
    for e in sorted(edits, key=lambda e: (e.start, -(e.end - e.start), e.replacement)):
        if e.start < 0 or e.end < e.start or e.start < reach:
            continue
        if e.start == e.end and e.start in inserted:
            continue
        if within_paragraphs and text is not None and "\n" in text[e.start:e.end]:
            continue
        chosen.append(e)
        if e.start == e.end:
            inserted.add(e.start)
        reach = max(reach, e.end) if e.end > e.start else reach
    return chosen


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with non-overlapping ``edits`` applied (offsets refer to the original text)."""
    out = text
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[:e.start] + e.replacement + out[e.end:]
    return out


@dataclass
class TextFix:
    data: bytes
    applied: int
    encoding: str
    note: str | None = None


_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))


def source_encoding(data: bytes, text: str) -> tuple[str, bytes] | None:
    """(encoding, BOM) under which ``data`` decodes to ``text`` — the reader's decoding."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return (enc, bom) if data[len(bom):].decode(enc) == text else None
            except UnicodeDecodeError:
                return None
    for enc in ("utf-8", "gb18030", "big5", "utf-16"):
        try:
            if data.decode(enc) == text:
                return enc, b""
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        try:
            if data.decode(best.encoding) == text:
                return best.encoding, b""
        except (UnicodeDecodeError, LookupError):
            pass
    return None


def fix_text_bytes(data: bytes, report: Report, edits: Iterable[Edit], name: str) -> TextFix:
    """Apply ``edits`` (offsets into ``report.text``) to the bytes of the .txt/.md it was read from.

    The file's lines are matched to the report's paragraphs (a Markdown line may carry a
    "# " or "- " prefix the reader dropped, ``Paragraph.col_shift``); offsets are shifted
    accordingly. Every line keeps its own terminator (a file with mixed CRLF/LF stays mixed).
    """
    import re

    from drafter.errors import InputError
    from drafter.report.readers import decode_text

    text = decode_text(data, name)
    # The reader's split (drafter.report.readers.split_lines), keeping each line's terminator.
    parts = re.split(r"(\r\n|\r|\n)", text)
    lines, ends = parts[0::2], parts[1::2] + [""]
    if lines[-1] == "":  # a trailing line break adds no line
        lines.pop()
        ends.pop()
    paras = report.paragraphs
    if len(lines) != len(paras) or any(ln[p.col_shift:] != p.text for ln, p in zip(lines, paras)):
        raise InputError(f"{name}：修正前文件内容已改变，未写出修正结果", "请重新运行 drafter check --fix")
    default_end = next((e for e in ends if e), "\n")
    line_start = []
    pos = 0
    for ln, end in zip(lines, ends):
        line_start.append(pos)
        pos += len(ln) + len(end)
    starts = [p.offset for p in paras]

    def line_of(off: int) -> int:
        return max(0, bisect.bisect_right(starts, off) - 1)

    def to_file(off: int) -> int:
        i = line_of(off)
        return line_start[i] + paras[i].col_shift + (off - paras[i].offset)

    # A line break inside a replacement takes the terminator of the line it is written in.
    file_edits = [Edit(to_file(e.start), to_file(e.end),
                       e.replacement.replace("\n", ends[line_of(e.start)] or default_end))
                  for e in edits]
    fixed = apply_edits("".join(ln + end for ln, end in zip(lines, ends)), file_edits)
    found = source_encoding(data, text)
    note = None
    if found is None:
        enc, bom = "utf-8", b""
        note = "无法确定原文件编码，已按 UTF-8 写出"
    else:
        enc, bom = found
    try:
        out = bom + fixed.encode(enc)
    except UnicodeEncodeError:
        note = f"修正后的文字无法用原编码 {enc} 保存，已按 UTF-8 写出"
        enc, out = "utf-8", fixed.encode("utf-8")
    return TextFix(out, len(file_edits), enc, note)
