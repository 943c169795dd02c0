"""`drafter check --fix`: which edits are applied, and what the fixed copy looks like."""

from __future__ import annotations

import re
import zipfile
from difflib import SequenceMatcher

import pytest

from drafter.api import CheckRequest, fix_file
from drafter.checker import check_report
from drafter.checker.finding import Edit
from drafter.checker.fix import (
    apply_edits,
    collect_edits,
    fix_text_bytes,
    preserves_content,
    select_edits,
    split_safe,
)
from drafter.errors import OutputError
from drafter.report.readers import read_report
from tests.docx_fixtures import autonumbered_docx, make_docx, p, r, revised_and_linked_docx

FIXED_KINDS = {"FMT001", "FMT002", "FMT003", "FMT004", "FMT005", "FMT006", "FMT007", "TYP001"}


# ---- choosing edits ---------------------------------------------------------------------

@pytest.mark.parametrize("edits,expected", [
    # left to right; an edit overlapping one already taken is dropped
    ([Edit(0, 2, "a"), Edit(1, 3, "b"), Edit(3, 4, "c")], [Edit(0, 2, "a"), Edit(3, 4, "c")]),
    # on a tie the longer edit wins
    ([Edit(5, 6, "x"), Edit(5, 9, "y")], [Edit(5, 9, "y")]),
    # adjacent edits both apply; an insertion at the end of a replacement too
    ([Edit(0, 1, "a"), Edit(1, 2, "b"), Edit(2, 2, "c")],
     [Edit(0, 1, "a"), Edit(1, 2, "b"), Edit(2, 2, "c")]),
    # an edit inside a long one is dropped even after other edits
    ([Edit(0, 10, "L"), Edit(2, 3, "s"), Edit(9, 11, "t")], [Edit(0, 10, "L")]),
])
def test_select_edits_keeps_non_overlapping_left_to_right(edits, expected):
    assert select_edits(edits) == expected


def test_select_edits_skips_paragraph_joins_for_docx():
    text = "具\n体，"
    edits = [Edit(1, 2, ""), Edit(3, 4, "，")]
    assert select_edits(edits, text, within_paragraphs=True) == [Edit(3, 4, "，")]


def test_apply_edits_uses_original_offsets():
    assert apply_edits("2023 年,在", [Edit(4, 5, ""), Edit(6, 7, "，")]) == "2023年，在"


@pytest.mark.parametrize("before,after,safe", [
    (",", "，", True),
    ("<", "〈", True),
    (" ", "", True),
    ("\n", "", True),
    ("１２", "12", True),
    ("決", "决", True),
    ("[2022]", "〔2022〕", True),
    ("政府信息化公开条例", "中华人民共和国政府信息公开条例", False),  # a law title
    ("薛保庆", "薛宝庆", False),  # a name
    ("12", "13", False),  # a number
    ("二〇二四年", "2024年", False),  # a numeral form is a word change, not a width change
    ("法制氛围", "法治氛围", False),  # a word
])
def test_only_content_preserving_edits_are_safe(before, after, safe):
    text = f"前{before}后"
    assert preserves_content(text, Edit(1, 1 + len(before), after)) is safe


# ---- the seed ---------------------------------------------------------------------------

@pytest.fixture
def fixed_seed(seed_path, tmp_path, cli):
    out = tmp_path / "fixed.txt"
    res = cli("check", str(seed_path), "--fix", "-o", str(out))
    return res, out


def test_fix_seed_writes_copy_and_reports_counts(fixed_seed, seed_path):
    res, out = fixed_seed
    assert out.exists()
    assert "已自动修正" in res.stderr  # remarks go to stderr, findings to stdout
    n = int(re.search(r"已自动修正 (\d+) 处", res.stderr).group(1))
    assert n > 130  # 132 half-width marks alone
    # exit code of the re-check: the seed still lacks a title and a signature (errors)
    left = check_report(read_report(out))
    assert res.returncode == (1 if any(f.severity == "error" for f in left) else 0)
    assert seed_path.read_text(encoding="utf-8") != out.read_text(encoding="utf-8")


def test_fixed_seed_rechecked_shows_none_of_the_fixed_kinds(fixed_seed):
    _, out = fixed_seed
    left = check_report(read_report(out))
    assert not [f for f in left if f.rule in FIXED_KINDS]
    # what a person must decide is still there
    rules = {f.rule for f in left}
    assert {"INS001", "INS002", "TYP002", "TYP003"} <= rules


