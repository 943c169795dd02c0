"""LAW rules and the law lexicon: look-up, normalisation, the seed, clean and labelled reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.checker import CheckOptions, check_report, select_rules
from drafter.checker.testing import case_report
from drafter.lexicon import book_titles, law_lexicon, punct_key, year_key
from drafter.readers import read_report

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "evaluations" / "cases" / "reports"
CLEAN = sorted(REPORTS.glob("0*.txt")) + sorted(REPORTS.glob("10_*.txt"))
LABELLED = sorted(p for p in REPORTS.glob("1[1-9]_*.txt"))


def law_findings(report, rules="LAW"):
    return check_report(report, CheckOptions(), select_rules([rules]))


# -- the lexicon -------------------------------------------------------------------------------

@pytest.mark.parametrize("title,how,right", [
    ("行政处罚法", "exact", "中华人民共和国行政处罚法"),
    ("中华人民共和国行政复议法", "exact", "中华人民共和国行政复议法"),
    ("行政复议法实施条例", "exact", "中华人民共和国行政复议法实施条例"),  # not 行政复议法
    ("法治政府建设实施纲要(2021—2025年)", "exact", "法治政府建设实施纲要（2021—2025年）"),
    ("法治政府建设实施纲要", "exact", "法治政府建设实施纲要（2021—2025年）"),
    ("国务院关于进一步贯彻实施<中华人民共和国行政处罚法>的通知", "exact",
     "国务院关于进一步贯彻实施〈中华人民共和国行政处罚法〉的通知"),
    ("中共中央办公厅 国务院办公厅关于加强法治乡村建设的意见", "exact", "关于加强法治乡村建设的意见"),
    ("政府信息化公开条例", "misnamed", "中华人民共和国政府信息公开条例"),
    ("重大行政决策程序条例", "misnamed", "重大行政决策程序暂行条例"),
    ("法制政府建设实施纲要（2021—2025年）", "misnamed", "法治政府建设实施纲要（2021—2025年）"),
    ("法治政府建设实施纲要（2021-2025）", "misnamed", "法治政府建设实施纲要（2021—2025年）"),
    ("法治社会建设实施纲要2020-2025", "year-range", "法治社会建设实施纲要（2020—2025年）"),
    ("优化营商环条例", "fuzzy", "优化营商环境条例"),
    ("中华人民共和国政府信息公开条列", "fuzzy", "中华人民共和国政府信息公开条例"),
])
def test_lexicon_classifies_titles(title, how, right):
    m = law_lexicon().match(title)
    assert m is not None and (m.how, m.right) == (how, right)


@pytest.mark.parametrize("title", [
    "中华人民共和国海洋环境保护法",     # contains 环境保护法: another law, not a slip
    "示例省优化营商环境条例",           # a local regulation named after a national one
    "铁路法",                           # one character from 公路法, but too short to guess
    "望川县2022年法治政府建设工作要点",
    "领导干部法治思维和法治方式",
])
def test_lexicon_does_not_guess_other_documents(title):
    assert law_lexicon().match(title) is None


def test_normal_forms():
    assert punct_key("《关于印发<实施方案(试行)>的通知》") == "关于印发〈实施方案（试行）〉的通知"
    assert punct_key("纲要（2021 - 2025年）") == "纲要（2021—2025年）"
    assert year_key("纲要(2021-2025)") == "纲要（2021—2025年）"


def test_book_titles_finds_nested_titles_and_skips_unclosed_marks():
    text = "学习《关于印发<甲方案>的通知》和《乙条例》，又见《未闭合\n下一行》。"
    found = book_titles(text, base=10)
    assert [b.title for b in found] == ["关于印发<甲方案>的通知", "乙条例"]
    outer = found[0]
    assert text[outer.start - 10:outer.end - 10] == "《关于印发<甲方案>的通知》"
    assert [(n.title, text[n.start - 10:n.end - 10]) for n in outer.nested] == [("甲方案", "<甲方案>")]


def test_lexicon_is_consistent():
    lex = law_lexicon()
    titles = {e.title for e in lex.entries}
    assert len(lex.entries) >= 380
    assert all(e.source for e in lex.entries)
    assert all(m.source for m in lex.misnamings + lex.systems)
    for e in lex.entries:
        if e.replaced_by:
            assert e.replaced_by in titles, e.title
    for m in lex.misnamings:
        assert m.right in titles, m.right
        # a listed wrong form must not itself be a known title (except the repealed 信访条例,
        # whose entry wins and is handled by LAW002)
        hit = lex.entry(m.wrong)
        assert hit is None or hit.repealed, m.wrong
    # no short name or title claimed by two different entries
    owner: dict[str, str] = {}
    for e in lex.entries:
        for name in (e.title, *e.short):
            k = punct_key(name)
            assert owner.setdefault(k, e.title) == e.title, (k, owner[k], e.title)


# -- the rules on real text --------------------------------------------------------------------

def test_seed_misnamed_regulation_is_an_error_with_the_right_title(seed_path):
    fs = law_findings(read_report(seed_path))
    f = next(f for f in fs if f.rule == "LAW001")
    assert (f.line, f.quote, f.severity) == (7, "《政府信息化公开条例》", "error")
    assert f.suggestion == "《中华人民共和国政府信息公开条例》"
    assert [x.quote for x in fs if x.rule == "LAW001"] == ["《政府信息化公开条例》"]


def test_seed_known_titles_pass_and_local_documents_are_only_unverified(seed_path):
    fs = law_findings(read_report(seed_path))
    quotes = {f.quote: f for f in fs}
    for ok in ("《重大行政决策程序暂行条例》", "《行政许可法》", "《宪法》", "《劳务承揽合同书》",
               "《领导干部法治思维和法治方式》"):
        assert ok not in quotes
    local = [f for f in fs if f.rule == "LAW003"]
    assert local and all(f.severity == "info" for f in local)
    assert any("郑州市委机构编制委员会" in f.quote for f in local)
    sys_ = [f for f in fs if f.rule == "LAW004"]
    assert [(f.line, f.quote, f.suggestion) for f in sys_] == [(11, "依法行政公示制度", "行政执法公示制度")]


def test_misnaming_fix_replaces_the_title_inside_the_marks():
    rep = case_report({"fragment": "（二）完善决策。严格执行《重大行政决策程序条例》。"})
    f = next(f for f in law_findings(rep, "LAW001"))
    (edit,) = f.edits
    fixed = rep.text[:edit.start] + edit.replacement + rep.text[edit.end:]
    assert "严格执行《重大行政决策程序暂行条例》。" in fixed


@pytest.mark.parametrize("year,expected", [(2021, []), (2022, ["warning"]), (2024, ["warning"])])
def test_repealed_regulation_depends_on_the_reporting_year(year, expected):
    text = (f"示例县司法局关于{year}年度法治政府建设情况的报告\n县人民政府：\n"
            f"{year}年，我局全面推进依法行政。现将有关情况报告如下：\n一、主要举措和成效\n"
            "严格按照《信访条例》规定办理来信来访46件。\n"
            f"示例县司法局\n{year + 1}年2月20日\n")
    fs = law_findings(case_report({"text": text}), "LAW002")
    assert [f.severity for f in fs] == expected
    if expected:
        assert fs[0].suggestion == "《信访工作条例》" and "2022年5月1日" in fs[0].message


@pytest.mark.parametrize("path", CLEAN, ids=[p.stem for p in CLEAN])
def test_clean_reports_have_no_law_warnings(path):
    fs = [f for f in law_findings(read_report(path)) if f.severity != "info"]
    assert fs == [], [(f.rule, f.line, f.quote, f.message) for f in fs]


def _labels(path: Path, family: str) -> list[dict]:
    from drafter.datafiles import load_yaml_text

    lab = path.with_suffix(".labels.yaml")
    if not lab.exists():
        return []
    data = load_yaml_text(lab.read_text(encoding="utf-8")) or {}
    return [d for d in data.get("defects") or [] if d.get("rule_family") == family]


LAW_LABELS = [(p, d) for p in LABELLED for d in _labels(p, "LAW")]


@pytest.mark.parametrize("path,defect", LAW_LABELS,
                         ids=[f"{p.stem}-{d['quote']}" for p, d in LAW_LABELS])
def test_labelled_law_defects_are_found(path, defect):
    fs = [f for f in law_findings(read_report(path)) if f.severity != "info"]
    assert any(defect["quote"] in f.quote or f.quote in defect["quote"] for f in fs), \
        [(f.rule, f.quote) for f in fs]


@pytest.mark.parametrize("sentence,flagged", [
    ("坚持原则，严格按照《信访条例》规定办理来信来访。", True),
    ("原《信访条例》废止后，及时修订内部信访工作制度。", False),
    ("《信访条例》已于2022年废止，组织学习新规定。", False),
    ("由《信访条例》转为执行《信访工作条例》，修订工作规程。", False),
])
def test_repealed_regulation_mentioned_as_past_is_not_flagged(sentence, flagged):
    fs = law_findings(case_report({"fragment": f"（二）化解矛盾纠纷。{sentence}"}), "LAW002")
    assert bool(fs) is flagged, [(f.quote, f.message) for f in fs]
