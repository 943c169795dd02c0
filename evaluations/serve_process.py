"""A real ``drafter serve`` in a child process, for benchmarks and end-to-end tests.

:func:`start` picks a free port on 127.0.0.1, starts the server with the given options and
waits until ``/healthz`` answers; :func:`stop` ends it (SIGTERM, then SIGKILL).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*args: str, env: dict[str, str] | None = None, stdout: int | IO[Any] = subprocess.DEVNULL,
          log: Path | None = None, timeout: float = 90.0) -> tuple[subprocess.Popen, str]:
    """(process, base URL) of a server started with ``args`` once it answers ``/healthz``.
    Its stderr is kept to explain a failed start: in ``log`` (stdout too) when given, else piped.
    RuntimeError when it exits or does not answer within ``timeout`` seconds."""
    port = free_port()
    out = log.open("w") if log is not None else None
    proc = subprocess.Popen([sys.executable, "-m", "drafter", "serve", "--port", str(port), *args],
                            cwd=ROOT, env=env, stdout=out or stdout,
                            stderr=subprocess.STDOUT if out else subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(log.read_text() if log is not None
                               else proc.stderr.read().decode(errors="replace"))
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return proc, base
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"drafter serve did not start within {timeout:g} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
