"""`drafter check FILE.docx --fix -o OUT.docx`: the safe fixes as Word revisions (w:del/w:ins,
author drafter, dated), run formatting kept; accepting all gives the direct fix (--no-track),
rejecting all gives the original — read from the XML and in LibreOffice."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from lxml import etree

from drafter.api import CheckRequest, fix_file
from drafter.docx.convert import soffice
from drafter.docx.oxml.revisions import accepted_text, rejected_text
from drafter.docx.writer import write_docx
from drafter.report.readers import read_report
from tests.docx_fixtures import make_docx, p, r, revised_and_linked_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_5a7ed637e8473e00.txt"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "drafter", *args], capture_output=True,
                          text=True, timeout=120)


def body_paragraphs(path: Path) -> list:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return list(root.iter(f"{W}p"))


def marks(path: Path) -> list:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return [el for el in root.iter(f"{W}ins", f"{W}del")]


@pytest.fixture(scope="module")
def seed_fixed(tmp_path_factory) -> dict[str, Path]:
    """The seed as .docx, fixed with revisions and fixed directly, by the command line."""
    if not SEED.exists():
        pytest.skip("the seed report (../shared/seeds) is not present")
    tmp = tmp_path_factory.mktemp("tracked")
    src = write_docx(read_report(SEED), tmp / "seed.docx")
    tracked, direct = tmp / "y.docx", tmp / "direct.docx"
    res = _cli("check", str(src), "--fix", "-o", str(tracked))
    assert res.returncode in (0, 1), res.stderr
    assert "（Word 修订，可在“审阅”中逐条接受或拒绝）" in res.stderr
    res = _cli("check", str(src), "--fix", "--no-track", "-o", str(direct))
    assert res.returncode in (0, 1), res.stderr
    return {"src": src, "tracked": tracked, "direct": direct, "stderr": res.stderr}


def test_seed_fixes_are_revisions_by_drafter(seed_fixed):
    applied = int(re.search(r"已自动修正 (\d+) 处", seed_fixed["stderr"]).group(1))
    assert applied > 100
    ms = marks(seed_fixed["tracked"])
    dels = [m for m in ms if m.tag == f"{W}del"]
    assert len(dels) >= applied * 0.9 and any(m.tag == f"{W}ins" for m in ms)
    assert {m.get(f"{W}author") for m in ms} == {"drafter"}
    ids = [m.get(f"{W}id") for m in ms]
    assert len(set(ids)) == len(ids)
    stamp = datetime.strptime(ms[0].get(f"{W}date"), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert abs(datetime.now(timezone.utc) - stamp) < timedelta(hours=1)
    assert marks(seed_fixed["direct"]) == []  # --no-track: no revisions at all


def test_accepting_all_gives_the_direct_fix_and_rejecting_all_the_original(seed_fixed):
    tracked = body_paragraphs(seed_fixed["tracked"])
    direct = [accepted_text(x) for x in body_paragraphs(seed_fixed["direct"])]
    original = [accepted_text(x) for x in body_paragraphs(seed_fixed["src"])]
    assert [accepted_text(x) for x in tracked] == direct
    assert [rejected_text(x) for x in tracked] == original
    assert direct != original


def test_inserted_runs_keep_the_formatting_of_the_text_they_replace(seed_fixed):
    for ins in (m for m in marks(seed_fixed["tracked"]) if m.tag == f"{W}ins"):
        run = ins.find(f"{W}r")
        deleted = ins.getprevious()
        assert deleted is not None and deleted.tag == f"{W}del"
        assert _xml(run.find(f"{W}rPr")) == _xml(deleted.find(f"{W}r/{W}rPr"))
        assert run.getparent().getparent().tag in (f"{W}p", f"{W}hyperlink")


def _xml(el) -> bytes | None:
    return etree.tostring(el) if el is not None else None


CASES = [
    # (paragraph runs as (text, rPr), rules, accepted text)
    ([("2023 年,我局推进依法行政,", "<w:b/>"), (" 加快建设法治政府(试行)。", "<w:i/>")], "FMT",
     "2023年，我局推进依法行政，加快建设法治政府（试行）。"),
    ([("依据《关于加强<行政执法>工作的意见》", "")], "FMT002", "依据《关于加强〈行政执法〉工作的意见》"),
    ([("集体決策制度不断完善，執法", "<w:u w:val=\"single\"/>"), ("人员12名。", "")], "TYP",
     "集体决策制度不断完善，执法人员12名。"),
    ([("贯彻豫发[2021]23号文件", "")], "FMT007", "贯彻豫发〔2021〕23号文件"),
]


@pytest.mark.parametrize("runs,rules,accepted", CASES, ids=[c[1] for c in CASES])
def test_revisions_in_small_documents(tmp_path, runs, rules, accepted):
    body = (p(r("示例局关于2023年度法治政府建设情况的报告")) + p(r("市人民政府："))
            + p(*(r(escape(t), rpr) for t, rpr in runs)) + p(r("一、主要举措和成效")) + p(r("审核文件12件。")))
    src = make_docx(tmp_path / "in.docx", body)
    out, direct = tmp_path / "out.docx", tmp_path / "direct.docx"
    fix_file(src, out, request=CheckRequest(select=rules))
    fix_file(src, direct, request=CheckRequest(select=rules), track=False)
    para = body_paragraphs(out)[2]
    original = "".join(t for t, _ in runs)
    assert (accepted_text(para), rejected_text(para)) == (accepted, original)
    assert accepted_text(body_paragraphs(direct)[2]) == accepted
    assert read_report(out).paragraphs[2].text == accepted  # the reader reads as accepted
    # each deleted run keeps its own formatting
    for d in para.iter(f"{W}del"):
        text = "".join(x.text for x in d.iter(f"{W}delText"))
        rpr = d.find(f"{W}r/{W}rPr")
        owner = next(rp for t, rp in runs if text in t)
        assert (rpr is not None and len(rpr)) == bool(owner), (text, owner)


def test_existing_revisions_and_hyperlinks(tmp_path):
    """Someone else's tracked changes stay as they are; our marks go inside hyperlinks."""
    src = revised_and_linked_docx(tmp_path / "t.docx")
    out = tmp_path / "o.docx"
    applied, _ = fix_file(src, out, request=CheckRequest(select="FMT001"))
    assert applied == 4
    para = body_paragraphs(out)[2]
    assert accepted_text(para) == "2023年，我局（新）门户网站，推进依法行政。"
    assert rejected_text(para) == "2023年,旧(文字)门户网站,推进依法行政。"  # all rejected
    link = para.find(f"{W}hyperlink")
    assert link.find(f"{W}del") is not None and link.find(f"{W}ins") is not None
    authors = [m.get(f"{W}author") for m in para.iter(f"{W}ins", f"{W}del")]
    assert authors.count("a") == 2 and authors.count("drafter") >= 4


@pytest.mark.skipif(soffice() is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_accept_all_and_reject_all(seed_fixed, tmp_path):
    from tests.lo_revisions import resolve_all

    accepted = resolve_all(seed_fixed["tracked"], tmp_path / "accepted.docx", "Accept")
    rejected = resolve_all(seed_fixed["tracked"], tmp_path / "rejected.docx", "Reject")
    for path in (accepted, rejected):
        assert marks(path) == []  # nothing left to review
    texts = lambda path: [x.text for x in read_report(path).paragraphs]  # noqa: E731
    assert texts(accepted) == texts(seed_fixed["direct"])
    assert texts(rejected) == texts(seed_fixed["src"])
