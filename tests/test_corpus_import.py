"""`drafter corpus add|list`: an earlier report into the corpus — the report copied as-is, a
facts file read from it offline (every value with its line and marked to be confirmed), and
that year feeding next year's workbook and plan follow-through; bad input, existing years and
failed imports leave nothing behind.

The seed report is read from ../shared/seeds at run time (its sentences are not copied here);
every other report in this file is fictional text written for these tests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from drafter.corpus import units
from drafter.errors import OutputError
from drafter.corpus.figures import report_figures
from drafter.facts import load_facts
from drafter.report.plans import report_plan_items
from drafter.report.readers import read_report
from drafter.report.structure import build_report

SEED_ARGS = ("--unit", "xingyang-kgx", "--year", "2023", "--yes")

# A fictional 2024 report of the seed's unit (by its full name) that answers the seed's first
# two plans (work mechanisms and decisions; the enforcement team) and says nothing of the
# third (publicity of the law, officials' legal awareness).
REPORT_2024 = """荥阳市科技工业和信息化局关于2024年度法治政府建设情况的报告
荥阳市人民政府：
2024年，我局在市委、市政府的坚强领导下，围绕工业经济高质量发展，依法履行职责，各项工作取得新进展。现将有关情况报告如下：
一、2024年度法治政府建设主要举措和成效
（一）健全依法行政工作机制。修订局重大行政决策程序规定，健全重大问题法律论证、集体决策、专家咨询和社会公示制度，建立决策跟踪反馈、决策监督和责任追究制度，推动依法行政工作再上新台阶。全年作出重大行政决策4项，均经合法性审查。
（二）加强执法队伍建设。组织执法持证人员参加综合行政执法业务培训、职业道德教育和法律业务培训4期，参训80人次，5名执法人员全部通过年度考核，建设政治合格、纪律严明、业务精通、作风过硬的执法队伍。
（三）规范涉企检查。推行“综合查一次”，对工业企业安全生产和节能监察实行联合检查，全年开展检查36家次。
二、党政主要负责人履行推进法治建设第一责任人职责情况
局主要负责人召开局党组会议研究法治政府建设工作3次，对重大执法决定法制审核亲自把关。
三、存在的不足和原因
执法信息化水平不高，部分执法文书仍需手工填写。原因是信息系统建设投入不足。
四、2025年工作安排
（一）推进执法信息化建设。上线行政执法移动办案系统。
（二）深化涉企联合检查。进一步减少重复检查。
荥阳市科技工业和信息化局
2025年2月20日
"""

# A fictional department report with a title, 署名 and a shortened name in the text.
SMALL = """云梁县水务局关于2022年度法治政府建设情况的报告
云梁县人民政府：
2022年，县水务局在县委、县政府的坚强领导下，依法履行水行政管理职责。
一、主要举措和成效
（一）规范水行政执法。全年开展河道巡查120次，立案查处水事违法案件8起。聘请云梁县明川律师事务所律师唐若溪、邵景文担任局法律顾问，全年审查合同16份。
（二）推进取水许可规范化。办理取水许可23件，其中新办9件、延续14件。
二、存在的问题和原因
基层执法力量不足。主要原因是专职执法人员编制偏少。
三、2023年工作打算
（一）深化河湖长制。完善巡河制度。
（二）加强执法队伍建设。开展执法人员轮训。
云梁县水务局
2023年2月16日
"""


def imported(cli, tmp_path: Path, report: Path, *args: str) -> tuple[Path, object]:
    corpus = tmp_path / "corpus"
    r = cli("corpus", "add", str(report), "--corpus", str(corpus), *args)
    assert r.returncode == 0, r.stderr
    return corpus, r


@pytest.fixture
def seed_corpus(cli, tmp_path, seed_path):
    corpus, _ = imported(cli, tmp_path, seed_path, *SEED_ARGS)
    return corpus


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---- the seed: Done-when ---------------------------------------------------------------------

def test_seed_import_gives_loadable_facts_with_counted_figures_parts_and_plans(seed_corpus, seed_path):
    year = seed_corpus / "xingyang-kgx" / "2023"
    assert sorted(p.name for p in year.iterdir()) == ["facts.yaml", "report.txt"]
    assert (year / "report.txt").read_bytes() == seed_path.read_bytes()  # copied as-is
    facts = load_facts(year / "facts.yaml")
    assert facts.unit.slug == "xingyang-kgx" and facts.year == 2023
    by = {(m.value, m.unit): m for m in facts.metrics}
    trainees = by[(260, "人次")]
    assert trainees.approx == "余" and "培训" in trainees.label
    reviewed = by[(75, "份")]
    assert "审理" in reviewed.label and "文件" in reviewed.label
    cleaned = by[(10, "份")]
    assert cleaned.label == "清理规范性文件" and cleaned.exhaustive
    parts = facts.parts_of(cleaned.id)
    assert sorted(p.value for p in parts) == [2, 3, 5]
    assert {p.label for p in parts} == {"失效文件", "废止文件", "有效文件"}
    expected = [p.text for p in report_plan_items(read_report(seed_path))]
    assert len(expected) == 3
    assert [p.title for p in facts.sections.plans] == expected


def test_every_imported_value_names_its_line_and_is_to_be_confirmed(seed_corpus, seed_path):
    facts = load_facts(seed_corpus / "xingyang-kgx" / "2023" / "facts.yaml")
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    sourced = [*facts.metrics, *facts.people, *facts.organisations,
               *(i for k in ("measures", "shortcomings", "plans") for i in facts.sections.items(k))]
    assert sourced
    for thing in sourced:
        m = re.fullmatch(r"report, line (\d+)", thing.source or "")
        assert m and thing.confirm, thing
    for metric in facts.metrics:  # the figure stands on the line it names
        line = lines[int(metric.source.split()[-1]) - 1].replace(" ", "")
        assert f"{metric.value:g}{metric.unit}" in line or f"{metric.value:g}余{metric.unit}" in line
    person = facts.people[0]
    assert (person.role, person.title, person.org) == ("法律顾问", "律师", "龙图律师事务所")
    assert person.name in lines[int(person.source.split()[-1]) - 1]
    imported = facts.imported
    assert imported.report == "report.txt"
    assert any("同音" in n for n in imported.notes)  # the name written two ways is noted
    assert any("原因" in m for m in imported.missing)  # the seed states no causes


def test_next_years_workbook_is_prefilled_from_the_imported_year(cli, seed_corpus, tmp_path, seed_path):
    import openpyxl

    out = tmp_path / "t.xlsx"
    r = cli("facts", "template", "--corpus", str(seed_corpus), "--unit", "xingyang-kgx",
            "--year", "2024", "-o", str(out))
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    metrics = {row[1]: row for row in wb["数据指标"].iter_rows(min_row=3, values_only=True) if row[1]}
    head = [c.value for c in wb["数据指标"][1]]
    assert metrics["清理规范性文件"][head.index("上年数值")] == 10
    assert metrics["清理规范性文件"][head.index("本年数值")] is None
    plans = [row[1] for row in wb["去年计划落实"].iter_rows(min_row=3, values_only=True) if row[1]]
    expected = [p.text for p in report_plan_items(read_report(seed_path))]
    assert [p.replace("，", ",") for p in plans] == expected
    info = {row[0]: row[1] for row in wb["基本信息"].iter_rows(min_row=2, values_only=True)}
    assert info["报告年度（必填）"] == 2024 and info["主送机关（必填）"] == "荥阳市人民政府"


def test_a_2024_report_leaving_a_plan_unanswered_gets_a_pln_finding_naming_it(cli, seed_corpus, tmp_path, seed_path):
    report = _write(tmp_path / "2024.txt", REPORT_2024)
    r = cli("check", str(report), "--corpus", str(seed_corpus), "--format", "json")
    findings = json.loads(r.stdout)["files"][0]["findings"]
    plans = [p.text.replace(",", "，") for p in report_plan_items(read_report(seed_path))]
    unanswered = [f for f in findings if f["rule"] == "PLN001"]
    assert len(unanswered) == 1
    assert plans[2] in unanswered[0]["message"]
    assert not any(p in f["message"] for f in findings for p in plans[:2] if f["rule"] == "PLN001")


@pytest.mark.parametrize("sentence, finding", [
    ("全年清理规范性文件12份，同比增长10%。", "同比增长20%"),   # 10份 in the imported 2023 facts
    ("全年清理规范性文件12份，同比增长20%。", None),
    ("全年清理规范性文件8份，较上年有所增加。", "同比下降20%"),
    ("培训人员300人次，同比增长5%。", None),  # 2023: 260余人次, approximate: no exact change
])
def test_year_over_year_figures_are_checked_against_the_imported_year(cli, seed_corpus, tmp_path,
                                                                      sentence, finding):
    report = _write(tmp_path / "2024.txt", REPORT_2024.replace("全年开展检查36家次。", "全年开展检查36家次。" + sentence))
    r = cli("check", str(report), "--corpus", str(seed_corpus), "--format", "json", "--select", "FAC")
    found = json.loads(r.stdout)["files"][0]["findings"]
    if finding is None:
        assert found == []
    else:
        assert [f["rule"] for f in found] == ["FAC001"] and finding in found[0]["message"]
        assert "语料库" in found[0]["message"]


# ---- inference and confirmation ---------------------------------------------------------------

def test_without_a_terminal_inferred_unit_and_year_need_yes(cli, tmp_path):
    report = _write(tmp_path / "r.txt", SMALL)
    corpus = tmp_path / "corpus"
    r = cli("corpus", "add", str(report), "--corpus", str(corpus))
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "--yes" in r.stderr and "--unit" in r.stderr
    assert "yunliang-shuiwu" in r.stdout and "2022" in r.stdout  # what would be used is shown
    assert not corpus.exists()
    r = cli("corpus", "add", str(report), "--corpus", str(corpus), "--yes")
    assert r.returncode == 0, r.stderr
    facts = load_facts(corpus / "yunliang-shuiwu" / "2022" / "facts.yaml")
    assert facts.unit.name == "云梁县水务局" and facts.unit.source == "report, line 1"
    assert facts.recipients == ["云梁县人民政府"] and str(facts.date) == "2023-02-16"
    assert [(p.name, p.role, p.title) for p in facts.people] == [
        ("唐若溪", "法律顾问", "律师"), ("邵景文", "法律顾问", "律师")]
    permits = next(m for m in facts.metrics if m.value == 23)
    assert {(p.label, p.value) for p in facts.parts_of(permits.id)} == {("新办", 9), ("延续", 14)}
    assert facts.sections.shortcomings[0].causes  # the cause sentence is read as a cause


def test_given_unit_and_year_need_no_confirmation(cli, tmp_path):
    report = _write(tmp_path / "r.txt", SMALL)
    corpus, r = imported(cli, tmp_path, report, "--unit", "ylsw", "--year", "2022")
    assert (corpus / "ylsw" / "2022" / "facts.yaml").is_file()
    assert "已导入" in r.stdout


@pytest.mark.parametrize("name, text, slug", [
    ("荥阳市科技工业和信息化局", "……市科工信局按照……", "xingyang-kegongxin"),
    ("云梁县人民政府", "", "yunliang-xian"),
    ("澜川市市场监督管理局", "……澜川市市场监管局……市场监管局……", "lanchuan-shichangjianguan"),
    ("霁州市自然资源和规划局", "", "jizhou-ziranziyuanheguihua"),
    ("栖云区望湖街道办事处", "", "qiyun-wanghujiedao"),
    ("澄渠县农业农村局", "澄渠县农业农村局", "chengqu-nongyenongcun"),
])
def test_slug_is_the_pinyin_of_place_and_short_name(name, text, slug):
    assert units.infer_slug(name, text) == slug


@pytest.mark.parametrize("a, b, same", [
    ("荥阳市科工信局", "荥阳市科技工业和信息化局", True),
    ("澜川市市场监管局", "澜川市市场监督管理局", True),
    ("荥阳市司法局", "荥阳市科技工业和信息化局", False),
    ("荥阳市科工信局", "郑州市科技工业和信息化局", False),
    ("荥阳市科工信局", "荥阳市科技工业和信息化委", False),
])
def test_a_full_name_and_its_abbreviation_are_one_unit(a, b, same):
    assert units.same_unit(a, b) is same


@pytest.mark.parametrize("kind", ["docx", "doc"])
def test_word_reports_are_copied_as_they_are_and_read_by_paragraph(cli, tmp_path, kind):
    from drafter.docx.convert import convert, soffice
    from drafter.docx.writer import docx_bytes

    docx = tmp_path / "r.docx"
    docx.write_bytes(docx_bytes(read_report_text(SMALL)))
    source = docx
    if kind == "doc":
        if soffice() is None:
            pytest.skip("LibreOffice (soffice) not installed")
        source = convert(docx, "doc", tmp_path / "lo")
    corpus, _ = imported(cli, tmp_path, source, "--unit", "ylsw", "--year", "2022")
    year = corpus / "ylsw" / "2022"
    assert (year / f"report.{kind}").read_bytes() == source.read_bytes()
    facts = load_facts(year / "facts.yaml")
    report = read_report(year / f"report.{kind}")
    by_line = {p.line: p.text for p in report.paragraphs}
    for m in facts.metrics:  # "line" is the Word paragraph the figure stands in
        assert f"{m.value:g}{m.unit}" in by_line[int(m.source.split()[-1])]
    assert [p.title for p in facts.sections.plans] == ["深化河湖长制", "加强执法队伍建设"]
    from drafter.corpus import Corpus

    assert Corpus.open(corpus).entry("ylsw", 2022).report_path.name == f"report.{kind}"


# ---- figures ----------------------------------------------------------------------------------

def _figs(sentence: str) -> list[tuple]:
    report = build_report(["示例县水务局关于2022年度法治政府建设情况的报告", "县政府：",
                           "一、主要举措和成效", sentence], path="t.txt", fmt="txt")
    figures, skipped = report_figures(report)
    return ([(f.label, f.value, f.unit, f.approx, f.part_of, f.exhaustive) for f in figures],
            [s.raw for s in skipped])


@pytest.mark.parametrize("sentence, figures, skipped", [
    # label before the figure; filler (全年, 共) dropped; approximations as written
    ("全年共清理规范性文件12件，培训执法人员300余人次。",
     [("清理规范性文件", 12, "件", None, None, False), ("培训执法人员", 300, "人次", "余", None, False)], []),
    # label after the figure, and around it
    ("目前6名执法人员全部持证上岗，对本局印发的40份文件进行了审查。",
     [("执法人员全部持证上岗", 6, "名", None, None, False),
      ("对本局印发的文件进行了审查", 40, "份", None, None, False)], []),
    # 其中: parts of the total before it (exhaustive when they add up)
    ("受理行政复议申请30件，其中维持18件、撤销4件、终止8件。",
     [("受理行政复议申请", 30, "件", None, None, True), ("维持", 18, "件", None, 0, False),
      ("撤销", 4, "件", None, 0, False), ("终止", 8, "件", None, 0, False)], []),
    # figures right after a total that add up to it exactly are its parts, without 其中
    ("共清理文件9份，保留5份，修改3份，废止1份。",
     [("清理文件", 9, "份", None, None, True), ("保留", 5, "份", None, 0, False),
      ("修改", 3, "份", None, 0, False), ("废止", 1, "份", None, 0, False)], []),
    # … but not when they do not
    ("审查合同20份，提出意见8份，采纳5份。",
     [("审查合同", 20, "份", None, None, False), ("提出意见", 8, "份", None, None, False),
      ("采纳", 5, "份", None, None, False)], []),
    # one thing counted twice shares its label; scaled units stay as written
    ("接待来访15批320余人次，挽回损失86.5万元。",
     [("接待来访", 15, "批", None, None, False), ("接待来访", 320, "人次", "余", None, False),
      ("挽回损失", 86.5, "万元", None, None, False)], []),
    # approximations the facts cannot state, and bare figures, are listed instead
    ("服务群众超过500人，达到1200人次以上。", [], ["超过500人", "1200人次以上"]),
    # 名/位 count the person right after them, not the thing the clause ends with; a figure
    # the facts file would refuse (名 on a thing) is listed, not imported (nor the import failed)
    ("会前均安排2名法律顾问列席并发表意见，组织3位专家论证并出具书面意见。",
     [("会前均安排法律顾问", 2, "名", None, None, False), ("组织专家", 3, "位", None, None, False)], []),
    ("清理规范性文件10名，审查合同6份。",
     [("审查合同", 6, "份", None, None, False)], ["10名"]),
    ("法律顾问2名实行轮值制度。", [("法律顾问", 2, "名", None, None, False)], []),
    # words running on to the next figure: this one counts the noun they begin with
    ("136名执法人员中具有法律专业背景的仅19名。",
     [("执法人员", 136, "名", None, None, False),
      ("执法人员中具有法律专业背景的", 19, "名", None, None, False)], []),  # (仅: filler)
    ("完善服务体系，6个镇综合服务站和52个村级服务点实现全覆盖。",
     [("镇综合服务站", 6, "个", None, None, False),
      ("村级服务点", 52, "个", None, None, False)], []),
    ("细化4个方面21项任务。",  # words after a label of its own stay this figure's
     [("细化方面", 4, "个", None, None, False), ("方面任务", 21, "项", None, None, False)], []),
    ("清理27件规范性文件中废止3件，开展集中整治行动3次中发现问题12个。",
     [("清理规范性文件", 27, "件", None, None, False), ("规范性文件中废止", 3, "件", None, None, False),
      ("开展集中整治行动", 3, "次", None, None, False), ("中发现问题", 12, "个", None, None, False)], []),
    # "A、B分别为X、Y": the i-th value is the i-th noun's, and so are the changes after them
    ("全县法律援助案件、法律咨询分别为412件、3650件，同比分别增长8.5%、3.2%。",
     [("全县法律援助案件", 412, "件", None, None, False), ("法律咨询", 3650, "件", None, None, False),
      ("全县法律援助案件同比增长", 8.5, "%", None, None, False),
      ("法律咨询同比增长", 3.2, "%", None, None, False)], []),
    ("行政复议、行政诉讼案件分别为36件和12件，同比下降10.0%和20.0%。",
     [("行政复议", 36, "件", None, None, False), ("行政诉讼案件", 12, "件", None, None, False),
      ("行政复议同比下降", 10.0, "%", None, None, False), ("行政诉讼案件同比下降", 20.0, "%", None, None, False)],
     []),
    # one noun, each value with its own words
    ("特困人员供养标准分别提高到每人每月960元和每人每年11520元。",
     [("特困人员供养标准每人每月", 960, "元", None, None, False),
      ("特困人员供养标准每人每年", 11520, "元", None, None, False)], []),
    # 及时/涉及 are words, not joins; a listed verb shares the object; one qualifier for all
    ("按期办结率、及时回复率分别为98.5%、99.2%。",
     [("按期办结率", 98.5, "%", None, None, False), ("及时回复率", 99.2, "%", None, None, False)], []),
    ("受理、审结行政复议案件分别为45件、40件。",
     [("受理行政复议案件", 45, "件", None, None, False), ("审结行政复议案件", 40, "件", None, None, False)], []),
    ("一审、二审分别胜诉12件和5件。",
     [("一审胜诉", 12, "件", None, None, False), ("二审胜诉", 5, "件", None, None, False)], []),
    # nouns and values that do not pair: neither is imported, both are listed
    ("行政许可、行政确认、行政备案分别为52件、18件。", [], ["52件", "18件"]),
])
def test_figures_with_labels_approximations_and_parts(sentence, figures, skipped):
    got, skip = _figs(sentence)
    assert got == figures
    assert skip == skipped


def test_figures_of_the_plans_section_are_not_this_years():
    report = read_report_text(SMALL.replace("完善巡河制度", "完善巡河制度，巡河200次"))
    figures, _ = report_figures(report)
    assert all(f.value != 200 for f in figures)


def read_report_text(text: str):
    return build_report(text.splitlines(), path="t.txt", fmt="txt")


@pytest.mark.parametrize("sentence, people", [
    ("聘请明川律师事务所律师唐若溪、邵景文担任局法律顾问。", [("唐若溪", "法律顾问", "律师", "明川律师事务所")]
     + [("邵景文", "法律顾问", "律师", "明川律师事务所")]),
    ("聘请律师团队担任常年法律顾问。", []),  # 团队 is no name
    ("邀请冯若愚律师列席局务会议。", [("冯若愚", "律师", None, None)]),
    ("聘请明川律师事务所律师温景行为常年法律顾问。", [("温景行", "法律顾问", "律师", "明川律师事务所")]),
    # the national leadership is never one of the unit's people (习近平 + 总书记, not 习近平总 + 书记)
    ("深入学习贯彻习近平总书记关于档案工作的重要论述。", []),
])
def test_people_with_roles_and_firms(sentence, people):
    from drafter.corpus.people import report_people

    report = read_report_text("\n".join(["云梁县档案局关于2022年度法治政府建设情况的报告", "云梁县人民政府：",
                                          "一、主要举措和成效", sentence]))
    found, _orgs, _notes = report_people(report)
    assert [(p.name, p.role, p.title, p.org) for p in found] == people


# ---- bad input, existing years, atomicity -----------------------------------------------------

@pytest.mark.parametrize("name, content, phrase", [
    ("recipe.txt", "红烧肉的做法\n一、备料\n五花肉一斤，冰糖少许。\n二、烹制\n小火慢炖一小时。\n", "不像法治政府建设年度报告"),
    ("blob.txt", b"\x00\x01\x02binary" * 50, "不是文本文件"),
    ("empty.txt", "", "文件为空"),
    ("report.pdf", "%PDF-1.4", "不能导入"),
    ("missing.txt", None, "文件不存在"),
])
def test_unreadable_or_non_report_files_exit_2_and_write_nothing(cli, tmp_path, name, content, phrase):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    corpus = tmp_path / "corpus"
    r = cli("corpus", "add", str(path), "--corpus", str(corpus), "--unit", "x", "--year", "2022")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and phrase in lines[0] and "Traceback" not in r.stderr
    assert not corpus.exists()


def test_an_existing_year_is_replaced_only_with_force(cli, tmp_path):
    report = _write(tmp_path / "r.txt", SMALL)
    corpus, _ = imported(cli, tmp_path, report, "--unit", "ylsw", "--year", "2022")
    facts = corpus / "ylsw" / "2022" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "# 已核实\n", encoding="utf-8")
    r = cli("corpus", "add", str(report), "--corpus", str(corpus), "--unit", "ylsw", "--year", "2022")
    assert r.returncode == 2 and "--force" in r.stderr
    assert facts.read_text(encoding="utf-8").endswith("# 已核实\n")
    r = cli("corpus", "add", str(report), "--corpus", str(corpus), "--unit", "ylsw", "--year", "2022", "--force")
    assert r.returncode == 0, r.stderr
    assert not facts.read_text(encoding="utf-8").endswith("# 已核实\n")
    assert sorted(p.name for p in (corpus / "ylsw").iterdir()) == ["2022"]  # no temporary folders


def test_a_failed_import_leaves_no_folder(tmp_path, monkeypatch):
    from drafter import api
    from drafter.corpus import importer

    first = _write(tmp_path / "a.txt", SMALL)
    second = _write(tmp_path / "b.txt", SMALL.replace("2022", "2021").replace("2023年2月", "2022年2月")
                    .replace("2023年工作", "2022年工作"))
    real = importer._fill
    calls = []

    def failing(folder, plan, ex):
        calls.append(plan.path)
        real(folder, plan, ex)
        if len(calls) == 2:
            raise OSError("disk full")

    monkeypatch.setattr(importer, "_fill", failing)
    corpus = tmp_path / "corpus"
    with pytest.raises(OutputError, match="无法写入语料库（disk full），未导入"):
        api.import_reports([first, second], corpus, unit="ylsw")
    assert len(calls) == 2
    assert not corpus.exists()  # neither year, nor the folders made for them


def test_two_reports_for_one_year_are_refused(cli, tmp_path):
    a = _write(tmp_path / "a.txt", SMALL)
    b = _write(tmp_path / "b.txt", SMALL)
    r = cli("corpus", "add", str(a), str(b), "--corpus", str(tmp_path / "c"), "--unit", "ylsw", "--yes")
    assert r.returncode == 2 and "一个年度只能导入一份报告" in r.stderr
    r = cli("corpus", "add", str(a), str(b), "--corpus", str(tmp_path / "c"), "--year", "2022")
    assert r.returncode == 2 and "--year" in r.stderr
    assert not (tmp_path / "c").exists()


def test_an_imported_year_without_date_is_not_drafted_from(cli, tmp_path):
    report = _write(tmp_path / "r.txt", SMALL.replace("2023年2月16日\n", ""))
    corpus, _ = imported(cli, tmp_path, report, "--unit", "ylsw", "--year", "2022")
    facts = corpus / "ylsw" / "2022" / "facts.yaml"
    assert load_facts(facts).date is None
    assert "成文日期" in "".join(load_facts(facts).imported.missing)
    r = cli("draft", str(facts), "-o", str(tmp_path / "out.docx"))
    assert r.returncode == 2 and "date" in r.stderr and not (tmp_path / "out.docx").exists()


def test_corpus_list_shows_units_years_and_imported_ones(cli, seed_corpus):
    r = cli("corpus", "list", "--corpus", str(seed_corpus))
    assert r.returncode == 0
    assert re.search(r"xingyang-kgx .*2023年度：report\.txt、facts\.yaml（\d+个指标，3项下一年度安排；由报告导入，待核实）",
                     r.stdout)
    r = cli("corpus", "list", "--corpus", str(seed_corpus / "nope"))
    assert r.returncode == 2 and "语料文件夹不存在" in r.stderr


# ---- the web 起草 page ------------------------------------------------------------------------

def _web(tmp_path: Path, corpus: Path | None):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from drafter.web.app import WebSettings, create_app

    settings = WebSettings(upload_dir=str(tmp_path / "uploads"), env={},
                           corpus=str(corpus) if corpus else None)
    base = "http://127.0.0.1:8000"  # the server refuses other Host values and other origins' forms
    return TestClient(create_app(settings), base_url=base, headers={"origin": base})


def test_the_draft_page_offers_the_import_only_with_a_corpus(tmp_path):
    with _web(tmp_path, None) as c:
        assert "导入往年报告" not in c.get("/draft").text
        r = c.post("/corpus/import", files={"report": ("r.txt", SMALL.encode(), "text/plain")})
        assert r.status_code == 400 and "--corpus" in r.text
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with _web(tmp_path, corpus) as c:
        page = c.get("/draft").text
        assert 'action="/corpus/import"' in page


@pytest.mark.parametrize("unit, year, where", [("", "", "yunliang-shuiwu"), ("ylsw", "2022", "ylsw")])
def test_a_report_posted_on_the_draft_page_is_imported_into_the_servers_corpus(tmp_path, unit, year, where):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with _web(tmp_path, corpus) as c:
        form = {"unit": unit, "year": year}
        files = {"report": ("2022年报告.txt", SMALL.encode(), "text/plain")}
        r = c.post("/corpus/import", data=form, files=files)
        assert r.status_code == 200, r.text
        assert "云梁县水务局" in r.text and f"{where}/2022/" in r.text
        facts = load_facts(corpus / where / "2022" / "facts.yaml")
        assert facts.imported.report == "report.txt" and len(facts.sections.plans) == 2
        assert (corpus / where / "2022" / "report.txt").read_text(encoding="utf-8") == SMALL
        again = c.post("/corpus/import", data=form, files=files)
        assert again.status_code == 400 and "未覆盖" in again.text
        replaced = c.post("/corpus/import", data={**form, "force": "1"}, files=files)
        assert replaced.status_code == 200
        recipe = c.post("/corpus/import", data={"unit": "x", "year": "2022"},
                        files={"report": ("菜谱.txt", "红烧肉\n一、备料\n五花肉。\n".encode(), "text/plain")})
        assert recipe.status_code == 400 and "菜谱.txt" in recipe.text and "不像" in recipe.text
        assert sorted(p.name for p in corpus.iterdir()) == [where]
        template = c.get(f"/facts/template.xlsx?unit={where}")
        assert template.status_code == 200 and template.content.startswith(b"PK")


# ---- --llm: labels and item boundaries, kept only when the report says them -------------------

LOOSE = """云梁县档案局关于2022年度法治政府建设情况的报告
云梁县人民政府：
2022年，我局依法履行档案管理职责。
一、主要举措和成效
严格落实重大行政决策程序，全年作出重大行政决策3项。开展执法案卷评查，对45卷案卷进行了评查。举办档案法治讲座5场，培训干部210人次。
二、存在的问题和原因
执法检查覆盖面不够。原因是检查人员不足。
三、2023年工作打算
（一）推进档案执法检查。扩大检查覆盖面。
云梁县档案局
2023年2月10日
"""


def _llm_env(server) -> dict[str, str]:
    import tempfile

    # A fresh reply cache per server: a reply cached by an earlier run must not answer for it.
    return {"DRAFTER_CACHE_DIR": tempfile.mkdtemp(prefix="drafter-test-cache-"),
            "OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "local-test-key",
            "DRAFTER_MODEL": "scripted-model", "DRAFTER_LLM_TIMEOUT": "1", "DRAFTER_LLM_DEADLINE": "4",
            "LANGSMITH_TRACING": "", "LANGCHAIN_TRACING_V2": ""}


def _proposal(facts_path: Path) -> str:
    """A reply proposing one grounded and two ungrounded labels, one grounded split and one not."""
    from drafter.facts import load_facts as load

    f = load(facts_path)
    reviewed = next(m for m in f.metrics if m.value == 45)
    lecture = next(m for m in f.metrics if m.value == 5)
    trained = next(m for m in f.metrics if m.value == 210)
    return json.dumps({
        "labels": [{"id": reviewed.id, "label": "评查案卷"},        # both words on its line: kept
                   {"id": lecture.id, "label": "举办普法讲座"},     # 普法 is not on the line: dropped
                   {"id": trained.id, "label": "培训干部210人次"}],  # repeats the figure: dropped
        "items": [{"item": "measures#0", "split": [{"title": "落实重大行政决策程序", "from": 0},
                                                  {"title": "开展执法案卷评查", "from": 1},
                                                  {"title": "举办档案法治讲座", "from": 2}]},
                  {"item": "measures#0", "split": [{"title": "加强普法宣传", "from": 0},
                                                  {"title": "强化执法监督", "from": 1}]}]},
        ensure_ascii=False)


def test_llm_labels_and_splits_are_kept_only_when_the_report_says_them(cli, tmp_path):
    from evaluations.openai_server import Reply, ScriptedServer

    report = _write(tmp_path / "r.txt", LOOSE)
    offline, _ = imported(cli, tmp_path / "offline", report, "--unit", "ylda", "--year", "2022")
    with ScriptedServer() as server:
        server.default = Reply(
            content="<think>先看原文</think>\n```json\n" + _proposal(offline / "ylda" / "2022" / "facts.yaml") + "\n```")
        corpus = tmp_path / "corpus"
        r = cli("corpus", "add", str(report), "--corpus", str(corpus), "--unit", "ylda", "--year", "2022",
                "--llm", env=_llm_env(server))
        assert r.returncode == 0, r.stderr
        sent = server.calls()[0].text
    assert "对45卷案卷进行了评查" in sent  # the report's lines went to the model, as data
    facts = load_facts(corpus / "ylda" / "2022" / "facts.yaml")
    labels = {m.value: m.label for m in facts.metrics}
    assert labels[45] == "评查案卷"
    before = {m.value: m.label for m in load_facts(offline / "ylda" / "2022" / "facts.yaml").metrics}
    assert labels[5] == before[5] and labels[210] == before[210]
    assert [i.title for i in facts.sections.measures] == ["落实重大行政决策程序", "开展执法案卷评查",
                                                          "举办档案法治讲座"]
    assert all(i.source == "report, line 5" and i.confirm for i in facts.sections.measures)
    assert any("采用1个指标名称、1处事项划分" in n and "舍弃3处" in n for n in facts.imported.notes)


@pytest.mark.parametrize("reply, note", [
    ("好的，我来看看。", "不是有效的 JSON"),
    (None, "大模型改进未完成"),  # the server fails every request
])
def test_an_llm_that_fails_leaves_the_offline_import(cli, tmp_path, reply, note):
    from evaluations.openai_server import Reply, ScriptedServer, error

    report = _write(tmp_path / "r.txt", LOOSE)
    with ScriptedServer() as server:
        server.default = Reply(content=reply) if reply is not None else error(500)
        corpus = tmp_path / "corpus"
        r = cli("corpus", "add", str(report), "--corpus", str(corpus), "--unit", "ylda", "--year", "2022",
                "--llm", env=_llm_env(server))
    assert r.returncode == 0, r.stderr
    facts = load_facts(corpus / "ylda" / "2022" / "facts.yaml")
    assert any(note in n for n in facts.imported.notes)
    assert [i.title for i in facts.sections.measures] == ["主要举措和成效"]


def test_llm_without_an_endpoint_is_a_usage_error_before_anything_is_read(cli, tmp_path):
    report = _write(tmp_path / "r.txt", LOOSE)
    r = cli("corpus", "add", str(report), "--corpus", str(tmp_path / "c"), "--unit", "ylda",
            "--year", "2022", "--llm", env={"OPENAI_BASE_URL": "", "OPENAI_API_KEY": ""})
    assert r.returncode == 2 and "OPENAI_BASE_URL" in r.stderr
    assert not (tmp_path / "c").exists()


def test_the_import_evaluation_counts_labels_parts_and_plans_strictly():
    """A figure with the right number but a label without the labelled words is wrong twice
    (a miss and an extra); a part linked to the wrong total does not count as a part."""
    from types import SimpleNamespace as NS

    from evaluations.import_eval import Result, _figures, _plans

    def metric(mid, label, value, line, part_of=None):
        return NS(id=mid, label=label, value=value, unit="件", approx=None,
                  source=f"report, line {line}", part_of=part_of)

    facts = NS(metrics=[metric("a", "清理规范性文件", 10, 9), metric("b", "废止", 3, 9, "c"),
                        metric("c", "审查合同", 20, 9), metric("d", "发现问题", 4, 9)],
               sections=NS(plans=[NS(title="加强执法队伍建设", source="report, line 20"),
                                  NS(title="提升执法效能", source="report, line 22")]))
    gold = [[9, 10, "件", None, "清理规范性文件"], [9, 3, "件", None, "废止", 10],
            [9, 20, "件", None, "审查合同"], [9, 4, "件", None, "整改问题"]]
    res = Result("t")
    figures, parts = _figures(facts, gold, res)
    assert (figures.found, figures.gold, figures.right) == (4, 4, 3)
    assert (parts.found, parts.gold, parts.right) == (1, 1, 0)
    assert any("整改问题" in m for m in res.misses) and any("发现问题" in e for e in res.extras)
    plans = _plans(facts, [[20, "加强执法队伍建设"], [21, "提升执法效能"]], res)
    assert (plans.found, plans.gold, plans.right) == (2, 2, 1)


def test_a_model_label_the_facts_file_would_refuse_is_dropped():
    from types import SimpleNamespace

    from drafter.import_refine import apply

    line = "重大事项提交会议前，均安排2名法律顾问列席并发表意见。"
    report = build_report(["标题", "一、主要举措和成效", line], path="t.txt", fmt="txt")
    metric = {"id": "m1", "label": "安排法律顾问", "value": 2, "unit": "名",
              "source": "report, line 3"}
    ex = SimpleNamespace(data={"metrics": [metric], "sections": {}}, loose=[], notes=[])
    # grounded in the line, but 名 would count the 意见: the facts file would not load
    apply(report, ex, {"labels": [{"id": "m1", "label": "安排法律顾问列席并发表意见"}]})
    assert metric["label"] == "安排法律顾问" and "舍弃1处" in ex.notes[-1]
    apply(report, ex, {"labels": [{"id": "m1", "label": "法律顾问列席"}]})
    assert metric["label"] == "法律顾问列席"  # a grounded label that names the persons is kept

    rate_line = "全年办理行政许可同比增长率为120%。"
    report = build_report(["标题", "一、主要举措和成效", rate_line], path="t.txt", fmt="txt")
    rate = {"id": "m2", "label": "办理行政许可同比增长", "value": 120, "unit": "%",
            "source": "report, line 3"}
    ex = SimpleNamespace(data={"metrics": [rate], "sections": {}}, loose=[], notes=[])
    apply(report, ex, {"labels": [{"id": "m2", "label": "同比增长率"}]})  # a 率 over 100 %
    assert rate["label"] == "办理行政许可同比增长" and "舍弃1处" in ex.notes[-1]


@pytest.mark.parametrize("body, expected", [
    # the problem and its cause in one sentence: split at the clause that names the cause
    ("执法力量仍然不足，主要原因是编制有限。", [("执法力量仍然不足", ["主要原因是编制有限"])]),
    ("执法人员法律素养有待提高，根源在于培训机制不健全，考核不严。",
     [("执法人员法律素养有待提高", ["根源在于培训机制不健全，考核不严"])]),
    # the cause in a sentence of its own, as before
    ("一是执法力量不足，二是培训不够。原因是编制有限。",
     [("一是执法力量不足，二是培训不够", ["原因是编制有限"])]),
    # run-in items in one paragraph: one shortcoming each, its own cause with it; a lead-in
    # is not one; a cause stated for all at the end goes to each when it has a part for each
    ("对照要求，主要表现在：一是执法装备落后，原因是经费不足。二是宣传覆盖面窄。",
     [("执法装备落后", ["原因是经费不足"]), ("宣传覆盖面窄", [])]),
    ("一是队伍老化。二是制度不全。究其原因，主要是招录困难；清理滞后。",
     [("队伍老化", ["原因是招录困难"]), ("制度不全", ["原因是清理滞后"])]),
])
def test_a_shortcoming_and_its_cause_in_one_sentence_are_both_imported(body, expected):
    from drafter.corpus.extract import extract_facts

    report = build_report(["示例县水务局关于2022年度法治政府建设情况的报告", "县政府：", "一、主要举措和成效",
                           "开展培训。", "二、存在的不足和原因", body, "示例县水务局", "2023年2月10日"],
                          path="t.txt", fmt="txt")
    ex = extract_facts(report, report_name="r.txt", year=2022, slug="x")
    got = [(i["problem"], i["causes"]) for i in ex.data["sections"]["shortcomings"]]
    assert got == expected
    assert not any("存在的不足和原因" in m for m in ex.missing)


def test_every_evaluation_report_imports_into_facts_that_load(tmp_path):
    """The importer never writes facts its own validator refuses: every report of the
    evaluation sets (and the seed report) imports."""
    from drafter.api import import_reports

    cases = Path(__file__).resolve().parent.parent / "evaluations" / "cases"
    roots = [cases / "reports", cases / "published",
             Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"]
    files = sorted(p for r in roots if r.is_dir() for p in r.glob("*.txt"))
    assert len(files) >= 50
    for i, f in enumerate(files):
        done = import_reports([f], corpus=tmp_path / "corpus", unit=f"unit{i}", year=2023)
        assert load_facts(done[0].folder / "facts.yaml").metrics


def _import_text(tmp_path: Path, body: list[str]):
    from drafter.api import import_reports

    report = tmp_path / "report.txt"
    report.write_text("\n".join(["示例县水务局关于2022年度法治政府建设情况的报告", "县政府：",
                                 "一、主要举措和成效", *body, "二、存在的不足和原因",
                                 "执法力量仍然不足，主要原因是编制有限。", "三、下一年度工作安排",
                                 "（一）加强执法队伍建设。", "示例县水务局", "2023年2月10日"]) + "\n",
                      encoding="utf-8")
    done = import_reports([report], corpus=tmp_path / "corpus", unit="sl-shuiwu", year=2022)
    return load_facts(done[0].folder / "facts.yaml"), done[0].extraction.missing


def test_a_report_that_gives_one_thing_two_numbers_still_imports(tmp_path):
    facts, missing = _import_text(tmp_path, [
        "（一）推进放管服改革。全年办理行政许可35件，全部按时办结。",
        "（二）强化执法监督。全年办理行政许可38件，开展执法检查12次，其中联合检查5次。"])
    labels = {m.label: m.value for m in facts.metrics}
    assert "办理行政许可" not in labels and labels["开展执法检查"] == 12
    assert any("办理行政许可" in m and "35件、38件" in m for m in missing)


def test_figures_the_facts_file_cannot_record_are_listed_not_a_failed_import(tmp_path):
    facts, missing = _import_text(tmp_path, [
        "全年完成水资源费征收任务，征收完成率达112%，办理行政许可35件，同比增长率为120%。"])
    assert [m.label for m in facts.metrics] == ["办理行政许可"]
    assert sum("不能超过100%" in m for m in missing) == 2


@pytest.mark.parametrize("name,kind", [
    ("示例市应急管理局", "局"), ("示例县人民政府", "县"), ("示例市临江区人民政府", "区"),
    ("示例街道办事处", "街道"), ("示例县发展和改革委", "委"), ("示例县法学会", None),
])
def test_what_a_unit_calls_itself_by_comes_from_its_name(name, kind):
    assert units.self_kind(name) == kind


def test_the_self_reference_is_the_units_own_kind():
    report = read_report_text("\n".join([
        "示例市应急管理局关于2024年度法治政府建设情况的报告", "一、主要举措和成效",
        "选取近年来本市发生的典型案例开展警示教育。本市安全形势总体平稳。", "本局修订制度5项。"]))
    assert units.self_reference(report, "示例市应急管理局").value == "本局"
    assert units.self_reference(report).value == "本市"  # without the name: the most frequent


def test_a_plan_items_own_marker_is_not_part_of_its_title():
    report = read_report_text("\n".join([
        "示例市住建局关于2024年度法治政府建设情况的报告", "一、主要举措和成效", "修订制度3项。",
        "二、2025年工作安排", "一是推动《示例市物业管理条例》全面落地，制定配套文件。",
        "二是加强执法队伍建设，开展全员轮训。"]))
    assert [i.text for i in report_plan_items(report)] == [
        "推动《示例市物业管理条例》全面落地，制定配套文件", "加强执法队伍建设，开展全员轮训"]


@pytest.mark.parametrize("sentence,labels", [
    ("全年收到行政复议申请132件，同比增长21.1%。", ["收到行政复议申请", "收到行政复议申请同比增长"]),
    ("立案查处安全生产违法行为853起，罚没款合计586.3万元。", ["立案查处安全生产违法行为", "罚没款"]),
])
def test_labels_of_changes_and_of_words_ending_in_a_filler(sentence, labels):
    assert [f[0] for f in _figs(sentence)[0]] == labels


@pytest.mark.parametrize("sentence,labels", [
    # two figures joined by 和: each counts its own noun (the second: the noun after the connective)
    ("在全区8个街道公共法律服务工作站和87个社区法律服务室推行“法律顾问+人民调解”模式。",
     ["全区街道公共法律服务工作站", "社区法律服务室"]),
    ("对31家企业和58名个人实施信用惩戒。", ["企业", "个人"]),
    ("二十三个行政村和两个社区全部建立调解组织。", ["行政村", "社区"]),
    # a total of listed nouns is named by the whole list
    ("投诉、举报、咨询共计7,916件，其中投诉3,012件、举报2,323件、咨询2,581件。",
     ["投诉、举报、咨询", "投诉", "举报", "咨询"]),
    ("办理行政许可12件、行政处罚8件。", ["办理行政许可", "行政处罚"]),
])
def test_labels_of_joined_figures_and_of_totals_of_a_list(sentence, labels):
    assert [f[0] for f in _figs(sentence)[0]] == labels


def test_a_change_from_an_unconfirmed_imported_figure_is_marked_to_confirm(seed_corpus, tmp_path):
    # the 2023 import says 清理规范性文件10份, confirm: true — next year's 同比 rests on it
    from drafter.corpus import Corpus
    from drafter.facts.load import parse_facts
    from drafter.plan import make_plan

    facts = parse_facts("""
unit: {name: 荥阳市科技工业和信息化局, short: 我局, type: department, slug: xingyang-kgx}
recipients: [荥阳市人民政府]
year: 2024
date: 2025-02-20
metrics:
  - {id: cleaned, label: 清理规范性文件, value: 12, unit: 份}
sections:
  measures:
    - title: 规范文件管理
      facts: ["{cleaned}，{cleaned.yoy}"]
""")
    plan = make_plan(facts, tmp_path / "facts.yaml", corpus=Corpus.open(seed_corpus), exemplars=False)
    (c,) = [c for c in plan.confirms if "上年数值" in c.text]
    assert c.also == "同比增长20%" and "10份" in c.text and "尚未核实" in c.text
