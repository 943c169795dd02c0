"""Open an untrusted facts workbook (.xlsx): a preflight, then one streaming read.

A few kilobytes of .xlsx can declare a sheet of a million cells, or hold one (empty cells
compress to almost nothing); loading that with openpyxl's normal mode builds every cell in
memory, and loading it twice (once for values, once for formulas) doubles that. So:

- :func:`preflight` checks the container before any sheet is parsed — the zip limits shared
  with .docx (:mod:`drafter.docx.package`: members, unpacked size, compression ratio,
  encryption), a main workbook part, every sheet's declared size (``<dimension>``) against
  :data:`MAX_SHEET_ROWS` × :data:`MAX_SHEET_COLS`, and its cells and rows, counted in the
  unpacked bytes without parsing (a million cells: well under a second).
- :func:`open_workbook` then reads the workbook's shared parts (sheet list, shared strings,
  styles) with openpyxl and streams each sheet the reader asks for **once**, keeping only cells with content —
  the cached value and, for a formula, its text — and stops at :data:`MAX_CELLS` cells or
  :data:`MAX_ELEMENTS` XML elements. The two views it returns (values, formulas) answer
  ``wb.sheetnames``, ``wb[title].cell(row=, column=).value``, ``.column_letter``,
  ``ws.max_row`` and ``ws.max_column`` as openpyxl's workbooks do, from that one read.

Every refusal is a :class:`~drafter.errors.FactsError` naming the file (and the sheet).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from drafter.errors import FactsError, InputError

MAX_SHEET_ROWS = 20_000  # declared or used; the reader reads 2,000 data rows per sheet
MAX_SHEET_COLS = 256  # column IV; a facts sheet has ten
MAX_CELLS = 200_000  # cells streamed, all sheets read together (a full workbook: ~140,000)
MAX_ELEMENTS = 1_000_000  # XML elements streamed per sheet (rows, cells and the rest)
MAX_CELL_ELEMENTS = 1_000  # XML elements inside one cell (rich-text runs …)
_RESAVE = "请在 Excel 或 WPS 中打开后另存为 .xlsx，或重新生成采集表后把内容复制过去"
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([^\"]*)\"")


def _limits():
    from drafter.docx.package import PackageLimits

    # A filled facts workbook unpacks to well under 5 MB; shared strings and styles are
    # parsed into memory, so each XML part is bounded on its own too.
    return PackageLimits("Excel 工作簿", ".xlsx", max_members=2_000, max_total=64 * 1024 * 1024,
                         max_xml=48 * 1024 * 1024, max_part=8 * 1024 * 1024)


def damaged(name: str) -> FactsError:
    return FactsError(f"{name}：无法作为 Excel 工作簿打开（文件可能已损坏，或不是 .xlsx 格式）",
                      "请确认是 .xlsx 文件（.xls 请在 Excel 中另存为 .xlsx；不要设置打开密码）")


def preflight(path: Path, name: str) -> None:
    """FactsError when ``path`` is not a plausible facts workbook, before any sheet is parsed."""
    from drafter.docx.package import OLE_MAGIC, check_package

    try:
        with path.open("rb") as fh:
            magic = fh.read(8)
    except OSError as e:
        raise FactsError(f"{name}：无法读取（{e.strerror or e}）", "请检查文件权限") from None
    if magic.startswith(OLE_MAGIC) or not zipfile.is_zipfile(path):
        raise damaged(name)  # encrypted, an old .xls renamed, or no workbook at all
    try:
        zf = check_package(path, name, _limits(), _RESAVE)
    except InputError as e:
        raise FactsError(e.message, e.hint) from None
    with zf:
        if "xl/workbook.xml" not in set(zf.namelist()):
            raise damaged(name)
        for info in zf.infolist():
            if info.filename.lower().endswith((".xml", ".rels")):
                _no_doctype(zf, info, name)
        titles = _sheet_titles(zf)
        cells = 0
        for info in zf.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                where = titles.get(info.filename)
                _check_dimension(zf, info, name, where)
                cells += _count_cells(zf, info, name, where, MAX_CELLS - cells)


def _no_doctype(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    """Office never writes a DTD: a part that declares one (entities — a local file, a URL, a
    "billion laughs") is a damaged or crafted workbook, refused before anything parses it."""
    try:
        with zf.open(info) as fh:
            head = fh.read(64 * 1024)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError):
        raise damaged(name) from None
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise damaged(name)


def _sheet_titles(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> sheet title, to name sheets in messages (best effort: {} when the
    workbook part cannot be read; openpyxl reads it properly later)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        book = etree.fromstring(zf.read("xl/workbook.xml"), parser)
        rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"), parser)
    except Exception:  # noqa: BLE001 - names for messages only
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in book.iter("{*}sheet"):
        target = targets.get(sheet.get(rel), "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        out[part] = sheet.get("name", "")
    return out


def _check_dimension(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str,
                     title: str | None) -> None:
    """A sheet whose declared used range (``<dimension ref>``, near the top of the part) is
    larger than any facts sheet."""
    from openpyxl.utils.cell import range_boundaries

    try:
        with zf.open(info) as fh:
            head = fh.read(64 * 1024)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError):
        raise damaged(name) from None
    m = _DIMENSION.search(head)
    if not m:
        return
    ref = m.group(1).decode("ascii", "replace")
    try:
        _c1, _r1, c2, r2 = range_boundaries(ref)
    except (ValueError, TypeError):
        return  # an unreadable range is ignored: the cells themselves are counted
    if (r2 or 0) > MAX_SHEET_ROWS or (c2 or 0) > MAX_SHEET_COLS:
        where = f"工作表“{title}”" if title else f"工作表（{info.filename}）"
        raise _too_big(name, where, f"的使用范围为 {ref}")


_AFTER = (b" ", b"/", b">", b"\t", b"\n", b"\r")  # what may follow a tag's name
_PREFIXED = {b"c": re.compile(rb"<\w+:c[\s/>]"), b"row": re.compile(rb"<\w+:row[\s/>]")}


def _tags(block: bytes, tag: bytes, end: int) -> int:
    """Start tags ``<tag`` (or ``<prefix:tag``) in ``block[:end]``: bytes.count at C speed,
    a regular expression only where a namespace prefix is in use."""
    n = sum(block.count(b"<" + tag + a, 0, end) for a in _AFTER)
    if b":" + tag in block:
        n += len(_PREFIXED[tag].findall(block, 0, end))
    return n


def _count_cells(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, title: str | None,
                 budget: int) -> int:
    """The ``<c>`` elements of a sheet part, counted in its unpacked bytes without parsing
    (a few milliseconds a megabyte); FactsError once the workbook's cells pass MAX_CELLS or a
    sheet's rows pass MAX_SHEET_ROWS — before any XML parser sees them."""
    where = f"工作表“{title}”" if title else f"工作表（{info.filename}）"
    cells = rows = 0
    tail = b""
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 20):
                block = tail + chunk
                # A tag cut at the end of a block is counted with the next one.
                last = block.rfind(b"<", max(0, len(block) - 64))
                cut = last if last >= 0 else len(block)
                cells += _tags(block, b"c", cut)
                rows += _tags(block, b"row", cut)
                tail = block[cut:]
                if cells > budget:
                    raise _too_big(name, where, f"的单元格过多（连同其他工作表超过 {MAX_CELLS:,} 个）")
                if rows > MAX_SHEET_ROWS:
                    raise _too_big(name, where, f"的行数过多（超过 {MAX_SHEET_ROWS} 行）")
        cells += _tags(tail, b"c", len(tail))
        rows += _tags(tail, b"row", len(tail))
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError):
        raise damaged(name) from None
    if cells > budget:
        raise _too_big(name, where, f"的单元格过多（连同其他工作表超过 {MAX_CELLS:,} 个）")
    if rows > MAX_SHEET_ROWS:
        raise _too_big(name, where, f"的行数过多（超过 {MAX_SHEET_ROWS} 行）")
    return cells


