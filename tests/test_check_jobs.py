"""`drafter check --jobs N`: files checked in a process pool, output in the input order."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

CASES = Path(__file__).resolve().parent.parent / "evaluations" / "cases" / "reports"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "reports"
    d.mkdir()
    for src in sorted(CASES.glob("1[1-4]_*.txt")) + sorted(CASES.glob("0[1-3]_*.txt")):
        shutil.copy(src, d / src.name)
    return d


def test_parallel_check_gives_the_serial_output_in_input_order(cli, folder):
    serial = cli("check", str(folder), "--format", "json")
    parallel = cli("check", str(folder), "--format", "json", "--jobs", "2")
    assert serial.returncode == parallel.returncode == 1  # the defective reports have errors
    a, b = json.loads(serial.stdout), json.loads(parallel.stdout)
    assert a == b
    assert [Path(f["path"]).name for f in b["files"]] == sorted(p.name for p in folder.iterdir())
    assert b["summary"]["files"] == 7 and b["summary"]["errors"] > 0


def test_parallel_check_text_output_matches_serial(cli, folder):
    serial = cli("check", str(folder), "--no-color")
    parallel = cli("check", str(folder), "--no-color", "-j", "0")
    assert serial.stdout == parallel.stdout and serial.stdout.strip()


def test_parallel_check_reports_a_bad_file_with_exit_2(cli, folder):
    (folder / "05_empty.txt").write_text("\n\n", encoding="utf-8")
    r = cli("check", str(folder), "--jobs", "2")
    assert r.returncode == 2
    assert "05_empty.txt" in r.stderr and "文件为空" in r.stderr
    assert "Traceback" not in r.stderr


def test_jobs_must_not_be_negative(cli, folder):
    r = cli("check", str(folder), "--jobs", "-1")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_one_process_checks_in_batches_with_the_same_output(cli, folder):
    one = cli("check", str(folder), "--format", "json", "-j", "1")
    pool = cli("check", str(folder), "--format", "json", "-j", "2")
    assert one.returncode == pool.returncode == 1
    assert json.loads(one.stdout) == json.loads(pool.stdout)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_first_bad_file_in_input_order_is_the_one_reported(cli, folder, jobs):
    (folder / "02_b_empty.txt").write_text("\n", encoding="utf-8")
    (folder / "13_z_empty.txt").write_text("\n\n", encoding="utf-8")
    r = cli("check", str(folder), "-j", jobs)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "02_b_empty.txt" in r.stderr and "13_z_empty.txt" not in r.stderr


def test_batches_keep_the_order_and_bound_files_and_bytes(tmp_path):
    from drafter.checker.batch import batches

    paths = []
    for i, size in enumerate([10, 10, 10, 50, 10, 200, 10]):
        p = tmp_path / f"{i}.txt"
        p.write_bytes(b"x" * size)
        paths.append(p)
    got = batches(paths, size=3, max_bytes=60)
    assert [q for b in got for q in b] == paths
    assert [[q.name for q in b] for b in got] == [["0.txt", "1.txt", "2.txt"], ["3.txt", "4.txt"],
                                                  ["5.txt"], ["6.txt"]]
    assert batches([], size=3) == []
