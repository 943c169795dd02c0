"""The web pages through FastAPI's TestClient: drafting off the request thread with progress,
checking with findings grouped by section, content sniffing, the size limit, the access
token, expiry of uploads, file names that are never paths, the bounded job pool, and the
llm backend offered only when the server is configured for it."""

from __future__ import annotations

import io
import json
import os
import re
import threading
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from drafter.web import app as web_app  # noqa: E402
from drafter.web.app import WebSettings, create_app  # noqa: E402
from drafter.web.auth import COOKIE  # noqa: E402
from drafter.web.security import BodyLimit  # noqa: E402
from drafter.web.uploads import REPORT_TYPES, UploadRejected, display_name, sniff  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "corpus" / "shili-kegongxin" / "2023" / "facts.yaml"
HTML = {"accept": "text/html"}


BASE = "http://127.0.0.1:8000"  # the address the server is bound to (HostGuard refuses others)


def make_client(tmp_path: Path, **overrides) -> TestClient:
    """A client of the pages as a browser on this site uses them: its own address in Host and
    in the Origin of the forms it posts (tests of foreign hosts and origins: test_web_security)."""
    settings = WebSettings(upload_dir=str(tmp_path / "uploads"), env={}, **overrides)
    return TestClient(create_app(settings), base_url=BASE, headers={"origin": BASE})


@pytest.fixture
def client(tmp_path):
    with make_client(tmp_path, corpus=str(ROOT / "corpus")) as c:
        yield c


def docx_of(text_path: Path) -> bytes:
    from drafter.docx.writer import docx_bytes
    from drafter.report.readers import read_report

    return docx_bytes(read_report(text_path))


