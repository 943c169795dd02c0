"""LAW rules and the law lexicon: look-up, normalisation, the seed, clean and labelled reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import labelled_defects

from drafter.checker import CheckOptions, check_report, select_rules
from drafter.checker.testing import case_report
from drafter.text.laws import law_lexicon, punct_key, year_key
from drafter.text.titles import book_titles
from drafter.report.readers import read_report

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
    "中华人民共和国土壤环境保护法",     # contains 环境保护法: another document, not a slip
    "示例省优化营商环境条例",           # a local regulation named after a national one
    "水路法",                           # one character from 公路法, but too short to guess
    "望川县2022年法治政府建设工作要点",
    "领导干部法治思维和法治方式",
])
def test_lexicon_does_not_guess_other_documents(title):
    assert law_lexicon().match(title) is None


@pytest.mark.parametrize("title", [
    "中华人民共和国海洋环境保护法", "铁路法", "中华人民共和国民营经济促进法", "自然灾害救助条例",
    "人力资源市场暂行条例", "消费者权益保护法实施条例",
])
def test_national_titles_that_contain_or_neighbour_others_are_known(title):
    m = law_lexicon().match(title)
    assert m is not None and m.how == "exact"


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


LAW_LABELS = [(p, d) for p in LABELLED for d in labelled_defects(p, "LAW")]


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


# -- word slips (a word inserted or dropped, 法/条例 swapped) and the calibration list ----------

@pytest.mark.parametrize("title,ops,right", [
    ("中华人民共和国行政复议条例", ("kind",), "中华人民共和国行政复议法"),
    ("公平竞争审查法", ("kind",), "公平竞争审查条例"),
    ("信访工作管理条例", ("insert", "insert"), "信访工作条例"),
    ("法治政府实施纲要（2021—2025年）", ("delete", "delete"), "法治政府建设实施纲要（2021—2025年）"),
    ("中华人民共和国传染病法", ("delete", "delete"), "中华人民共和国传染病防治法"),
    ("中华人民共和国土地管理法条例", ("delete", "delete"), "中华人民共和国土地管理法实施条例"),
])
def test_word_slips_of_known_titles_are_fuzzy_matches(title, ops, right):
    m = law_lexicon().match(title)
    assert m is not None and (m.how, m.ops, m.right) == ("fuzzy", ops, right)


# Real national titles the lexicon does not hold: none may be taken for a slip of a known one
# (《林业行政处罚程序规定》 stays LAW003 via other_document). 《法律援助条例》 is left out on
# purpose: it was replaced by 《法律援助法》 and is flagged with that hint.
CALIBRATION = [
    "中华人民共和国海洋环境保护法",
    "林业行政处罚程序规定",
    "中华人民共和国海关法",
    "中华人民共和国海商法",
    "中华人民共和国海警法",
    "中华人民共和国海域使用管理法",
    "中华人民共和国海岛保护法",
    "中华人民共和国深海海底区域资源勘探开发法",
    "中华人民共和国黑土地保护法",
    "中华人民共和国青藏高原生态保护法",
    "中华人民共和国放射性污染防治法",
    "中华人民共和国石油天然气管道保护法",
    "中华人民共和国防沙治沙法",
    "中华人民共和国进出境动植物检疫法",
    "中华人民共和国国境卫生检疫法",
    "中华人民共和国献血法",
    "中华人民共和国母婴保健法",
    "中华人民共和国公共图书馆法",
    "中华人民共和国电影产业促进法",
    "中华人民共和国学位法",
    "中华人民共和国拍卖法",
    "中华人民共和国关税法",
    "中华人民共和国中国人民银行法",
    "中华人民共和国商业银行法",
    "中华人民共和国银行业监督管理法",
    "中华人民共和国证券法",
    "中华人民共和国保险法",
    "中华人民共和国信托法",
    "中华人民共和国票据法",
    "中华人民共和国期货和衍生品法",
    "中华人民共和国对外贸易法",
    "中华人民共和国出口管制法",
    "中华人民共和国反外国制裁法",
    "中华人民共和国国防法",
    "中华人民共和国兵役法",
    "中华人民共和国铁路法",
    "中华人民共和国民用航空法",
    "中华人民共和国港口法",
    "中华人民共和国海上交通安全法",
    "中华人民共和国枪支管理法",
    "中华人民共和国监狱法",
    "中华人民共和国代表法",
    "中华人民共和国红十字会法",
    "中华人民共和国消防救援衔条例",
    "中华人民共和国土地增值税暂行条例",
    "中华人民共和国增值税暂行条例",
    "中华人民共和国发票管理办法",
    "中华人民共和国水污染防治法实施细则",
    "中华人民共和国文物保护法实施条例",
    "城市供水条例",
    "民用爆炸物品安全管理条例",
    "特种设备安全监察条例",
    "土地复垦条例",
    "自然保护区条例",
    "风景名胜区条例",
    "城市绿化条例",
    "医疗事故处理条例",
    "医疗机构管理条例",
    "护士条例",
    "公共场所卫生管理条例",
    "学校卫生工作条例",
    "校车安全管理条例",
    "幼儿园管理条例",
    "教师资格条例",
    "残疾人教育条例",
    "国家自然科学基金条例",
    "著作权法实施条例",
    "专利代理条例",
    "商标法实施条例",
    "直销管理条例",
    "农药管理条例",
    "兽药管理条例",
    "饲料和饲料添加剂管理条例",
    "生猪屠宰管理条例",
    "乳品质量安全监督管理条例",
    "水库大坝安全管理条例",
    "南水北调工程供用水管理条例",
    "森林防火条例",
    "草原防火条例",
    "退耕还林条例",
    "村庄和集镇规划建设管理条例",
    "地名管理条例",
    "婚姻登记条例",
    "基金会管理条例",
    "信访工作责任制实施办法",
    "党政机关厉行节约反对浪费条例",
    "推进领导干部能上能下规定",
    "公务员职务与职级并行规定",
    "公务员考核规定",
    "公务员奖励规定",
    "国务院工作规则",
    "罚款决定与罚款收缴分离实施办法",
    "国家赔偿费用管理条例",
    "律师事务所管理办法",
    "律师执业管理办法",
    "公证机构执业管理办法",
    "司法鉴定程序通则",
    "人民调解委员会组织条例",
    "海关行政处罚实施条例",
    "文化市场综合行政执法管理办法",
    "农业综合行政执法管理办法",
    "住房城乡建设行政处罚程序规定",
    "应急管理行政执法人员依法履职管理规定",
    "卫生行政处罚程序",
    "水行政处罚实施办法",
]


def test_calibration_titles_are_not_errors():
    assert len(CALIBRATION) >= 100
    errors = []
    for t in CALIBRATION:
        rep = case_report({"fragment": f"（二）加强学法用法。集中学习《{t}》。"})
        errors += [(t, f.message) for f in law_findings(rep) if f.severity != "info"]
    assert errors == []


@pytest.mark.parametrize("title,right", [
    ("中华人民共和国民法", "中华人民共和国民法典"),
    ("中华人民共和国税收征管法", "中华人民共和国税收征收管理法"),
])
def test_titles_of_laws_that_do_not_exist_by_that_name(title, right):
    m = law_lexicon().match(title)
    assert m is not None and (m.how, m.right) == ("misnamed", right)
