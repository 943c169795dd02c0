"""Report files found in the folders a user names (drafter.report.paths)."""

from __future__ import annotations

import os

import pytest

from drafter.errors import InputError
from drafter.report.paths import collect_report_paths


def _tree(root, names):
    for rel in names:
        f = root / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("一、主要举措和成效\n", encoding="utf-8")


def test_folder_order_is_by_path_parts_not_by_string(tmp_path):
    _tree(tmp_path, ["b.txt", "a-b/x.txt", "a/x.txt", "a/y.DOCX", "中文/报告.md", "a.b/r.txt"])
    found = [p.relative_to(tmp_path).as_posix() for p in collect_report_paths([str(tmp_path)])]
    # "a" sorts before "a-b" as a folder name, though "a-" < "a/" as strings
    assert found == ["a/x.txt", "a/y.DOCX", "a-b/x.txt", "a.b/r.txt", "b.txt", "中文/报告.md"]


def test_skipped_names_and_links(tmp_path):
    _tree(tmp_path, ["r.txt", ".hidden.txt", "~$lock.docx", "notes.pdf", "sub/s.txt"])
    (tmp_path / "dir.txt").mkdir()  # a folder named like a report
    os.symlink(tmp_path / "sub", tmp_path / "linked")  # a linked folder is not followed
    os.symlink(tmp_path / "r.txt", tmp_path / "link.txt")  # a linked file is a file
    os.symlink(tmp_path / "gone.txt", tmp_path / "broken.txt")
    found = [p.relative_to(tmp_path).as_posix() for p in collect_report_paths([str(tmp_path)])]
    assert found == ["link.txt", "r.txt", "sub/s.txt"]


def test_named_files_kept_in_order_and_empty_folder_refused(tmp_path):
    _tree(tmp_path, ["z.txt", "d/a.txt"])
    got = collect_report_paths([str(tmp_path / "z.txt"), str(tmp_path / "d")])
    assert [p.name for p in got] == ["z.txt", "a.txt"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="文件夹中没有"):
        collect_report_paths([str(tmp_path / "empty")])
    with pytest.raises(InputError, match="不存在"):
        collect_report_paths([str(tmp_path / "nope")])
