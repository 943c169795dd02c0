"""The 审核 page and LLM-assisted review: the checkbox only when the server has an endpoint,
the model's verified findings marked 大模型 in the page, results.json and the annotated copy,
and no request unless the box is ticked."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from drafter.review.prompt import chunk_text_of  # noqa: E402
from drafter.web.app import WebSettings, create_app  # noqa: E402
from evaluations.openai_server import Reply, ScriptedServer  # noqa: E402

BASE = "http://127.0.0.1:8000"  # the server refuses other Host values (and other origins' forms)

REPORT = """示例县市场监督管理局关于2023年度法治政府建设情况的报告
县人民政府：
2023年，我局深入学习贯彻习近平法治思想，现将有关情况报告如下：
一、主要举措和成效
（一）加强执法队伍建设。全局执法人员全部参加论训，全年培训3期。
二、存在的不足和原因
执法文书不够规范。究其原因，主要是培训针对性不强。
三、2024年主要安排
一是开展执法文书评查。二是加强执法培训。
四、党政主要负责人履行推进法治建设第一责任人职责情况
局长主持召开专题会议3次。
示例县市场监督管理局
2024年2月20日
"""
TYPO = json.dumps({"findings": [{"quote": "全部参加论训", "problem": "“论训”应为“轮训”。",
                                 "suggestion": "全部参加轮训", "kind": "typo"},
                                {"quote": "全年培训5期", "problem": "编造的引文", "suggestion": "",
                                 "kind": "logic"}]}, ensure_ascii=False)


def answer(body: dict) -> Reply:
    user = next(m["content"] for m in body["messages"] if m["role"] == "user")
    return Reply(content=TYPO if "参加论训" in (chunk_text_of(user) or "") else '{"findings": []}')


@pytest.fixture
def server():
    with ScriptedServer() as s:
        s.default = answer
        yield s


def post(client: TestClient, **data):
    return client.post("/check", files=[("files", ("报告.txt", REPORT.encode("utf-8")))],
                       data=data, follow_redirects=False)


def test_the_checkbox_is_offered_only_when_an_endpoint_is_configured(tmp_path):
    with TestClient(create_app(WebSettings(upload_dir=str(tmp_path / "u"), env={})),
                    base_url=BASE, headers={"origin": BASE}) as c:
        page = c.get("/check").text
        assert 'name="llm"' not in page
        r = post(c, llm="1")  # asked for anyway: refused, nothing checked
        assert r.status_code == 400 and "未配置大模型" in r.text


def test_ticked_the_model_findings_are_verified_and_marked(server, tmp_path, monkeypatch):
    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(tmp_path / "cache"))
    env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-web-review-key-123",
           "DRAFTER_MODEL": "web-model", "DRAFTER_LLM_TIMEOUT": "5"}
    with TestClient(create_app(WebSettings(upload_dir=str(tmp_path / "u"), env=env)),
                    base_url=BASE, headers={"origin": BASE}) as c:
        page = c.get("/check").text
        assert re.search(r'<input type="checkbox" name="llm" value="1" id="llm">', page)
        assert "web-model" in page
        # not ticked: the rules only, no request
        r = post(c)
        assert r.status_code == 303 and server.requests == []
        data = c.get(r.headers["location"] + "/results.json").json()
        assert {f["source"] for f in data["files"][0]["findings"]} <= {"rules"}
        # ticked: one request per part, the verified finding only
        r = post(c, llm="1")
        assert r.status_code == 303 and len(server.requests) == 6
        data = c.get(r.headers["location"] + "/results.json").json()
        llm = [f for f in data["files"][0]["findings"] if f["source"] == "llm"]
        assert [(f["rule"], f["quote"], f["suggestion"]) for f in llm] == \
            [("LLM001", "全部参加论训", "全部参加轮训")]
        assert data["files"][0]["llm"]["dropped"] == {"quote-not-found": 1}
        html = c.get(r.headers["location"]).text
        assert "大模型</span>" in html and "大模型辅助审核：6 个片段" in html
        assert "sk-web-review-key-123" not in html
        # the annotated copy: the model's comment by its own author, from the cache
        doc = c.get(r.headers["location"] + "/1/annotated.docx")
        assert doc.status_code == 200 and len(server.requests) == 6
        out = Path(tmp_path / "a.docx")
        out.write_bytes(doc.content)
        with zipfile.ZipFile(out) as z:
            assert 'w:author="drafter（模型）"' in z.read("word/comments.xml").decode("utf-8")
