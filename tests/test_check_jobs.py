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


def test_batches_for_a_pool_shrink_toward_the_end(tmp_path):
    from drafter.checker.batch import MIN_SHARE, batches

    paths = []
    for i in range(199):
        p = tmp_path / f"{i:03d}.txt"
        p.write_bytes(b"x" * 100)
        paths.append(p)
    got = batches(paths, size=32, workers=2)
    sizes = [len(b) for b in got]
    assert [q for b in got for q in b] == paths
    assert max(sizes) == 32 and sizes == sorted(sizes, reverse=True)
    assert sizes[-1] <= MIN_SHARE and sizes[-2] <= MIN_SHARE  # the workers end together
    assert [len(b) for b in batches(paths, size=32)] == [32] * 6 + [7]  # one process


FOLDER_CODE = r"""
import json, os, sys
from drafter.api import CheckRequest, check_paths
from drafter.checker.output import render_json
pool = render_json(check_paths(CheckRequest(paths=[sys.argv[1]], jobs=2)))
here = "rjieba" in sys.modules
one = render_json(check_paths(CheckRequest(paths=[sys.argv[1]], jobs=1)))
print(json.dumps({"same": pool == one, "segmenter_loaded_in_parent": here,
                  "rules": sorted({f["rule"] for r in json.loads(pool)["files"]
                                   for f in r["findings"]}),
                  "left": [n for n in os.listdir(os.environ["TMPDIR"])
                           if n.startswith("drafter-seg-")]}))
"""


def test_a_folder_check_shares_one_segmenter_with_the_same_findings(tmp_path):
    import os
    import subprocess
    import sys

    from drafter.text.segment_service import SHARE_FROM_FILES

    d = tmp_path / "reports"
    d.mkdir()
    # Reports whose NAM001 needs the word segmenter (names beside role words), first and
    # among the others; at least SHARE_FROM_FILES files.
    names = ["11_qiyun_wanghu_street.txt", "14_jiangyu_city_hrss.txt"]
    others = sorted(p.name for p in CASES.glob("*.txt") if p.name not in names)
    picked = names[:1] + others[:SHARE_FROM_FILES] + names[1:]
    for i, name in enumerate(picked):
        shutil.copy(CASES / name, d / f"{i:02d}_{name}")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = subprocess.run([sys.executable, "-c", FOLDER_CODE, str(d)], capture_output=True,
                         text=True, timeout=300, env=dict(os.environ, TMPDIR=str(tmp)))
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["same"] and "NAM001" in got["rules"]
    assert got["segmenter_loaded_in_parent"] is False  # the parent asked the service
    assert got["left"] == []


def _children(pid: int) -> list[int]:
    import subprocess

    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGTERM to the group", "SIGKILL"])
def test_a_stopped_folder_check_leaves_no_process_or_folder_behind(tmp_path, sig):
    import os
    import shutil as sh
    import signal
    import subprocess
    import sys
    import time

    if sh.which("pgrep") is None or not os.path.isdir("/proc"):
        pytest.skip("needs pgrep and /proc")
    d = tmp_path / "reports"
    d.mkdir()
    cases = sorted(CASES.glob("*.txt"))
    for i in range(120):
        shutil.copy(cases[i % len(cases)], d / f"{i:03d}.txt")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "drafter", "check", str(d)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, TMPDIR=str(tmp)), start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        children: list[int] = []
        # The segmenter service and the workers (the check's own process is one of them).
        expected = 1 + min(os.cpu_count() or 1, 119) - 1
        while time.monotonic() < deadline and len(children) < expected and proc.poll() is None:
            children = _children(proc.pid)
            time.sleep(0.01)
        assert len(children) >= expected, "the check ended before its workers started"
        # Past the forks: a signal inside CPython's at-fork handlers is lost ("Exception
        # ignored"), and the check would simply run to its end.
        time.sleep(0.05)
        if sig.endswith("group"):  # as a job runner or `timeout` may: the workers get it too
            os.killpg(proc.pid, signal.SIGTERM)
        else:
            proc.send_signal(getattr(signal, sig))
        out, err = proc.communicate(timeout=60)
        if sig.startswith("SIGTERM"):
            assert proc.returncode == 143 and "已中断" in err and "Traceback" not in err
            assert out == ""  # no half of a result
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (any(map(_alive, children)) or
                                               any(tmp.iterdir())):
            time.sleep(0.05)
        assert not any(map(_alive, children)) and list(tmp.iterdir()) == []
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def _copies(folder: Path, n: int) -> list[Path]:
    cases = sorted(CASES.glob("*.txt"))
    out = []
    for i in range(n):
        out.append(folder / f"{i:03d}.txt")
        shutil.copy(cases[i % len(cases)], out[-1])
    return out


def test_the_pool_checks_every_batch_once_in_input_order(tmp_path):
    from drafter.checker import CheckOptions, all_rules
    from drafter.checker import batch as batch_mod
    from drafter.checker.pool import check_in_pool

    files = _copies(tmp_path, 70)
    rules = all_rules()
    serial = [r for b in batch_mod.batches(files)
              for r in batch_mod.check_files(b, CheckOptions(), rules)]
    pooled = check_in_pool(files, CheckOptions(), rules, 2)
    assert [r.path for r in pooled] == [str(p) for p in files]
    assert pooled == serial and any(r.findings for r in pooled)


def test_a_worker_that_dies_is_reported_not_a_silent_gap(tmp_path, monkeypatch):
    import os

    from drafter.checker import CheckOptions, all_rules
    from drafter.checker import batch as batch_mod
    from drafter.checker.pool import check_in_pool
    from drafter.errors import DrafterError

    files = _copies(tmp_path, 40)
    here = os.getpid()
    real = batch_mod.check_files

    def dies_in_a_worker(paths, options, rules):
        if os.getpid() != here:
            os._exit(9)  # as an out-of-memory kill would end it
        return real(paths, options, rules)

    monkeypatch.setattr(batch_mod, "check_files", dies_in_a_worker)
    with pytest.raises(DrafterError) as e:
        check_in_pool(files, CheckOptions(), all_rules(), 2)
    assert "审核子进程意外退出" in e.value.message


def test_only_the_plain_folder_check_starts_the_segmenter_before_drafter_loads(tmp_path):
    import sys

    from drafter.cli.early import plain_folder_check
    from drafter.text.segment_service import SHARE_FROM_FILES

    many, few = tmp_path / "many", tmp_path / "few"
    many.mkdir()
    few.mkdir()
    _copies(many, SHARE_FROM_FILES)
    _copies(few, SHARE_FROM_FILES - 1)
    prog = "/usr/local/bin/drafter"
    assert plain_folder_check([prog, "check", str(many)])
    assert plain_folder_check([prog, "check", str(few), str(many)])
    assert plain_folder_check(["/x/site-packages/drafter/__main__.py", "check", str(many)])
    assert not plain_folder_check([prog, "check", str(few)])  # too few to share
    assert not plain_folder_check([prog, "check", str(many), "-j", "1"])  # an option: click decides
    assert not plain_folder_check([prog, "check", "--format", "json", str(many)])
    assert not plain_folder_check([prog, "rules", str(many)])
    assert not plain_folder_check([prog, "check"])
    assert not plain_folder_check([sys.executable, "check", str(many)])  # a program importing drafter
    assert not plain_folder_check([])
