"""The zip container of an untrusted Office Open XML file (.docx report, .xlsx facts
workbook), checked before any part of it is parsed.

An OOXML file is a zip of XML parts. A few kilobytes of zip can unpack to gigabytes (a zip
bomb), and a part's XML is parsed into memory, so before python-docx or openpyxl sees the file
:func:`check_package` refuses one with too many members, too much data once unpacked (in all,
in XML parts, in any one part), a part that compresses far better than real Office XML does,
or encrypted members. Every refusal is an :class:`~drafter.errors.InputError` naming the file,
in Chinese; callers turn it into their own error class when they need to.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from drafter.errors import InputError

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # encrypted OOXML, and the old binary .doc/.xls


@dataclass(frozen=True)
class PackageLimits:
    """What a real file of one kind never exceeds (``kind``: its Chinese name, for messages)."""

    kind: str  # "Word 文档"
    suffix: str  # ".docx"
    max_members: int = 10_000
    max_total: int = 256 * 1024 * 1024  # everything, photos included
    max_xml: int = 50 * 1024 * 1024  # parts parsed as XML, together
    max_part: int | None = None  # any one XML part
    max_ratio: int = 200  # Office XML deflates 10-40x; a zip bomb 1000x and more
    ratio_floor: int = 1024 * 1024  # small parts may compress as they like


def _mb(n: int) -> int:
    return n // 1024 // 1024


def check_package(path: Path, name: str, limits: PackageLimits, hint: str) -> zipfile.ZipFile:
    """The opened zip of ``path`` when it is within ``limits`` (the caller closes it);
    InputError (``hint`` says what to do) otherwise. An OLE2 file (encrypted, or an old
    binary format) is refused by the caller before this, with its own advice."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        raise InputError(f"{name}：不是有效的 {limits.suffix} 文件（文件可能已损坏或被截断）", hint) from None
    except OSError as e:
        raise InputError(f"{name}：无法读取（{e.strerror or e}）",
                         "请检查文件是否存在、是否有读取权限") from None
    try:
        _check(zf, name, limits, hint)
    except BaseException:
        zf.close()
        raise
    return zf


def _check(zf: zipfile.ZipFile, name: str, limits: PackageLimits, hint: str) -> None:
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise InputError(f"{name}：压缩包内文件过多（{len(infos)} 个，上限 {limits.max_members} 个），"
                         f"不像是正常的 {limits.kind}", hint)
    total = sum(i.file_size for i in infos)
    is_xml = [i.filename.lower().endswith((".xml", ".rels")) for i in infos]
    xml_total = sum(i.file_size for i, x in zip(infos, is_xml) if x)
    if total > limits.max_total:
        raise InputError(f"{name}：文件解压后过大（{_mb(total)} MB，上限 "
                         f"{_mb(limits.max_total)} MB），可能是压缩炸弹或已损坏", hint)
    if xml_total > limits.max_xml:
        raise InputError(f"{name}：文档内容解压后过大（{_mb(xml_total)} MB，上限 "
                         f"{_mb(limits.max_xml)} MB），可能是压缩炸弹或已损坏", hint)
    for i, x in zip(infos, is_xml):
        if limits.max_part is not None and x and i.file_size > limits.max_part:
            raise InputError(f"{name}：压缩包中的 {i.filename} 解压后过大（{_mb(i.file_size)} MB，"
                             f"上限 {_mb(limits.max_part)} MB），可能是压缩炸弹或已损坏", hint)
        if i.file_size > limits.ratio_floor and (
                i.compress_size == 0 or i.file_size / i.compress_size > limits.max_ratio):
            raise InputError(f"{name}：压缩包中的 {i.filename} 压缩比异常（超过 {limits.max_ratio} 倍"
                             "上限），可能是压缩炸弹", hint)
        if i.flag_bits & 0x1:
            raise InputError(f"{name}：压缩包已加密，无法读取", "请取消加密后重试")
