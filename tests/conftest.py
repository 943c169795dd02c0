from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# ../shared/seeds beside the checkout (a worktree may sit one folder deeper: look upwards).
SEED = next((p / "shared" / "seeds" / "000_5a7ed637e8473e00.txt" for p in ROOT.parents
             if (p / "shared" / "seeds").is_dir()), ROOT.parent / "shared" / "seeds" / "000_5a7ed637e8473e00.txt")


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("the seed report (../shared/seeds) is not present")
    return SEED


@pytest.fixture
def seed_text(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8")


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None,
            input: str | None = None) -> subprocess.CompletedProcess:
    """Run the real `drafter` entry point in a subprocess (as a user would)."""
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "drafter", *args], cwd=cwd, env=e,
                          capture_output=True, text=True, input=input, timeout=120)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def listener():
    """A local TCP port that records whether anything connected to it (see ``connected``)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(5)
    srv.setblocking(False)
    yield srv
    srv.close()


def connected(srv: socket.socket) -> bool:
    """Whether anything connected to the ``listener`` socket."""
    try:
        conn, _ = srv.accept()
    except BlockingIOError:
        return False
    conn.close()
    return True


def labelled_defects(path: Path, family: str) -> list[dict]:
    """The defects of rule ``family`` labelled beside an evaluation report (NN_x.labels.yaml)."""
    from drafter.datafiles import load_yaml_text

    lab = path.with_suffix(".labels.yaml")
    if not lab.exists():
        return []
    data = load_yaml_text(lab.read_text(encoding="utf-8")) or {}
    return [d for d in data.get("defects") or [] if d.get("rule_family") == family]
