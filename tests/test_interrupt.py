"""Nothing half-written: an interrupted or failing run leaves no partial output and no
temporary file behind.

- A real `drafter draft --backend llm` process is interrupted with SIGINT while its sections
  are being drafted. The moment is deterministic: the scripted OpenAI-compatible server holds
  every request open, and the signal is sent once the requests have arrived.
- In-process, the interrupt (and a full disk) lands inside the final write of the .docx,
  of a --fix copy and of an annotated copy: the one step where a partial file could appear.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drafter.checker.testing import skeleton
from drafter.cli import INTERRUPTED, main
from evaluations.openai_server import Reply, ScriptedServer

ROOT = Path(__file__).resolve().parent.parent
LLM_FACTS = ROOT / "tests" / "data" / "llm_facts.yaml"
FACTS = ROOT / "corpus" / "shili-kegongxin" / "2023" / "facts.yaml"


def leftovers(folder: Path) -> list[str]:
    """Temporary or partial files: dot-files of atomic writes, *.tmp, any .docx."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and (p.name.startswith(".") or p.suffix in (".tmp", ".docx")))


def run(*args: str, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as e:
        main(list(args))
    out = capsys.readouterr()
    return e.value.code, out.out, out.err


@pytest.fixture
def hanging_server():
    """Accepts every chat request and never answers (until the test ends)."""
    with ScriptedServer() as s:
        s.default = Reply(hang=True)
        yield s


def test_sigint_while_sections_are_drafted_leaves_no_partial_output(tmp_path, hanging_server):
    pytest.importorskip("httpx")
    out = tmp_path / "草稿.docx"
    env = dict(os.environ, OPENAI_BASE_URL=hanging_server.base_url, OPENAI_API_KEY="sk-local",
               DRAFTER_MODEL="scripted", DRAFTER_CACHE_DIR=str(tmp_path / "cache"),
               DRAFTER_LLM_TIMEOUT="120", DRAFTER_LLM_DEADLINE="300")
    proc = subprocess.Popen([sys.executable, "-m", "drafter", "draft", str(LLM_FACTS), "-o", str(out),
                             "--backend", "llm", "--run-dir", str(tmp_path / "run")],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        deadline = time.monotonic() + 90
        while not hanging_server.calls() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert hanging_server.calls(), "no request reached the server: " + (
            proc.communicate(timeout=5)[1] if proc.poll() is not None else "timed out")
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
    # click starts the message on a new line (the terminal has echoed "^C"): one line of text.
    assert [ln for ln in stderr.splitlines() if ln.strip()] == [f"错误：{INTERRUPTED}"], stderr
    assert not out.exists()
    assert leftovers(tmp_path) == []
    # The run folder never gets its final report; what it holds was written whole.
    assert not (tmp_path / "run" / "run-report.json").exists()
    assert not (tmp_path / "run" / "run-report.md").exists()
    assert "已写出" not in stdout


# -- in-process: the fault lands inside the final write ----------------------------------

def _interrupt(*a, **k):
    raise KeyboardInterrupt


def _disk_full(*a, **k):
    raise OSError(errno.ENOSPC, "No space left on device")


def _report(tmp_path: Path, suffix: str) -> Path:
    text = skeleton().replace("{fragment}\n", "我局坚持依法行政,全年开展检查12次。\n")
    if suffix == ".docx":
        from tests.docx_fixtures import lines_docx

        return lines_docx(tmp_path / "报告.docx", text.splitlines())
    path = tmp_path / f"报告{suffix}"
    path.write_text(text, encoding="utf-8")
    return path


COMMANDS = [
    ("draft", lambda t: ["draft", str(FACTS), "-o", str(t / "草稿.docx")], "草稿.docx"),
    ("fix-copy", lambda t: ["check", str(_report(t, ".txt")), "--fix", "-o", str(t / "改.txt")], "改.txt"),
    ("annotate", lambda t: ["check", str(_report(t, ".docx")), "--annotate", str(t / "批注.docx")],
     "批注.docx"),
]
FAULTS = [("sigint", _interrupt, 130, "已中断"), ("disk-full", _disk_full, 2, "磁盘空间不足")]


@pytest.mark.parametrize("fault,raiser,code,phrase", FAULTS, ids=[f[0] for f in FAULTS])
@pytest.mark.parametrize("command,argv,target", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_fault_during_the_final_write_leaves_no_file(tmp_path, monkeypatch, capsys, command, argv,
                                                      target, fault, raiser, code, phrase):
    args = argv(tmp_path)
    inputs = {p: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    # os.fsync runs after the bytes went to the temporary file and before the rename.
    monkeypatch.setattr(os, "fsync", raiser)
    rc, out, err = run(*args, capsys=capsys)
    assert rc == code, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("错误：") and phrase in lines[0], err
    if fault == "disk-full":
        assert target in lines[0]
    assert not (tmp_path / target).exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert {p: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == inputs


def test_fixing_in_place_keeps_the_original_when_the_write_fails(tmp_path, monkeypatch, capsys):
    src = _report(tmp_path, ".txt")
    before = src.read_bytes()
    monkeypatch.setattr(os, "fsync", _disk_full)
    rc, _, err = run("check", str(src), "--fix", "--force", capsys=capsys)
    assert rc == 2 and "写入失败" in err
    assert src.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [src.name]
