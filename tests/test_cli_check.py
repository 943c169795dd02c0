"""`drafter check` as a user runs it: exit codes, error lines, JSON shape, selection."""

from __future__ import annotations

import json
import os

import pytest

from drafter.checker.testing import skeleton
from tests.docx_fixtures import lines_docx, make_docx

FINDING_KEYS = {"rule", "name", "category", "severity", "message", "line", "column", "quote",
                "suggestion", "section", "source"}
CATEGORIES = {"structure", "count", "placeholder", "name", "law", "institution", "typo", "date",
              "format", "fact", "plan", "style"}


@pytest.fixture
def clean(tmp_path):
    path = tmp_path / "clean.txt"
    path.write_text(skeleton().replace("{fragment}\n", ""), encoding="utf-8")
    return path


def _json(cp):
    assert cp.stderr == "", cp.stderr
    return json.loads(cp.stdout)


def test_clean_report_exits_0(cli, clean):
    cp = cli("check", str(clean))
    assert cp.returncode == 0, cp.stdout + cp.stderr
    assert "0 个错误" in cp.stdout.splitlines()[-1]


def test_seed_exits_1_with_findings(cli, seed_path):
    cp = cli("check", str(seed_path))
    assert cp.returncode == 1, cp.stdout + cp.stderr
    assert f"{seed_path}:1:1: STR008" in cp.stdout


def test_seed_docx_exits_1_and_locates_by_paragraph(cli, seed_path, tmp_path):
    path = lines_docx(tmp_path / "seed.docx", seed_path.read_text(encoding="utf-8").splitlines())
    data = _json(cli("check", "--format", "json", str(path)))
    lines = {(f["rule"], f["line"]) for f in data["files"][0]["findings"]}
    assert ("STR008", 1) in lines and ("STR004", 13) in lines


