"""The LLM client against a real local HTTP server: incomplete answers, reasoning kept apart,
distinct failure messages, secrets masked before anything is shortened, response_format.

The client is driven directly (``Client.complete``) where the behaviour is the client's own,
and through a whole draft where it is what a user sees.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from evaluations.openai_server import Reply, ScriptedServer, error, free_port
from tests.llm_helpers import GOOD, MARK, ROUTE, script

pytest.importorskip("httpx")

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "tests" / "data" / "llm_facts.yaml"
KEY = "sk-4f9a2c7e1b8d6053aa17c9e2b0d4f1a7x"
MESSAGES = [("system", "你是公文起草人员。"), ("user", "请起草本部分正文。")]


def pieces(secret: str, n: int = 8) -> set[str]:
    return {secret[i:i + n] for i in range(len(secret) - n + 1)}


def assert_no_piece(text: str, secret: str = KEY) -> None:
    found = [p for p in pieces(secret) if p in text]
    assert not found, (found[:3], text[:300])


def complete(base_url: str, *, stream: bool = True, deadline: float = 20, **kw):
    from drafter.backends.llm_client import Client, Endpoint

    ep = Endpoint(base_url=base_url, model="m", api_key=KEY, timeout=2, deadline=deadline, stream=stream)

    async def go():
        async with Client(ep, backoff_base=0.01) as c:
            return await c.complete(MESSAGES, **kw), c.calls
    return asyncio.run(go())


@pytest.fixture
def server():
    with ScriptedServer() as s:
        yield s


# -- incomplete answers ---------------------------------------------------------------------

@pytest.mark.parametrize("stream", [True, False])
def test_an_incomplete_answer_is_retried_once_and_never_taken_as_complete(server, stream):
    from drafter.backends.llm_client import CallFailed

    server.default = Reply(content="（一）健全依法决策机制\n我局严格落实", stream="cut")
    with pytest.raises(CallFailed) as e:
        complete(server.base_url, stream=stream)
    assert e.value.kind == "incomplete" and "回复不完整" in e.value.reason
    assert len(server.requests) == 2  # the first try and one retry, no more


def test_an_incomplete_answer_then_a_complete_one_is_used(server):
    server.on("请起草", Reply(content="半句", stream="cut"), Reply(content="完整的正文。"))
    c, calls = complete(server.base_url)
    assert c.text == "完整的正文。" and calls == 2
    assert c.attempts == ["回复不完整（数据流在结束标记前中断）"]


def test_a_cut_stream_in_a_draft_falls_back_and_says_why(tmp_path, monkeypatch, server):
    for k, v in {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY, "DRAFTER_MODEL": "m",
                 "DRAFTER_CACHE_DIR": str(tmp_path / "cache"), "DRAFTER_LLM_TIMEOUT": "2"}.items():
        monkeypatch.setenv(k, v)
    script(server, plans=(Reply(content=GOOD["plans"], stream="cut"),))
    from drafter.pipeline import draft
    from drafter.report.readers import read_report

    result = draft(FACTS, tmp_path / "o.docx", backend="llm", run_dir=tmp_path / "run")
    text = read_report(tmp_path / "o.docx").text
    plans = next(s for s in result.backend_report["sections"] if s["key"] == "plans")
    assert plans["status"] == "fallback" and "回复不完整" in plans["reason"]
    assert MARK["plans"] not in text and MARK["measures"] in text
    assert len(server.calls(ROUTE["plans"])) == 2
    assert not list((tmp_path / "cache").rglob("*.json")) or all(
        MARK["plans"] not in p.read_text(encoding="utf-8") for p in (tmp_path / "cache").rglob("*.json"))
    md = (tmp_path / "run" / "run-report.md").read_text(encoding="utf-8")
    assert "改用模板" in md and "回复不完整" in md


# -- reasoning is never text ----------------------------------------------------------------

@pytest.mark.parametrize("stream", [True, False])
def test_reasoning_content_is_kept_apart_from_the_text(server, stream):
    server.default = Reply(content="正文第一句。", reasoning="先看事实材料，再决定写法。")
    c, _ = complete(server.base_url, stream=stream)
    assert c.text == "正文第一句。" and c.reasoning == "先看事实材料，再决定写法。"


# -- failures say what they were --------------------------------------------------------------

@pytest.mark.parametrize("reply,kind,says", [
    (error(500), "server", "HTTP 500（服务端错误）"),
    (error(503, retry_after="0"), "server", "HTTP 503（服务端错误）"),
    (error(400, "context length exceeded"), "refused", "请求被拒绝（HTTP 400）：context length exceeded"),
    (Reply(raw=b'{"choices": [{"message": '), "malformed", "回复格式错误"),
    (Reply(content="半句", stream="cut"), "incomplete", "回复不完整"),
])
def test_each_failure_has_its_own_message(server, reply, kind, says):
    from drafter.backends.llm_client import CallFailed

    server.default = reply
    with pytest.raises(CallFailed) as e:
        complete(server.base_url, deadline=3)
    assert e.value.kind == kind and says in e.value.reason and not e.value.fatal


def test_a_server_that_is_not_there_is_cannot_connect():
    from drafter.backends.llm_client import CallFailed

    with pytest.raises(CallFailed) as e:
        complete(f"http://127.0.0.1:{free_port()}/v1", deadline=1.5)
    assert e.value.kind == "connect" and e.value.reason.startswith("无法连接服务")


@pytest.mark.parametrize("status,says", [(401, "密钥被拒绝"), (403, "密钥被拒绝"), (404, "地址或模型不存在")])
def test_endpoint_faults_end_the_run(server, status, says):
    from drafter.backends.llm_client import CallFailed

    server.default = error(status, "nope")
    with pytest.raises(CallFailed) as e:
        complete(server.base_url)
    assert e.value.fatal and says in e.value.reason and len(server.requests) == 1


# -- secrets ------------------------------------------------------------------------------------

LONG = "The request could not be processed because the credentials supplied were rejected " * 6


@pytest.mark.parametrize("at", [0, 1, 7, 60, 110, 119, 120, 121, 150, 159, 160, 161, 200, 480])
def test_a_key_echoed_at_any_offset_is_masked_before_the_message_is_shortened(server, at):
    from drafter.backends.llm_client import CallFailed

    server.default = error(400, LONG, echo_key_at=at)
    with pytest.raises(CallFailed) as e:
        complete(server.base_url)
    assert_no_piece(e.value.reason)
    assert "请求被拒绝（HTTP 400）" in e.value.reason


@pytest.mark.parametrize("text", [
    f"Incorrect API key provided: {KEY}.",
    f"key {KEY[:12]}****{KEY[-6:]} is invalid",          # starred in the middle, as some APIs do
    f"bad key {KEY[5:30]} (truncated)",                       # a piece of it
    f"Authorization: Bearer {KEY}",
    f'headers={{"authorization": "Bearer {KEY}"}}',
    "GET https://user:hunter2-secret-pass@llm.example.com/v1/models failed",
])
def test_secrets_are_masked_in_any_form(text):
    from drafter.backends.masking import Secrets

    s = Secrets.of(KEY, "https://user:hunter2-secret-pass@llm.example.com/v1")
    masked = s.mask(text)
    assert_no_piece(masked)
    assert "hunter2-secret-pass" not in masked and "***" in masked


def test_short_keys_are_not_hidden_words():
    from drafter.backends.masking import Secrets

    assert Secrets.of("local").mask("local server answered") == "local server answered"


def test_response_format_is_dropped_once_when_the_server_refuses_it(server):
    def answer(body):
        if "response_format" in body:
            return error(400, "response_format is not supported by this model")
        return Reply(content='{"findings": []}')

    server.default = answer
    c, calls = complete(server.base_url, response_format={"type": "json_object"})
    assert c.text == '{"findings": []}' and calls == 2
    assert server.requests[0].body["response_format"] == {"type": "json_object"}
    assert "response_format" not in server.requests[1].body


def test_run_folder_records_every_round_with_secrets_masked(tmp_path, monkeypatch, server):
    for k, v in {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY, "DRAFTER_MODEL": "m",
                 "DRAFTER_CACHE_DIR": str(tmp_path / "cache"), "DRAFTER_LLM_TIMEOUT": "2"}.items():
        monkeypatch.setenv(k, v)
    script(server, other=(error(400, LONG, echo_key_at=115),))
    from drafter.pipeline import draft

    result = draft(FACTS, tmp_path / "o.docx", backend="llm", run_dir=tmp_path / "run")
    other = next(s for s in result.backend_report["sections"] if s["key"] == "other")
    assert other["status"] == "fallback" and "请求被拒绝（HTTP 400）" in other["reason"]
    for p in (tmp_path / "run").rglob("*.json"):
        assert_no_piece(p.read_text(encoding="utf-8"))
    rec = json.loads((tmp_path / "run" / "llm" / "05-other.json").read_text(encoding="utf-8"))
    assert rec["status_text"] == "改用模板" and rec["rounds"][0]["error"]
