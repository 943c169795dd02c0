"""Outputs are atomic, never overwrite without force, and keep ordinary permissions."""

from __future__ import annotations

import os
import stat

import pytest

from drafter.errors import OutputError
from drafter.io import atomic_write_bytes


def test_new_output_gets_the_mode_of_an_ordinary_new_file(tmp_path):
    old = os.umask(0o022)
    try:
        p = atomic_write_bytes(tmp_path / "a.docx", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(p.stat().st_mode) == 0o644


def test_forced_replacement_keeps_the_replaced_files_mode(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"old")
    p.chmod(0o640)
    atomic_write_bytes(p, b"new", force=True)
    assert p.read_bytes() == b"new"
    assert stat.S_IMODE(p.stat().st_mode) == 0o640


def test_existing_output_is_not_replaced_and_no_temp_file_is_left(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"old")
    with pytest.raises(OutputError):
        atomic_write_bytes(p, b"new")
    assert p.read_bytes() == b"old"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.txt"]


def test_file_created_after_the_first_check_is_not_replaced(tmp_path, monkeypatch):
    import drafter.io as io_mod

    p = tmp_path / "a.txt"
    # The first check passes (no file yet); another process creates the file meanwhile.
    monkeypatch.setattr(io_mod, "check_output_path", lambda path, force=False: (p.write_bytes(b"theirs"), p)[1])
    with pytest.raises(OutputError):
        atomic_write_bytes(p, b"ours")
    assert p.read_bytes() == b"theirs"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.txt"]