def _too_big(name: str, where: str, what: str) -> FactsError:
    return FactsError(f"{name}：{where}{what}，不像是事实采集表",
                      f"采集表每个工作表不超过 {MAX_SHEET_ROWS} 行、{MAX_SHEET_COLS} 列，全部工作表合计不超过 "
                      f"{MAX_CELLS:,} 个单元格；请删除多余的行、列后另存，或重新生成采集表后把内容复制过去")


# ---- the one streaming read ------------------------------------------------------------------

@dataclass(frozen=True)
class GridCell:
    value: Any
    column_letter: str


@lru_cache(maxsize=None)
def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


class _Sheet:
    """The cells with content of one sheet: cached values and formula texts."""

    def __init__(self, title: str):
        self.title = title
        self.values: dict[tuple[int, int], Any] = {}
        self.formulas: dict[tuple[int, int], str] = {}
        self.max_row = 1
        self.max_column = 1


class _Book:
    """The workbook's shared parts (read once) and the sheets streamed from it so far (each at
    most once, when the reader first asks for it)."""

    def __init__(self, reader: Any, name: str):
        self.reader = reader  # openpyxl's ExcelReader after manifest, strings, workbook, styles
        self.wb = reader.wb
        self.name = name
        self.parts: dict[str, str | None] = {}  # title -> worksheet part (None: chart sheet)
        for sheet, rel in reader.parser.find_sheets():
            ok = rel.target in reader.valid_files and "chartsheet" not in rel.Type
            self.parts[sheet.name] = rel.target if ok else None
        self.sheets: dict[str, _Sheet] = {}
        self.cells = 0

    def sheet(self, title: str) -> _Sheet:
        if title not in self.sheets:
            try:
                self.sheets[title] = self._stream(title)
            except FactsError:
                raise
            except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, EOFError,
                    zlib.error, TypeError, IndexError):
                raise damaged(self.name) from None
        return self.sheets[title]

    def _stream(self, title: str) -> _Sheet:
        from lxml import etree
        from openpyxl.utils.cell import coordinate_to_tuple
        from openpyxl.worksheet._reader import WorkSheetParser
        from openpyxl.xml.constants import SHEET_MAIN_NS

        sheet = _Sheet(title)
        part = self.parts.get(title)
        if part is None:  # a chart sheet: no cells
            return sheet
        c_tag, row_tag, f_tag = (f"{{{SHEET_MAIN_NS}}}{t}" for t in ("c", "row", "f"))
        # parse_cell (openpyxl's own cell decoding: shared strings, numbers, dates, booleans,
        # inline strings) is applied to one <c> element at a time.
        cells = WorkSheetParser(None, self.reader.shared_strings, data_only=True,
                                epoch=self.wb.epoch, date_formats=self.wb._date_formats,
                                timedelta_formats=self.wb._timedelta_formats)
        where = f"工作表“{title}”"
        elements = in_cell = 0
        with self.reader.archive.open(part) as src:
            for event, el in etree.iterparse(src, events=("start", "end"), resolve_entities=False,
                                             no_network=True, load_dtd=False, huge_tree=False):
                if event == "start":
                    if not elements and el.getroottree().docinfo.internalDTD is not None:
                        raise damaged(self.name)  # a DTD further down than preflight looked
                    elements += 1
                    if elements > MAX_ELEMENTS:
                        raise _too_big(self.name, where, f"的内容过多（超过 {MAX_ELEMENTS:,} 个 XML 元素）")
                    if in_cell:
                        in_cell += 1
                        if in_cell > MAX_CELL_ELEMENTS:
                            raise damaged(self.name)
                    elif el.tag == c_tag:
                        in_cell = 1
                    elif el.tag == row_tag:
                        r = el.get("r")
                        cells.row_counter = int(float(r)) if r else cells.row_counter + 1
                        cells.col_counter = 0
                    continue
                if el.tag == c_tag:
                    self.cells += 1
                    if self.cells > MAX_CELLS:
                        raise _too_big(self.name, where, f"的单元格过多（连同之前读取的工作表超过 {MAX_CELLS:,} 个）")
                    if in_cell > 1:  # a cell with content: <v>, <f> or <is>
                        self._keep(sheet, cells.parse_cell(el), el.find(f_tag), where)
                    elif el.get("r"):  # an empty cell: only where the next one without r is
                        cells.col_counter = coordinate_to_tuple(el.get("r"))[1]
                    else:
                        cells.col_counter += 1
                    in_cell = 0
                elif in_cell:
                    continue  # a cell's own parts (<v>, <f>, <is>) are read with the cell
                el.clear()
                parent = el.getparent()
                while parent is not None and el.getprevious() is not None:
                    del parent[0]
        return sheet

    def _keep(self, sheet: _Sheet, cell: dict[str, Any], formula: Any, where: str) -> None:
        row, col, value = cell["row"], cell["column"], cell["value"]
        if row > MAX_SHEET_ROWS or col > MAX_SHEET_COLS:
            raise _too_big(self.name, where, f"在第 {row} 行第 {col} 列还有内容")
        if formula is not None:
            sheet.formulas[(row, col)] = "=" + (formula.text or "")
        if value is not None:
            sheet.values[(row, col)] = value
        if value is not None or formula is not None:
            sheet.max_row = max(sheet.max_row, row)
            sheet.max_column = max(sheet.max_column, col)

    def close(self) -> None:
        self.reader.archive.close()