def test_fixed_seed_differs_only_where_edits_apply(fixed_seed, seed_path):
    _, out = fixed_seed
    original = seed_path.read_text(encoding="utf-8")
    fixed = out.read_text(encoding="utf-8")
    report = read_report(seed_path)
    findings = check_report(report)
    safe, _ = split_safe(report.text, collect_edits(findings))
    applied = select_edits(safe)
    # the seed is LF text: file offsets are report offsets
    tail = "\n" if original.endswith("\n") else ""
    assert original == report.text + tail
    assert fixed == apply_edits(report.text, applied) + tail
    covered = {i for e in applied for i in range(e.start, e.end)}
    points = {e.start for e in applied} | {e.end for e in applied}
    for op, i1, i2, _, _ in SequenceMatcher(None, original, fixed, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        changed = set(range(i1, i2))
        assert changed <= covered if changed else i1 in points, (op, original[i1:i2])
    # names, numbers and law titles unchanged
    for name in ("薛宝庆", "薛保庆", "龙图律师事务所"):
        assert original.count(name) == fixed.count(name)
    assert re.findall(r"\d+", original) == re.findall(r"\d+", fixed)

    def titles(s):
        return [re.sub(r"[()（）<>〈〉 ]", "", t) for t in re.findall(r"《([^《》]*)》", s)]
    assert titles(original) == titles(fixed)
    # one line fewer for each joined break ("具⏎体", "薛宝庆⏎担任")
    joins = [f for f in findings if f.rule == "FMT006"]
    assert len(joins) == 2
    assert original.count("\n") - fixed.count("\n") == len(joins)
    assert "具体指导" in fixed and "薛宝庆担任" in fixed
    assert "集体决策" in fixed and "〈关于推进" in fixed and "《行政许可法》《行政复议法》" in fixed


# ---- output rules -----------------------------------------------------------------------

def test_fix_refuses_to_overwrite_without_force(cli, seed_path, tmp_path):
    out = tmp_path / "fixed.txt"
    out.write_text("旧内容", encoding="utf-8")
    res = cli("check", str(seed_path), "--fix", "-o", str(out))
    assert res.returncode == 2 and "已存在" in res.stderr
    assert out.read_text(encoding="utf-8") == "旧内容"


def test_fix_without_output_needs_force(cli, seed_path, tmp_path):
    src = tmp_path / "seed.txt"
    src.write_bytes(seed_path.read_bytes())
    res = cli("check", str(src), "--fix")
    assert res.returncode == 2 and "-o" in res.stderr
    assert src.read_bytes() == seed_path.read_bytes()
    res = cli("check", str(src), "--fix", "--force")
    assert res.returncode in (0, 1)
    assert "具体指导" in src.read_text(encoding="utf-8")


def test_output_without_fix_is_a_usage_error(cli, seed_path, tmp_path):
    res = cli("check", str(seed_path), "-o", str(tmp_path / "x.txt"))
    assert res.returncode == 2 and "--fix" in res.stderr


def test_fix_output_must_keep_the_file_type(seed_path, tmp_path):
    with pytest.raises(OutputError):
        fix_file(seed_path, tmp_path / "fixed.docx")


def test_gbk_crlf_file_keeps_encoding_and_line_breaks(tmp_path):
    text = ("示例局关于2023年度法治政府建设情况的报告\r\n市人民政府：\r\n"
            "2023 年,我局全面推进依法行政。\r\n一、主要举措和成效\r\n审核文件12件。\r\n")
    src = tmp_path / "gbk.txt"
    src.write_bytes(text.encode("gbk"))
    out = tmp_path / "out.txt"
    applied, _ = fix_file(src, out, request=CheckRequest(select="FMT"))
    assert applied == 2
    data = out.read_bytes()
    assert data.decode("gbk") == text.replace("2023 年,", "2023年，")


def test_mixed_line_endings_are_kept_line_by_line(tmp_path):
    lines = ["示例局关于2023年度法治政府建设情况的报告", "市人民政府：",
             "2023 年,我局全面推进依法行政。", "一、主要举措和成效", "审核文件12件,备案率100%。"]
    lines += [f"第{i}项工作：全年办理案件{i}件,全部按期办结。" for i in range(1, 14)]
    ends = ["\r\n"] * 5 + ["\n"] * 13
    text = "".join(ln + end for ln, end in zip(lines, ends))
    src = tmp_path / "mixed.txt"
    src.write_bytes(text.encode("utf-8"))
    out = tmp_path / "out.txt"
    applied, _ = fix_file(src, out, request=CheckRequest(select="FMT"))
    assert applied == 16  # the space and comma of line 3, one comma on each of 14 lines
    fixed = out.read_bytes().decode("utf-8")
    assert fixed == text.replace("2023 年,", "2023年，").replace(",", "，")
    assert fixed.count("\r\n") == 5 and fixed.count("\n") == 18


def test_markdown_prefixes_survive(tmp_path):
    src = tmp_path / "r.md"
    src.write_text("# 示例局关于2023年度法治政府建设情况的报告\n\n## 一、2023 年主要举措\n\n"
                   "- 审核文件12件,备案率100%。\n", encoding="utf-8")
    out = tmp_path / "o.md"
    fix_file(src, out, request=CheckRequest(select="FMT"))
    assert out.read_text(encoding="utf-8") == (
        "# 示例局关于2023年度法治政府建设情况的报告\n\n## 一、2023年主要举措\n\n"
        "- 审核文件12件，备案率100%。\n")


def test_a_changed_source_is_not_overwritten_with_stale_offsets(seed_path):
    report = read_report(seed_path)
    with pytest.raises(Exception) as e:
        fix_text_bytes(b"other text\n", report, [], str(seed_path))
    assert "已改变" in str(e.value)


# ---- .docx ------------------------------------------------------------------------------

def _runs(path):
    import docx

    return [[(x.text, x.bold, x.italic) for x in para.runs] for para in docx.Document(str(path)).paragraphs]


def test_docx_fix_edits_runs_in_place_and_keeps_formatting(tmp_path):
    body = (p(r("示例局关于2023年度法治政府建设情况的报告"))
            + p(r("市人民政府："))
            + p(r("2023 年,我局推进依法行政,", "<w:b/>"), r(" 加快建设法治政府(试行)。", "<w:i/>"))
            + p(r("一、主要举措和成效"))
            + p(r("（一）健全机制。在市司法局的具"))
            + p(r("体指导下，集体決策制度不断完善。")))
    src = make_docx(tmp_path / "in.docx", body)
    out = tmp_path / "out.docx"
    applied, left = fix_file(src, out, request=CheckRequest(select="FMT,TYP"), track=False)
    runs = _runs(out)
    assert runs[2] == [("2023年，我局推进依法行政，", True, None),
                       ("加快建设法治政府（试行）。", None, True)]
    assert runs[5] == [("体指导下，集体决策制度不断完善。", None, None)]
    # the broken paragraph is reported, not joined: the paragraph count is unchanged
    assert len(runs) == 6
    assert [f.rule for f in left if f.rule in FIXED_KINDS] == ["FMT006"]
    assert applied == 6  # space, two commas (one spanning runs), two brackets, 決


def test_docx_fix_respects_automatic_numbering(tmp_path):
    src = autonumbered_docx(tmp_path / "n.docx", [
        "示例局关于2023年度法治政府建设情况的报告", "市人民政府：", "现将有关情况报告如下：",
        "一、主要举措和成效", "（一）健全机制,完善制度。", "审核文件12件。"])
    out = tmp_path / "o.docx"
    fix_file(src, out, request=CheckRequest(select="FMT001"), track=False)
    texts = [x.text for x in read_report(out).paragraphs]
    assert "（一）健全机制，完善制度。" in texts


def test_docx_fix_skips_deleted_text_and_edits_inserted_and_linked_runs(tmp_path):
    src = revised_and_linked_docx(tmp_path / "t.docx")
    out = tmp_path / "o.docx"
    applied, _ = fix_file(src, out, request=CheckRequest(select="FMT001"), track=False)
    assert applied == 4
    para = read_report(out).paragraphs[2].text
    assert para == "2023年，我局（新）门户网站，推进依法行政。"
    with zipfile.ZipFile(out) as zf:
        doc = zf.read("word/document.xml").decode("utf-8")
    assert "旧(文字)" in doc  # the tracked deletion is left exactly as it was
