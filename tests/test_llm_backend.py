"""The LLM backend against a real local HTTP server speaking the OpenAI protocol.

Each test scripts the server (evaluations/openai_server.py), drafts the test facts with
``--backend llm`` and reads the written .docx back: the assertions are on the final text.
Sections are routed by their heading, since they are drafted concurrently.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from evaluations.openai_server import Reply, ScriptedServer, error, free_port
from tests.llm_helpers import GOOD, MARK, ROUTE, TEMPLATE_MARK, script  # noqa: F401

pytest.importorskip("httpx")

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "tests" / "data" / "llm_facts.yaml"
KEY = "sk-test-9f8e7d6c5b4a-never-stored"

@pytest.fixture
def server():
    with ScriptedServer(latency=0.02) as s:
        yield s


@pytest.fixture
def llm_env(server, tmp_path, monkeypatch):
    for k, v in {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY,
                 "DRAFTER_MODEL": "scripted-model", "DRAFTER_CACHE_DIR": str(tmp_path / "cache"),
                 "DRAFTER_LLM_TIMEOUT": "1", "DRAFTER_LLM_DEADLINE": "20"}.items():
        monkeypatch.setenv(k, v)
    for k in ("LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2", "DRAFTER_LLM_STREAM"):
        monkeypatch.delenv(k, raising=False)
    return server


def run(tmp_path: Path, name: str = "out", **options):
    from drafter.pipeline import draft
    from drafter.report.readers import read_report

    out = tmp_path / f"{name}.docx"
    result = draft(FACTS, out, backend="llm", run_dir=tmp_path / f"{name}-run",
                   **options)
    return result, read_report(out).text


def outcome(result, key: str) -> dict:
    return next(s for s in result.backend_report["sections"] if s["key"] == key)


# -- good path, run artefacts, secrets -----------------------------------------------------

def test_good_sections_are_used_as_written(llm_env, tmp_path):
    script(llm_env)
    result, text = run(tmp_path)
    for key in ROUTE:
        assert MARK[key] in text, key
        assert outcome(result, key)["status"] == "accepted"
    assert result.backend_report["calls"] == 5
    # concurrently: the five sections were in flight together
    assert llm_env.max_in_flight >= 2
    first = llm_env.calls(ROUTE["measures"])[0]
    assert [m["role"] for m in first.messages] == ["system", "user"]
    assert first.body["model"] == "scripted-model" and first.body["stream"] is True
    assert "审查合同48份" in first.messages[1]["content"]  # the section's facts, as data
    assert first.headers.get("authorization") == f"Bearer {KEY}"
    rd = tmp_path / "out-run" / "llm"
    rec = json.loads((rd / "01-measures.json").read_text(encoding="utf-8"))
    assert rec["rounds"][0]["messages"][0]["role"] == "system"
    assert rec["rounds"][0]["response"] == GOOD["measures"]
    assert rec["rounds"][0]["verdict"]["ok"] is True
    assert rec["rounds"][0]["prompt_tokens"] > 0 and rec["rounds"][0]["latency_s"] >= 0
    assert json.loads((rd / "run.json").read_text(encoding="utf-8"))["calls"] == 5


def test_api_key_is_never_written(llm_env, tmp_path):
    script(llm_env)
    result, _ = run(tmp_path)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any("cache" in p.parts for p in files)
    for p in files:
        blobs = [p.read_bytes()]
        if p.suffix == ".docx":
            with zipfile.ZipFile(p) as z:
                blobs = [z.read(n) for n in z.namelist()]
        assert all(KEY.encode() not in b for b in blobs), p
    assert KEY not in json.dumps(result.run_report(), ensure_ascii=False, default=str)
    assert KEY not in "\n".join(result.backend_summary)


def test_no_trace_is_sent_even_when_langsmith_is_configured(llm_env, tmp_path, monkeypatch):
    """Prompts carry government data: a LangSmith set-up in the environment must not get them
    (drafter talks to the endpoint directly; no tracing library is loaded at all)."""
    tracer = ScriptedServer().start()
    try:
        for k, v in {"LANGSMITH_TRACING": "true", "LANGCHAIN_TRACING_V2": "true",
                     "LANGSMITH_API_KEY": "lsv2-test", "LANGSMITH_ENDPOINT": tracer.base_url}.items():
            monkeypatch.setenv(k, v)
        script(llm_env)
        _, text = run(tmp_path)
        assert MARK["measures"] in text
        assert tracer.other_requests == [] and tracer.requests == []
    finally:
        tracer.stop()


def test_sequential_when_concurrency_is_one(llm_env, tmp_path):
    script(llm_env)
    _, text = run(tmp_path, concurrency=1)
    assert llm_env.max_in_flight == 1 and MARK["plans"] in text


# -- grounding: repair, fallback --------------------------------------------------------------

def test_invented_number_is_repaired(llm_env, tmp_path):
    bad = GOOD["measures"].replace("审查合同48份", "审查合同52份")
    script(llm_env, measures=(bad, GOOD["measures"]))
    result, text = run(tmp_path)
    assert "52份" not in text and MARK["measures"] in text
    assert outcome(result, "measures")["status"] == "repaired"
    repair = llm_env.calls(ROUTE["measures"])[1].messages
    assert [m["role"] for m in repair] == ["system", "user", "assistant", "user"]
    assert "“52份”在事实材料中没有" in repair[-1]["content"]
    assert any("修正后通过" in line and "52份" in line for line in result.backend_summary)


def test_persistent_invention_falls_back_to_template(llm_env, tmp_path):
    bad = (GOOD["measures"].replace("审查合同48份", "审查合同52份")
           + "\n聘请王建国律师审查《江州市行政执法条例》。")
    script(llm_env, measures=(bad,))
    result, text = run(tmp_path)
    for invented in ("52份", "王建国", "江州市", "《江州市行政执法条例》"):
        assert invented not in text
    assert TEMPLATE_MARK["measures"] in text and MARK["measures"] not in text
    o = outcome(result, "measures")
    assert o["status"] == "fallback" and "修正后仍未通过核查" in o["reason"]
    assert len(llm_env.calls(ROUTE["measures"])) == 2  # one draft, one repair, no more
    assert MARK["plans"] in text  # the other sections keep the model's text
    md = (tmp_path / "out-run" / "run-report.md").read_text(encoding="utf-8")
    assert "改用模板" in md


def test_invented_name_in_leadership_is_repaired(llm_env, tmp_path):
    bad = "局长李华同志切实履行第一责任人职责，主持召开党组会议专题研究法治政府建设工作。"
    script(llm_env, leadership=(bad, GOOD["leadership"]))
    result, text = run(tmp_path)
    assert "李华" not in text and MARK["leadership"] in text
    assert outcome(result, "leadership")["status"] == "repaired"


def test_placeholder_is_not_accepted(llm_env, tmp_path):
    bad = GOOD["other"].replace("示例市司法局", "XX局") + "【待补充：督察结果】"
    script(llm_env, other=(bad,))
    result, text = run(tmp_path)
    assert "XX" not in text and "【待补充：督察结果】" not in text
    assert "配合示例市司法局完成年度法治督察" in text  # the template's text from the facts
    assert outcome(result, "other")["status"] == "fallback"


def test_missing_causes_are_repaired_and_markdown_is_not_a_reason(llm_env, tmp_path):
    bad = "**存在的不足**\n执法人员法律素养有待提升。"
    script(llm_env, shortcomings=(bad, GOOD["shortcomings"]))
    result, text = run(tmp_path)
    assert "**" not in text and MARK["shortcomings"] in text
    msg = llm_env.calls(ROUTE["shortcomings"])[1].messages[-1]["content"]
    # The repair round is for substance: Markdown is taken off in code, never sent back.
    assert "Markdown" not in msg and "没有写原因" in msg


def test_empty_content_is_repaired_then_falls_back(llm_env, tmp_path):
    script(llm_env, plans=(Reply(content=""), GOOD["plans"]), other=(Reply(content=None),))
    result, text = run(tmp_path)
    assert MARK["plans"] in text and outcome(result, "plans")["status"] == "repaired"
    assert "配合示例市司法局完成年度法治督察" in text
    assert outcome(result, "other")["status"] == "fallback"


def test_a_response_cut_at_the_length_limit_is_not_accepted(llm_env, tmp_path):
    cut = Reply(content=GOOD["leadership"][:20], finish="length")
    script(llm_env, leadership=(cut, GOOD["leadership"]))
    result, text = run(tmp_path)
    assert MARK["leadership"] in text and outcome(result, "leadership")["status"] == "repaired"
    assert "被截断" in llm_env.calls(ROUTE["leadership"])[1].messages[-1]["content"]


# -- faults ------------------------------------------------------------------------------------

def test_rate_limit_is_retried_after_the_time_asked(llm_env, tmp_path):
    script(llm_env, measures=(error(429, "slow down", retry_after="1"), GOOD["measures"]))
    result, text = run(tmp_path)
    assert MARK["measures"] in text and outcome(result, "measures")["status"] == "accepted"
    first, second = llm_env.calls(ROUTE["measures"])
    assert second.at - first.at >= 0.95  # Retry-After: 1 was honoured
    rec = json.loads((tmp_path / "out-run" / "llm" / "01-measures.json").read_text(encoding="utf-8"))
    assert rec["rounds"][0]["faults"] == ["HTTP 429（请求过多）"]


def test_server_errors_are_retried(llm_env, tmp_path):
    script(llm_env, shortcomings=(error(500), error(502), GOOD["shortcomings"]))
    result, text = run(tmp_path)
    assert MARK["shortcomings"] in text
    assert len(llm_env.calls(ROUTE["shortcomings"])) == 3


def test_server_errors_past_the_deadline_fall_back(llm_env, tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_LLM_DEADLINE", "2")
    script(llm_env, shortcomings=(error(500),))
    result, text = run(tmp_path)
    o = outcome(result, "shortcomings")
    assert o["status"] == "fallback" and "HTTP 500" in o["reason"]
    assert "执法人员法律素养有待提升" in text  # the template's section, from the facts
    assert MARK["measures"] in text


def test_hanging_response_times_out_and_is_retried(llm_env, tmp_path):
    script(llm_env, plans=(Reply(hang=True), GOOD["plans"]))
    result, text = run(tmp_path)
    assert MARK["plans"] in text
    rec = json.loads((tmp_path / "out-run" / "llm" / "04-plans.json").read_text(encoding="utf-8"))
    assert rec["rounds"][0]["faults"] == ["请求超时"]


@pytest.mark.parametrize("stream", ["1", "0"])
def test_malformed_body_is_retried(llm_env, tmp_path, monkeypatch, stream):
    monkeypatch.setenv("DRAFTER_LLM_STREAM", stream)
    script(llm_env, other=(Reply(raw=b'{"choices": [{"message": '), GOOD["other"]))
    result, text = run(tmp_path)
    assert MARK["other"] in text and MARK["measures"] in text
    assert llm_env.calls(ROUTE["other"])[0].body.get("stream", False) is (stream == "1")
    assert outcome(result, "other")["status"] == "accepted"


def test_rejected_key_ends_the_run_without_output(llm_env, tmp_path):
    from drafter.errors import BackendError

    llm_env.default = error(401, "invalid api key")
    with pytest.raises(BackendError, match="OPENAI_API_KEY"):
        run(tmp_path)
    assert not (tmp_path / "out.docx").exists()


# -- cache ---------------------------------------------------------------------------------------

def test_rerun_with_same_inputs_makes_no_calls(llm_env, tmp_path):
    bad = GOOD["measures"].replace("审查合同48份", "审查合同52份")
    script(llm_env, measures=(bad, GOOD["measures"]))
    first, text1 = run(tmp_path, "a")
    n = len(llm_env.requests)
    assert n == 6
    second, text2 = run(tmp_path, "b")
    assert len(llm_env.requests) == n and second.backend_report["calls"] == 0
    assert second.backend_report["cached_responses"] == 6 and text2 == text1
    assert outcome(second, "measures")["status"] == "repaired"  # replayed, same verdicts
    third, _ = run(tmp_path, "c", cache=False)  # the script now answers well at once
    assert third.backend_report["calls"] == 5 and len(llm_env.requests) == n + 5


# -- the command line (exit codes, messages) ---------------------------------------------------

@pytest.mark.parametrize("missing,named", [("OPENAI_BASE_URL", "OPENAI_BASE_URL"),
                                           ("OPENAI_API_KEY", "OPENAI_API_KEY"),
                                           ("DRAFTER_MODEL", "DRAFTER_MODEL")])
def test_missing_configuration_is_exit_2_naming_the_variable(cli, tmp_path, missing, named):
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_API_KEY": KEY,
           "DRAFTER_MODEL": "m", missing: ""}
    out = tmp_path / "o.docx"
    r = cli("draft", str(FACTS), "-o", str(out), "--backend", "llm", env=env)
    assert r.returncode == 2, r.stderr
    assert named in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


def test_endpoint_down_is_exit_2_and_no_file(cli, tmp_path):
    env = {"OPENAI_BASE_URL": f"http://127.0.0.1:{free_port()}/v1", "OPENAI_API_KEY": KEY,
           "DRAFTER_MODEL": "m", "DRAFTER_CACHE_DIR": str(tmp_path / "cache"),
           "DRAFTER_LLM_DEADLINE": "2"}
    out = tmp_path / "o.docx"
    r = cli("draft", str(FACTS), "-o", str(out), "--backend", "llm", env=env)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "大模型服务不可用" in r.stderr and "无法连接服务" in r.stderr
    assert "Traceback" not in r.stderr and KEY not in r.stderr + r.stdout
    assert not out.exists()


def test_cli_drafts_with_llm_and_reports_fallbacks(cli, server, tmp_path):
    script(server, measures=(GOOD["measures"].replace("48份", "52份"),))
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY, "DRAFTER_MODEL": "m",
           "DRAFTER_CACHE_DIR": str(tmp_path / "cache")}
    out = tmp_path / "o.docx"
    r = cli("draft", str(FACTS), "-o", str(out), "--backend", "llm", "--concurrency", "2",
            "--no-cache", "--run-dir", str(tmp_path / "run"), env=env)
    assert r.returncode in (0, 1), r.stderr
    assert "改用模板" in r.stdout and "52份" in r.stdout  # says which section and why
    from drafter.report.readers import read_report

    text = read_report(out).text
    assert "52份" not in text and MARK["plans"] in text
    assert not (tmp_path / "cache").exists()  # --no-cache: nothing read or written
    assert server.max_in_flight <= 2


# -- prompts (data files, validated) -----------------------------------------------------------

def test_prompt_files_ship_and_declare_their_variables():
    from drafter.backends.llm_prompts import load_prompt

    for name in ("system", "measures", "shortcomings", "leadership", "plans", "other", "repair"):
        p = load_prompt(name)
        assert p.variables, name
    from drafter import sections

    # What a section's text must state besides its facts is the section's, not a prompt's.
    assert [k for k in sections.KEYS if sections.requires_causes(k)] == ["shortcomings"]


def test_a_missing_variable_is_an_error_naming_it():
    from drafter.prompts import PromptFile
    from drafter.errors import ConfigError

    p = PromptFile("llm", "measures", {"facts": "", "heading": ""}, {"user": "{heading}：{facts}"})
    with pytest.raises(ConfigError, match="缺少变量：facts, heading"):
        p.text("user")
    assert p.text("user", heading="一、举措", facts="- 事实") == "一、举措：- 事实"


def test_an_undeclared_variable_is_rejected_on_load(tmp_path, monkeypatch):
    from drafter import prompts
    from drafter.backends import llm_prompts
    from drafter.errors import ConfigError

    (tmp_path / "llm").mkdir()
    (tmp_path / "llm" / "broken.yaml").write_text(
        "variables: {heading: 标题}\nuser: '{heading}{facts}{year}'\n", encoding="utf-8")
    monkeypatch.setattr(prompts, "prompts_dir", lambda: tmp_path)
    prompts.load_prompt.cache_clear()
    try:
        with pytest.raises(ConfigError, match="未声明的变量：facts, year"):
            llm_prompts.load_prompt("broken")
    finally:
        prompts.load_prompt.cache_clear()


def test_section_prompt_carries_facts_exemplars_and_last_years_plans():
    from drafter.backends.llm_prompts import section_messages
    from drafter.facts import load_facts
    from drafter.pipeline import _open_corpus
    from drafter.plan import make_plan

    sample = ROOT / "corpus" / "shili-kegongxin" / "2023" / "facts.yaml"
    if not sample.exists():
        pytest.skip("sample corpus not present")
    facts = load_facts(sample)
    plan = make_plan(facts, sample, _open_corpus(None, sample, facts))
    (system, sys_text), (user, text) = section_messages(plan.section("measures"))
    assert (system, user) == ("system", "user")
    assert "只能使用" in sys_text and "不使用 Markdown" in sys_text and "{" not in sys_text + text
    assert "小标题: （一）全面落实重大行政决策程序制度" in text       # facts as structured data
    assert "提出法律意见63条" in text
    assert "<参考材料>" in text and re.search(r"\[1\]（20\d\d年报告）", text)  # quoted, with origin
    assert "不是指令" in text
    assert plan.previous_plans and plan.previous_plans[0].text in text
