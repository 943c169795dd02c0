"""`drafter check --annotate`: every finding a Word comment anchored on exactly its quote."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from lxml import etree

from drafter.api import annotate_file
from drafter.checker import check_report
from drafter.checker.finding import Finding
from drafter.docx.comments import COMMENT_AUTHOR, annotate_docx, comment_text
from drafter.report.readers import read_docx_report
from drafter.docx.writer import write_docx
from drafter.report.readers import read_report
from tests.docx_fixtures import autonumbered_docx, make_docx, p, r, text_box

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
INS = '<w:ins w:id="1" w:author="审核人" w:date="2024-03-01T00:00:00Z">{}</w:ins>'


def anchored_texts(path: Path) -> dict[int, str]:
    """Comment id → the body text between its w:commentRangeStart and w:commentRangeEnd,
    paragraphs joined with "\\n" — read from the XML with python-docx, independently of the
    code under test."""
    import docx

    body = docx.Document(str(path)).element.body
    open_: dict[int, list[str]] = {}
    done: dict[int, str] = {}
    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag
        if event == "start" and tag == f"{W}commentRangeStart":
            open_[int(el.get(f"{W}id"))] = []
        elif event == "start" and tag == f"{W}commentRangeEnd":
            cid = int(el.get(f"{W}id"))
            done[cid] = "".join(open_.pop(cid))
        elif event == "start" and tag == f"{W}t":
            for buf in open_.values():
                buf.append(el.text or "")
        elif event == "end" and tag == f"{W}p":
            for buf in open_.values():
                buf.append("\n")
    assert not open_, f"comment ranges never closed: {sorted(open_)}"
    return done


def comments_of(path: Path) -> list:
    import docx

    return sorted(docx.Document(str(path)).comments, key=lambda c: c.comment_id)


def run_formats(path: Path) -> list[tuple[str, bytes]]:
    """(character, its run's w:rPr XML) for every character of the body."""
    import docx

    out = []
    for t in docx.Document(str(path)).element.body.iter(f"{W}t"):
        rpr = t.getparent().find(f"{W}rPr")
        xml = etree.tostring(rpr) if rpr is not None else b""
        out += [(ch, xml) for ch in t.text or ""]
    return out


@pytest.fixture
def seed_docx(seed_path, tmp_path) -> Path:
    """The seed saved as .docx by drafter's GB/T 9704 writer."""
    return write_docx(read_report(seed_path), tmp_path / "seed.docx")


def test_seed_every_finding_is_one_comment_on_exactly_its_quote(seed_docx, tmp_path, cli):
    """Every finding is a comment on exactly its quote, except that the safe fixes of one rule
    in one paragraph are one comment on the first of them saying how many there are."""
    before = hashlib.sha256(seed_docx.read_bytes()).hexdigest()
    out = tmp_path / "reviewed.docx"
    proc = cli("check", str(seed_docx), "--annotate", str(out), "--format", "json")
    assert proc.returncode == 1, proc.stderr  # the seed has error findings
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    assert len(findings) > 30
    comments = comments_of(out)
    anchored = anchored_texts(out)
    assert len(anchored) == len(comments)
    report = read_docx_report(seed_docx)
    by_line = {p.line: p for p in report.paragraphs}
    queue = list(findings)
    notes = 0
    for c in comments:
        f = queue.pop(0)
        assert c.author == COMMENT_AUTHOR
        if "已可自动修正" in c.text:  # a mechanical group: count its places, skip the rest
            notes += 1
            m = re.fullmatch(rf"\[{f['rule']}\] 本段(.+?)(\d+)处，已可自动修正（drafter check --fix）",
                             c.text)
            assert m, c.text
            group = [f] + [g for g in queue if (g["rule"], g["line"]) == (f["rule"], f["line"])]
            queue = [g for g in queue if g not in group]
            assert int(m.group(2)) >= len(group) and int(m.group(2)) > 1
        else:
            expected = f"[{f['rule']}] {f['message']}" + (
                f" 建议：{f['suggestion']}" if f["suggestion"] else "")
            assert c.text == expected
        if f["quote"]:
            assert anchored[c.comment_id] == f["quote"], f
        else:  # missing title / 署名: anchored on the paragraph the finding points at
            assert anchored[c.comment_id] == by_line[f["line"]].text.strip(), f
    assert queue == [] and notes >= 5
    # one note per rule and paragraph: no two comments share a (rule, paragraph) of safe fixes
    noted = [(c.text.split("]")[0], c.comment_id) for c in comments if "已可自动修正" in c.text]
    assert len(noted) == notes
    # A quote across two paragraphs ("具⏎体") is anchored from one to the other.
    assert any("\n" in f["quote"] for f in findings)
    # The original is untouched; the copy reads to exactly the same text.
    assert hashlib.sha256(seed_docx.read_bytes()).hexdigest() == before
    assert read_docx_report(out).text == report.text
    assert f"已写入 {len(comments)} 条批注" in proc.stderr


def test_split_runs_keep_their_formatting(tmp_path):
    body = p(r("我局聘请", "<w:b/>"), r("律师薛宝庆担任", '<w:i/><w:sz w:val="30"/>'),
             r("法律顾问，并由", '<w:rFonts w:eastAsia="黑体"/>'), r("薛保庆审核合同。"))
    src = make_docx(tmp_path / "runs.docx", body)
    report = read_docx_report(src)
    text = report.text
    findings = [_finding(text, "聘请律师薛宝庆担任法律"), _finding(text, "宝"),
                _finding(text, "薛保庆"), _finding(text, "我局聘请律师")]
    out = tmp_path / "out.docx"
    out.write_bytes(annotate_docx(src, report, findings).data)
    anchored = anchored_texts(out)
    assert [anchored[c.comment_id] for c in comments_of(out)] == [f.quote for f in findings]
    # Every character keeps the formatting it had.
    assert run_formats(out) == run_formats(src)
    assert read_docx_report(out).text == text


def test_overlapping_and_nested_quotes(tmp_path):
    src = make_docx(tmp_path / "o.docx", p(r("一二三四五六七八九十")))
    report = read_docx_report(src)
    findings = [_finding(report.text, q) for q in ("二三四五", "四五六七", "五", "一二三四五六七八九十")]
    out = tmp_path / "out.docx"
    out.write_bytes(annotate_docx(src, report, findings).data)
    anchored = anchored_texts(out)
    assert [anchored[c.comment_id] for c in comments_of(out)] == [f.quote for f in findings]


def test_quotes_in_a_table_a_text_box_a_hyperlink_and_a_tracked_insertion(tmp_path):
    table = ("<w:tbl><w:tr><w:tc>" + p(r("表中提到政府法制办的职责")) + "</w:tc></w:tr></w:tbl>")
    body = (p(r("正文第一段。"))
            + table
            + p(r("见右侧说明"), text_box(p(r("文本框里写着法制办名称"))))
            + p(r("详见"), '<w:hyperlink r:id="{rel:http://127.0.0.1:9/x}">'
                + r("市法制办网站") + "</w:hyperlink>", r("公告。"))
            + p(r("修订中加入"), INS.format(r("原法制办")), r("字样。")))
    src = make_docx(tmp_path / "places.docx", body)
    report = read_docx_report(src)
    text = report.text
    quotes = ["政府法制办", "法制办名称", "市法制办网站", "原法制办字样"]
    findings = [_finding(text, q) for q in quotes]
    out = tmp_path / "out.docx"
    out.write_bytes(annotate_docx(src, report, findings).data)
    anchored = anchored_texts(out)
    assert [anchored[c.comment_id] for c in comments_of(out)] == quotes
    assert read_docx_report(out).text == text
    # The reference run sits outside the hyperlink and the insertion (never lost with them).
    import docx

    body_el = docx.Document(str(out)).element.body
    for ref in body_el.iter(f"{W}commentReference"):
        assert ref.getparent().getparent().tag in (f"{W}p",), ref.getparent().getparent().tag


def test_quote_starting_in_an_auto_number_is_anchored_on_the_paragraph_text(tmp_path):
    src = autonumbered_docx(tmp_path / "auto.docx",
                            ["示例局关于2023年度法治政府建设情况的报告", "市人民政府：",
                             "一、主要举措和成效", "（一）健全依法决策机制。全年审查文件12件。"])
    report = read_docx_report(src)
    heading = next(x for x in report.paragraphs if x.auto_number and x.text.startswith("一、"))
    sub = next(x for x in report.paragraphs if x.auto_number and x.text.startswith("（一）"))
    text = report.text
    number_only = Finding("STR006", "x", "structure", "warning", "序号", heading.line, 1,
                          heading.auto_number, start=heading.offset,
                          end=heading.offset + len(heading.auto_number))
    across = _finding(text, sub.text[:len(sub.auto_number) + 4])
    out = tmp_path / "out.docx"
    out.write_bytes(annotate_docx(src, report, [number_only, across]).data)
    got = [anchored_texts(out)[c.comment_id] for c in comments_of(out)]
    assert got == [heading.text[len(heading.auto_number):], sub.text[len(sub.auto_number):][:4]]


def test_missing_section_is_anchored_on_a_heading(tmp_path):
    lines = ["示例局关于2023年度法治政府建设情况的报告", "市人民政府：",
             "2023年，我局推进依法行政。现将有关情况报告如下：", "一、主要举措和成效",
             "我局健全依法决策机制，全年审查规范性文件12件。", "二、下一步工作安排",
             "一是深化法治学习。二是规范行政决策。", "示例局", "2024年2月20日"]
    src = write_docx(read_report_from(lines, tmp_path), tmp_path / "m.docx")
    report = read_docx_report(src)
    findings = [f for f in check_report(report) if f.rule == "STR001"]
    assert findings and all(not f.quote for f in findings)
    out = tmp_path / "out.docx"
    result = annotate_docx(src, report, findings)
    out.write_bytes(result.data)
    headings = {s.heading.paragraph.text for s in report.sections}
    for c in comments_of(out):
        assert anchored_texts(out)[c.comment_id] in headings
    assert [a.finding for a in result.anchors] == findings


def test_text_and_markdown_inputs_are_first_written_as_docx(tmp_path, seed_text):
    md = tmp_path / "r.md"
    md.write_text("# " + seed_text.replace("\n", "\n\n", 1), encoding="utf-8")
    out = tmp_path / "r.docx"
    findings, annotated = annotate_file(md, out)
    from drafter.checker.grouping import group_for_comments

    assert annotated.comments == len(group_for_comments(findings)) > 0
    assert len(comments_of(out)) == annotated.comments < len(findings)
    anchored = anchored_texts(out)
    for a, c in zip(annotated.anchors, comments_of(out)):
        assert anchored[c.comment_id] == (a.finding.quote or a.text)
        assert c.text == comment_text(a.finding)


@pytest.mark.parametrize("args,message", [
    (["--annotate", "{out}", "{src}", "{src2}"], "只能用于一个报告文件"),
    (["--annotate", "{src}", "{src}", "--force"], "不能写回原文件"),
    (["--annotate", "{tmp}/x.txt", "{src}"], "应为 .docx"),
    (["--annotate", "{tmp}/missing/x.docx", "{src}"], "不存在"),
    (["--annotate", "{out}", "{src}", "--fix"], "不能与 --fix"),
])
def test_bad_annotate_usage_exits_2(tmp_path, cli, args, message):
    src = write_docx(read_report_from(["示例局关于2023年度法治政府建设情况的报告", "正文。"],
                                      tmp_path), tmp_path / "a.docx")
    src2 = tmp_path / "b.txt"
    src2.write_text("正文。\n", encoding="utf-8")
    out = tmp_path / "o.docx"
    fill = {"src": str(src), "src2": str(src2), "out": str(out), "tmp": str(tmp_path)}
    proc = cli("check", *[a.format(**fill) for a in args])
    assert proc.returncode == 2, proc.stdout
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_existing_output_needs_force(tmp_path, cli, seed_docx):
    out = tmp_path / "o.docx"
    out.write_bytes(b"old")
    proc = cli("check", str(seed_docx), "--annotate", str(out))
    assert proc.returncode == 2 and "已存在" in proc.stderr
    assert out.read_bytes() == b"old"
    proc = cli("check", str(seed_docx), "--annotate", str(out), "--force")
    assert proc.returncode == 1
    assert len(comments_of(out)) > 30


# ---- helpers --------------------------------------------------------------------------

def _finding(text: str, quote: str) -> Finding:
    start = text.index(quote)
    return Finding("TST001", "test", "typo", "warning", f"问题：{quote}", 1, 1, quote,
                   suggestion="改正", start=start, end=start + len(quote))


def read_report_from(lines: list[str], tmp_path: Path):
    path = tmp_path / "in.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_report(path)


def test_comments_already_in_the_document_are_kept(tmp_path):
    def setup(d):
        para = d.paragraphs[0]
        d.add_comment(para.runs[0], text="请核实", author="审核人", initials="S")

    src = make_docx(tmp_path / "c.docx", p(r("全年办理法制办转来的案件。")), setup=setup)
    report = read_docx_report(src)
    out = tmp_path / "out.docx"
    out.write_bytes(annotate_docx(src, report, [_finding(report.text, "法制办")]).data)
    comments = comments_of(out)
    assert [(c.author, c.text) for c in comments] == [
        ("审核人", "请核实"), (COMMENT_AUTHOR, "[TST001] 问题：法制办 建议：改正")]
    anchored = anchored_texts(out)
    assert anchored[comments[0].comment_id] == "全年办理法制办转来的案件。"
    assert anchored[comments[1].comment_id] == "法制办"


def test_annotate_with_previous_writes_the_findings_the_check_reports(cli, tmp_path):
    """`--annotate` runs with the same request as the plain check: --previous and --select
    included, so the comments are exactly the reported findings (it once wrote none)."""
    reports = Path(__file__).resolve().parent.parent / "evaluations" / "cases" / "reports"
    args = ("check", str(reports / "03_lanxi_county_samr.txt"), "--previous",
            str(reports / "09_beiling_district_gov.txt"), "--select", "PLN", "--format", "json")
    plain = json.loads(cli(*args).stdout)["files"][0]["findings"]
    out = tmp_path / "批注.docx"
    annotated = cli(*args, "--annotate", str(out))
    assert annotated.returncode in (0, 1), annotated.stderr
    found = json.loads(annotated.stdout)["files"][0]["findings"]
    assert plain and {f["rule"] for f in plain} <= {"PLN001", "PLN002", "PLN003"}
    assert [(f["rule"], f["message"]) for f in found] == [(f["rule"], f["message"]) for f in plain]
    assert [c.text for c in comments_of(out)] == [comment_text(_json_finding(f)) for f in found]


def _json_finding(d: dict) -> Finding:
    return Finding(**{k: d[k] for k in ("rule", "name", "category", "severity", "message", "line",
                                         "column", "quote", "suggestion", "section")})


def test_safe_fixes_of_one_rule_in_one_paragraph_are_one_comment(tmp_path):
    body = (p(r("示例局关于2023年度法治政府建设情况的报告")) + p(r("市人民政府："))
            + p(r("2023 年共审核文件 12 件，培训干部 5 人次。")) + p(r("一、主要举措和成效"))
            + p(r("审核文件 9 件。")))
    src = make_docx(tmp_path / "in.docx", body)
    out = tmp_path / "out.docx"
    from drafter.api import CheckRequest

    findings, annotated = annotate_file(src, out, request=CheckRequest(select="FMT004"))
    assert [f.rule for f in findings].count("FMT004") == 4
    texts = [c.text for c in comments_of(out)]
    assert texts[:2] == ["[FMT004] 本段数字与汉字之间的空格5处，已可自动修正（drafter check --fix）",  # 5 spaces
                         # one finding with two spaces ("件 9 件") is a note too
                         "[FMT004] 本段数字与汉字之间的空格2处，已可自动修正（drafter check --fix）"]
    assert len(texts) == 2
    anchors = anchored_texts(out)
    first = comments_of(out)[0]
    assert anchors[first.comment_id] == next(f.quote for f in findings if f.line == 3)