def wait_done(client: TestClient, location: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        snap = client.get(location + "/status").json()
        if snap["status"] in ("done", "failed"):
            return snap
        time.sleep(0.1)
    raise AssertionError(f"job {location} did not finish")


def post_check(client: TestClient, *files: tuple[str, bytes], facts: tuple[str, bytes] | None = None):
    parts = [("files", (name, data)) for name, data in files]
    if facts:
        parts.append(("facts", facts))
    return client.post("/check", files=parts, follow_redirects=False)


def _post_with_facts(client, report, facts):
    return post_check(client, report, facts=facts)


# -- pages ------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, title", [("/draft", "起草"), ("/check", "审核"), ("/rules", "规则")])
def test_pages_are_chinese_and_load_nothing_from_outside(client, path, title):
    r = client.get(path)
    assert r.status_code == 200
    assert '<html lang="zh-CN">' in r.text and f"<title>{title}" in r.text
    refs = re.findall(r'(?:src|href|action)="([^"]*)"', r.text)
    assert refs and all(u.startswith(("/", "#")) for u in refs), refs
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"


def test_no_telemetry_is_exported_whatever_the_environment_says(tmp_path, monkeypatch, caplog):
    """FastAPI would set up OpenTelemetry export from these variables (and, without the
    exporter installed, log that it could not); the app turns that off."""
    import logging
    import socket

    with socket.socket() as sink:  # an OTLP endpoint that records any connection
        sink.bind(("127.0.0.1", 0))
        sink.listen()
        sink.settimeout(0.5)
        monkeypatch.setenv("FASTAPI_OTEL_AUTO_CONFIGURE", "true")
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", f"http://127.0.0.1:{sink.getsockname()[1]}")
        with caplog.at_level(logging.DEBUG), make_client(tmp_path) as c:
            assert c.get("/draft").status_code == 200
        with pytest.raises(TimeoutError):
            sink.accept()
    assert not [r for r in caplog.records if "telemetry" in r.getMessage().lower()]


def test_static_assets_are_served_locally(client):
    assert "font-family" in client.get("/static/style.css").text
    assert "/status" in client.get("/static/app.js").text


def test_rules_page_shows_every_rule_with_its_documentation(client):
    from drafter.checker.registry import all_rules

    text = client.get("/rules").text
    rules = all_rules()
    assert text.count('<details class="rule-doc"') == len(rules)
    assert f"审核规则（{len(rules)} 条）" in text
    for r in rules:
        assert f'id="{r.id}"' in text
    assert "<strong>为什么重要 Why it matters</strong>" in text  # the Markdown rendered


def test_rules_page_shows_the_examples_of_drafter_rules_for_every_rule(client, cli):
    """The page and `drafter rules ID` show the same examples — layout rules' described
    .docx cases included (the page once showed none for FMT101–FMT107)."""
    import html
    import re

    from drafter.checker.docs import examples
    from drafter.checker.registry import all_rules

    page = html.unescape(client.get("/rules").text)
    listing = cli("rules", "FMT1").stdout + cli("rules", "LAW001").stdout
    for r in all_rules():
        block = page.split(f'id="{r.id}"', 1)[1].split('<details class="rule-doc"', 1)[0]
        shown = [" ".join(t.split()) for t in
                 re.findall(r'<span class="ex-label">[^<]*</span>(.*?)</p>', block, re.S)]
        expected = [" ".join(t.split()) for _, t in examples(r)]
        assert expected and shown == expected, r.id
    for rid in ("FMT101", "FMT107", "LAW001"):
        rule = next(r for r in all_rules() if r.id == rid)
        for _, text in examples(rule):
            assert " ".join(text.split()) in " ".join(listing.split()), (rid, text)


# -- drafting ---------------------------------------------------------------------------------

def test_draft_runs_in_the_background_and_reports_each_section(client):
    r = client.post("/draft", files={"facts": ("facts.yaml", FACTS.read_bytes())},
                    data={"backend": "template"}, follow_redirects=False)
    assert r.status_code == 303
    location = r.headers["location"]
    snap = wait_done(client, location)
    assert snap["status"] == "done", snap
    assert snap["facts"] == "facts.yaml"
    assert [s["key"] for s in snap["sections"]] == ["measures", "shortcomings", "leadership", "plans"]
    assert all(s["done"] and s["state"] == "已起草" for s in snap["sections"])
    page = client.get(location).text
    assert "下载报告（示例市科学技术和工业信息化局2023年度法治政府建设情况报告.docx）" in page
    assert "上年计划 4 项均已回应" in page  # the server's --corpus was used

    docx = client.get(location + "/report.docx")
    assert docx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''" in docx.headers["content-disposition"]
    out = Path(client.app.state.store.root) / "read-back.docx"
    out.write_bytes(docx.content)
    from drafter.checker import check_report
    from drafter.report.readers import read_report

    report = read_report(out)
    assert [s.key for s in report.sections] == ["measures", "shortcomings", "leadership", "plans"]
    assert [f for f in check_report(report) if f.severity == "error"] == []
    from openpyxl import load_workbook

    workbook = client.get(location + "/facts.xlsx")  # the uploaded YAML as a filled-in workbook
    assert 'id="download-facts-xlsx"' in page and workbook.status_code == 200
    info = [c for row in load_workbook(io.BytesIO(workbook.content), read_only=True)["基本信息"]
            .iter_rows(values_only=True) for c in row if c]
    assert "示例市科学技术和工业信息化局" in info
    md = client.get(location + "/run-report.md").text
    run = client.get(location + "/run-report.json").json()
    root = str(client.app.state.store.root)
    assert run["facts"] == "facts.yaml" and run["exit_code"] == 0
    assert root not in md and root not in json.dumps(run, ensure_ascii=False)


def test_bad_facts_fail_the_job_with_a_message_naming_the_uploaded_file(client):
    bad = FACTS.read_text(encoding="utf-8").replace("year: 2023", "year: 二〇二三", 1)
    r = client.post("/draft", files={"facts": ("我的事实.yaml", bad.encode())}, follow_redirects=False)
    snap = wait_done(client, r.headers["location"])
    assert snap["status"] == "failed"
    assert snap["error"].startswith("我的事实.yaml") and "year" in snap["error"]
    assert str(client.app.state.store.root) not in snap["error"]
    page = client.get(r.headers["location"]).text
    assert "未完成" in page and "我的事实.yaml" in page
    assert client.get(r.headers["location"] + "/report.docx", headers=HTML).status_code == 404


def test_blank_and_prefilled_workbooks(client):
    from openpyxl import load_workbook

    blank = client.get("/facts/template.xlsx")
    assert blank.status_code == 200 and "filename*=utf-8''%E4%BA%8B" in blank.headers["content-disposition"]
    wb = load_workbook(io.BytesIO(blank.content), read_only=True)
    assert "基本信息" in wb.sheetnames and "数据指标" in wb.sheetnames
    filled = client.get("/facts/template.xlsx", params={"unit": "shili-kegongxin"})
    values = [c for row in load_workbook(io.BytesIO(filled.content), read_only=True)["基本信息"]
              .iter_rows(values_only=True) for c in row if c]
    assert "示例市科学技术和工业信息化局" in values
    assert client.get("/facts/template.xlsx", params={"unit": "../etc"}, headers=HTML).status_code == 404


def test_llm_is_offered_only_when_configured(client):
    page = client.get("/draft").text
    assert re.search(r'<input type="radio" name="backend" value="llm" disabled>', page)
    assert "OPENAI_BASE_URL" in page
    r = client.post("/draft", files={"facts": ("facts.yaml", FACTS.read_bytes())},
                    data={"backend": "llm"}, follow_redirects=False)
    assert r.status_code == 400 and "未配置大模型" in r.text


def test_llm_drafting_reports_each_sections_outcome(tmp_path, monkeypatch):
    pytest.importorskip("httpx")
    from evaluations.openai_server import ScriptedServer
    from tests.llm_helpers import FACTS as LLM_FACTS, script

    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(tmp_path / "cache"))
    with ScriptedServer(latency=0.8) as server:
        script(server)
        env = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-test",
               "DRAFTER_MODEL": "scripted-model", "DRAFTER_LLM_TIMEOUT": "5"}
        with TestClient(create_app(WebSettings(upload_dir=str(tmp_path / "u"), env=env)),
                            base_url=BASE, headers={"origin": BASE}) as c:
            page = c.get("/draft").text
            assert 'value="llm" disabled' not in page and "模型 scripted-model" in page
            r = c.post("/draft", files={"facts": ("llm.yaml", LLM_FACTS.read_bytes())},
                       data={"backend": "llm"}, follow_redirects=False)
            seen: list[dict] = []  # every snapshot the page's script would have shown
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                seen.append(c.get(r.headers["location"] + "/status").json())
                if seen[-1]["status"] in ("done", "failed"):
                    break
                time.sleep(0.05)
            snap = seen[-1]
            assert snap["status"] == "done", snap
            # while the model was answering, the page showed the sections as being drafted
            assert any(s["state"] == "起草中" and not s["done"] for x in seen for s in x["sections"])
            assert any(x["stage"] == "起草各部分" for x in seen)
            states = {s["key"]: s["state"] for s in snap["sections"]}
            assert states == {k: "通过" for k in ("measures", "shortcomings", "leadership", "plans", "other")}
            assert "大模型起草：scripted-model" in c.get(r.headers["location"]).text
        assert len(server.calls()) == 5


