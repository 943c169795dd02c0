"""`drafter check --llm` end to end, against the scripted OpenAI-compatible server
(evaluations/openai_server.py, a real local socket): only the findings that survive
verification are reported, in every output; no connection without --llm; configuration
errors exit 2; servers without JSON mode or streaming; the cache; --llm-strict; Word comments
by "drafter（模型）"; a part that fails; an endpoint that refuses the key."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from drafter.cli import main
from drafter.review.prompt import chunk_text_of
from evaluations.openai_server import Reply, ScriptedServer, error

pytest.importorskip("httpx")

KEY = "sk-review-test-4b3c2d1e0f-never-shown"
REPORT = """示例县司法局关于2023年度法治政府建设情况的报告
县人民政府：
2023年，我局坚持以习近平法治思想为指导，全面落实《法治政府建设实施纲要（2021—2025年）》，现将有关情况报告如下：
一、党政主要负责人履行推进法治建设第一责任人职责情况
局党组书记、局长主持召开党组会议专题研究法治建设工作4次，逐项名确责任分工。
二、2023年度推进法治政府建设的主要举措和成效
（一）加强执法队伍建设。全局执法人员全部参加论训，全年培训4期,培训320人次。
（二）推进政务公开。主动公开政府信息412条，依申请公开答复率100%，规范性文件报备率100%。
三、存在的不足和原因
一是执法人员专业化水平不高。究其原因，主要是全县经济总量增长较快。
四、2024年主要安排
一是加强执法培训。二是规范执法文书。
示例县司法局
2024年2月20日
"""


def reply(*findings: tuple[str, str, str, str]) -> str:
    return json.dumps({"findings": [{"quote": q, "problem": p, "suggestion": s, "kind": k}
                                    for q, p, s, k in findings]}, ensure_ascii=False, indent=2)


# Each part's reply, routed by a text only that part holds; wrapped as real models wrap them.
REPLIES = {
    "报告如下": "<think>\n开头规范。\n</think>\n\n" + reply(
        ("《法治政府建设实施纲要（2021—2025年）》", "应为现行纲要。", "《法治政府建设实施纲要（2020—2025年）》", "law")),
    "名确": "```json\n" + reply(("逐项名确", "“名确”应为“明确”。", "逐项明确", "typo"),
                               ("专题研究法治建设工作6次", "次数有误。", "", "logic")) + "\n```",
    "参加论训": "以下是审核结果：\n" + reply(
        ("全部参加论训", "“论训”应为“轮训”。", "全部参加轮训", "typo"),
        ("培训4期,", "半角逗号。", "培训4期，", "style"),
        ("主动公开政府信息412条", "表述规范。", "主动公开政府信息412条", "style"),
        ("100%", "比例偏高。", "", "logic")) + "\n以上意见供参考。",
    "究其原因": "只看原因。\n</think>\n" + reply(
        ("主要是全县经济总量增长较快", "原因解释不了执法人员专业化水平不高的问题。", "", "logic")),
    "二是规范执法文书": '{"findings": []}',
    "2024年2月20日": '{"findings": []}',
}


def _at(rule: str, quote: str) -> tuple[str, str, int, int]:
    """(rule, quote, line, column) of the one occurrence of ``quote`` in REPORT."""
    lines = REPORT.splitlines()
    i = next(i for i, line in enumerate(lines) if quote in line)
    return rule, quote, i + 1, lines[i].index(quote) + 1


KEPT = {_at("LLM001", "逐项名确"), _at("LLM001", "全部参加论训"), _at("LLM004", "主要是全县经济总量增长较快")}


def answer(body: dict) -> Reply:
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    text = chunk_text_of(user) or ""
    for match, content in REPLIES.items():
        if match in text:
            return Reply(content=content)
    return error(500, "no reply for this part")


@pytest.fixture
def server():
    with ScriptedServer(latency=0.02) as s:
        s.default = answer
        yield s


@pytest.fixture
def report(tmp_path) -> Path:
    path = tmp_path / "报告.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


@pytest.fixture
def llm_env(server, tmp_path, monkeypatch):
    for k, v in {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY,
                 "DRAFTER_MODEL": "review-model", "DRAFTER_CACHE_DIR": str(tmp_path / "cache"),
                 "DRAFTER_LLM_TIMEOUT": "5", "DRAFTER_LLM_DEADLINE": "30"}.items():
        monkeypatch.setenv(k, v)
    for k in ("LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2", "DRAFTER_LLM_STREAM"):
        monkeypatch.delenv(k, raising=False)
    return server


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as e:
        main(["check", *args])
    out, err = capsys.readouterr()
    return e.value.code or 0, out, err


def llm_findings(data: dict) -> set[tuple]:
    return {(f["rule"], f["quote"], f["line"], f["column"]) for f in data["files"][0]["findings"]
            if f["source"] == "llm"}


def test_json_reports_exactly_the_verified_findings(llm_env, report, capsys):
    code, out, _ = run(capsys, str(report), "--llm", "--format", "json")
    data = json.loads(out)
    assert code == 0  # LLM findings never change the exit code
    assert llm_findings(data) == KEPT
    findings = data["files"][0]["findings"]
    assert {f["source"] for f in findings} == {"rules", "llm"}
    assert all(f["severity"] != "error" for f in findings if f["source"] == "llm")
    typo = next(f for f in findings if f["quote"] == "全部参加论训")
    assert (typo["suggestion"], typo["category"], typo["name"]) == ("全部参加轮训", "typo", "llm-typo")
    # the half-width comma is FMT001's, reported once, by the rule
    assert [f["source"] for f in findings if f["quote"] in (",", "培训4期,")] == ["rules"]
    llm = data["files"][0]["llm"]
    assert llm["parts"] == 6 and llm["requests"] == 6 and llm["cached"] == 0
    assert llm["proposed"] == 8 and llm["kept"] == 3 and llm["downgraded"] == 0
    assert llm["dropped"] == {"quote-not-found": 1, "ambiguous": 1, "no-op": 1,
                              "duplicate-of-rule": 1, "protected-title": 1}
    assert llm["prompt_tokens"] > 0 and llm["completion_tokens"] > 0
    assert data["summary"]["llm"]["kept"] == 3
    assert len(llm_env.requests) == 6 and llm_env.max_in_flight >= 2  # parts asked concurrently
    assert all(r.body["response_format"] == {"type": "json_object"} for r in llm_env.requests)
    assert KEY not in out


def test_text_output_says_what_was_sent_and_why_proposals_were_dropped(llm_env, report, capsys):
    code, out, _ = run(capsys, str(report), "--llm")
    assert code == 0
    assert "LLM001 “名确”为错别字" not in out and "LLM001 “名确”应为“明确”。 “逐项名确” 建议：逐项明确 (警告)" in out
    summary = out.splitlines()[-2:]
    assert summary[0].startswith("大模型辅助审核：6 个片段，请求 6 次（缓存命中 0 个片段），输入 ")
    assert "模型提出 8 条，保留 3 条，降为提示 0 条，丢弃 5 条" in summary[0]
    assert summary[1] == ("  丢弃原因：引文不在原文中 1，引文在本部分出现多次，无法确定所指 1，"
                          "建议与原文相同或说明无须修改 1，与规则发现的问题重复 1，涉及法规词库中的名称 1")


def test_without_llm_no_request_is_made_even_with_an_endpoint_configured(server, report, cli):
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": KEY, "DRAFTER_MODEL": "m"}
    proc = cli("check", str(report), "--format", "json", env=env)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {f["source"] for f in data["files"][0]["findings"]} == {"rules"}
    assert "llm" not in data["files"][0] and "llm" not in data["summary"]
    assert server.requests == [] and server.other_requests == []


@pytest.mark.parametrize("drop, named", [("OPENAI_BASE_URL", "OPENAI_BASE_URL"),
                                         ("OPENAI_API_KEY", "OPENAI_API_KEY"),
                                         ("DRAFTER_MODEL", "DRAFTER_MODEL")])
def test_llm_without_an_endpoint_is_exit_2_naming_the_variable(report, cli, drop, named):
    env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1", "OPENAI_API_KEY": "k", "DRAFTER_MODEL": "m"}
    env[drop] = ""
    proc = cli("check", str(report), "--llm", env=env)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1 and named in lines[0] and proc.stdout == ""
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("args, message", [
    (["--model", "m"], "--model 只能与 --llm 一起使用"),
    (["--llm", "--fix", "-o", "out.txt"], "--llm 不能与 --fix/-o 同时使用"),
])
def test_usage_errors(report, capsys, args, message):
    code, _, err = run(capsys, str(report), *args)
    assert code == 2 and message in err


def test_a_server_without_json_mode_and_without_streaming_gives_the_same_findings(
        llm_env, report, capsys, monkeypatch):
    def no_json_mode(body: dict) -> Reply:
        if body.get("response_format"):
            return error(400, "Unknown parameter: response_format")
        return answer(body)

    llm_env.default = no_json_mode
    monkeypatch.setenv("DRAFTER_LLM_STREAM", "0")
    code, out, _ = run(capsys, str(report), "--llm", "--format", "json")
    assert code == 0 and llm_findings(json.loads(out)) == KEPT
    plain = [r for r in llm_env.requests if not r.body.get("response_format")]
    assert len(plain) == 6 and all(r.body.get("stream") is not True for r in plain)


def test_a_second_run_is_answered_from_the_cache(llm_env, report, capsys):
    run(capsys, str(report), "--llm", "--format", "json")
    before = len(llm_env.requests)
    code, out, _ = run(capsys, str(report), "--llm", "--format", "json")
    data = json.loads(out)
    assert len(llm_env.requests) == before and llm_findings(data) == KEPT
    assert data["files"][0]["llm"]["requests"] == 0 and data["files"][0]["llm"]["cached"] == 6
    # a changed part is asked again, the others are not
    report.write_text(REPORT.replace("全年培训4期", "全年培训5期"), encoding="utf-8")
    run(capsys, str(report), "--llm", "--format", "json")
    assert len(llm_env.requests) == before + 1


def test_llm_strict_lets_model_warnings_set_exit_code_1(llm_env, report, capsys):
    assert run(capsys, str(report), "--llm")[0] == 0
    assert run(capsys, str(report), "--llm-strict")[0] == 1
    # with only LLM005 (style, hints) selected nothing is strict-worthy
    assert run(capsys, str(report), "--llm-strict", "--select", "LLM005")[0] == 0


def test_ignoring_the_llm_rules_asks_no_model(llm_env, report, capsys):
    code, out, _ = run(capsys, str(report), "--llm", "--ignore", "LLM", "--format", "json")
    assert code == 0 and llm_env.requests == [] and not llm_findings(json.loads(out))


def test_annotated_copy_has_model_comments_by_their_own_author(llm_env, report, tmp_path, capsys):
    out_docx = tmp_path / "批注.docx"
    code, out, err = run(capsys, str(report), "--llm", "--annotate", str(out_docx))
    assert code == 0 and "作者 drafter（模型）" in err
    with zipfile.ZipFile(out_docx) as z:
        xml = z.read("word/comments.xml").decode("utf-8")
    from lxml import etree

    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    comments = etree.fromstring(xml.encode()).findall("w:comment", ns)
    authors = {}
    for c in comments:
        text = "".join(c.itertext())
        authors[text.split("]")[0].lstrip("[")] = c.get(f"{{{ns['w']}}}author")
    assert authors["LLM001"] == "drafter（模型）" and authors["LLM004"] == "drafter（模型）"
    assert authors["FMT001"] == "drafter"
    assert "大模型辅助审核：6 个片段" in out


def test_a_failing_part_is_named_and_the_others_still_reported(llm_env, report, capsys):
    def flaky(body: dict) -> Reply:
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        if "参加论训" in (chunk_text_of(user) or ""):
            return Reply(content="抱歉，这部分我无法审核。")
        return answer(body)

    llm_env.default = flaky
    code, out, _ = run(capsys, str(report), "--llm", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert llm_findings(data) == {k for k in KEPT if k[1] != "全部参加论训"}
    assert data["files"][0]["llm"]["failed"] == ["s2：回复中没有可解析的 JSON 对象（findings）"]


def test_a_refused_key_is_exit_2_without_the_key(llm_env, report, capsys):
    llm_env.default = error(401, f"invalid key {KEY}")
    code, out, err = run(capsys, str(report), "--llm")
    assert code == 2 and out == "" and "密钥被拒绝" in err and KEY not in err


def test_rules_page_documents_the_llm_rules(capsys):
    with pytest.raises(SystemExit):
        main(["rules", "LLM001"])
    out = capsys.readouterr().out
    assert out.startswith("LLM001 llm-typo（typo，默认警告）") and "--llm" in out
    assert "会报告的例子" in out and "不会报告的例子" in out
