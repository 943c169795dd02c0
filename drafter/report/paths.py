"""Find report files among the paths a user names (files and folders, recursively)."""

from __future__ import annotations

from pathlib import Path

from drafter.errors import InputError
from drafter.report.readers import REPORT_SUFFIXES


def collect_report_paths(paths: list[str]) -> list[Path]:
    """Expand files and folders into report files (.txt/.md/.docx), in a stable order.

    A named file is always taken (an unsupported type is reported by the reader); a folder
    contributes the report files under it; a folder with none is an InputError.
    """
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise InputError(f"{raw}：文件或文件夹不存在", "请检查路径是否正确")
        if p.is_dir():
            found = sorted(f for f in p.rglob("*")
                           if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES
                           and not f.name.startswith(("~$", ".")))
            if not found:
                raise InputError(f"{raw}：文件夹中没有 .txt/.md/.docx 报告",
                                 "请指定报告文件或包含报告的文件夹")
            out.extend(found)
        else:
            out.append(p)
    return out