def test_drafting_jobs_are_bounded_and_run_off_the_request_thread(tmp_path, monkeypatch):
    release = threading.Event()
    ran: list[str] = []

    def slow_run(job, **_):
        job.set(status="running", started=time.time())
        release.wait(30)
        ran.append(threading.current_thread().name)
        job.set(status="done", finished=time.time())

    monkeypatch.setattr(web_app, "run_draft", slow_run)
    with make_client(tmp_path, draft_workers=1, max_waiting=1) as c:
        def submit():
            return c.post("/draft", files={"facts": ("f.yaml", FACTS.read_bytes())},
                          follow_redirects=False)

        t0 = time.monotonic()
        first, second, third = submit(), submit(), submit()
        assert time.monotonic() - t0 < 10  # the requests did not wait for the drafting
        assert (first.status_code, second.status_code) == (303, 303)
        assert third.status_code == 503 and "请稍后再试" in third.text
        assert c.get(second.headers["location"] + "/status").json()["status"] == "queued"
        release.set()
        for r in (first, second):
            assert wait_done(c, r.headers["location"])["status"] == "done"
        assert all(name.startswith("drafter-draft") for name in ran) and len(ran) == 2


# -- checking ---------------------------------------------------------------------------------

def test_check_groups_findings_by_section_and_filters_by_category(client, seed_path):
    r = post_check(client, ("种子报告.docx", docx_of(seed_path)))
    assert r.status_code == 303
    location = r.headers["location"]
    page = client.get(location).text
    assert "种子报告.docx" in page and "下载批注版" in page
    assert "开头（标题、主送机关、导语）" in page and "全文（缺少的内容）" in page  # STR008: no title
    assert "<mark>薛保庆</mark>" in page and "第5行作“薛宝庆”" in page
    assert page.index('class="badge sev-error">错误</span>') < page.index('class="badge sev-warning">警告</span>')
    only_names = client.get(location, params={"category": "name"}).text
    assert set(re.findall(r'class="finding sev-\w+" data-category="(\w+)"', only_names)) == {"name"}
    assert "NAM001" in only_names and "LAW001" not in only_names

    results = client.get(location + "/results.json").json()  # the `drafter check --format json` contract
    f = results["files"][0]
    assert f["path"] == "种子报告.docx" and results["summary"]["files"] == 1
    assert set(f["findings"][0]) == {"rule", "name", "category", "severity", "message", "line",
                                     "column", "quote", "suggestion", "section", "source"}
    nam = [x for x in f["findings"] if x["rule"] == "NAM001"]
    assert [x["quote"] for x in nam] == ["薛保庆"]


