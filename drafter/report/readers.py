"""Read .txt / .md / .docx files into the :class:`~drafter.report.Report` model.

Text files are decoded by detection (UTF-8, UTF-8 with BOM, GBK/GB18030 …, via
charset-normalizer), never by assumption; CRLF and CR become LF. Word files are read by
``drafter.docx.reader``. Every failure becomes an :class:`~drafter.errors.InputError` with a
Chinese message naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from drafter.errors import InputError
from drafter.report import Report
from drafter.report.structure import build_report

TEXT_SUFFIXES = {".txt", ".md"}
REPORT_SUFFIXES = TEXT_SUFFIXES | {".docx"}
MAX_TEXT_BYTES = 5 * 1024 * 1024  # a real report is ~10-50 KB; 5 MB is a hundred reports
# Whatever the format: a real report has 5,000-30,000 characters in a few hundred paragraphs.
# Checking and showing a report take time in proportion to its length; beyond these it is
# not one report (a .docx of 50 MB of XML could otherwise hold tens of millions).
MAX_CHARACTERS = 2_000_000
MAX_PARAGRAPHS = 50_000


_GB = ("gb18030", "gbk", "gb2312")
_EBCDIC = ["cp037", "cp273", "cp424", "cp500", "cp875", "cp1026", "cp1140"]


def decode_text(data: bytes, path: str) -> str:
    """Decode report bytes: BOMs and valid UTF-8 first, then detection among Chinese encodings."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8", errors="strict")
        except UnicodeDecodeError as e:
            raise InputError(f"{path}：文件标明为 UTF-8 编码，但第 {e.start + 4} 字节起不是有效的 "
                             "UTF-8（文件可能已损坏）", "请用 UTF-8 或 GBK 编码另存后重试") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            pass
        else:
            if _looks_like_garbage(text):
                raise InputError(f"{path}：无法识别文本编码或内容不是中文文本",
                                 "请用 UTF-8 或 GBK 编码另存后重试")
            return text
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}：不是文本文件（含有二进制数据）",
                         "请提供 .txt/.md/.docx 格式的报告")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # Reports in China are GB-encoded when not UTF-8; try those first so short texts are not
    # mistaken for Big5 or a Western code page.
    # On short texts the detector often scores GB18030 and Big5 the same (chaos 0.0) and
    # returns Big5 first: break ties in favour of GB.
    matches = [m for m in from_bytes(data, cp_isolation=["gb18030", "gbk", "gb2312", "big5",
                                                         "utf_16"]) if m.encoding]
    best = min(matches, key=lambda m: (round(m.chaos, 3), m.encoding not in _GB)) if matches else None
    if best is None or best.encoding is None:
        # Short mixed texts ("个A4…一一一") can score too "chaotic" for the Chinese candidates;
        # the open detection would then pick Shift-JIS or a Western code page and misread
        # the report. Bytes that are valid GB18030 are a Chinese report first.
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            if not _looks_like_garbage(text):
                return text
        # EBCDIC code pages "decode" any byte string; a report is never in one.
        best = from_bytes(data, cp_exclusion=_EBCDIC).best()
    if best is None or best.encoding is None:
        raise InputError(f"{path}：无法识别文本编码", "请用 UTF-8 或 GBK 编码另存后重试")
    text = str(best)
    if _looks_like_garbage(text):
        raise InputError(f"{path}：无法识别文本编码或内容不是中文文本",
                         "请用 UTF-8 或 GBK 编码另存后重试")
    return text


def _looks_like_garbage(text: str) -> bool:
    sample = text[:5000]
    if not sample:
        return False
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
              or "\uff00" <= ch <= "\uffef")
    ascii_ = sum(1 for ch in sample if ch.isascii() and (ch.isprintable() or ch in "\r\n\t"))
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls > 0 or (cjk + ascii_) < 0.8 * len(sample)


def check_length(texts: list[str], name: str) -> None:
    """InputError when the paragraphs are more than any one report (see MAX_CHARACTERS)."""
    chars = sum(len(t) for t in texts)
    if len(texts) > MAX_PARAGRAPHS or chars > MAX_CHARACTERS:
        raise InputError(f"{name}：文档过长（{chars:,} 字、{len(texts):,} 段，上限 {MAX_CHARACTERS:,} 字、"
                         f"{MAX_PARAGRAPHS:,} 段），不像是一份年度报告",
                         "一份报告通常不超过几万字；请确认文件是否正确，或拆分后分别审核")


