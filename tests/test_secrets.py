"""The API key never leaves the request header: not in stdout/stderr, the .docx (every part,
properties included), the run folder, the response cache, or anything else written under
HOME — whatever happens to the sections (accepted, retried, repaired, fallen back, refused),
and even when the server echoes the key in an error message.

The key is a unique marker; every byte produced is searched for it (and for the password of
a base URL written with credentials, which messages must not show either).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from evaluations.openai_server import Reply, ScriptedServer, error

pytest.importorskip("httpx")

from tests.llm_helpers import GOOD, ROUTE  # noqa: E402 — needs httpx

ROOT = Path(__file__).resolve().parent.parent
LLM_FACTS = ROOT / "tests" / "data" / "llm_facts.yaml"
KEY = "sk-MARKER-7c1e0f5a9b3d-do-not-store"
URL_PASSWORD = "pw-MARKER-42d9e8"


def blobs(folder: Path) -> list[tuple[str, bytes]]:
    """Every file under ``folder``; a .docx/.xlsx also as each of its unzipped parts."""
    out = []
    for p in sorted(folder.rglob("*")):
        if not p.is_file():
            continue
        data = p.read_bytes()
        out.append((str(p), data))
        if data.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(p) as z:
                out += [(f"{p}!{n}", z.read(n)) for n in z.namelist()]
    return out


def assert_secret_absent(texts: dict[str, str], folder: Path, *secrets: str) -> None:
    for secret in secrets:
        for name, text in texts.items():
            assert secret not in text, f"{secret} in {name}"
        for form in {secret.encode(), secret.encode("utf-16-le"), json.dumps(secret).encode()}:
            for name, data in blobs(folder):
                assert form not in data, f"{secret} in {name}"


@pytest.fixture
def home(tmp_path):
    """HOME and XDG folders inside tmp_path, so anything a library writes there is searched."""
    h = tmp_path / "home"
    h.mkdir()
    return h


def env_for(server: ScriptedServer, tmp_path: Path, home: Path, url_credentials: bool = False,
            **extra: str) -> dict[str, str]:
    env = dict(os.environ, OPENAI_API_KEY=KEY, DRAFTER_MODEL="scripted",
               DRAFTER_CACHE_DIR=str(tmp_path / "cache"), DRAFTER_LLM_TIMEOUT="5",
               DRAFTER_LLM_DEADLINE="60", HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local" / "share"),
               OPENAI_BASE_URL=server.base_url)
    if url_credentials:  # the password must not be shown where the address is
        env["OPENAI_BASE_URL"] = server.base_url.replace("http://", f"http://user:{URL_PASSWORD}@")
    for k in ("LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2", "DRAFTER_LLM_STREAM"):
        env.pop(k, None)
    env.update(extra)
    return env


def draft(env: dict[str, str], tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "drafter", "draft", str(LLM_FACTS),
                           "-o", str(tmp_path / "草稿.docx"), "--backend", "llm",
                           "--run-dir", str(tmp_path / "run"), *extra],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)


def test_api_key_is_in_no_output_log_cache_run_folder_or_docx(tmp_path, home):
    with ScriptedServer() as server:
        invented = GOOD["measures"].replace("审查合同48份", "审查合同52份")
        server.on(ROUTE["measures"], error(500), invented, GOOD["measures"])  # retried, repaired
        server.on(ROUTE["shortcomings"], GOOD["shortcomings"])
        # A server that echoes the key in its error message (some do): the section falls
        # back to the template, and the reason shown must not carry the key.
        server.on(ROUTE["leadership"], error(400, f"Incorrect API key provided: {KEY}"))
        server.on(ROUTE["plans"], Reply(status=429, raw=b'{"error": {"message": "slow down"}}',
                                        headers={"Retry-After": "0"}), GOOD["plans"])
        server.on(ROUTE["other"], GOOD["other"])
        env = env_for(server, tmp_path, home)
        first = draft(env, tmp_path)
        assert first.returncode in (0, 1), first.stderr
        # The key went where it belongs: the Authorization header of each request.
        assert {r.headers.get("authorization") for r in server.requests} == {f"Bearer {KEY}"}
        second = draft(env, tmp_path, "--force")  # from the cache
        assert second.returncode in (0, 1), second.stderr
    report = json.loads((tmp_path / "run" / "run-report.json").read_text(encoding="utf-8"))
    sections = {s["key"]: s["status"] for s in report["backend"]["sections"]}
    assert sections["measures"] == "repaired" and sections["leadership"] == "fallback"
    assert report["backend"]["cached_responses"] > 0
    assert report["backend"]["endpoint"]["base_url"] == server.base_url
    assert list((tmp_path / "cache").rglob("*.json")), "nothing was cached"
    assert (tmp_path / "run" / "llm" / "01-measures.json").exists()
    assert_secret_absent({"stdout 1": first.stdout, "stderr 1": first.stderr,
                          "stdout 2": second.stdout, "stderr 2": second.stderr},
                         tmp_path, KEY, URL_PASSWORD)


def test_rejected_key_is_reported_without_the_key(tmp_path, home):
    with ScriptedServer() as server:
        server.default = error(401, f"Incorrect API key provided: {KEY}")
        cp = draft(env_for(server, tmp_path, home, url_credentials=True), tmp_path)
    assert cp.returncode == 2, cp.stdout + cp.stderr
    assert "OPENAI_API_KEY" in cp.stderr and "Traceback" not in cp.stderr
    assert not (tmp_path / "草稿.docx").exists()
    assert_secret_absent({"stdout": cp.stdout, "stderr": cp.stderr}, tmp_path, KEY, URL_PASSWORD)


def assert_no_key_piece(texts: dict[str, str], folder: Path, secret: str = KEY, n: int = 8) -> None:
    """No ``n``-character piece of ``secret`` in ``texts`` or any file under ``folder``."""
    grams = {secret[i:i + n] for i in range(len(secret) - n + 1)}
    for name, text in texts.items():
        hit = [g for g in grams if g in text]
        assert not hit, f"{hit[:2]} in {name}"
    for name, data in blobs(folder):
        for g in grams:
            assert g.encode() not in data and g.encode("utf-16-le") not in data, f"{g} in {name}"


LONG_MESSAGE = ("Authentication failed for this request; the key supplied does not match any "
                "active project and has been logged for review. ") * 4


def test_a_key_echoed_at_any_offset_leaves_no_piece_anywhere(tmp_path, home):
    """Servers echo the key inside long messages; the message is shortened for display, so
    masking must come first: no 8-character piece of the key may survive, wherever it sat."""
    with ScriptedServer() as server:
        for (key, at) in (("measures", 0), ("shortcomings", 117), ("leadership", 119), ("plans", 150)):
            server.on(ROUTE[key], error(400, LONG_MESSAGE, echo_key_at=at))
        server.on(ROUTE["other"], error(500, LONG_MESSAGE, echo_key_at=121), GOOD["other"])
        first = draft(env_for(server, tmp_path, home, url_credentials=True), tmp_path)
    assert first.returncode in (0, 1), first.stderr
    report = json.loads((tmp_path / "run" / "run-report.json").read_text(encoding="utf-8"))
    statuses = {s["key"]: s["status"] for s in report["backend"]["sections"]}
    assert statuses["measures"] == "fallback" and statuses["other"] == "accepted"
    assert_no_key_piece({"stdout": first.stdout, "stderr": first.stderr}, tmp_path)
    assert_secret_absent({"stdout": first.stdout, "stderr": first.stderr}, tmp_path, URL_PASSWORD)


@pytest.mark.parametrize("at", [0, 119, 200])
def test_a_rejected_key_echoed_at_any_offset_is_not_shown(tmp_path, home, at):
    with ScriptedServer() as server:
        server.default = error(401, LONG_MESSAGE, echo_key_at=at)
        cp = draft(env_for(server, tmp_path, home), tmp_path)
    assert cp.returncode == 2 and "密钥被拒绝" in cp.stderr, cp.stderr
    assert_no_key_piece({"stdout": cp.stdout, "stderr": cp.stderr}, tmp_path)
    # The run folder says what happened to each section: nothing reads as 通过.
    run = json.loads((tmp_path / "run" / "llm" / "run.json").read_text(encoding="utf-8"))
    assert {s["status_text"] for s in run["sections"]} <= {"未完成", "未开始"}
    assert "运行记录已写入" in cp.stderr and not (tmp_path / "草稿.docx").exists()