def test_annotated_copy_carries_the_findings_as_comments(client, seed_path):
    location = post_check(client, ("种子.txt", seed_path.read_bytes())).headers["location"]
    r = client.get(location + "/1/annotated.docx")
    assert r.status_code == 200
    assert "filename*=utf-8''%E7%A7%8D%E5%AD%90-%E5%AE%A1%E6%A0%B8%E6%89%B9%E6%B3%A8.docx" in \
        r.headers["content-disposition"]  # 种子-审核批注.docx
    with zipfile.ZipFile(io.BytesIO(r.content)) as zf:
        comments = zf.read("word/comments.xml").decode("utf-8")
    assert "[NAM001]" in comments and "[LAW001]" in comments
    again = client.get(location + "/1/annotated.docx")  # made once, then served
    assert again.content == r.content


def test_facts_given_on_the_check_page_are_used(client, seed_path):
    """With the seed's facts (the adviser is 薛宝庆), the slip 薛保庆 is an error, not a warning."""
    from drafter.facts import load_facts
    from drafter.facts.xlsx import facts_to_xlsx_bytes

    workbook = facts_to_xlsx_bytes(load_facts(ROOT / "corpus" / "seed-xingyang" / "2023" / "facts.yaml"))

    def nam001(*facts) -> list[dict]:
        location = _post_with_facts(client, ("种子.txt", seed_path.read_bytes()),
                                    facts[0] if facts else None).headers["location"]
        found = client.get(location + "/results.json").json()["files"][0]["findings"]
        return [f for f in found if f["rule"] == "NAM001"], client.get(location).text

    plain, _ = nam001()
    checked, page = nam001(("采集表.xlsx", workbook))
    assert [f["severity"] for f in plain] == ["warning"]
    assert [(f["quote"], f["severity"]) for f in checked] == [("薛保庆", "error")]
    assert "核对依据：采集表.xlsx" in page
    bad = client.post("/check", files=[("files", ("a.txt", seed_path.read_bytes())),
                                       ("facts", ("坏.yaml", "unit: [".encode()))], follow_redirects=False)
    assert bad.status_code == 400 and "坏.yaml" in bad.text


