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


# --- the shared segmenter of a folder check (drafter.text.segment_service) -------------------

SAMPLES = ["局长张海洋主持会议", "法律顾问薛宝庆律师参与审查", "科长黄河清牵头", "律师事务所",
           "依法行政", "进一步推进严格规范公正文明执法", "", "2023年"]

SERVICE_CODE = r"""
import json, os, sys
from drafter.text import segment
from drafter.text.segment_service import SegmenterService

samples = json.loads(sys.argv[1])

def answers():
    return [[segment.tag(s), segment.cut(s), segment.has_word(s), segment.frequency(s)]
            for s in samples]

service = SegmenterService()
assert service.start()
folder = os.path.dirname(service._address)
remote = answers()
here = "rjieba" in sys.modules  # asked the service: nothing loaded in this process
r, w = os.pipe()
pid = os.fork()
if pid == 0:  # a forked worker connects on its own
    os.write(w, json.dumps(answers()).encode())
    os._exit(0)
os.waitpid(pid, 0)
forked = json.loads(os.read(r, 1 << 20))
os.kill(service._pid, 9)  # the service dies: the next call loads a segmenter here
after_kill = answers()
service.stop()
print(json.dumps({"remote": remote, "forked": forked, "after_kill": after_kill,
                  "local": answers(), "loaded_here_before": here,
                  "folder_left": os.path.exists(folder)}, ensure_ascii=False))
"""


def test_the_shared_segmenter_answers_as_the_local_one_and_survives_its_death():
    import json

    out = subprocess.run([sys.executable, "-c", SERVICE_CODE, json.dumps(SAMPLES)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["loaded_here_before"] is False
    local = got["local"]
    assert any(tags for tags, *_ in local)  # the samples give words
    assert got["remote"] == local and got["forked"] == local and got["after_kill"] == local
    assert got["folder_left"] is False


def test_the_shared_segmenter_ends_with_the_process_that_started_it(tmp_path):
    import os
    import time

    code = r"""
import os, sys, time
from drafter.text.segment_service import SegmenterService
s = SegmenterService()
s.start()
print(s._pid, os.path.dirname(s._address), flush=True)
time.sleep(60)
"""
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        pid, folder = proc.stdout.readline().split()
        assert os.path.isdir(folder)
        proc.kill()  # no clean-up code runs in the owner
        proc.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (os.path.exists(f"/proc/{pid}")
                                               or os.path.isdir(folder)):
            time.sleep(0.05)
        gone = not os.path.exists(f"/proc/{pid}") or "Z" in _state(pid)
        assert gone and not os.path.isdir(folder)
    finally:
        proc.kill()


def _state(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0]
    except OSError:
        return "gone"


def test_the_compact_pinyin_block_gives_the_whole_tables_readings():
    from drafter.text import segment

    table = segment._pinyin_table()
    cps = list(range(0x3400, 0xA000)) + [0x20000, 0x2A6D6, 0x41, 0x3007]  # 〇, ext. A and B
    assert all(segment._raw_readings(chr(cp)) == table.get(str(cp), "") for cp in cps)
    assert segment.readings("法") == frozenset({"fa"}) and "xing" in segment.readings("行")


def test_the_cached_four_corner_table_is_the_file():
    from drafter.datafiles import data_file
    from drafter.text import shapes

    lines = [ln.split() for ln in data_file("four_corner.txt").read_text(encoding="utf-8")
             .splitlines() if ln and not ln.startswith("#")]
    assert list(shapes._codes().items()) == [(ch, code) for ch, code in lines]
    assert len(lines) == 6763 and shapes.look_alike("竟", "竞")


ROBUST_CODE = r"""
import json, os, signal, sys, tempfile, threading, time
from drafter.text import segment
from drafter.text.segment_service import SegmenterService, connect

out = {}
text = "法律顾问薛宝庆律师参与审查"

# A wrong key is refused, and the service goes on answering the others.
s = SegmenterService()
assert s.start()
try:
    connect(s._address, b"x" * 32)
    out["wrong_key"] = "accepted"
except Exception as e:
    out["wrong_key"] = type(e).__name__
# Nor does a stranger that never answers the challenge get anything unpickled: the service
# reads no more than a challenge's answer before the key is proved.
import socket
stranger = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
stranger.connect(s._address)
stranger.recv(4 + 32)  # the service's challenge
stranger.sendall((1 << 30).to_bytes(4, "big"))  # "a 1 GiB answer follows"
stranger.settimeout(10)
out["stranger_dropped"] = stranger.recv(64) == b""
stranger.close()
# Many threads of one process through one connection: each gets its own answer.
texts = [f"科长黄河清牵头{i}次" for i in range(40)] + [text] * 10
answers = {}
def ask(t):
    answers[t] = segment.tag(t)
threads = [threading.Thread(target=ask, args=(t,)) for t in texts]
[t.start() for t in threads]
[t.join() for t in threads]
shared = dict(answers)
out["alive_after_wrong_key"] = os.waitpid(s._pid, os.WNOHANG) == (0, 0)
# The service dies before a forked process first asks: that process loads its own at once.
os.kill(s._pid, signal.SIGKILL)
os.waitpid(s._pid, 0)
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    t0 = time.monotonic()
    got = segment.tag(text)
    os.write(w, json.dumps([time.monotonic() - t0, got]).encode())
    os._exit(0)
os.waitpid(pid, 0)
out["after_death_s"], out["after_death"] = json.loads(os.read(r, 1 << 16))
s.stop()
local = {t: segment.tag(t) for t in set(texts)}
out["threads_right"] = all(shared[t] == local[t] for t in texts)
out["after_death_right"] = out["after_death"] == [list(x) for x in local[text]]
# Where it cannot run (a socket path too long), start() says so and leaves nothing.
deep = tempfile.mkdtemp()
long_tmp = os.path.join(deep, "x" * 90)
os.mkdir(long_tmp)
tempfile.tempdir = long_tmp
out["long_path_start"] = SegmenterService().start()
out["long_path_left"] = os.listdir(long_tmp)
print(json.dumps(out, ensure_ascii=False))
"""


def test_the_shared_segmenter_refuses_strangers_serves_threads_and_is_not_waited_for_dead():
    import json

    out = subprocess.run([sys.executable, "-c", ROBUST_CODE], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["wrong_key"] in ("AuthenticationError", "EOFError", "ConnectionResetError",
                                "BrokenPipeError")
    assert got["stranger_dropped"]
    assert got["alive_after_wrong_key"] and got["threads_right"]
    assert got["after_death_right"] and got["after_death_s"] < 5  # no wait for a dead service
    assert got["long_path_start"] is False and got["long_path_left"] == []
