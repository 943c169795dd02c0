"""Bad input, end to end: every case runs the real `drafter` command in a subprocess and must
exit 2 with exactly one Chinese line on stderr that names the file and says what to do — no
traceback, nothing on stdout, and not one file created or changed in the working folder.

The table covers report files (missing, empty, binary, undetectable encoding, legacy and PDF
formats, damaged and oversized .docx, a 20 MB text), facts files (YAML and Excel: syntax,
missing fields, wrong types, negative and inconsistent counts, unknown keys, encoding) and
outputs (missing or unwritable folder, an existing file without --force, a run folder that
is a file).
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from drafter.checker.testing import skeleton
from evaluations import bombs
from tests.docx_fixtures import lines_docx, make_docx, rewrite_member

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "corpus" / "shili-kegongxin" / "2023" / "facts.yaml"
CLEAN = skeleton().replace("{fragment}\n", "")

# Three English words with spaces between them: an untranslated library message leaking to
# the user (".txt/.md/.docx" and "UTF-8 或 GBK" are not prose).
_GAP = r"[^A-Za-z\u4e00-\u9fff]*\s[^A-Za-z\u4e00-\u9fff]*"
ENGLISH = re.compile(rf"[A-Za-z]{{2,}}{_GAP}[A-Za-z]{{2,}}{_GAP}[A-Za-z]{{2,}}")


@dataclass
class Case:
    """``make(work)`` builds the inputs inside ``work`` (the command's working folder) and
    returns (arguments, the file name the message must contain, a phrase it must contain)."""

    id: str
    make: Callable[[Path], tuple[list[str], str, str]]
    env: dict[str, str] | None = None


# -- builders ------------------------------------------------------------------------------

def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _noise(n: int, seed: int, alphabet: range = range(256)) -> bytes:
    rnd = random.Random(seed)
    return bytes(rnd.choice(alphabet) for _ in range(n))


def _clean_txt(work: Path, name: str = "报告.txt") -> Path:
    return _write(work / name, CLEAN)


def _clean_docx(work: Path, name: str = "报告.docx") -> Path:
    return lines_docx(work / name, CLEAN.splitlines())


def _facts(work: Path, old: str = "", new: str = "", name: str = "facts.yaml") -> Path:
    text = FACTS.read_text(encoding="utf-8")
    if old:
        assert old in text, old  # the sample changed: update the case
        text = text.replace(old, new, 1)
    return _write(work / name, text)


def _facts_xlsx(work: Path, metric_value: object) -> Path:
    """The sample facts as an Excel workbook, with the first metric's value replaced."""
    from openpyxl import load_workbook

    from drafter.facts import load_facts
    from drafter.facts.xlsx import facts_to_xlsx_bytes
    from drafter.facts.xlsx_layout import FIRST_ROW, SHEET_METRICS

    path = _write(work / "事实采集表.xlsx", facts_to_xlsx_bytes(load_facts(FACTS)))
    wb = load_workbook(path)
    ws = wb[SHEET_METRICS]
    col = next(c.column for c in ws[1] if c.value == "本年数值")
    ws.cell(row=FIRST_ROW, column=col, value=metric_value)
    wb.save(path)
    return path


def _damaged_xlsx(work: Path) -> Path:
    """A workbook whose metrics sheet XML is cut in half (the zip itself is intact)."""
    path = _facts_xlsx(work, 3)
    with zipfile.ZipFile(path) as zf:
        items = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in items:
            zf.writestr(name, data[: len(data) // 2] if name.startswith("xl/worksheets/") else data)
    return path


def _truncated_docx(work: Path) -> Path:
    path = _clean_docx(work)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


def _zip_bomb_docx(work: Path) -> Path:
    """A real deflate bomb: document.xml padded with 60 MB of whitespace (~60 KB packed).

    Trailing whitespace after the root element is well-formed XML, so only the size limits
    stand between this file and a 60 MB parse."""
    path = _clean_docx(work)
    rewrite_member(path, "word/document.xml", lambda xml: xml + b" " * (60 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    return path


def _huge_text(work: Path) -> Path:
    """20 MB of real report text (not a sparse file): refused by size before being read."""
    path = work / "超大报告.txt"
    block = (CLEAN * 64).encode("utf-8")
    with path.open("wb") as fh:
        while fh.tell() < 20 * 1024 * 1024:
            fh.write(block)
    return path


def _folder_without_reports(work: Path) -> Path:
    folder = work / "材料"
    _write(folder / "说明.pdf", b"%PDF-1.4\n")
    _write(folder / "表.xlsx", b"PK")
    _write(folder / "~$草稿.docx", b"owner file of an open Word document")
    _write(folder / ".报告.txt", CLEAN)  # hidden: not a report either
    return folder


def _unwritable_dir(work: Path) -> Path:
    """A folder this process may not write to: a read-only folder when not root; as root
    (permission bits do not apply) a read-only mount such as /proc/sys, if there is one."""
    ro = work / "只读"
    ro.mkdir()
    ro.chmod(0o555)
    if not os.access(ro, os.W_OK):
        return ro
    ro.chmod(0o755)
    ro.rmdir()
    for cand in (Path("/proc/sys"), Path("/sys")):
        if cand.is_dir() and not os.access(cand, os.W_OK):
            return cand
    pytest.skip("running as root with no read-only folder to write into")


def _existing(work: Path, name: str, data: bytes = b"an earlier version, must survive") -> Path:
    return _write(work / name, data)


# -- the table ------------------------------------------------------------------------------

def _check(*args: str) -> list[str]:
    return ["check", *args]


def _facts_check(facts: str) -> list[str]:
    return ["facts", "check", facts]


def _long_text(work: Path, lines: int, width: int) -> Path:
    """A text "report" of ``lines`` lines of ``width`` characters (the document-level caps)."""
    return _write(work / "长文.txt", "\n".join(["示例县司法局关于2023年度法治政府建设情况的报告"]
                                           + ["x" * width] * lines) + "\n")


def _draft(facts: str, *args: str) -> list[str]:
    return ["draft", facts, *args] if args else ["draft", facts, "-o", "草稿.docx"]


CASES = [
    # reports given to `drafter check`
    Case("missing-path", lambda w: (_check("无此报告.txt"), "无此报告.txt", "不存在")),
    Case("folder-without-reports", lambda w: (_check(_folder_without_reports(w).name), "材料",
                                               "文件夹中没有")),
    Case("empty-file", lambda w: (_check(_write(w / "空.txt", b"").name), "空.txt", "文件为空")),
    Case("blank-lines-only", lambda w: (_check(_write(w / "空白.md", "\n \n\u3000\n").name),
                                        "空白.md", "文件为空")),
    Case("binary-garbage-named-txt", lambda w: (
        _check(_write(w / "乱码.txt", _noise(4000, 1)).name), "乱码.txt", "不是文本文件")),
    Case("undetectable-encoding", lambda w: (
        _check(_write(w / "编码.txt", _noise(4000, 2, range(0x80, 0x100))).name), "编码.txt",
        "无法识别文本编码")),
    Case("legacy-doc", lambda w: (
        _check(_write(w / "旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + _noise(4000, 3)).name),
        "旧版.doc", "旧版 Word/WPS")),
    Case("legacy-wps-not-a-word-file", lambda w: (
        _check(_write(w / "旧版.wps", _noise(2000, 4, range(32, 127))).name), "旧版.wps",
        "旧版 Word/WPS")),
    Case("pdf", lambda w: (_check(_write(w / "报告.pdf", b"%PDF-1.7\n%\xe2\xe3\n").name),
                           "报告.pdf", "不支持 PDF")),
    Case("truncated-docx", lambda w: (_check(_truncated_docx(w).name), "报告.docx",
                                      "不是有效的 .docx")),
    Case("zip-bomb-docx", lambda w: (_check(_zip_bomb_docx(w).name), "报告.docx", "上限 50 MB")),
    Case("docx-without-body-text", lambda w: (
        _check(make_docx(w / "空文档.docx", "<w:p/><w:p><w:r><w:t xml:space=\"preserve\"> </w:t>"
                                            "</w:r></w:p>").name), "空文档.docx", "没有正文文字")),
    Case("text-of-20-mb", lambda w: (_check(_huge_text(w).name), "超大报告.txt", "上限 5 MB")),
    Case("one-bad-file-among-good-ones", lambda w: (
        _check(_clean_txt(w).name, _write(w / "坏.txt", b"").name), "坏.txt", "文件为空")),
    # facts for `drafter check --facts`
    Case("check-facts-broken-yaml", lambda w: (
        _check(_clean_txt(w).name, "--facts", _facts(w, "year: 2023 ", "year: [2023 ").name),
        "facts.yaml:", "YAML 语法错误")),
    # facts given to `drafter draft`
    Case("facts-missing", lambda w: (_draft("无此事实.yaml"), "无此事实.yaml", "不存在")),
    Case("facts-empty", lambda w: (_draft(_write(w / "facts.yaml", b"").name), "facts.yaml",
                                   "应为“字段: 值”的结构")),
    Case("facts-yaml-syntax", lambda w: (
        _draft(_facts(w, "recipients:", "recipients: [中共示例市委\nx:").name), "facts.yaml:",
        "YAML 语法错误")),
    Case("facts-tab-indent", lambda w: (
        _draft(_facts(w, "  short: 我局", "\tshort: 我局").name), "facts.yaml:", "Tab")),
    Case("facts-missing-field", lambda w: (
        _draft(_facts(w, "  name: 示例市科学技术和工业信息化局", "").name),
        "facts.yaml:", "unit.name：缺少必填字段")),
    Case("facts-wrong-type", lambda w: (
        _draft(_facts(w, "value: 63,", "value: 六十三,").name), "facts.yaml:23", "应为数字")),
    Case("facts-negative-count", lambda w: (
        _draft(_facts(w, "value: 46,", "value: -46,").name), "facts.yaml:22", "不能为负数")),
    Case("facts-parts-exceed-total", lambda w: (
        _draft(_facts(w, "value: 8, unit: 件, part_of", "value: 20, unit: 件, part_of").name),
        "facts.yaml:", "超过总数")),
    Case("facts-parts-do-not-add-up", lambda w: (
        _draft(_facts(w, "value: 8, unit: 件, part_of", "value: 7, unit: 件, part_of").name),
        "facts.yaml:", "不等于总数")),
    Case("facts-unknown-key", lambda w: (
        _draft(_facts(w, "year: 2023 ", "yearr: 2023\nyear: 2023 ").name), "facts.yaml:",
        "未知字段")),
    Case("facts-not-utf8", lambda w: (
        _draft(_write(w / "facts.yaml", FACTS.read_text(encoding="utf-8").encode("gbk")).name),
        "facts.yaml", "不是 UTF-8 编码")),
    Case("facts-xlsx-not-a-workbook", lambda w: (
        _draft(_write(w / "事实.xlsx", _noise(3000, 5)).name), "事实.xlsx", "Excel")),
    Case("facts-xlsx-damaged-xml", lambda w: (
        _draft(_damaged_xlsx(w).name), "事实采集表.xlsx", "已损坏")),
    Case("facts-xlsx-wrong-type", lambda w: (
        _draft(_facts_xlsx(w, "三项").name), "事实采集表.xlsx", "应为")),
    Case("facts-xlsx-negative-count", lambda w: (
        _draft(_facts_xlsx(w, -3).name), "事实采集表.xlsx", "负数")),
    # small files that stand for huge data (evaluations/bombs.py)
    Case("facts-yaml-alias-bomb", lambda w: (
        _draft(_write(w / "facts.yaml", bombs.alias_yaml()).name), "facts.yaml:", "锚点和别名")),
    Case("facts-check-yaml-alias-bomb", lambda w: (
        _facts_check(_write(w / "facts.yaml", bombs.alias_yaml(levels=6, width=40, size=600)).name),
        "facts.yaml:", "展开后数据过多")),
    Case("facts-yaml-nested-too-deep", lambda w: (
        _facts_check(_write(w / "facts.yaml", bombs.deep_yaml()).name), "facts.yaml:", "嵌套层级过深")),
    Case("facts-yaml-alias-cycle", lambda w: (
        _facts_check(_write(w / "facts.yaml", "year: 2023\nprevious_plans: &a [计划, *a]\n").name),
        "facts.yaml:2", "循环引用")),
    Case("facts-xlsx-cell-bomb", lambda w: (
        _draft(_write(w / "事实采集表.xlsx", bombs.cell_bomb_xlsx()).name), "事实采集表.xlsx",
        "单元格过多")),
    Case("facts-check-xlsx-dimension-bomb", lambda w: (
        _facts_check(_write(w / "事实采集表.xlsx", bombs.dimension_bomb_xlsx()).name),
        "事实采集表.xlsx", "A1:XFD1048576")),
    Case("check-text-too-many-characters", lambda w: (
        _check(_long_text(w, 210, 10_000).name), "长文.txt", "文档过长")),
    Case("check-text-too-many-paragraphs", lambda w: (
        _check(_long_text(w, 50_001, 1).name), "长文.txt", "文档过长")),
    Case("llm-endpoint-not-configured", lambda w: (
        _draft(_facts(w).name, "-o", "草稿.docx", "--backend", "llm", "--run-dir", "记录"),
        "OPENAI_BASE_URL", "未设置"), env={"OPENAI_BASE_URL": "", "OPENAI_API_KEY": "k"}),
    Case("llm-endpoint-not-http", lambda w: (
        _draft(_facts(w).name, "-o", "草稿.docx", "--backend", "llm"), "OPENAI_BASE_URL",
        "不是有效的"), env={"OPENAI_BASE_URL": "file:///etc/passwd", "OPENAI_API_KEY": "k"}),
    # outputs
    Case("draft-output-folder-missing", lambda w: (
        _draft(_facts(w).name, "-o", "无此文件夹/草稿.docx"), "无此文件夹/草稿.docx", "不存在")),
    Case("draft-output-folder-not-writable", lambda w: (
        _draft(_facts(w).name, "-o", str(_unwritable_dir(w) / "草稿.docx")), "草稿.docx", "不可写")),
    Case("draft-existing-output-without-force", lambda w: (
        _draft(_facts(w).name, "-o", _existing(w, "草稿.docx").name), "草稿.docx", "已存在")),
    Case("draft-run-dir-is-a-file", lambda w: (
        _draft(_facts(w).name, "-o", "草稿.docx", "--run-dir", _existing(w, "记录").name),
        "记录", "不是文件夹")),
    Case("draft-output-not-docx", lambda w: (
        _draft(_facts(w).name, "-o", "草稿.pdf"), "草稿.pdf", ".docx")),
    Case("fix-existing-output-without-force", lambda w: (
        _check(_clean_txt(w).name, "--fix", "-o", _existing(w, "改.txt").name), "改.txt", "已存在")),
    Case("fix-in-place-without-force", lambda w: (
        _check(_clean_txt(w).name, "--fix"), "报告.txt", "--force")),
    Case("annotate-existing-output-without-force", lambda w: (
        _check(_clean_docx(w).name, "--annotate", _existing(w, "批注.docx").name), "批注.docx",
        "已存在")),
    Case("annotate-output-folder-missing", lambda w: (
        _check(_clean_txt(w).name, "--annotate", "无此文件夹/批注.docx"), "无此文件夹/批注.docx",
        "不存在")),
    Case("annotate-output-folder-not-writable", lambda w: (
        _check(_clean_txt(w).name, "--annotate", str(_unwritable_dir(w) / "批注.docx")), "批注.docx",
        "不可写")),
]


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry under ``folder``: kind, size, mtime and content hash."""
    out = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None
        out[str(p.relative_to(folder))] = (p.is_dir(), st.st_size, st.st_mtime_ns, digest)
    return out


def test_the_table_is_large_enough():
    assert len(CASES) >= 20 and len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_exits_2_with_one_chinese_line_and_writes_nothing(cli, tmp_path, case):
    work = tmp_path / "work"
    work.mkdir()
    args, name, phrase = case.make(work)
    before = snapshot(work)
    try:
        cp = cli(*args, cwd=work, env=case.env)
    finally:
        for p in work.rglob("*"):  # let pytest clean up a read-only folder
            if p.is_dir():
                p.chmod(0o755)
    assert cp.returncode == 2, cp.stdout + cp.stderr
    assert "Traceback" not in cp.stderr and "Traceback" not in cp.stdout
    assert cp.stdout == "", cp.stdout
    lines = cp.stderr.splitlines()
    assert len(lines) == 1, cp.stderr
    line = lines[0]
    assert line.startswith("错误："), line
    assert name in line, f"{name!r} not in {line!r}"
    assert phrase in line, f"{phrase!r} not in {line!r}"
    # What to do: every message ends with a hint in full-width brackets.
    assert line.endswith("）") and "（" in line, line
    prose = line
    for token in (*args, name):
        prose = prose.replace(str(token), "")
    assert len(re.findall(r"[\u4e00-\u9fff]", prose)) >= 8, line
    assert not ENGLISH.search(prose), line
    assert snapshot(work) == before, "a file was created or changed"


def test_oversized_text_is_refused_without_reading_it(tmp_path, monkeypatch):
    """The size limit is checked on the file's metadata: a 20 MB file is never read."""
    from drafter.errors import InputError
    from drafter.report.readers import MAX_TEXT_BYTES, read_report

    path = tmp_path / "大.txt"
    with path.open("wb") as fh:  # sparse: costs nothing to make
        fh.truncate(20 * 1024 * 1024)
    reads = []

    def no_read(self, *a, **k):
        reads.append(self)
        raise AssertionError("the oversized file was read")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    monkeypatch.setattr(Path, "open", no_read)
    with pytest.raises(InputError) as e:
        read_report(path)
    assert "上限 5 MB" in e.value.message and MAX_TEXT_BYTES == 5 * 1024 * 1024
    assert reads == []


# -- small files that stand for huge data: bounded in time and memory ---------------------------

PEAK_SCRIPT = """
import resource, subprocess, sys, json
cp = subprocess.run([sys.executable, "-m", "drafter", *sys.argv[1:]], capture_output=True, text=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
print(json.dumps({"rc": cp.returncode, "stderr": cp.stderr, "peak_mb": peak / 1024}))
"""


@pytest.mark.parametrize("name, make, args", [
    ("facts.yaml", bombs.alias_yaml, ("facts", "check")),
    ("facts.yaml", bombs.alias_yaml, ("draft",)),
    ("事实采集表.xlsx", bombs.cell_bomb_xlsx, ("facts", "check")),
    ("事实采集表.xlsx", bombs.cell_bomb_xlsx, ("draft",)),
], ids=["yaml-facts-check", "yaml-draft", "xlsx-facts-check", "xlsx-draft"])
def test_bombs_are_refused_within_bounded_memory(tmp_path, name, make, args):
    """The 7.9 KB alias bomb stood for 4.3 GB, the 95 KB cell bomb for 0.8 GB: each is now
    refused with exit 2 and one Chinese line, the command's peak memory well under 400 MB
    (the time is a benchmark row: python -m evaluations.bench_web_limits)."""
    import json
    import subprocess
    import sys

    data = make()
    assert (7_500 <= len(data) <= 8_300) if name.endswith(".yaml") else (80_000 <= len(data) <= 110_000)
    _write(tmp_path / name, data)
    extra = ("-o", "草稿.docx") if args == ("draft",) else ()
    out = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, *args, name, *extra], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    r = json.loads(out.stdout)
    assert r["rc"] == 2 and len(r["stderr"].splitlines()) == 1, r["stderr"]
    assert r["stderr"].startswith(f"错误：{name}") and "Traceback" not in r["stderr"]
    assert r["peak_mb"] < 400, r
    assert not (tmp_path / "草稿.docx").exists()
