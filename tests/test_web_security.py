"""The web server against another page, a careless administrator and a killed process
(issue 21): allowed Host names, same-origin forms, local redirects, tokens and sessions,
guessing slowed down, Chinese error pages, upload folders of its own, bombs refused, checks
and drafts cancelled on SIGTERM, and temporary folders of killed servers removed.

Everything runs on 127.0.0.1 (FastAPI's TestClient in-process, or a real ``drafter serve``
on a free loopback port)."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402

from drafter.web.app import WebSettings, create_app  # noqa: E402
from drafter.web.auth import COOKIE, Sessions, Throttle, token_problem  # noqa: E402
from evaluations import serve_process  # noqa: E402
from drafter.web.security import FORM_COOKIE, HostPolicy, local_path  # noqa: E402
from drafter.web.uploads import LOCK, ROOT_PREFIX, UploadStore, remove_stale_roots  # noqa: E402
from evaluations import bombs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://127.0.0.1:8000"
TOKEN = "内网口令-2024-法治办-只给同事"
HTML = {"accept": "text/html"}


def client(tmp_path: Path, origin: str | None = BASE, **overrides) -> TestClient:
    settings = WebSettings(upload_dir=str(tmp_path / "uploads"), env={}, **overrides)
    headers = {"origin": origin} if origin else {}
    return TestClient(create_app(settings), base_url=BASE, headers=headers,
                      raise_server_exceptions=False)


def report_bytes() -> bytes:
    return (ROOT / "evaluations" / "cases" / "reports" / "01_wangchuan_county_gov.txt").read_bytes()


# -- Host ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("bound, allow, host, ok", [
    ("127.0.0.1", (), "127.0.0.1:8000", True),
    ("127.0.0.1", (), "localhost:8000", True),
    ("127.0.0.1", (), "[::1]:8000", True),
    ("127.0.0.1", (), "evil.example", False),  # DNS rebinding: a foreign name for our address
    ("127.0.0.1", (), "evil.example:8000", False),
    ("127.0.0.1", (), "127.0.0.1.nip.io:8000", False),
    ("127.0.0.1", (), "192.168.1.20:8000", False),  # another address: not where we listen
    ("127.0.0.1", (), "", False),
    ("127.0.0.1", ("drafter.example.lan",), "Drafter.Example.LAN:8000", True),
    ("0.0.0.0", (), "192.168.1.20:8000", True),  # every interface: any address of ours
    ("0.0.0.0", (), "[fe80::1]:8000", True),
    ("0.0.0.0", (), "intranet.example:8000", False),
    ("0.0.0.0", ("intranet.example",), "intranet.example:8000", True),
    ("192.168.1.20", (), "192.168.1.20", True),
    ("192.168.1.20", (), "127.0.0.1", False),
])
def test_host_policy(bound, allow, host, ok):
    assert HostPolicy(bound, allow).allows(host) is ok


def test_a_foreign_host_gets_the_chinese_400_page(tmp_path):
    with client(tmp_path) as c:
        for path in ("/check", "/draft", "/healthz", "/static/style.css"):
            r = c.get(path, headers={"host": "evil.example:8000", **HTML})
            assert r.status_code == 400 and "主机名不被本服务接受" in r.text and '<html lang="zh-CN">' in r.text
        r = c.post("/check", headers={"host": "evil.example"}, files=[("files", ("a.txt", report_bytes()))])
        assert r.status_code == 400 and not list((tmp_path / "uploads").iterdir())
    with client(tmp_path, allow_hosts=("drafter.example.lan",)) as c:
        assert c.get("/check", headers={"host": "drafter.example.lan:8000"}).status_code == 200


# -- forms from other pages -----------------------------------------------------------------------

@pytest.mark.parametrize("headers, status", [
    ({"origin": BASE}, 303),
    ({"origin": "http://127.0.0.1:9999"}, 403),  # another port of the same host
    ({"origin": "http://evil.example"}, 403),
    ({"origin": "null"}, 403),  # a sandboxed page
    ({"referer": BASE + "/check"}, 303),  # no Origin (an older browser): its Referer decides
    ({"referer": "http://127.0.0.1:9999/attack.html"}, 403),
    ({}, 403),  # says nothing and carries no form token
])
def test_state_changing_requests_must_come_from_this_site(tmp_path, headers, status):
    with client(tmp_path, origin=None) as c:
        r = c.post("/check", headers=headers, files=[("files", ("a.txt", report_bytes()))],
                   follow_redirects=False)
        assert r.status_code == status, r.text[:300]
        if status == 403:
            assert "已拒绝" in r.text and '<html lang="zh-CN">' in r.text
            assert not [p for p in (tmp_path / "uploads").iterdir()]  # refused before storing


def test_the_form_token_admits_a_client_that_sends_no_origin(tmp_path):
    with client(tmp_path, origin=None) as c:
        page = c.get("/check").text
        token = c.cookies.get(FORM_COOKIE)
        assert token and f'name="csrf_token" value="{token}"' in page
        ok = c.post("/check", data={"csrf_token": token}, files=[("files", ("a.txt", report_bytes()))],
                    follow_redirects=False)
        assert ok.status_code == 303
        forged = c.post("/check", data={"csrf_token": "x." + token.split(".")[-1]},
                        files=[("files", ("a.txt", report_bytes()))], follow_redirects=False)
        assert forged.status_code == 403
    # A token signed by another start of the server is not this server's.
    with client(tmp_path, origin=None) as c2:
        c2.cookies.set(FORM_COOKIE, token)
        r = c2.post("/check", data={"csrf_token": token}, files=[("files", ("a.txt", report_bytes()))],
                    follow_redirects=False)
        assert r.status_code == 403


def test_the_draft_queue_cannot_be_filled_from_another_port(tmp_path):
    facts = (ROOT / "corpus" / "shili-kegongxin" / "2023" / "facts.yaml").read_bytes()
    with client(tmp_path, origin="http://127.0.0.1:9999") as c:
        for _ in range(3):
            r = c.post("/draft", files={"facts": ("facts.yaml", facts)}, follow_redirects=False)
            assert r.status_code == 403
        assert c.app.state.jobs.busy_ids() == set()


# -- redirects ----------------------------------------------------------------------------------

@pytest.mark.parametrize("target, expected", [
    ("/check", "/check"), ("/check?category=count", "/check?category=count"),
    ("//evil.example/x", "/"), ("/\\evil.example", "/"), ("https://evil.example/", "/"),
    ("javascript:alert(1)", "/"), ("/check\r\nSet-Cookie: x=1", "/"), ("", "/"), (None, "/"),
])
def test_redirect_targets_are_local_paths(target, expected):
    assert local_path(target) == expected


def test_token_links_never_redirect_off_site_nor_keep_a_mistyped_token(tmp_path):
    with client(tmp_path, token=TOKEN) as c:
        # The whole address, so the client keeps the path "//evil.example/x" as it is.
        r = c.get(BASE + "//evil.example/x", params={"token": TOKEN}, follow_redirects=False)
        assert r.request.url.raw_path.startswith(b"//evil.example/x")
        assert r.status_code == 303 and r.headers["location"] == "/"
    with client(tmp_path, token=TOKEN) as c:  # not logged in: no session cookie from above
        r = c.get("/check", params={"token": "mistyped-" + TOKEN, "category": "count"}, headers=HTML,
                  follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fcheck%3Fcategory%3Dcount"
        assert "mistyped" not in r.headers["location"]


# -- tokens and sessions ---------------------------------------------------------------------------

@pytest.mark.parametrize("token, weak", [
    ("1234", True), ("password", True), ("a" * 20, True), ("内网口令", True),
    ("correct-horse-battery", False), (TOKEN, False),
])
def test_weak_tokens_are_recognised(token, weak):
    assert (token_problem(token) is not None) is weak


@pytest.mark.parametrize("args, env", [
    (["--token", "1234"], {}),
    ([], {"DRAFTER_WEB_TOKEN": "1234"}),
    (["--token-file", "口令.txt"], {}),
])
def test_a_short_token_is_refused_at_start_with_a_generated_suggestion(cli, tmp_path, args, env):
    (tmp_path / "口令.txt").write_text("1234\n", encoding="utf-8")
    r = cli("serve", "--port", "1", *args, cwd=tmp_path, env=env)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    line = r.stderr.strip().splitlines()[-1]
    assert line.startswith("错误：访问口令太短（4 个字符，至少 16 个）") and "secrets.token_urlsafe" in line
    suggested = line.split("例如 ", 1)[1].split("（", 1)[0]
    assert token_problem(suggested) is None


def test_a_token_on_the_command_line_is_accepted_with_a_warning(cli, tmp_path):
    import socket

    with socket.socket() as busy:  # the command stops at the port, after the token checks
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        on_line = cli("serve", "--port", port, "--token", TOKEN)
        (tmp_path / "t").write_text(TOKEN + "\n", encoding="utf-8")
        from_file = cli("serve", "--port", port, "--token-file", str(tmp_path / "t"))
        from_env = cli("serve", "--port", port, env={"DRAFTER_WEB_TOKEN": TOKEN})
    assert "进程列表" in on_line.stderr and TOKEN not in on_line.stderr
    for r in (on_line, from_file, from_env):
        assert r.returncode == 2 and "无法在 127.0.0.1:" in r.stderr
    assert "进程列表" not in from_file.stderr and "进程列表" not in from_env.stderr


def test_sessions_are_signed_expiring_and_end_with_a_restart(tmp_path):
    with client(tmp_path, token=TOKEN) as c:
        r = c.post("/login", data={"token": TOKEN, "next": "/check"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/check"
        cookie = c.cookies.get(COOKIE)
        assert cookie and TOKEN not in cookie and "Max-Age=" in r.headers["set-cookie"]
        assert c.get("/check", headers=HTML, follow_redirects=False).status_code == 200
        expiry, nonce, sig = cookie.split(".")
        c.cookies.clear()
        c.cookies.set(COOKIE, f"{int(expiry) + 10**6}.{nonce}.{sig}")  # a longer life: signature breaks
        assert c.get("/check", headers=HTML, follow_redirects=False).status_code == 303
    with client(tmp_path, token=TOKEN) as c2:  # the next start of the server
        c2.cookies.set(COOKIE, cookie)
        assert c2.get("/check", headers=HTML, follow_redirects=False).status_code == 303
    old = Sessions(hours=-1)
    assert not old.valid(old.issue()) and Sessions().valid(Sessions().issue()) is False


def test_throttle_backs_off_exponentially_per_client_and_overall():
    now = [0.0]
    t = Throttle(free=3, max_wait=60, global_per_min=10, clock=lambda: now[0])
    for _ in range(3):
        assert t.wait("a") == 0
        t.failed("a")
    assert t.wait("a") == 0 and t.wait("b") == 0
    waits = []
    for _ in range(5):
        t.failed("a")
        waits.append(t.wait("a"))
        now[0] += waits[-1]
    assert waits == [1, 2, 4, 8, 16] and t.wait("b") == 0
    t.succeeded("a")
    assert t.wait("a") == 0
    for client_no in range(10):  # many clients together
        t.failed(f"c{client_no}")
    assert t.wait("fresh") > 0


def test_guessing_the_token_is_slowed_down_on_every_path(tmp_path):
    with client(tmp_path, token=TOKEN) as c:
        now = [1000.0]
        c.app.state.throttle.clock = lambda: now[0]
        for i in range(5):
            assert c.post("/login", data={"token": f"guess{i}"}).status_code == 401
        assert c.get("/check", headers={"authorization": "Bearer guess"}).status_code == 401  # 6th
        for attempt in (lambda: c.post("/login", data={"token": TOKEN}),
                        lambda: c.get("/check", params={"token": TOKEN}, follow_redirects=False),
                        lambda: c.get("/check", headers={"authorization": f"Bearer {TOKEN}".encode()})):
            r = attempt()
            assert r.status_code == 429 and "秒后再试" in r.text and r.headers["retry-after"]
        now[0] += 2  # the wait is over: the right token works again
        assert c.post("/login", data={"token": TOKEN}, follow_redirects=False).status_code == 303


# -- error pages -----------------------------------------------------------------------------------

def _is_chinese_page(r) -> bool:
    return '<html lang="zh-CN">' in r.text and "detail" not in r.text and "Not Found" not in r.text


def test_every_error_is_the_sites_chinese_page(tmp_path, monkeypatch):
    from drafter.web import views

    with client(tmp_path, max_upload_mb=1) as c:
        cases = {
            404: c.get("/no-such-page", headers=HTML),
            405: c.put("/check", headers=HTML),
            422: c.get("/check/abc", params={"page": "x"}, headers=HTML),
            "422-form": c.post("/check", data={"x": "1"}, headers=HTML),
            "400-multipart": c.post("/check", content=b"--b\r\nContent-Disposition: form-data\r\n",
                                    headers={"content-type": "multipart/form-data", **HTML}),
            413: c.post("/check", content=b"x" * (2 * 1024 * 1024),
                        headers={"content-type": "multipart/form-data; boundary=b", **HTML}),
        }

        def chunks():
            for _ in range(3):
                yield b"x" * (1024 * 1024)

        cases["413-chunked"] = c.post("/check", content=chunks(), headers={
            "content-type": "multipart/form-data; boundary=b", **HTML})
        monkeypatch.setattr(views, "rules_view", lambda: 1 / 0)
        cases[500] = c.get("/rules", headers=HTML)
        for key, r in cases.items():
            expected = int(str(key)[:3])
            assert r.status_code == expected, (key, r.status_code, r.text[:200])
            assert _is_chinese_page(r), (key, r.text[:300])
        assert "上传内容过大" in cases["413-chunked"].text and "内部错误" in cases[500].text
        r = c.get("/no-such-page", headers={"accept": "application/json"})
        assert r.status_code == 404 and r.json() == {"error": "页面不存在。"}


# -- upload folders ---------------------------------------------------------------------------------

def test_a_shared_upload_dir_keeps_its_mode_and_everyone_elses_files(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    foreign = shared / ("A" * 22)  # named like an upload folder of ours, but not ours
    foreign.mkdir()
    (foreign / "meta.json").write_text("{}", encoding="utf-8")
    (shared / "other-program.sock").write_text("x", encoding="utf-8")
    old = time.time() - 10 * 24 * 3600
    for p in (foreign, foreign / "meta.json", shared / "other-program.sock"):
        os.utime(p, (old, old))
    before = {p.name for p in shared.iterdir()}
    app = create_app(WebSettings(upload_dir=str(shared), env={}, keep_minutes=1))
    root = Path(app.state.store.root)
    assert root.parent == shared and root.name.startswith(ROOT_PREFIX)
    with TestClient(app, base_url=BASE, headers={"origin": BASE}) as c:
        r = c.post("/check", files=[("files", ("a.txt", report_bytes()))], follow_redirects=False)
        assert r.status_code == 303
        assert c.app.state.purge() == 0  # nothing of ours expired; nothing of others touched
        mine = root / r.headers["location"].rsplit("/", 1)[-1]
        os.utime(mine / ".stamp", (old, old))
        assert c.app.state.purge() == 1 and not mine.exists()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777 and shared.stat().st_mode & stat.S_ISVTX
    assert {p.name for p in shared.iterdir()} == before and (foreign / "meta.json").exists()
    assert not root.exists()  # our subfolder goes at exit


@pytest.mark.parametrize("prepare, direct", [
    (lambda d: None, True),  # absent: created 0700 and used
    (lambda d: d.mkdir(mode=0o700), True),  # empty and private
    (lambda d: (d.mkdir(mode=0o755), (d / "notes.txt").write_text("x")), False),  # someone's files
    (lambda d: (d.mkdir(), d.chmod(0o777)), False),  # writable by others
])
def test_the_upload_root(tmp_path, prepare, direct):
    d = tmp_path / "up"
    prepare(d)
    mode = stat.S_IMODE(d.stat().st_mode) if d.exists() else None
    store = UploadStore(str(d), 60, 1024)
    try:
        assert (store.root == d) is direct and store.owned is not direct
        if mode is None:
            assert stat.S_IMODE(d.stat().st_mode) == 0o700
        else:
            assert stat.S_IMODE(d.stat().st_mode) == mode
        fid, _ = store.new_folder("check")
        assert store.folder(fid, "check") is not None
    finally:
        store.close()
    assert d.exists() and (store.root.exists() is direct)
    again = UploadStore(str(d), 60, 1024)  # a restart: a folder holding only our uploads is ours
    try:
        assert (again.root == d) is direct
    finally:
        again.close()


def test_stale_roots_of_dead_servers_are_removed_and_live_ones_kept(tmp_path):
    live = UploadStore(None, 60, 1024)
    parent = Path(live.root).parent
    try:
        dead = tmp_path / f"{ROOT_PREFIX}dead"
        dead.mkdir()
        (dead / LOCK).write_text("12345\n")
        (dead / ("B" * 22)).mkdir()
        unrelated = tmp_path / f"{ROOT_PREFIX}no-lock"
        unrelated.mkdir()
        later = time.time() + 3600
        assert remove_stale_roots(tmp_path, now=time.time()) == []  # too young to judge
        assert remove_stale_roots(tmp_path, now=later) == [dead]
        assert unrelated.exists()
        assert Path(live.root) not in remove_stale_roots(parent, now=later)  # its lock is held
        assert Path(live.root).exists()
    finally:
        live.close()


# -- cancelling ----------------------------------------------------------------------------------

def test_a_set_cancel_stops_the_check_between_rules():
    from drafter.checker import CheckOptions, check_report
    from drafter.errors import Cancelled
    from drafter.report.structure import build_report

    stop = threading.Event()
    report = build_report(report_bytes().decode().splitlines(), path="r.txt", fmt="txt")
    assert check_report(report, CheckOptions(cancel=stop))
    stop.set()
    with pytest.raises(Cancelled) as e:
        check_report(report, CheckOptions(cancel=stop))
    assert "审核已取消" in e.value.message


def test_stopping_drops_waiting_drafts_and_stops_running_ones(tmp_path):
    from drafter.web.jobs import DraftJob, JobManager, run_draft
    from drafter.web.uploads import StoredFile

    facts = ROOT / "corpus" / "shili-kegongxin" / "2023" / "facts.yaml"
    started = threading.Event()
    release = threading.Event()

    def runner(job):
        started.set()
        release.wait(10)
        run_draft(job, corpus=None, model=None, env={})

    jobs = JobManager(1, 4, runner)
    made = []
    for i in range(3):
        folder = tmp_path / f"j{i}"
        folder.mkdir()
        job = DraftJob(f"j{i}", folder, StoredFile(facts, "facts.yaml", ".yaml"), "template")
        jobs.submit(job)
        made.append(job)
    assert started.wait(10)
    release.set()
    assert jobs.shutdown(wait_s=10)
    assert all(j.status == "failed" and "已取消" in (j.error or "") for j in made), \
        [(j.status, j.error) for j in made]
    assert not (tmp_path / "j0" / "draft.docx").exists()


# -- a real server: SIGTERM, SIGKILL, bombs ---------------------------------------------------------

def _serve(tmp: Path, *args: str) -> tuple[subprocess.Popen, str]:
    """A server whose temporary upload root goes under ``tmp``, without an access token."""
    env = {**os.environ, "TMPDIR": str(tmp)}
    env.pop("DRAFTER_WEB_TOKEN", None)
    return serve_process.start(*args, env=env)


def _post(base: str, field: str, name: str, data: bytes, path: str) -> tuple[int, str]:
    boundary = "----drafter-test"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; "
            f"filename=\"{name}\"\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(base + path, data=body, method="POST", headers={
        "content-type": f"multipart/form-data; boundary={boundary}", "origin": base})
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")
    except OSError as e:  # the server went away first
        return 0, str(e)


def test_sigterm_during_a_slow_check_stops_the_server_and_removes_its_folder(tmp_path):
    proc, base = _serve(tmp_path)
    roots = [p for p in tmp_path.iterdir() if p.name.startswith(ROOT_PREFIX)]
    assert len(roots) == 1 and (roots[0] / LOCK).exists()
    answer: list = []
    poster = threading.Thread(target=lambda: answer.append(
        _post(base, "files", "长报告.txt", bombs.long_report().encode(), "/check")))
    poster.start()
    try:
        deadline = time.monotonic() + 60  # the upload is stored: the check is running
        while time.monotonic() < deadline and not list(roots[0].glob("*/01.txt")):
            time.sleep(0.05)
        assert list(roots[0].glob("*/01.txt"))
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)  # seconds in practice: see bench_web_limits
    finally:
        if proc.poll() is None:
            proc.kill()
        poster.join(30)
    assert proc.returncode == 0 and "Traceback" not in err.decode(errors="replace")
    assert not roots[0].exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(ROOT_PREFIX)]
    assert answer and answer[0][0] in (503, 0), answer  # "审核已取消（服务正在停止）", or gone
    assert answer[0][0] == 0 or "服务正在停止" in answer[0][1]


def test_a_killed_servers_folder_is_removed_by_the_next_start(tmp_path):
    proc, _ = _serve(tmp_path)
    root = next(p for p in tmp_path.iterdir() if p.name.startswith(ROOT_PREFIX))
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert root.exists()  # what SIGKILL leaves behind
    old = time.time() - 3600
    os.utime(root, (old, old))
    proc, _ = _serve(tmp_path)
    try:
        assert not root.exists()
        assert len([p for p in tmp_path.iterdir() if p.name.startswith(ROOT_PREFIX)]) == 1
    finally:
        proc.terminate()
        proc.wait(30)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(ROOT_PREFIX)]


@pytest.mark.parametrize("name, make, phrase", [
    ("facts.yaml", bombs.alias_yaml, "锚点和别名"),
    ("事实采集表.xlsx", bombs.cell_bomb_xlsx, "单元格过多"),
])
def test_bombs_through_the_web_end_in_one_chinese_line(tmp_path, name, make, phrase):
    data = make().encode() if isinstance(make(), str) else make()
    with client(tmp_path) as c:
        r = c.post("/draft", files={"facts": (name, data)}, follow_redirects=False)
        assert r.status_code == 303
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            snap = c.get(r.headers["location"] + "/status").json()
            if snap["status"] in ("done", "failed"):
                break
            time.sleep(0.1)
        assert snap["status"] == "failed" and phrase in snap["error"] and name in snap["error"]
        assert "\n" not in snap["error"] and str(tmp_path) not in snap["error"]
        r = c.post("/check", files=[("files", ("报告.txt", report_bytes())), ("facts", (name, data))])
        assert r.status_code == 400 and phrase in r.text


def test_a_long_report_result_page_collapses_one_rules_thousands_of_findings(tmp_path):
    with client(tmp_path) as c:
        r = c.post("/check", files=[("files", ("长报告.txt", bombs.long_report(120_000).encode()))],
                   follow_redirects=False)
        assert r.status_code == 303
        view = json.loads((Path(c.app.state.store.root) / r.headers["location"].rsplit("/", 1)[-1]
                           / "view.json").read_text(encoding="utf-8"))
        counts: dict[str, int] = {}
        for f in view["files"][0]["findings"]:
            counts[f["rule"]] = counts.get(f["rule"], 0) + 1
        rule, n = max(counts.items(), key=lambda kv: kv[1])
        assert n > 100
        page = c.get(r.headers["location"]).text
        assert page.count(f'href="/rules#{rule}" title=') <= 20 + 5
        assert f"只看 {rule} 的全部问题" in page and "未逐条列出" in page
        full = c.get(r.headers["location"], params={"rule": rule}).text
        assert full.count('class="finding sev-') == min(n, 500)
        if n > 500:
            assert 'class="pages"' in full
