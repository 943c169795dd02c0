"""The web pages end to end in a real headless Chromium (Debian's /usr/bin/chromium driven by
Playwright), against a real ``drafter serve`` process on loopback.

- 起草: upload the sample facts workbook, watch it finish, download the .docx — and
  ``drafter check`` passes it; download the run report.
- 审核: upload the seed report as .docx, see the 薛宝庆/薛保庆 finding with its quoted text,
  filter by category, download the annotated copy (a comment on the name) and the JSON.
- 规则: the rule documentation; an anchor opens the rule.
- the access token: a browser without it lands on the login page; with it, on the page.

Skipped only when /usr/bin/chromium is absent (CI installs it: .ci/system-deps.sh).
``DRAFTER_WEB_SCREENSHOTS=docs`` also saves the README screenshots (docs/web-*.png).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import zipfile
from pathlib import Path

import pytest

from evaluations import serve_process

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "corpus" / "shili-kegongxin" / "2023" / "facts.yaml"
# Without the background-networking flags Chromium tries to reach Google's services.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage", "--lang=zh-CN"]
SHOTS = os.environ.get("DRAFTER_WEB_SCREENSHOTS")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="/usr/bin/chromium is not installed (apt-get install chromium)")


def _start_server(tmp: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """A server on the example corpus, without the LLM endpoint of the environment; its
    output goes to a log in ``tmp`` (shown when it fails to start)."""
    port_dir = tmp / f"up-{secrets.token_hex(4)}"
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_BASE_URL", "OPENAI_API_KEY")}
    return serve_process.start("--corpus", str(ROOT / "corpus"), "--upload-dir", str(port_dir), *extra,
                               env=env, log=tmp / f"serve-{port_dir.name}.log", timeout=60)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web")
    proc, base = _start_server(tmp)
    yield base
    serve_process.stop(proc)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")  # a new, empty user data dir
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="zh-CN")
        yield ctx
        ctx.close()


@pytest.fixture
def page(browser):
    pg = browser.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    pg.close()


def _shot(page, name: str, full: bool = False) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"web-{name}.png"), full_page=full)


def _download(page, selector: str, dest: Path) -> Path:
    with page.expect_download() as info:
        page.click(selector)
    download = info.value
    path = dest / download.suggested_filename
    download.save_as(str(path))
    return path


@pytest.fixture(scope="module")
def sample_workbook(tmp_path_factory) -> Path:
    from drafter.facts import load_facts
    from drafter.facts.xlsx import facts_to_xlsx_bytes

    path = tmp_path_factory.mktemp("facts") / "事实采集表.xlsx"
    path.write_bytes(facts_to_xlsx_bytes(load_facts(FACTS)))
    return path


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory) -> Path:
    from tests.conftest import SEED

    if not SEED.exists():
        pytest.skip("the seed report (../shared/seeds) is not present")
    from drafter.docx.writer import docx_bytes
    from drafter.report.readers import read_report

    path = tmp_path_factory.mktemp("seed") / "种子报告.docx"
    path.write_bytes(docx_bytes(read_report(SEED)))
    return path


def test_draft_page_drafts_the_sample_workbook_into_a_docx_that_passes_check(
        server, page, sample_workbook, tmp_path, cli):
    page.goto(server + "/draft")
    assert page.title().startswith("起草")
    assert page.is_disabled("input[name=backend][value=llm]")  # not configured on this server
    _shot(page, "draft")
    page.set_input_files("#facts", str(sample_workbook))
    page.click("#draft-form button[type=submit]")
    page.wait_for_selector("#result", timeout=120_000)  # the progress script reloads when done
    assert page.inner_text("#job-status") == "已完成"
    sections = page.inner_text("#job-sections")
    for heading in ("主要举措和成效", "存在的不足和原因", "第一责任人职责情况", "主要安排"):
        assert heading in sections
    assert sections.count("已起草") == 4
    _shot(page, "draft-result", full=True)

    docx = _download(page, "#download-docx", tmp_path)
    assert docx.name == "示例市科学技术和工业信息化局2023年度法治政府建设情况报告.docx"
    r = cli("check", str(docx))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 个错误" in r.stdout
    run_md = _download(page, "#download-run-md", tmp_path).read_text(encoding="utf-8")
    assert run_md.startswith("# 起草运行报告：示例市科学技术和工业信息化局 2023年度")
    assert "事实文件：事实采集表.xlsx" in run_md  # the uploaded name, not a server path


def test_draft_page_offers_blank_and_prefilled_workbooks(server, page, tmp_path):
    page.goto(server + "/draft")
    blank = _download(page, "a[href='/facts/template.xlsx']", tmp_path)
    assert blank.name == "事实采集表.xlsx"
    page.select_option("select[name=unit]", "shili-kegongxin")
    prefilled = _download(page, "form.inline button", tmp_path)
    from openpyxl import load_workbook

    info = load_workbook(prefilled, read_only=True)["基本信息"]
    values = [c for row in info.iter_rows(values_only=True) for c in row if c]
    assert "示例市科学技术和工业信息化局" in values
    assert "基本信息" in load_workbook(blank, read_only=True).sheetnames


def test_check_page_shows_the_name_finding_of_the_seed_and_annotates_it(
        server, page, seed_docx, tmp_path):
    page.goto(server + "/check")
    _shot(page, "check-form")
    page.set_input_files("#files", str(seed_docx))
    page.click("#check-form button[type=submit]")
    page.wait_for_selector("section.file")
    name = page.locator(".finding", has_text="NAM001")
    assert name.count() == 1
    text = name.inner_text()
    assert "薛保庆" in text and "薛宝庆" in text
    assert name.locator("mark").inner_text() == "薛保庆"  # the quoted text, highlighted
    assert page.locator(".finding.sev-error").count() >= 2  # STR008, LAW001 …

    page.click("nav.filter a[data-category=name]")
    page.wait_for_url("**category=name")
    cats = {el.get_attribute("data-category") for el in page.locator(".finding").all()}
    assert cats == {"name"}
    _shot(page, "check")

    annotated = _download(page, "a[data-annotated='1']", tmp_path)
    assert annotated.name == "种子报告-审核批注.docx"
    with zipfile.ZipFile(annotated) as zf:
        comments = zf.read("word/comments.xml").decode("utf-8")
        document = zf.read("word/document.xml").decode("utf-8")
    assert "[NAM001]" in comments and 'w:author="drafter"' in comments
    assert "commentRangeStart" in document
    results = json.loads(_download(page, "#download-json", tmp_path).read_text(encoding="utf-8"))
    assert results["files"][0]["path"] == "种子报告.docx"
    assert any(f["rule"] == "NAM001" and f["quote"] == "薛保庆" for f in results["files"][0]["findings"])


def test_rules_page_documents_every_rule(server, page):
    from drafter.checker.registry import all_rules

    page.goto(server + "/rules")
    assert page.locator("table.rules tbody tr").count() == len(all_rules())
    _shot(page, "rules")
    page.goto(server + "/rules#NAM001")
    assert page.locator("details#NAM001").get_attribute("open") is not None
    assert "为什么重要" in page.inner_text("details#NAM001")


def test_no_request_leaves_the_machine(server, page):
    """Every resource the pages load comes from the server itself."""
    seen: list[str] = []
    page.on("request", lambda req: seen.append(req.url))
    for path in ("/draft", "/check", "/rules"):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
    assert seen and all(u.startswith(server) for u in seen), [u for u in seen if not u.startswith(server)]


def test_token_protected_server_asks_for_the_token(tmp_path, browser):
    token = "内网口令-42-只给本处室的同事"
    (tmp_path / "token.txt").write_text(token + "\n", encoding="utf-8")
    proc, base = _start_server(tmp_path, "--token-file", str(tmp_path / "token.txt"))
    try:
        pg = browser.new_page()
        pg.goto(base + "/check")
        assert "/login" in pg.url
        pg.fill("input[name=token]", "错误口令")
        pg.click("form button[type=submit]")
        assert "访问口令不正确" in pg.inner_text(".alert")
        pg.fill("input[name=token]", token)
        pg.click("form button[type=submit]")
        pg.wait_for_url(base + "/check")
        assert pg.title().startswith("审核")
        pg.close()
    finally:
        serve_process.stop(proc)


# ---- 审核 = drafter check: .doc/.wps, the 审核意见表, the fixed copy, the oversize page ----

def _legacy_copies(src: Path, dest: Path) -> tuple[Path, Path]:
    """``src`` (.docx) saved by LibreOffice as a Word 97 .doc, and the same bytes as .wps (WPS
    Office writes .wps in that binary format)."""
    from drafter.docx.convert import convert

    doc = convert(src, "doc:MS Word 97", dest)
    named = dest / "种子报告.doc"
    doc.rename(named)
    wps = dest / "种子报告-WPS.wps"
    wps.write_bytes(named.read_bytes())
    return named, wps


def test_check_page_reviews_doc_and_wps_and_gives_the_review_table(
        server, page, seed_docx, tmp_path):
    from drafter.docx.convert import soffice

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: .doc/.wps cannot be converted")
    doc, wps = _legacy_copies(seed_docx, tmp_path / "legacy")
    page.goto(server + "/check")
    page.set_input_files("#files", [str(doc), str(wps)])
    page.select_option("#profile", "default")
    page.click("#check-form button[type=submit]")
    page.wait_for_selector("section.file", timeout=120_000)
    titles = [h.inner_text() for h in page.locator("section.file h2").all()]
    assert titles == ["种子报告.doc", "种子报告-WPS.wps"]
    assert page.locator("section.file .alert").count() == 0  # both converted and checked
    for section in page.locator("section.file").all():
        assert section.locator(".finding", has_text="NAM001").count() == 1
    assert "地方口径：default" in page.inner_text("p.meta")

    page.click("#severity-filter a[data-severity=error]")
    page.wait_for_url("**severity=error")
    assert {el.get_attribute("class") for el in page.locator(".finding").all()} == {"finding sev-error"}
    table = _download(page, "#download-review-xlsx", tmp_path)
    assert table.name == "审核意见表.xlsx"
    from openpyxl import load_workbook

    wb = load_workbook(table)
    rows = list(wb["审核意见"].iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "文件", "单位", "位置（行/段）")
    assert {r[1] for r in rows[1:]} == {"种子报告.doc", "种子报告-WPS.wps"}
    assert {r[6] for r in rows[1:]} == {"错误"}  # the page's filter applies to the download
    summary = list(wb["汇总"].iter_rows(values_only=True))
    assert [s[0] for s in summary[1:3]] == ["种子报告.doc", "种子报告-WPS.wps"]

    fixed = _download(page, "a[data-fixed='1']", tmp_path)
    assert fixed.name == "种子报告-修订版.docx"
    with zipfile.ZipFile(fixed) as zf:
        document = zf.read("word/document.xml").decode("utf-8")
    assert '<w:del ' in document and 'w:author="drafter"' in document


def test_an_oversize_upload_gets_the_sites_own_page(tmp_path, browser):
    proc, base = _start_server(tmp_path, "--max-upload-mb", "1")
    try:
        big = tmp_path / "很大的报告.txt"
        big.write_text("示例局关于2023年度法治政府建设情况的报告\n" + "依法行政。" * 400_000, encoding="utf-8")
        pg = browser.new_page()
        pg.goto(base + "/check")
        pg.set_input_files("#files", str(big))
        pg.click("#check-form button[type=submit]")
        pg.wait_for_selector("main .alert")
        assert "上传内容过大（上限 1 MB）" in pg.inner_text("main .alert")
        assert pg.title().endswith("法治政府建设年度报告 起草与审核")  # the site's page …
        assert pg.locator("header.top nav a[href='/check']").count() == 1  # … with its menu
        pg.click("main a[href='/check']")  # and a way back
        pg.wait_for_url(base + "/check")
        pg.close()
    finally:
        serve_process.stop(proc)


def test_draft_page_lists_every_problem_of_a_workbook(server, page, tmp_path):
    from drafter.facts.xlsx import template_bytes

    blank = tmp_path / "空白采集表.xlsx"
    blank.write_bytes(template_bytes())  # nothing filled in: four required cells empty
    page.goto(server + "/draft")
    page.set_input_files("#facts", str(blank))
    page.click("#draft-form button[type=submit]")
    page.wait_for_selector("#error", timeout=120_000)
    problems = [li.inner_text() for li in page.locator("#error ul.problems li").all()]
    assert len(problems) == 4
    assert "工作表“基本信息”单元格 B8（成文日期）：未填写" in problems
    assert all(p.startswith("工作表“") for p in problems)