def split_lines(text: str) -> list[str]:
    """Physical lines with CRLF/CR normalised; a trailing newline adds no line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_text_report(path: str | os.PathLike[str], display: str | None = None) -> Report:
    p = Path(path)
    name = display or str(path)
    try:
        size = p.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise InputError(f"{name}：文件过大（{size // 1024 // 1024} MB，上限 5 MB）",
                             "一份报告通常不超过几十 KB，请确认文件是否正确")
        data = p.read_bytes()
    except InputError:
        raise
    except OSError as e:
        raise InputError(f"{name}：无法读取（{e.strerror or e}）", "请检查文件是否存在、是否有读取权限") from None
    text = decode_text(data, name)
    lines = split_lines(text)
    check_length(lines, name)
    if not any(line.strip() for line in lines):
        raise InputError(f"{name}：文件为空，没有正文", "请确认选择了正确的报告文件")
    fmt = "md" if p.suffix.lower() == ".md" else "txt"
    shifts = emphasis = None
    if fmt == "md":
        marked = [_strip_markdown(line) for line in lines]
        # _strip_markdown drops a prefix (and a closing "**"): the text starts at its shift.
        shifts = [shift for _, shift, _ in marked]
        emphasis = [bold for _, _, bold in marked]
        lines = [text for text, _, _ in marked]
    return build_report(lines, path=name, fmt=fmt, col_shifts=shifts, emphasis=emphasis)


def _strip_markdown(line: str) -> tuple[str, int, bool]:
    """Drop Markdown heading marks ('# 一、…'), list bullets and the "**" around a wholly bold
    line; keep the text. Returns (text, how many characters of ``line`` come before it,
    whether the line was wholly bold). The text is a substring of ``line`` starting at the
    shift, so positions in it map back to the file."""
    s = line
    stripped = s.lstrip()
    if stripped.startswith("#"):
        s = stripped.lstrip("#").lstrip()
    elif stripped[:2] in ("- ", "* ", "+ ") and len(stripped) > 2:
        s = stripped[2:]
    shift = len(line) - len(s)
    inner = s.strip()
    for mark in ("**", "__"):
        if (len(inner) > 2 * len(mark) and inner.startswith(mark) and inner.endswith(mark)
                and mark not in inner[len(mark):-len(mark)]):
            lead = len(s) - len(s.lstrip())
            text = inner[len(mark):-len(mark)]
            return text, shift + lead + len(mark), True
    return s, shift, False


LEGACY_NOTE = "旧版 Word/WPS 文件已用 LibreOffice 转换为 .docx 后审核（段落号按转换后的文档计）"


def read_docx_report(path: str | os.PathLike[str], name: str | None = None) -> Report:
    """Read a .docx into a Report (:func:`drafter.docx.reader.read_docx` reads the body);
    ``name`` is how messages name the file. ``Report.source_docx`` keeps the Word document
    for the layout rules. Raises InputError for an unreadable, damaged or empty document."""
    from drafter.docx.reader import read_docx

    content = read_docx(path, name)
    check_length(content.texts, name or str(path))
    report = build_report(content.texts, path=name or str(path), fmt="docx",
                          auto_numbers=content.auto_numbers, in_table=content.in_table,
                          reader_notes=content.notes)
    report.source_docx = content.document
    return report


def read_legacy_report(path: str | os.PathLike[str], name: str) -> Report:
    """An old Word/WPS file (.doc/.wps), converted to .docx by LibreOffice when it is
    installed (drafter.docx.convert); InputError saying how to convert it by hand if not."""
    import tempfile

    from drafter.docx.convert import legacy_to_docx

    data = legacy_to_docx(path, name)
    with tempfile.TemporaryDirectory(prefix="drafter-legacy-") as tmp:
        converted = Path(tmp) / "converted.docx"
        converted.write_bytes(data)
        report = read_docx_report(converted, name)
    report.reader_notes.append(LEGACY_NOTE)
    return report


def read_report(path: str | os.PathLike[str], display: str | None = None) -> Report:
    """Read one report file (.txt, .md or .docx) into a Report.

    Raises InputError (exit 2) for a missing or unreadable file or an unsupported type.
    """
    p = Path(path)
    name = display or str(path)
    if not p.exists():
        raise InputError(f"{name}：文件不存在", "请检查路径是否正确")
    if p.is_dir():
        raise InputError(f"{name}：是文件夹，不是报告文件", "请指定 .txt/.md/.docx 文件")
    suffix = p.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_text_report(p, name)
    if suffix == ".docx":
        return read_docx_report(p, name)
    if suffix in (".doc", ".wps"):
        return read_legacy_report(p, name)
    if suffix == ".pdf":
        raise InputError(f"{name}：不支持 PDF 文件", "请提供 .docx 原稿，或将文字另存为 .txt")
    raise InputError(f"{name}：不支持的文件类型“{suffix or '无扩展名'}”",
                     "请提供 .txt、.md 或 .docx 格式的报告")