class SheetView:
    """One sheet as the reader sees it: values, or formulas (a formula cell's ``=…`` text)."""

    def __init__(self, sheet: _Sheet, formulas: bool):
        self._sheet = sheet
        self._formulas = formulas
        self.title = sheet.title
        self.max_row = sheet.max_row
        self.max_column = sheet.max_column

    def cell(self, row: int, column: int) -> GridCell:
        key = (row, column)
        value = self._sheet.values.get(key)
        if self._formulas and key in self._sheet.formulas:
            value = self._sheet.formulas[key]
        return GridCell(value, _letter(column))


class WorkbookView:
    """``sheetnames`` and ``wb[title]`` over one streaming read (see the module docstring)."""

    def __init__(self, book: _Book, formulas: bool):
        self._book = book
        self._formulas = formulas
        self.sheetnames = list(book.parts)

    def __getitem__(self, title: str) -> SheetView:
        if title not in self.sheetnames:
            raise KeyError(title)
        return SheetView(self._book.sheet(title), self._formulas)

    def close(self) -> None:
        self._book.close()

    def __enter__(self) -> "WorkbookView":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def open_workbook(path: Path, name: str) -> tuple[WorkbookView, WorkbookView]:
    """(values, formulas) of the workbook at ``path`` after :func:`preflight`; close the first
    when done. FactsError (naming ``name``) for a damaged or oversized workbook."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    preflight(path, name)
    reader = None
    try:
        # What load_workbook(read_only=True) reads first — without its scan of every sheet
        # for a size (a whole pass over each sheet's XML).
        reader = ExcelReader(str(path), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        book = _Book(reader, name)
    # SyntaxError: damaged XML inside the package (ElementTree's ParseError, lxml's
    # XMLSyntaxError); EOFError / zlib.error: a damaged deflate stream.
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, EOFError,
            zlib.error, TypeError, AttributeError):
        if reader is not None:
            reader.archive.close()
        raise damaged(name) from None
    return WorkbookView(book, formulas=False), WorkbookView(book, formulas=True)
