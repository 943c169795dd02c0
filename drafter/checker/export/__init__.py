"""``drafter check PATH... --export 审核意见.xlsx|.docx|.csv``: the legal office's 审核意见表.

One row per (file, rule, paragraph) across all files checked (:mod:`.rows`), in the contract's
columns (DESIGN.md "Additions"), as

- ``.xlsx`` (:mod:`.workbook`): sheet 审核意见 with a frozen header, filters, widths and
  wrapped text, and sheet 汇总 with one row per unit (errors, warnings, infos, by category,
  on time or late);
- ``.docx`` (:mod:`.letter`): a GB/T 9704 审核意见 with one table per unit;
- ``.csv``: UTF-8 with a byte-order mark (Excel opens it as UTF-8), the same columns.

Written atomically; an existing file only with ``force``.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

from drafter.checker.export.rows import COLUMNS, review_rows, unit_summaries

if TYPE_CHECKING:  # pragma: no cover
    from drafter.checker.output import FileResult

EXPORT_SUFFIXES = (".xlsx", ".docx", ".csv")
DEFAULT_TITLE = "法治政府建设年度报告审核意见表"

__all__ = ["EXPORT_SUFFIXES", "COLUMNS", "check_export_path", "export_bytes", "export_review",
           "review_rows", "unit_summaries"]


def check_export_path(path: str | os.PathLike[str], force: bool = False) -> Path:
    """The export path, checked before any report is read: a known type, writable, and not
    an existing file unless ``force``. Raises OutputError."""
    from drafter.errors import OutputError
    from drafter.io import check_output_path

    p = Path(path)
    if p.suffix.lower() not in EXPORT_SUFFIXES:
        raise OutputError(f"{p}：审核意见表应为 .xlsx、.docx 或 .csv 文件",
                          "例如 --export 审核意见.xlsx")
    check_output_path(p, force)
    return p


def export_bytes(results: list["FileResult"], suffix: str, title: str = DEFAULT_TITLE) -> bytes:
    """The 审核意见表 of ``results`` as the bytes of a ``suffix`` (.xlsx/.docx/.csv) file."""
    rows = review_rows(results)
    units = unit_summaries(results, rows)
    suffix = suffix.lower()
    if suffix == ".xlsx":
        from drafter.checker.export.workbook import workbook_bytes

        return workbook_bytes(rows, units, title)
    if suffix == ".docx":
        from drafter.checker.export.letter import letter_bytes

        return letter_bytes(rows, units, title)
    if suffix == ".csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        writer.writerows(row.values() for row in rows)
        return buf.getvalue().encode("utf-8-sig")
    raise ValueError(f"unknown export type {suffix!r}")


def export_review(results: list["FileResult"], path: str | os.PathLike[str],
                  force: bool = False, title: str = DEFAULT_TITLE) -> tuple[Path, int]:
    """Write the 审核意见表 to ``path`` (its suffix decides the format); returns (path, rows)."""
    from drafter.io import atomic_write_bytes

    p = check_export_path(path, force)
    data = export_bytes(results, p.suffix, title)
    atomic_write_bytes(p, data, force=force)
    return p, len(review_rows(results))
