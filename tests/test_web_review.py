"""The 审核 page does what ``drafter check`` does (FastAPI TestClient): .doc/.wps uploads, last
year's report, a locality profile, severity filters, the 审核意见表 (.xlsx/.docx/.csv, filtered
like the page), the fixed copy with Word revisions, keeping a review for --keep-days days, the
oversize answer as the site's own page, and every problem of a facts file on the draft page."""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from drafter.web.app import WebSettings, create_app  # noqa: E402

BASE = "http://127.0.0.1:8000"  # the address the server is bound to (HostGuard refuses others)

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "evaluations" / "cases" / "reports"


@pytest.fixture
def client(tmp_path):
    settings = WebSettings(upload_dir=str(tmp_path / "uploads"), env={}, keep_days=7)
    with TestClient(create_app(settings), base_url=BASE, headers={"origin": BASE}) as c:
        yield c


def download_name(response) -> str:
    """The file name a browser saves the download as (RFC 6266 filename*, UTF-8)."""
    from urllib.parse import unquote

    value = response.headers["content-disposition"]
    return unquote(value.split("filename*=utf-8''", 1)[1]) if "filename*=" in value else value


def check(client: TestClient, *files: tuple[str, bytes], **fields) -> str:
    """POST the form; returns the result page's address."""
    parts = [("files", (name, data)) for name, data in files]
    for key in ("facts", "previous"):
        if key in fields:
            parts.append((key, fields.pop(key)))
    r = client.post("/check", files=parts, data=fields, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"]


def test_the_form_offers_what_drafter_check_offers(client):
    html = client.get("/check").text
    for needle in ('name="previous"', 'name="profile"', '<option value="default">', 'name="keep"',
                   ".doc", ".wps", "保留审核结果 7 天"):
        assert needle in html, needle
    assert 'name="llm"' not in html  # no LLM endpoint on this server


def test_review_table_downloads_follow_the_page_filters(client, seed_path):
    where = check(client, ("种子.txt", seed_path.read_bytes()),
                  ("望川.txt", (REPORTS / "01_wangchuan_county_gov.txt").read_bytes()))
    page = client.get(where + "?severity=error").text
    assert 'href="' + where + '/review.xlsx?severity=error"' in page
    assert page.count('class="finding sev-error"') >= 2 and 'class="finding sev-warning"' not in page
    full = client.get(where + "/review.csv")
    assert full.status_code == 200 and download_name(full) == "审核意见表.csv"
    rows = list(csv.DictReader(io.StringIO(full.content.decode("utf-8-sig"))))
    assert {r["文件"] for r in rows} == {"种子.txt", "望川.txt"}
    errors = list(csv.DictReader(io.StringIO(
        client.get(where + "/review.csv?severity=error").content.decode("utf-8-sig"))))
    assert {r["级别"] for r in errors} == {"错误"} and 0 < len(errors) < len(rows)
    assert [r["序号"] for r in errors] == [str(i) for i in range(1, len(errors) + 1)]
    docx = client.get(where + "/review.docx?category=format")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    import docx as python_docx

    tables = python_docx.Document(io.BytesIO(docx.content)).tables
    assert {row.cells[3].text for t in tables[1:] for row in t.rows[1:]} == {"格式"}
    assert client.get(where + "/review.pdf").status_code == 404


def test_fixed_copies_are_revisions_in_word_and_direct_in_text(client, seed_path, tmp_path):
    from drafter.docx.writer import docx_bytes
    from drafter.report.readers import read_report

    where = check(client, ("种子.docx", docx_bytes(read_report(seed_path))),
                  ("种子.txt", seed_path.read_bytes()))
    word = client.get(where + "/1/fixed")
    assert word.status_code == 200
    assert download_name(word) == "种子-修订版.docx"
    with zipfile.ZipFile(io.BytesIO(word.content)) as zf:
        document = zf.read("word/document.xml").decode("utf-8")
    assert document.count("<w:del ") > 100 and 'w:author="drafter"' in document
    text = client.get(where + "/2/fixed")
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/plain")
    assert "2023年，在市委" in text.content.decode("utf-8") and "2023年,在" not in text.content.decode("utf-8")


def test_last_years_report_and_the_profile_are_used(client, seed_path):
    where = check(client, ("种子.txt", seed_path.read_bytes()),
                  previous=("去年.txt", (REPORTS / "02_shili_city_justice.txt").read_bytes()),
                  profile="quarterly")
    page = client.get(where).text
    assert "上一年度报告：去年.txt" in page and "地方口径：quarterly" in page
    results = client.get(where + "/results.json").json()
    rules = {f["rule"] for f in results["files"][0]["findings"]}
    assert any(r.startswith("PLN") for r in rules)  # last year's plans were looked at
    assert "第一季度口径" in json.dumps(results, ensure_ascii=False)  # DAT006 under that profile


def test_a_kept_review_outlives_the_minutes_and_expires_after_the_days(client, seed_path):
    store = client.app.state.store
    kept = check(client, ("种子.txt", seed_path.read_bytes()), keep="1")
    plain = check(client, ("种子.txt", seed_path.read_bytes()))
    assert "审核结果保留至" in client.get(kept).text
    assert 'action="' + plain + '/keep"' in client.get(plain).text
    soon = time.time() + 2 * 3600  # past the 60 minutes
    store.purge_expired(now=soon)
    assert client.get(kept).status_code == 200 and client.get(plain).status_code == 404
    r = client.post(kept + "/keep", follow_redirects=False)
    assert r.status_code == 303
    store.purge_expired(now=time.time() + 8 * 86400)  # past the 7 days
    assert client.get(kept).status_code == 404


@pytest.mark.parametrize("name,data,phrase", [
    ("报告.doc", b"just some text, not a Word file", "文件内容不是旧版 Word 文档"),
    ("报告.wps", b"PK\x03\x04 broken", "文件内容不是WPS 文字文档"),
])
def test_non_word_files_named_doc_or_wps_are_refused(client, name, data, phrase):
    r = client.post("/check", files=[("files", (name, data))])
    assert r.status_code == 400 and phrase in r.text


def test_a_doc_upload_is_converted_and_checked(client, seed_path, tmp_path):
    from drafter.docx.convert import convert, soffice
    from drafter.docx.writer import write_docx
    from drafter.report.readers import read_report

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) not installed")
    doc = convert(write_docx(read_report(seed_path), tmp_path / "seed.docx"), "doc:MS Word 97",
                  tmp_path / "lo")
    where = check(client, ("种子.doc", doc.read_bytes()))
    results = client.get(where + "/results.json").json()
    assert results["files"][0]["path"] == "种子.doc"
    assert any(f["rule"] == "NAM001" for f in results["files"][0]["findings"])


