"""Read the body text of a Word (.docx) report: :func:`read_docx` returns its paragraphs
(:class:`DocxContent`); :func:`drafter.report.readers.read_docx_report` builds the Report.

One paragraph of the model per w:p of the body, in document order — body paragraphs, table
cells row by row, text boxes after the paragraph they are anchored in — numbered from 1,
empty ones included, so a finding's ``line`` is the paragraph number a user can count to.
Numbers supplied by Word automatic numbering are recomputed
(:mod:`drafter.docx.autonumber`) and put in front of the text, as Word shows them. Tracked
changes are read as if all were accepted, with a note. What is and is not body text is
spelled out in :mod:`drafter.docx.oxml.read`.

The file is untrusted: before python-docx opens it the zip is checked for size, compression
ratio (zip bombs) and a main document; XML is parsed without resolving entities or touching
the network, and external relationships (linked images, hyperlinks, templates) are never
fetched. Every failure is an :class:`~drafter.errors.InputError` naming the file.
"""

from __future__ import annotations

import os
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.docx.package import OLE_MAGIC, PackageLimits, check_package
from drafter.errors import InputError

# A 300-page report has ~5 MB of XML; photos may make the whole file larger.
LIMITS = PackageLimits("Word 文档", ".docx", max_total=256 * 1024 * 1024,
                       max_xml=50 * 1024 * 1024)

REVISIONS_NOTE = "文档含有未接受的修订，已按接受全部修订后的文本审核"
ALT_CHUNK_NOTE = "文档嵌入了外部格式的内容（altChunk），这部分文字未能读取、未审核"
_RESAVE = "请在 Word 或 WPS 中打开该文件并“另存为” .docx 后重试"


@dataclass
class DocxContent:
    """What the body of a .docx says: one entry per paragraph in document order (``texts``
    with Word's automatic numbers in front, ``auto_numbers`` those numbers or None,
    ``in_table``), reader ``notes`` (tracked changes read as accepted …) and the python-docx
    ``document`` itself (the layout rules read page setup, styles and footers from it)."""

    texts: list[str]
    auto_numbers: list[str | None]
    in_table: list[bool]
    notes: list[str]
    document: Any


def read_docx(path: str | os.PathLike[str], name: str | None = None) -> DocxContent:
    """Read ``path`` (.docx); ``name`` is how messages name the file.

    Raises InputError for an unreadable, damaged, oversized or empty document.
    """
    name = name or str(path)
    _preflight(Path(path), name)
    texts, auto_numbers, in_table, notes, doc = _read_paragraphs(Path(path), name)
    if not any(t.strip() for t in texts):
        raise InputError(f"{name}：文档中没有正文文字",
                         "请确认选择了正确的报告文件（页眉、页脚、批注和脚注不计入正文）")
    return DocxContent(texts, auto_numbers, in_table, notes, doc)


def _damaged(name: str) -> InputError:
    return InputError(f"{name}：不是有效的 .docx 文件（文件可能已损坏或被截断）", _RESAVE)


def _preflight(path: Path, name: str) -> None:
    """Check the zip container before any XML is parsed."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(8)
    except OSError as e:
        raise InputError(f"{name}：无法读取（{e.strerror or e}）",
                         "请检查文件是否存在、是否有读取权限") from None
    if magic.startswith(OLE_MAGIC):
        # OLE2: a password-protected .docx, or an old .doc renamed to .docx.
        raise InputError(f"{name}：文件是加密的 Word 文档或旧版 .doc 格式，无法读取",
                         "请取消密码保护，或在 Word/WPS 中另存为 .docx 后重试")
    with check_package(path, name, LIMITS, _RESAVE) as zf:
        names = set(zf.namelist())
        main = "word/document.xml"
        if "_rels/.rels" in names:
            from drafter.docx.oxml.parts import main_document_target

            try:
                rels = zf.read("_rels/.rels")
                main = main_document_target(rels) or main
            except Exception:  # noqa: BLE001 - any damage here means "not a docx"
                raise _damaged(name) from None
            if b"http://purl.oclc.org/ooxml/officeDocument/relationships" in rels:
                raise InputError(f"{name}：文档是“Strict Open XML”格式，暂不支持",
                                 "请在 Word 中“另存为”普通的“Word 文档（.docx）”后重试")
        if "[Content_Types].xml" not in names or main not in names:
            raise InputError(f"{name}：不是 Word 文档（压缩包中没有 {main}）",
                             "请提供 Word 保存的 .docx 文件")


def _open(path: Path, name: str):
    """python-docx Document, with every failure of an untrusted file turned into InputError."""
    import docx
    from lxml import etree

    try:
        return docx.Document(str(path))
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, etree.XMLSyntaxError):
        raise _damaged(name) from None
    except ValueError as e:
        if "content type" in str(e):
            raise InputError(f"{name}：不是 Word 文档（可能是改了扩展名的其他 Office 文件）",
                             "请提供 Word 保存的 .docx 文件") from None
        raise _damaged(name) from None
    except OSError as e:
        raise InputError(f"{name}：无法读取（{e.strerror or e}）",
                         "请检查文件是否存在、是否有读取权限") from None
    except Exception:  # noqa: BLE001 - python-docx on malformed packages raises anything
        raise _damaged(name) from None


def _read_paragraphs(path: Path, name: str
                     ) -> tuple[list[str], list[str | None], list[bool], list[str], object]:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    from drafter.docx.autonumber import AutoNumberer
    from drafter.docx.oxml.ns import qn
    from drafter.docx.oxml.numbering import paragraph_numbering, read_numbering
    from drafter.docx.oxml.parts import related_root
    from drafter.docx.oxml.read import TextCollector, has_alt_chunk, iter_paragraphs
    from drafter.docx.oxml.styles import StyleTable

    doc = _open(path, name)
    body = doc.element.find(qn("w:body"))
    if body is None:
        raise InputError(f"{name}：文档中没有正文文字", "请确认选择了正确的报告文件")
    styles = StyleTable(related_root(doc.part, RT.STYLES))
    numbering = read_numbering(related_root(doc.part, RT.NUMBERING))
    numberer = AutoNumberer(numbering, styles.num_pr)
    collector = TextCollector()

    texts: list[str] = []
    auto_numbers: list[str | None] = []
    in_table: list[bool] = []
    for p, tbl in iter_paragraphs(body):
        text = collector.paragraph_text(p)
        prefix = None
        ref = paragraph_numbering(p, styles) if numbering.nums else None
        if ref is not None:
            label = numberer.label(*ref)
            if label is not None:
                prefix = label[0] + label[1]
                text = prefix + text
        texts.append(text)
        auto_numbers.append(prefix)
        in_table.append(tbl)
    notes = []
    if collector.revisions:
        notes.append(REVISIONS_NOTE)
    if has_alt_chunk(body):
        notes.append(ALT_CHUNK_NOTE)
    return texts, auto_numbers, in_table, notes, doc
