"""Data stays local.

The default paths — check (with facts, last year's report, the corpus, --fix, --annotate),
template drafting (with the corpus and a run folder), the Excel facts tools, importing an
earlier report and the evaluations that need no model — open no network connection: they run here with every
non-local socket operation refused and recorded, in-process and in a fresh `drafter` process.

The llm path connects to the configured base URL and nowhere else, even when the environment
asks for traces to be sent to a tracing service (LANGCHAIN_TRACING_V2 and the like).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.checker.testing import skeleton
from drafter.cli import main
from tests.docx_fixtures import lines_docx

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FACTS = CORPUS / "shili-kegongxin" / "2023" / "facts.yaml"
LAST_YEAR = CORPUS / "shili-kegongxin" / "2022" / "report.txt"
LLM_FACTS = ROOT / "tests" / "data" / "llm_facts.yaml"
REPORTS = ROOT / "evaluations" / "cases" / "reports"

# Installed in a child process through PYTHONPATH: records every socket operation that could
# reach another machine (connect, DNS lookup, UDP send) to NETGUARD_LOG, one JSON per line;
# NETGUARD_MODE=block refuses them, =record lets them through.
SITECUSTOMIZE = r'''
import errno, json, os, socket

_LOG = os.environ.get("NETGUARD_LOG")
_BLOCK = os.environ.get("NETGUARD_MODE", "block") == "block"


def _note(kind, what):
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"op": kind, "to": repr(what), "pid": os.getpid()}) + "\n")


if _LOG:
    _connect, _connect_ex, _sendto = socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto
    _gai = socket.getaddrinfo

    def connect(self, address):
        if self.family != socket.AF_UNIX:
            _note("connect", address)
            if _BLOCK:
                raise OSError(errno.ENETUNREACH, "network disabled by the test")
        return _connect(self, address)

    def connect_ex(self, address):
        if self.family != socket.AF_UNIX:
            _note("connect", address)
            if _BLOCK:
                return errno.ENETUNREACH
        return _connect_ex(self, address)

    def sendto(self, *args):
        if self.family != socket.AF_UNIX:
            _note("sendto", args[-1])
            if _BLOCK:
                raise OSError(errno.ENETUNREACH, "network disabled by the test")
        return _sendto(self, *args)

    def getaddrinfo(host, *args, **kwargs):
        _note("getaddrinfo", host)
        if _BLOCK:
            raise socket.gaierror(socket.EAI_NONAME, "network disabled by the test")
        return _gai(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex, socket.socket.sendto = connect, connect_ex, sendto
    socket.getaddrinfo = getaddrinfo
'''


def guarded_env(tmp_path: Path, mode: str = "block", **extra: str) -> tuple[dict[str, str], Path]:
    site = tmp_path / "netguard"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "net.log"
    log.touch()
    env = dict(os.environ, NETGUARD_LOG=str(log), NETGUARD_MODE=mode,
               PYTHONPATH=os.pathsep.join([str(site), str(ROOT), os.environ.get("PYTHONPATH", "")]))
    env.update(extra)
    return env, log


def log_entries(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def no_network(monkeypatch):
    """In this process: every connect / DNS lookup / UDP send is refused and recorded."""
    attempts: list[tuple[str, object]] = []

    def refuse(kind, original=None):
        def f(*args, **kwargs):
            sock = args[0] if args and isinstance(args[0], socket.socket) else None
            if sock is not None and sock.family == socket.AF_UNIX:  # local IPC stays allowed
                return original(*args, **kwargs)
            attempts.append((kind, args[1:] if sock is not None else args))
            raise OSError(101, "network disabled by the test")
        return f

    for name in ("connect", "connect_ex", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse(name, getattr(socket.socket, name)))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


def run(*args: str, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as e:
        main([str(a) for a in args])
    out = capsys.readouterr()
    return e.value.code, out.out, out.err


@pytest.fixture
def reports(tmp_path):
    text = skeleton().replace("{fragment}\n", "我局开展执法检查12次，聘请法律顾问林思远。\n")
    txt = tmp_path / "报告.txt"
    txt.write_text(text, encoding="utf-8")
    docx = lines_docx(tmp_path / "报告.docx", text.splitlines())
    return txt, docx


def test_check_fix_and_annotate_open_no_connection(tmp_path, reports, no_network, capsys):
    txt, docx = reports
    commands = [
        ("check", txt, docx),
        ("check", tmp_path, "--format", "json", "--facts", FACTS, "--previous", LAST_YEAR),
        ("check", txt, "--corpus", CORPUS, "--select", "PLN,CNT,LAW,NAM"),
        ("check", txt, "--fix", "-o", tmp_path / "改.txt"),
        ("check", docx, "--fix", "-o", tmp_path / "改.docx"),
        ("check", txt, "--annotate", tmp_path / "批注-txt.docx"),
        ("check", docx, "--annotate", tmp_path / "批注.docx", "--facts", FACTS),
    ]
    for args in commands:
        code, out, err = run(*args, capsys=capsys)
        assert code in (0, 1), (args, err)
        assert err == "" or "Traceback" not in err
    for name in ("改.txt", "改.docx", "批注-txt.docx", "批注.docx"):
        assert (tmp_path / name).stat().st_size > 0
    assert no_network == []


def test_template_drafting_and_facts_tools_open_no_connection(tmp_path, no_network, capsys):
    code, out, err = run("draft", FACTS, "-o", tmp_path / "草稿.docx", "--corpus", CORPUS,
                         "--run-dir", tmp_path / "run", capsys=capsys)
    assert code == 0, err
    assert (tmp_path / "草稿.docx").exists() and (tmp_path / "run" / "run-report.json").exists()
    assert run("facts", "template", "-o", tmp_path / "表.xlsx", "--corpus", CORPUS,
               "--unit", "shili-kegongxin", capsys=capsys)[0] == 0
    assert run("facts", "convert", FACTS, "-o", tmp_path / "f.xlsx", capsys=capsys)[0] == 0
    assert run("draft", tmp_path / "f.xlsx", "-o", tmp_path / "表草稿.docx", capsys=capsys)[0] == 0
    assert run("corpus", "add", REPORTS / "02_shili_city_justice.txt", "--corpus", tmp_path / "语料",
               "--unit", "shili-sifa", "--year", "2023", capsys=capsys)[0] == 0
    assert no_network == []


def test_evaluations_without_the_model_open_no_connection(no_network):
    from evaluations import checker_eval, drafting_eval
    from evaluations.mutations import DEFAULT_SEED, clean_sources

    sources = clean_sources(REPORTS)[:2]
    suite = checker_eval.run_mutation_suite([REPORTS / f"{s.name}.txt" for s in sources],
                                            DEFAULT_SEED, 1, jobs=1)
    assert suite and all(r["cases"] for r in suite)
    labelled = checker_eval.run_labelled(REPORTS)
    metrics = checker_eval.compute(suite, labelled)
    assert metrics.mutants > 0
    drafts = drafting_eval.run_template([FACTS])
    assert drafts and drafts[0].error is None and drafts[0].sections_present == drafts[0].sections_total
    from evaluations import import_eval

    assert any(r.scores for r in import_eval.run())
    assert no_network == []


def test_the_in_process_guard_does_record_a_connection(no_network):
    with pytest.raises(OSError):
        socket.create_connection(("example.org", 80), timeout=1)
    with pytest.raises(OSError):
        socket.socket().connect(("192.0.2.1", 80))
    assert [kind for kind, _ in no_network] == ["create_connection", "connect"]


def test_a_fresh_drafter_process_opens_no_connection(tmp_path, reports):
    """The real command in a new interpreter (imports included), sockets refused at the OS
    seam: check, annotate and draft all succeed and nothing tried to connect."""
    txt, _ = reports
    env, log = guarded_env(tmp_path)
    for args in (["check", str(txt), "--facts", str(FACTS)],
                 ["check", str(txt), "--annotate", str(tmp_path / "批注.docx")],
                 ["draft", str(FACTS), "-o", str(tmp_path / "草稿.docx")]):
        cp = subprocess.run([sys.executable, "-m", "drafter", *args], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
        assert cp.returncode in (0, 1), cp.stderr
    assert (tmp_path / "草稿.docx").exists()
    assert log_entries(log) == []


def test_the_guard_does_record_a_connection(tmp_path):
    """The guard itself works: a child that connects somewhere is caught."""
    env, log = guarded_env(tmp_path)
    code = ("import socket\n"
            "for attempt in (lambda: socket.create_connection(('example.org', 80), timeout=1),\n"
            "                lambda: socket.socket().connect(('192.0.2.1', 80))):\n"
            "    try:\n        attempt()\n    except OSError:\n        pass\n")
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    assert [e["op"] for e in log_entries(log)] == ["getaddrinfo", "connect"]


def test_llm_path_connects_only_to_the_configured_base_url(tmp_path):
    """Tracing is switched on in the environment and pointed at a second local server: the
    prompts (government data) must not go there, nor anywhere but OPENAI_BASE_URL."""
    pytest.importorskip("httpx")
    from evaluations.openai_server import ScriptedServer

    with ScriptedServer() as model, ScriptedServer() as tracer:
        model.default = lambda body: _echo_facts_reply(body)
        env, log = guarded_env(
            tmp_path, mode="record", OPENAI_BASE_URL=model.base_url, OPENAI_API_KEY="sk-local",
            DRAFTER_MODEL="scripted", DRAFTER_CACHE_DIR=str(tmp_path / "cache"),
            DRAFTER_LLM_TIMEOUT="30", DRAFTER_LLM_DEADLINE="60",
            LANGSMITH_TRACING="true", LANGCHAIN_TRACING_V2="true", LANGSMITH_API_KEY="ls-test",
            LANGSMITH_ENDPOINT=f"http://127.0.0.1:{tracer.port}",
            LANGCHAIN_ENDPOINT=f"http://127.0.0.1:{tracer.port}")
        for k in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
            env.pop(k, None)
        cp = subprocess.run([sys.executable, "-m", "drafter", "draft", str(LLM_FACTS), "-o",
                             str(tmp_path / "草稿.docx"), "--backend", "llm"],
                            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert cp.returncode in (0, 1), cp.stderr
        assert len(model.requests) >= 5  # every section went to the model
        assert tracer.requests == [] and tracer.other_requests == []
    entries = log_entries(log)
    assert entries, "the guard recorded nothing: was the llm path taken?"
    targets = {e["to"] for e in entries if e["op"] == "connect"}
    assert targets == {repr(("127.0.0.1", model.port))}, entries
    hosts = {e["to"] for e in entries if e["op"] == "getaddrinfo"}
    assert hosts <= {repr("127.0.0.1")}, hosts
    assert not [e for e in entries if e["op"] == "sendto"]


def _echo_facts_reply(body: dict):
    """A deterministic model: the section's facts, restated (grounded by construction)."""
    from evaluations.drafting_eval import model_reply
    from evaluations.openai_server import Reply

    return Reply(content=model_reply(body.get("messages", [])))
