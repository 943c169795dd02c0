"""`drafter draft` end to end: the .docx read back and checked, exit codes 0/1/2, nothing
written on bad input, the run folder, and no network connection."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import pytest

from drafter.checker import check_report
from drafter.cli import main
from drafter.report.readers import read_report

from tests.facts_cases import BAD, BASE

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "corpus" / "shili-kegongxin" / "2023" / "facts.yaml"
MANDATED = ("measures", "shortcomings", "leadership", "plans")


def run(*args: str, capsys) -> tuple[int, str, str]:
    """Run the real entry point in-process (fast); returns (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as e:
        main(list(args))
    out = capsys.readouterr()
    return e.value.code, out.out, out.err


def test_readme_command_drafts_a_clean_docx(cli, tmp_path):
    out = tmp_path / "报告.docx"
    r = cli("draft", str(FACTS.relative_to(ROOT)), "-o", str(out), cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "草稿审核：0 个错误，0 个警告" in r.stdout and f"已写出：{out}" in r.stdout
    report = read_report(out)
    assert [s.key for s in report.sections] == list(MANDATED)
    assert report.title.text == "示例市科学技术和工业信息化局关于2023年度法治政府建设情况的报告"
    assert report.signature.text == "示例市科学技术和工业信息化局" and report.date.text == "2024年2月20日"
    assert "清理规范性文件12件，其中继续有效8件、修改2件、废止2件" in report.text
    findings = [f for f in check_report(report) if f.severity == "error"]
    assert findings == []
    r2 = cli("check", str(out))
    assert r2.returncode == 0 and "0 个错误" in r2.stdout


def test_default_output_is_named_after_the_unit_and_year(tmp_path, capsys):
    facts = tmp_path / "facts.yaml"
    shutil.copy(FACTS, facts)
    code, out, err = run("draft", str(facts), capsys=capsys)
    expected = tmp_path / "示例市科学技术和工业信息化局2023年度法治政府建设情况报告.docx"
    assert code == 0, err
    assert expected.exists() and str(expected) in out


def test_existing_output_is_kept_without_force(tmp_path, capsys):
    out = tmp_path / "x.docx"
    out.write_bytes(b"keep me")
    code, _, err = run("draft", str(FACTS), "-o", str(out), capsys=capsys)
    assert code == 2 and "文件已存在" in err and "--force" in err
    assert out.read_bytes() == b"keep me"
    code, _, err = run("draft", str(FACTS), "-o", str(out), "--force", capsys=capsys)
    assert code == 0, err
    assert read_report(out).title is not None


@pytest.mark.parametrize("target,phrase", [
    ("missing-dir/x.docx", "不存在"),
    ("x.txt", "应以 .docx 结尾"),
])
def test_unusable_output_is_exit_2_before_drafting(tmp_path, capsys, target, phrase):
    run_dir = tmp_path / "run"
    code, out, err = run("draft", str(FACTS), "-o", str(tmp_path / target), "--run-dir",
                         str(run_dir), capsys=capsys)
    assert code == 2 and phrase in err and "Traceback" not in err
    assert not run_dir.exists() and out == ""


@pytest.mark.parametrize("kind,mutate,line,field,phrase", BAD, ids=[b[0] for b in BAD])
def test_bad_facts_exit_2_naming_file_line_field_and_write_nothing(tmp_path, capsys, kind, mutate,
                                                                   line, field, phrase):
    facts = tmp_path / "facts.yaml"
    facts.write_text(mutate(BASE), encoding="utf-8")
    out = tmp_path / "out.docx"
    code, stdout, err = run("draft", str(facts), "-o", str(out), "--run-dir", str(tmp_path / "run"),
                            capsys=capsys)
    assert code == 2
    assert err.startswith(f"错误：{facts}:{line}：") and phrase in err, err
    if field:
        assert f"字段 {field}" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.yaml"]


def test_missing_leadership_is_drafted_as_a_marker_reported_and_exits_1(tmp_path, capsys):
    text = FACTS.read_text(encoding="utf-8")
    facts = tmp_path / "facts.yaml"
    facts.write_text(text[:text.index("  leadership:")] + text[text.index("  plans:"):], encoding="utf-8")
    out = tmp_path / "out.docx"
    code, stdout, err = run("draft", str(facts), "-o", str(out), "--run-dir", str(tmp_path / "run"),
                            capsys=capsys)
    assert code == 1, err
    assert out.exists()  # staff fix it in Word
    assert "PH001" in stdout and "待补充 1 处" in stdout
    report = read_report(out)
    sec = report.sections_for("leadership")[0]
    assert "【待补充：" in sec.body_text()
    assert any(f.rule == "PH001" for f in check_report(report))
    rr = json.loads((tmp_path / "run" / "run-report.json").read_text(encoding="utf-8"))
    assert rr["exit_code"] == 1 and [g["section"] for g in rr["gaps"]] == ["leadership"]
    assert any(f["rule"] == "PH001" and f["severity"] == "error" for f in rr["findings"])
    assert "待补充（1 处）" in (tmp_path / "run" / "run-report.md").read_text(encoding="utf-8")


def test_run_dir_holds_every_stage(tmp_path, capsys):
    rd = tmp_path / "run"
    code, stdout, err = run("draft", str(FACTS), "-o", str(tmp_path / "o.docx"), "--run-dir", str(rd),
                            capsys=capsys)
    assert code == 0, err
    plan = json.loads((rd / "plan.json").read_text(encoding="utf-8"))
    assert [s["key"] for s in plan["sections"]] == list(MANDATED)
    assert plan["sections"][0]["exemplars"], "no exemplars retrieved from the corpus"
    assert len(plan["previous_plans"]) == 4 and plan["unanswered_plans"] == []
    files = sorted(p.name for p in (rd / "sections").iterdir())
    assert files == ["01-measures.json", "02-shortcomings.json", "03-leadership.json", "04-plans.json"]
    sec = json.loads((rd / "sections" / "03-leadership.json").read_text(encoding="utf-8"))
    assert sec["heading"].startswith("三、") and sec["paragraphs"]
    rr = json.loads((rd / "run-report.json").read_text(encoding="utf-8"))
    assert rr["summary"] == {"errors": 0, "warnings": 0, "infos": 0} or rr["summary"]["errors"] == 0
    assert set(rr["timings_ms"]) >= {"facts", "plan", "draft", "check", "docx"}
    md = (rd / "run-report.md").read_text(encoding="utf-8")
    assert "上年计划未回应（0 项）" in md and "2022/facts.yaml" in md
    # a second run into the same folder needs --force
    code, _, err = run("draft", str(FACTS), "-o", str(tmp_path / "p.docx"), "--run-dir", str(rd),
                       capsys=capsys)
    assert code == 2 and "已有运行记录" in err


def test_unanswered_plans_are_printed_and_recorded(tmp_path, capsys):
    text = FACTS.read_text(encoding="utf-8").replace(
        "metrics:\n", "previous_plans:\n  - 建设全市工业互联网安全监测平台\nmetrics:\n", 1)
    facts = tmp_path / "facts.yaml"
    facts.write_text(text, encoding="utf-8")
    code, stdout, err = run("draft", str(facts), "-o", str(tmp_path / "o.docx"), "--run-dir",
                            str(tmp_path / "run"), capsys=capsys)
    assert "上年计划未回应 1 项" in stdout and "建设全市工业互联网安全监测平台" in stdout
    rr = json.loads((tmp_path / "run" / "run-report.json").read_text(encoding="utf-8"))
    assert [p["text"] for p in rr["unanswered_plans"]] == ["建设全市工业互联网安全监测平台"]


def test_unknown_backend_is_exit_2(tmp_path, capsys):
    code, _, err = run("draft", str(FACTS), "-o", str(tmp_path / "o.docx"), "--backend", "gpt",
                       capsys=capsys)
    assert code == 2 and "未知的起草方式" in err
    assert not (tmp_path / "o.docx").exists()


def test_drafting_opens_no_network_connection(tmp_path, monkeypatch, capsys):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    code, _, err = run("draft", str(FACTS), "-o", str(tmp_path / "o.docx"), capsys=capsys)
    assert code == 0, err
    assert attempts == []


def test_help_lists_the_options(capsys):
    code, out, _ = run("draft", "--help", capsys=capsys)
    assert code == 0
    for opt in ("-o, --output", "--corpus", "--backend", "--model", "--run-dir", "--force"):
        assert opt in out


def test_default_output_name_never_becomes_a_path():
    from types import SimpleNamespace as N

    from drafter.pipeline import default_output

    out = default_output("facts/2023/facts.yaml", N(unit=N(name="示例/市:局*"), year=2023))
    assert out.parent.as_posix() == "facts/2023"
    assert out.name == "示例市局2023年度法治政府建设情况报告.docx"


SAMPLES = sorted((ROOT / "corpus").glob("*/*/facts.yaml")) + [ROOT / "tests" / "data" / "llm_facts.yaml"]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.parent.name}-{p.parent.name}")
def test_every_sample_drafts_to_a_clean_docx_with_its_outcomes_and_citations(tmp_path, capsys, path):
    import re
    import zipfile

    from drafter.facts import load_facts

    out = tmp_path / "out.docx"
    code, stdout, stderr = run("draft", str(path), "-o", str(out), capsys=capsys)
    assert code == 0, stdout + stderr
    assert "0 个错误" in stdout
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    facts = load_facts(path)
    for key in ("measures", "leadership", "other"):
        for item in facts.sections.items(key):
            if item.outcome and "{" not in item.outcome:
                assert item.outcome.rstrip("。") + "。" in text
    for d in facts.documents:
        if d.number and d.number in text:
            assert f"《{d.title}》（{d.number}）" in text
    report = read_report(out)
    assert [f for f in check_report(report) if f.severity == "error"] == []
