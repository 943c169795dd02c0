"""The rjieba wrapper: domain words, and safe first use from several threads (web server)."""

from __future__ import annotations

import subprocess
import sys


def test_domain_words_keep_their_tags():
    from drafter.text import segment

    tags = dict(segment.tag("法律顾问薛宝庆律师"))
    assert tags["薛宝庆"] == "nr"
    assert tags["法律顾问"] != "nr"


def test_first_use_from_many_threads_does_not_fail():
    # A fresh interpreter, so the dictionary is initialised by the racing threads themselves.
    code = """
import threading
from drafter.text import segment
errors = []
def work():
    try:
        for _ in range(20):
            segment.tag("局党组书记认真履行推进法治建设第一责任人职责，法律顾问薛宝庆律师参与审查")
    except Exception as e:
        errors.append(repr(e))
threads = [threading.Thread(target=work) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
print("ERRORS", errors)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "ERRORS []" in out.stdout
