"""`drafter check PATH... --export 审核意见.xlsx|.docx|.csv`: the legal office's 审核意见表 —
one row per (file, rule, paragraph), the contract's columns, a summary per unit, reopened
as files (openpyxl, python-docx, csv) and in LibreOffice."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from drafter.checker.export import COLUMNS, export_bytes
from drafter.checker.finding import Edit, Finding
from drafter.checker.output import FileResult
from drafter.docx.convert import ConversionError, convert, soffice

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "evaluations" / "cases" / "reports"
CONTRACT = ["序号", "文件", "单位", "位置（行/段）", "所在部分", "类别", "级别", "规则", "原文", "问题",
            "修改建议", "来源"]


@pytest.fixture
def three(seed_path) -> list[str]:
    return [str(seed_path), str(REPORTS / "01_wangchuan_county_gov.txt"),
            str(REPORTS / "03_lanxi_county_samr.txt")]


def _groups(cli, paths) -> tuple[list[tuple[str, str, int | None]], int]:
    """The (file, rule, line) groups of a JSON check of ``paths`` in file then text order
    (the order of each group's first finding), and the number of findings."""
    files = json.loads(cli("check", *paths, "--format", "json").stdout)["files"]
    keys = [(f["path"], x["rule"], x["line"]) for f in files for x in f["findings"]]
    return list(dict.fromkeys(keys)), len(keys)


def test_export_contract_columns():
    assert list(COLUMNS) == CONTRACT


def test_xlsx_has_one_row_per_rule_and_paragraph_and_a_summary_per_unit(cli, three, tmp_path):
    out = tmp_path / "审核意见.xlsx"
    res = cli("check", *three, "--export", str(out))
    assert res.returncode == 1, res.stderr  # the seed has errors: the check's exit code stands
    assert f"已写出审核意见表：{out}（3 个文件" in res.stderr
    groups, findings = _groups(cli, three)
    wb = load_workbook(out)
    assert wb.sheetnames == ["审核意见", "汇总"]
    ws = wb["审核意见"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == CONTRACT
    body = rows[1:]
    assert len(body) == len(groups) < findings  # some paragraphs had one rule several times
    assert [(r[1], r[7]) for r in body] == [(g[0], g[1]) for g in groups]
    assert [r[0] for r in body] == list(range(1, len(body) + 1))
    assert {r[11] for r in body} == {"规则审核"}
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:L{len(body) + 1}"
    assert ws.column_dimensions["J"].width >= 40
    assert ws["J2"].alignment.wrap_text
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
    # Twenty half-width commas in one paragraph are one row with a count.
    assert any(r[7] == "FMT004" and "已可自动修正" in r[9] for r in body)
    summary = list(wb["汇总"].iter_rows(values_only=True))
    assert summary[0][:7] == ("文件", "单位", "报送时间", "意见条数", "错误", "警告", "提示")
    assert [s[0] for s in summary[1:4]] == three
    assert summary[2][1] == "望川县人民政府" and summary[2][2].startswith("按时")
    assert summary[1][2].startswith("逾期")  # the seed is dated 2024年4月1日
    assert sum(s[3] for s in summary[1:4]) == len(body)
    assert summary[4][0] == "合计（3 份）" and summary[4][3] == len(body)


def test_csv_and_docx_carry_the_same_rows(cli, three, tmp_path):
    xlsx, csv_path, docx_path = (tmp_path / f"r.{x}" for x in ("xlsx", "csv", "docx"))
    for out in (xlsx, csv_path, docx_path):
        assert cli("check", *three, "--export", str(out)).returncode == 1
    expected = [[("" if v is None else str(v)) for v in r]
                for r in load_workbook(xlsx)["审核意见"].iter_rows(values_only=True)]
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    assert list(csv.reader(io.StringIO(raw.decode("utf-8-sig")))) == expected
    import docx

    document = docx.Document(str(docx_path))
    tables = document.tables
    assert [c.text for c in tables[0].rows[0].cells] == ["单位", "文件", "意见", "错误", "警告", "提示",
                                                          "报送时间"]
    assert len(tables) == 1 + 3  # the summary, then one table per unit
    from drafter.checker.export.letter import TABLE_COLUMNS

    assert [c.text for c in tables[1].rows[0].cells] == [n for n, _ in TABLE_COLUMNS]
    numbers = [row.cells[0].text for t in tables[1:] for row in t.rows[1:]]
    assert numbers == [r[0] for r in expected[1:]]
    headings = [p.text for p in document.paragraphs if p.style.style_id == "Heading1"]
    assert headings[1] == "二、望川县人民政府（01_wangchuan_county_gov.txt）"
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    assert tables[1]._tbl.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None
    sections = document.sections
    assert sections[0].page_width < sections[0].page_height  # the title page: portrait A4
    assert sections[1].page_width > sections[1].page_height  # the tables: landscape


def _calc() -> bool:
    """LibreOffice with its spreadsheet component (libreoffice-calc)."""
    exe = soffice()
    if exe is None:
        return False
    program = Path(exe).resolve().parent
    return any(program.glob("libsclo.so")) or any(program.glob("*sclo*"))


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) not installed")
@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_exports_reopen_in_libreoffice(cli, three, tmp_path, suffix):
    if suffix == ".xlsx" and not _calc():
        pytest.skip("LibreOffice Calc (libreoffice-calc-nogui) not installed")
    out = tmp_path / f"审核意见{suffix}"
    cli("check", *three, "--export", str(out))
    try:
        pdf = convert(out, "pdf", tmp_path / "lo")
    except ConversionError as e:
        pytest.fail(f"LibreOffice could not open the export: {e}")
    import subprocess

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    text = "".join(text.split())  # table cells wrap anywhere
    assert "审核意见" in text and "FMT001" in text and "望川县人民政府" in text


def _finding(rule: str, line: int, col: int, quote: str, message: str, **kw) -> Finding:
    return Finding(rule=rule, name="x", category=kw.pop("category", "format"),
                   severity=kw.pop("severity", "warning"), message=message, line=line,
                   column=col, quote=quote, **kw)


def test_grouping_counts_findings_of_one_rule_in_one_paragraph():
    fs = [_finding("FMT004", 3, 9, "2023 年", "数字与汉字之间有多余空格", suggestion="2023年",
                   edits=(Edit(0, 1, ""),)),
          _finding("FMT004", 3, 1, "12 件", "数字与汉字之间有多余空格", suggestion="12件",
                   edits=(Edit(2, 3, ""),)),
          _finding("FMT004", 4, 1, "5 人", "数字与汉字之间有多余空格", suggestion="5人",
                   edits=(Edit(9, 10, ""),)),
          _finding("LAW001", 3, 5, "《行政许可法》", "法规名称写错", severity="error", category="law")]
    llm = _finding("LLM001", 4, 2, "决荣", "疑似错别字", category="typo", suggestion="决策")
    llm.source = "llm"  # the field review findings carry (#16); rules findings default to rules
    data = export_bytes([FileResult(path="a.docx", findings=fs + [llm], unit="示例局",
                                    deadline="按时")], ".csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [(r["位置（行/段）"], r["规则"]) for r in rows] == [
        ("第3段", "FMT004"), ("第3段", "LAW001"), ("第4段", "FMT004"), ("第4段", "LLM001")]
    first = rows[0]
    assert first["原文"] == "“12 件”、“2023 年”"
    assert first["问题"] == "本段数字与汉字之间的空格2处，已可自动修正（drafter check --fix）"
    assert first["修改建议"] == "12件；2023年"
    assert rows[1]["级别"] == "错误" and rows[1]["类别"] == "法规名称"
    assert [r["来源"] for r in rows] == ["规则审核", "规则审核", "规则审核", "大模型辅助"]


@pytest.mark.parametrize("args,message", [
    (["--export", "x.pdf"], "应为 .xlsx、.docx 或 .csv"),
    (["--export", "x.xlsx", "--fix", "-o", "y.txt"], "--export 不能与 --annotate/--fix 同时使用"),
])
def test_bad_export_usage_exits_2(cli, seed_path, tmp_path, args, message):
    res = cli("check", str(seed_path), *args, cwd=tmp_path)
    assert res.returncode == 2 and message in res.stderr and "Traceback" not in res.stderr


def test_existing_export_needs_force(cli, seed_path, tmp_path):
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"keep")
    res = cli("check", str(seed_path), "--export", str(out))
    assert res.returncode == 2 and "已存在" in res.stderr and out.read_bytes() == b"keep"
    assert res.stdout == ""  # refused before any report was read
    assert cli("check", str(seed_path), "--export", str(out), "--force").returncode == 1
    assert out.read_bytes().startswith(b"PK")