def test_an_oversize_upload_is_answered_with_the_sites_page(tmp_path):
    settings = WebSettings(upload_dir=str(tmp_path / "up"), env={}, max_upload_mb=0.5)
    with TestClient(create_app(settings), base_url=BASE, headers={"origin": BASE}) as c:
        r = c.post("/check", files=[("files", ("大.txt", b"x" * 700_000))],
                   headers={"accept": "text/html"})
    assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")
    assert "上传内容过大（上限 0.5 MB）" in r.text and '<nav>' in r.text and 'href="/check"' in r.text


def test_the_draft_page_lists_every_problem_of_the_facts(tmp_path):
    from drafter.facts.xlsx import template_bytes

    settings = WebSettings(upload_dir=str(tmp_path / "up"), env={})
    with TestClient(create_app(settings), base_url=BASE, headers={"origin": BASE}) as c:
        r = c.post("/draft", files=[("facts", ("空白.xlsx", template_bytes()))], follow_redirects=False)
        where = r.headers["location"]
        deadline = time.monotonic() + 60
        while c.get(where + "/status").json()["status"] not in ("done", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        snap = c.get(where + "/status").json()
        page = c.get(where).text
    assert snap["status"] == "failed" and len(snap["problems"]) == 4
    assert all(p.startswith("工作表“基本信息”单元格 B") for p in snap["problems"])
    assert page.count("<li>工作表“基本信息”") == 4 and "空白.xlsx" in page


@pytest.mark.parametrize("method, path, kwargs, status, text", [
    ("get", "/no-such-page", {}, 404, "页面不存在"),
    ("post", "/check", {"data": {"profile": "default"}}, 422, "表单缺少必填内容"),
    ("put", "/check", {}, 405, "不支持这种请求方式"),
])
def test_every_error_is_the_sites_own_chinese_page(client, method, path, kwargs, status, text):
    r = getattr(client, method)(path, headers={"accept": "text/html"}, **kwargs)
    assert r.status_code == status and r.headers["content-type"].startswith("text/html")
    assert text in r.text and 'href="/check"' in r.text and "detail" not in r.text
    as_json = getattr(client, method)(path, headers={"accept": "application/json"}, **kwargs)
    assert as_json.status_code == status and text in as_json.json()["error"]