def test_several_files_with_one_unreadable(client, seed_path):
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document><unclosed>")
    r = post_check(client, ("好.txt", seed_path.read_bytes()), ("坏.docx", broken.getvalue()),
                   ("图.png", b"\x89PNG\r\n"))
    page = client.get(r.headers["location"]).text
    assert "好.txt" in page and "NAM001" in page
    assert re.search(r"坏\.docx：不是有效的 \.docx 文件|坏\.docx：.*损坏", page)
    assert "未审核：图.png：不支持的文件类型“.png”" in page
    assert str(client.app.state.store.root) not in page


SNIFF_CASES = [
    ("报告.docx", b"just text", "报告.docx：文件内容不是Word 文档（扩展名为 .docx）"),
    ("报告.txt", "DOCX", "报告.txt：文件内容是Word 文档，与扩展名 .txt 不符"),
    ("报告.md", "XLSX", "报告.md：文件内容是Excel 工作簿，与扩展名 .md 不符"),
    ("报告.docx", "XLSX", "报告.docx：文件内容是Excel 工作簿，与扩展名 .docx 不符"),
    ("报告.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "加密的 Office 文档或旧版"),
    ("报告.txt", b"\x00\x01\x02\x03binary", "报告.txt：不是文本文件"),
    ("报告.pdf", b"%PDF-1.7", "报告.pdf：不支持的文件类型“.pdf”"),
    ("报告", b"text", "报告：不支持的文件类型“无扩展名”"),
    ("报告.txt", b"", "报告.txt：文件是空的"),
]


def _zip_with(part: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(part, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize("name, data, message", SNIFF_CASES)
def test_uploads_are_checked_by_content_not_only_extension(client, name, data, message):
    data = {"DOCX": _zip_with("word/document.xml"), "XLSX": _zip_with("xl/workbook.xml")}.get(data, data)
    with pytest.raises(UploadRejected) as e:
        sniff(data, name, REPORT_TYPES)
    assert message in e.value.message
    r = post_check(client, (name, data))
    assert r.status_code == 400 and message in r.text


def test_facts_upload_must_be_a_workbook_or_yaml(client):
    r = client.post("/draft", files={"facts": ("facts.xlsx", _zip_with("word/document.xml"))},
                    follow_redirects=False)
    assert r.status_code == 400 and "facts.xlsx：文件内容是Word 文档，与扩展名 .xlsx 不符" in r.text
    r = client.post("/draft", files={"facts": ("facts.docx", b"x")}, follow_redirects=False)
    assert r.status_code == 400 and "请上传 .xlsx、.yaml 文件" in r.text
    assert list(Path(client.app.state.store.root).iterdir()) == []  # refused uploads are not kept


# -- limits and safety ------------------------------------------------------------------------

def test_uploads_over_the_limit_are_refused(tmp_path):
    with make_client(tmp_path, max_upload_mb=0.1) as c:
        r = post_check(c, ("大.txt", "法治".encode() * 40_000))
        assert r.status_code == 413 and "上传内容过大（上限 0.1 MB）" in r.text
        assert list(Path(c.app.state.store.root).iterdir()) == []


def test_body_limit_counts_chunked_bodies_without_a_length():
    import asyncio

    seen: list[bytes] = []

    async def app(scope, receive, send):
        while True:
            msg = await receive()
            seen.append(msg.get("body", b""))
            if not msg.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def run(total_chunks: int) -> int:
        chunks = [{"type": "http.request", "body": b"x" * 1000, "more_body": i < total_chunks - 1}
                  for i in range(total_chunks)]
        sent: list[dict] = []

        async def receive():
            return chunks.pop(0)

        async def send(msg):
            sent.append(msg)

        await BodyLimit(app, max_bytes=5000)({"type": "http", "headers": []}, receive, send)
        return sent[0]["status"]

    assert asyncio.run(run(5)) == 200
    assert asyncio.run(run(6)) == 413


@pytest.mark.parametrize("raw", ["../../etc/passwd.txt", "/etc/cron.d/x.txt", "..\\..\\boot.ini.txt",
                                 "C:\\Windows\\win.ini.txt", "....txt"])
def test_file_names_are_never_used_as_paths(client, seed_path, raw):
    root = Path(client.app.state.store.root)
    before = set(root.parent.iterdir())
    r = post_check(client, (raw, seed_path.read_bytes()))
    assert r.status_code == 303
    folder = root / r.headers["location"].rsplit("/", 1)[-1]
    assert sorted(p.name for p in folder.iterdir()) == [".stamp", "01.txt", "meta.json",
                                                         "results.json", "review.json", "view.json"]
    assert set(root.parent.iterdir()) == before
    shown = display_name(raw)
    assert "/" not in shown and "\\" not in shown and "\x00" not in shown
    assert shown in client.get(r.headers["location"]).text


@pytest.mark.parametrize("raw, shown", [
    ("../../etc/passwd.txt", "passwd.txt"), ("C:\\Users\\王\\报告.docx", "报告.docx"),
    ("a\x00b\x1b[31m.txt", "ab[31m.txt"), ("..", "未命名文件"), ("", "未命名文件"),
    ("很长" * 60 + ".docx", "很长" * 37 + "….docx"),  # at most 80 characters, extension kept
])
def test_display_names_are_text_only(raw, shown):
    assert display_name(raw) == shown


@pytest.mark.parametrize("bad", ["..%2F..%2Fetc", "x" * 22, "AAAAAAAAAAAAAAAAAAAAA/"])
def test_result_ids_that_are_not_ours_are_not_found(client, bad):
    assert client.get(f"/check/{bad}", headers=HTML).status_code == 404
    assert client.get(f"/draft/{bad}/status").status_code == 404


def test_uploads_expire_after_the_configured_time(tmp_path, seed_path):
    with make_client(tmp_path, keep_minutes=1) as c:
        location = post_check(c, ("a.txt", seed_path.read_bytes())).headers["location"]
        store = c.app.state.store
        folder = store.root / location.rsplit("/", 1)[-1]
        assert c.app.state.purge() == 0 and folder.exists()  # fresh: kept
        old = time.time() - 61
        os.utime(folder / ".stamp", (old, old))
        assert c.app.state.purge() == 1 and not folder.exists()
        r = c.get(location, headers=HTML)
        assert r.status_code == 404 and "已过期" in r.text


def test_a_running_job_is_not_expired_and_its_results_are_kept_from_its_end(tmp_path, monkeypatch):
    release = threading.Event()
    real_run = web_app.run_draft

    def slow_run(job, **kw):
        job.set(status="running")
        release.wait(30)
        real_run(job, **kw)

    monkeypatch.setattr(web_app, "run_draft", slow_run)
    with make_client(tmp_path, keep_minutes=1) as c:
        location = c.post("/draft", files={"facts": ("f.yaml", FACTS.read_bytes())},
                          follow_redirects=False).headers["location"]
        folder = c.app.state.store.root / location.rsplit("/", 1)[-1]
        old = time.time() - 3600
        os.utime(folder / ".stamp", (old, old))
        assert c.app.state.purge() == 0 and folder.exists()
        release.set()
        assert wait_done(c, location)["status"] == "done"
        assert c.app.state.purge() == 0 and c.get(location + "/report.docx").status_code == 200
        os.utime(folder / ".stamp", (old, old))
        assert c.app.state.purge() == 1 and not folder.exists()


def test_the_store_is_removed_on_shutdown_when_it_was_a_temporary_folder():
    app = create_app(WebSettings(env={}))
    root = Path(app.state.store.root)
    with TestClient(app, base_url=BASE):
        assert root.exists() and oct(root.stat().st_mode)[-3:] == "700"
    assert not root.exists()


def test_access_token(tmp_path):
    token = "口令-Intranet-7-长度足够的口令"
    with make_client(tmp_path, token=token) as c:
        r = c.get("/check", headers=HTML, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fcheck"
        assert c.get("/draft/x/status").status_code == 401
        assert c.get("/static/style.css").status_code == 200 and c.get("/healthz").text == "ok"
        assert c.get("/check", headers={"authorization": f"Bearer {token}".encode()}).status_code == 200
        assert c.get("/check", headers={"authorization": "Bearer wrong"}).status_code == 401

        wrong = c.post("/login", data={"token": "wrong", "next": "/check"}, follow_redirects=False)
        assert wrong.status_code == 401 and "访问口令不正确" in wrong.text
        evil = c.post("/login", data={"token": token, "next": "//evil.example/"}, follow_redirects=False)
        assert evil.headers["location"] == "/"
        c.cookies.clear()

        r = c.get("/rules", params={"token": token, "x": "1"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/rules?x=1"  # token out of the URL
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and token not in cookie
        assert c.cookies.get(COOKIE) and token not in c.cookies.get(COOKIE)
        assert c.get("/rules").status_code == 200
        c.cookies.clear()
        scripted = c.post("/check", params={"token": token}, follow_redirects=False,
                          files=[("files", ("a.txt", "关于2023年度法治政府建设情况的报告\n".encode()))])
        assert scripted.status_code == 303 and scripted.headers["location"].startswith("/check/")


# -- concurrency ------------------------------------------------------------------------------

def test_concurrent_checks_all_succeed(client, seed_path):
    from concurrent.futures import ThreadPoolExecutor

    data = seed_path.read_bytes()

    def one(i: int) -> tuple[int, str]:
        r = post_check(client, (f"报告{i}.txt", data))
        page = client.get(r.headers["location"]).text if r.status_code == 303 else ""
        return r.status_code, page

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(one, range(16)))
    assert all(code == 303 and "NAM001" in page for code, page in results)


# -- the serve command ------------------------------------------------------------------------

@pytest.mark.parametrize("host, token, expected", [
    ("127.0.0.1", None, None), ("localhost", None, None), ("::1", None, None),
    ("0.0.0.0", None, "未设置访问口令"), ("192.168.1.20", "t" * 16, "已启用访问口令"),
])
def test_binding_elsewhere_than_loopback_warns(host, token, expected):
    from drafter.cli.serve import exposure_warning

    text = exposure_warning(host, 8000, token)
    assert text is None if expected is None else (text.startswith("警告：") and expected in text)


def test_serve_help_and_a_port_in_use(cli):
    import socket

    r = cli("serve", "--help")
    assert r.returncode == 0 and "--token" in r.stdout and "访问口令" in r.stdout
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        r = cli("serve", "--port", str(s.getsockname()[1]))
    assert r.returncode == 2 and r.stderr.startswith("错误：无法在 127.0.0.1:") and "Traceback" not in r.stderr


def test_load_test_figure_goes_into_its_own_section_of_results(tmp_path):
    from evaluations.bench_web import BEGIN, END, write_results

    results = tmp_path / "RESULTS.md"
    results.write_text("# 评测结果\n\n## 一、审核\n\n表格\n", encoding="utf-8")
    r = {"requests": 50, "succeeded": 50, "failed": 0, "errors": [], "wall_s": 3.0, "per_s": 16.7,
         "post_median_s": 2.0, "post_p90_s": 2.5, "post_max_s": 2.7, "total_max_s": 3.0,
         "report": "种子报告.docx", "bytes": 15000, "cpus": 2}
    write_results(r, results)
    write_results({**r, "succeeded": 49, "failed": 1, "errors": ["RuntimeError: x"]}, results)
    text = results.read_text(encoding="utf-8")
    assert text.startswith("# 评测结果\n\n## 一、审核\n\n表格\n\n" + BEGIN)
    assert text.count(BEGIN) == 1 and text.rstrip().endswith(END)
    assert "50 个同时发出：**成功 49**，失败 1" in text and "RuntimeError: x" in text


def test_file_names_are_escaped_on_the_page(client, seed_path):
    r = post_check(client, ("<img src=x onerror=alert(1)>.txt", seed_path.read_bytes()))
    page = client.get(r.headers["location"]).text
    assert "<img src=x" not in page and "<h2>&lt;img src=x onerror=alert(1)&gt;.txt</h2>" in page