def _unreadable(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("一、正文", encoding="utf-8")
    path.chmod(0)
    try:
        path.read_bytes()
    except PermissionError:
        return path, "无法读取"
    # Running as root: permissions do not stop reading. A damaged .docx is unreadable too.
    path.chmod(0o644)
    bad = tmp_path / "locked.docx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    return bad, "不是有效的 .docx 文件"


BAD_INPUT = [
    ("missing file", lambda t: (t / "无此报告.txt", "不存在")),
    ("unreadable file", _unreadable),
    ("pdf", lambda t: (_touch(t / "报告.pdf", b"%PDF-1.4\n"), "不支持 PDF")),
    ("old doc", lambda t: (_touch(t / "报告.doc", b"\xd0\xcf\x11\xe0"), "不支持旧版 Word")),
    ("folder without reports", lambda t: (_mkdir(t / "x.txt"), "文件夹中没有")),
    ("empty .docx file", lambda t: (_touch(t / "空.docx", b""), "不是有效的 .docx 文件")),
    ("docx without body text", lambda t: (make_docx(t / "空白.docx", "<w:p/>"), "没有正文文字")),
]


def _touch(path, data: bytes):
    path.write_bytes(data)
    return path


def _mkdir(path):
    path.mkdir()
    return path


@pytest.mark.parametrize("make", [b[1] for b in BAD_INPUT], ids=[b[0] for b in BAD_INPUT])
def test_bad_input_exits_2_with_one_chinese_line_naming_the_file(cli, tmp_path, make):
    path, expected = make(tmp_path)
    cp = cli("check", str(path))
    assert cp.returncode == 2, cp.stdout + cp.stderr
    assert "Traceback" not in cp.stderr
    lines = cp.stderr.strip().splitlines()
    assert len(lines) == 1, cp.stderr
    assert lines[0].startswith("错误：") and str(path) in lines[0] and expected in lines[0]


def test_text_output_keeps_the_quote_as_written(cli, tmp_path):
    path = tmp_path / "spaces.txt"
    path.write_text(skeleton().replace("{fragment}\n", "全年审核规范性文件12  件，全部备案。\n"),
                    encoding="utf-8")
    cp = cli("check", "--no-color", "--select", "FMT004", str(path))
    line = next(ln for ln in cp.stdout.splitlines() if "FMT004" in ln)
    assert "“12  件”" in line and "  (" not in line and line.endswith(" 建议：12件 (警告)"), line


def test_json_shape(cli, seed_path):
    cp = cli("check", "--format", "json", str(seed_path))
    assert cp.returncode == 1
    data = _json(cp)
    assert set(data) == {"files", "summary"}
    (file,) = data["files"]
    assert file["path"] == str(seed_path)
    assert file["findings"]
    for f in file["findings"]:
        assert set(f) == FINDING_KEYS
        assert f["category"] in CATEGORIES
        assert f["severity"] in ("error", "warning", "info")
        assert f["source"] == "rules"  # "llm" only with --llm (tests/test_review_cli.py)
        assert isinstance(f["line"], int) and f["line"] >= 1
        assert isinstance(f["column"], int) and f["column"] >= 1
    assert file["stats"]["characters"] > 2000 and file["stats"]["paragraphs"] == 19
    sev = [f["severity"] for f in file["findings"]]
    assert data["summary"] == {"files": 1, "errors": sev.count("error"),
                               "warnings": sev.count("warning"), "infos": sev.count("info")}


def test_several_paths_and_a_folder(cli, tmp_path, seed_path, clean):
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text(clean.read_text(encoding="utf-8"), encoding="utf-8")
    lines_docx(folder / "b.docx", seed_path.read_text(encoding="utf-8").splitlines())
    (folder / "notes.pdf").write_bytes(b"%PDF")  # not a report: skipped inside a folder
    (folder / "~$b.docx").write_bytes(b"lock")  # Word's lock file: skipped
    data = _json(cli("check", "--format", "json", str(seed_path), str(clean), str(folder)))
    paths = [f["path"] for f in data["files"]]
    assert paths == [str(seed_path), str(clean), str(folder / "b.docx"),
                     str(folder / "sub" / "a.txt")]
    assert data["summary"]["files"] == 4
    errors = {f["path"]: sum(x["severity"] == "error" for x in f["findings"]) for f in data["files"]}
    assert errors[str(clean)] == 0 and errors[str(folder / "b.docx")] > 0


SELECTIONS = [
    (["--select", "STR008"], lambda full: {"STR008"}),
    (["--select", "STR008,STR010"], lambda full: {"STR008", "STR010"}),
    (["--select", "STR"], lambda full: {r for r in full if r.startswith("STR")}),
    (["--ignore", "STR008"], lambda full: full - {"STR008"}),
    (["--ignore", "STR"], lambda full: {r for r in full if not r.startswith("STR")}),
    (["--select", "STR", "--ignore", "STR00"],
     lambda full: {r for r in full if r.startswith("STR01")}),
]


@pytest.mark.parametrize("args,expected", SELECTIONS, ids=[" ".join(a) for a, _ in SELECTIONS])
def test_select_and_ignore_by_id_and_prefix(cli, seed_path, args, expected):
    full = {f["rule"] for f in _json(cli("check", "--format", "json", str(seed_path)))
            ["files"][0]["findings"]}
    assert {"STR008", "STR010"} <= full
    data = _json(cli("check", "--format", "json", *args, str(seed_path)))
    got = {f["rule"] for f in data["files"][0]["findings"]}
    assert got == expected(full)


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_code_exits_2(cli, seed_path, option):
    cp = cli("check", option, "ZZZ999", str(seed_path))
    assert cp.returncode == 2
    assert "ZZZ999" in cp.stderr and "Traceback" not in cp.stderr
    assert len(cp.stderr.strip().splitlines()) == 1


def test_unreadable_permission_message_when_not_root(cli, tmp_path):
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root reads files whatever their permissions")
    path = tmp_path / "locked.txt"
    path.write_text("一、正文", encoding="utf-8")
    path.chmod(0)
    cp = cli("check", str(path))
    assert cp.returncode == 2 and "无法读取" in cp.stderr


def test_unknown_profile_is_a_usage_error_whatever_rules_run(tmp_path, cli):
    p = tmp_path / "r.txt"
    p.write_text("示例局关于2023年度法治政府建设情况的报告\n", encoding="utf-8")
    out = cli("check", str(p), "--select", "LAW", "--profile", "nosuch")
    assert out.returncode == 2
    assert "nosuch" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args,expected", [
    (["check", "x.txt", "--format", "xml"], "只能是 text、json"),
    (["check", "x.txt", "--jobs", "abc"], "应为整数"),
    (["nosuchcmd"], "没有“nosuchcmd”这个命令"),
    (["check", "x.txt", "--format"], "缺少取值"),
    (["facts", "template"], "缺少参数 -o/--output"),
    (["rules", "a", "b"], "多余的参数"),
])
def test_usage_errors_are_one_chinese_line(cli, args, expected):
    out = cli(*args)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and expected in lines[0], out.stderr
    assert not any(w in out.stderr for w in ("Invalid value", "No such", "requires an argument",
                                               "Traceback"))


def test_bare_command_shows_help(cli):
    out = cli()
    assert out.returncode == 0
    assert "drafter check" in out.stdout


GC_CODE = r"""
import gc, sys
import drafter.api as api

seen = {}
orig = api.check_paths
def spy(request):
    seen["check"] = (gc.isenabled(), gc.get_freeze_count() > 0)
    return orig(request)
api.check_paths = spy
sys.argv = ["drafter", "check", sys.argv[1], "--format", "json"]
import atexit
atexit.register(lambda: print("GC", seen, file=sys.stderr))
from drafter.cli import run
run()
"""


def test_the_collector_is_off_while_drafter_starts_and_on_for_the_check(tmp_path):
    # The program (drafter.cli.run) turns the collector off while modules and rules load,
    # then freezes what they made and turns it on again before the check itself.
    import gc
    import subprocess
    import sys
    from pathlib import Path

    from drafter.cli import main

    report = Path(__file__).resolve().parent.parent / "evaluations" / "cases" / "reports" / \
        "16_tongxi_county_gov.txt"
    out = subprocess.run([sys.executable, "-c", GC_CODE, str(report)], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode in (0, 1), out.stderr
    assert "GC {'check': (True, True)}" in out.stderr
    # In-process (as here), the collector stays as the caller has it.
    frozen = gc.get_freeze_count()
    with pytest.raises(SystemExit):
        main(["rules"])
    assert gc.isenabled() and gc.get_freeze_count() == frozen
