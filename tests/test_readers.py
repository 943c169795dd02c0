""".txt / .md reading: encodings, line endings, Markdown marks, and bad input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafter.errors import InputError
from drafter.report.readers import decode_text, read_report

LINES = [
    "关于2023年度法治政府建设情况的报告",
    "市人民政府：",
    "",
    "一、主要举措和成效",
    "（一）健全依法决策机制。全年审查合同48件，提出意见63条。",
    "二、存在的不足和原因",
    "2024年2月20日",
]
TEXT = "\n".join(LINES) + "\n"

ENCODINGS = [
    ("utf-8", lambda t: t.encode("utf-8")),
    ("utf-8 with BOM", lambda t: t.encode("utf-8-sig")),
    ("gbk", lambda t: t.encode("gbk")),
    ("gb18030", lambda t: t.encode("gb18030")),
    ("utf-16 with BOM", lambda t: t.encode("utf-16")),
]
NEWLINES = [("LF", "\n"), ("CRLF", "\r\n"), ("CR", "\r")]


@pytest.mark.parametrize("encode", [e[1] for e in ENCODINGS], ids=[e[0] for e in ENCODINGS])
@pytest.mark.parametrize("newline", [n[1] for n in NEWLINES], ids=[n[0] for n in NEWLINES])
def test_text_reads_to_the_same_lines_in_any_encoding_and_line_ending(tmp_path, encode, newline):
    path = tmp_path / "报告.txt"
    path.write_bytes(encode(TEXT.replace("\n", newline)))
    report = read_report(path)
    assert [p.text for p in report.paragraphs] == LINES
    assert [p.line for p in report.paragraphs] == list(range(1, len(LINES) + 1))
    assert report.format == "txt"


SHORT_GB = ["附件", "我局", "二、存在问题", "依法行政"]


@pytest.mark.parametrize("text", SHORT_GB)
@pytest.mark.parametrize("enc", ["gbk", "gb18030"])
def test_short_gb_text_is_not_mistaken_for_big5(text, enc):
    assert decode_text(text.encode(enc), "x.txt") == text


def test_big5_text_is_still_big5():
    text = "臺灣地區法治政府建設年度報告，依法行政。"
    assert decode_text(text.encode("big5"), "x.txt") == text


def test_markdown_heading_marks_and_bullets_are_stripped(tmp_path):
    path = tmp_path / "报告.md"
    path.write_text("# 关于2023年度法治政府建设情况的报告\n\n## 一、主要举措和成效\n"
                    "- 全年审查合同48件。\n正文不变。\n", encoding="utf-8")
    report = read_report(path)
    assert [p.text for p in report.paragraphs] == [
        "关于2023年度法治政府建设情况的报告", "", "一、主要举措和成效", "全年审查合同48件。", "正文不变。"]
    assert report.format == "md"
    assert report.sections[0].heading.number == "一、"


_CASE_REPORTS = Path(__file__).resolve().parent.parent / "evaluations" / "cases" / "reports"


def _as_markdown(lines: list[str]) -> list[str]:
    """Evaluation report lines as a Markdown author would write them."""
    out = []
    for i, line in enumerate(lines):
        if re.match(r"^[一二三四五六七八九十]+、", line):
            out.append("## " + line)
        elif re.match(r"^[（(][一二三四五六七八九十]+[）)]", line):
            out.append("### " + line)
        elif i > 2 and line and i % 3 == 0:
            out.append("- " + line)
        elif i > 2 and line and i % 3 == 1:
            out.append("  * " + line)
        else:
            out.append(line)
    return out


@pytest.mark.parametrize("name", ["01_wangchuan_county_gov", "11_qiyun_wanghu_street",
                                  "12_jizhou_city_transport", "13_qinghe_county_emergency",
                                  "14_jiangyu_city_hrss"])
def test_markdown_findings_point_into_the_original_file(tmp_path, name):
    from drafter.checker import check_report

    md = _as_markdown((_CASE_REPORTS / f"{name}.txt").read_text(encoding="utf-8").split("\n"))
    path = tmp_path / f"{name}.md"
    path.write_text("\n".join(md), encoding="utf-8")
    findings = [f for f in check_report(read_report(path))
                if f.line is not None and f.quote and "\n" not in f.quote]
    shifted = [f for f in findings if md[f.line - 1] != md[f.line - 1].lstrip("#*- ")]
    assert shifted, "the conversion should put findings on prefixed lines"
    for f in findings:
        assert md[f.line - 1][f.column - 1:].startswith(f.quote), (f.rule, f.line, f.column)


def _write(tmp_path, data: bytes):
    path = tmp_path / "报告.txt"
    path.write_bytes(data)
    return path


def _binary(tmp_path):
    path = tmp_path / "报告.txt"
    path.write_bytes(bytes(range(256)) * 8)
    return path


def _empty(tmp_path):
    path = tmp_path / "报告.txt"
    path.write_bytes(b"")
    return path


def _blank_lines(tmp_path):
    path = tmp_path / "报告.txt"
    path.write_bytes(b"\r\n   \r\n\t\r\n")
    return path


def _undetectable(tmp_path):
    path = tmp_path / "报告.txt"
    path.write_bytes(bytes(range(128, 256)) * 10)  # high bytes only, no text in any encoding
    return path


def _bad_utf8_after_bom(tmp_path):
    path = tmp_path / "报告.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "一、".encode() + b"\xff\xfe\x80")
    return path


def _too_big(tmp_path):
    path = tmp_path / "报告.txt"
    path.write_bytes(("依法行政。" * 200).encode() * 2000)
    return path


BAD_TEXT = [
    ("binary garbage", _binary, "二进制"),
    ("binary garbage without NUL bytes", lambda t: _write(t, bytes(range(1, 256)) * 8),
     "无法识别文本编码"),
    ("empty file", _empty, "文件为空"),
    ("only blank lines", _blank_lines, "文件为空"),
    ("undetectable encoding", _undetectable, "无法识别文本编码"),
    ("BOM then invalid UTF-8", _bad_utf8_after_bom, "不是有效的 UTF-8"),
    ("too big", _too_big, "文件过大"),
    ("UTF-16 BOM then control characters",
     lambda t: _write(t, b"\xff\xfe" + "法治政府\x01\x02\x03".encode("utf-16-le")), "无法识别文本编码"),
]


@pytest.mark.parametrize("make,expected", [b[1:] for b in BAD_TEXT], ids=[b[0] for b in BAD_TEXT])
def test_bad_text_file_is_an_input_error_naming_the_file(tmp_path, make, expected):
    path = make(tmp_path)
    with pytest.raises(InputError) as exc:
        read_report(path)
    assert exc.value.message.startswith(f"{path}：")
    assert expected in exc.value.message
    assert exc.value.hint


@pytest.mark.parametrize("name,expected", [
    ("报告.pdf", "不支持 PDF"), ("报告.doc", "不支持旧版 Word"), ("报告.wps", "不支持旧版 Word"),
    ("报告.odt", "不支持的文件类型“.odt”"), ("报告", "无扩展名")])
def test_unsupported_types(tmp_path, name, expected):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(InputError, match=expected):
        read_report(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="文件不存在"):
        read_report(tmp_path / "无此文件.txt")
    (tmp_path / "x.txt").mkdir()
    with pytest.raises(InputError, match="是文件夹"):
        read_report(tmp_path / "x.txt")
