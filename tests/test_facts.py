"""Facts: the schema, the loader's Chinese errors (file, line, field), and rendering."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from drafter.errors import FactsError
from drafter.facts import Renderer, format_quantity, load_facts, parse_facts
from drafter.facts.render import normalise_punctuation

ROOT = Path(__file__).resolve().parent.parent
from tests.facts_cases import BAD, BASE, _sub

SAMPLE = ROOT / "corpus" / "shili-kegongxin"
ALL_FACTS = sorted((ROOT / "corpus").glob("*/*/facts.yaml"))

def write(tmp_path: Path, text: str, name: str = "facts.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_base_example_is_valid(tmp_path):
    facts = load_facts(write(tmp_path, BASE))
    assert facts.unit.short == "我局" and facts.year == 2023
    assert facts.date == dt.date(2024, 2, 20)
    assert [m.label for m in facts.parts_of("docs")] == ["继续有效", "修改", "废止"]


@pytest.mark.parametrize("path", ALL_FACTS, ids=[str(p.relative_to(ROOT)) for p in ALL_FACTS])
def test_shipped_facts_files_load(path):
    facts = load_facts(path)
    assert facts.sections.measures and facts.sections.plans


@pytest.mark.parametrize("kind,mutate,line,field,phrase", BAD, ids=[b[0] for b in BAD])
def test_bad_facts_are_rejected_with_file_line_and_field(tmp_path, kind, mutate, line, field, phrase):
    path = write(tmp_path, mutate(BASE))
    with pytest.raises(FactsError) as e:
        load_facts(path)
    msg = e.value.message
    assert msg.startswith(f"{path}:{line}："), msg
    if field:
        assert f"字段 {field}：" in msg, msg
    assert phrase in msg, msg


def test_all_problems_are_kept_for_tools(tmp_path):
    text = _sub("value: 260", "value: -3")(_sub("year: 2023", "year: 2023年")(BASE))
    with pytest.raises(FactsError) as e:
        load_facts(write(tmp_path, text))
    fields = [f for _, f, _ in e.value.problems]
    assert "year" in fields and "sections.measures[0].metrics[0].value" in fields
    assert "另有1处问题" in e.value.message


@pytest.mark.parametrize("name,content,phrase", [
    ("facts.yaml", "", "应为“字段: 值”的结构"),
    ("facts.yaml", "- a\n- b\n", "应为“字段: 值”的结构"),
    ("facts.json", "{}", "应为 .yaml 格式"),
])
def test_not_a_facts_mapping(tmp_path, name, content, phrase):
    with pytest.raises(FactsError) as e:
        load_facts(write(tmp_path, content, name))
    assert phrase in e.value.message


def test_missing_file_and_bad_encoding(tmp_path):
    with pytest.raises(FactsError, match="事实文件不存在"):
        load_facts(tmp_path / "none.yaml")
    p = tmp_path / "gbk.yaml"
    p.write_bytes(BASE.encode("gbk"))
    with pytest.raises(FactsError, match="不是 UTF-8 编码"):
        load_facts(p)


def test_title_numbers_and_final_punctuation_are_dropped():
    facts = parse_facts(BASE.replace("title: 加强规范性文件管理", "title: （一）加强规范性文件管理。"))
    assert facts.sections.measures[0].title == "加强规范性文件管理"


def test_chinese_date_is_accepted():
    facts = parse_facts(BASE.replace("date: 2024-02-20", "date: 2024年2月20日"))
    assert facts.date == dt.date(2024, 2, 20)


@pytest.mark.parametrize("value,unit,approx,expected", [
    (10, "件", None, "10件"),
    (260, "人次", "余", "260余人次"),
    (500, "人", "多", "500多人"),
    (300, "人", "约", "约300人"),
    (500, "人次", "近", "近500人次"),
    (96.4, "%", None, "96.4%"),
    (2146.8, "万元", None, "2146.8万元"),
    (100.0, "%", None, "100%"),
    (0.5, "个百分点", None, "0.5个百分点"),
    (15, "万份", "余", "15万余份"),
    (1.2, "万元", "多", "1.2万多元"),
    (3, "万", "余", "3万余"),
])
def test_quantities_follow_gbt_15835(value, unit, approx, expected):
    assert format_quantity(value, unit, approx) == expected


@pytest.mark.parametrize("statement,expected", [
    ("全年{docs}", "全年清理规范性文件10件，其中继续有效5件、修改3件、废止2件"),
    ("{docs.total}", "清理规范性文件10件"),
    ("共{docs.value}", "共10件"),
    ("{docs.parts}", "继续有效5件、修改3件、废止2件"),
    ("{docs.label}", "清理规范性文件"),
    ("聘请{adviser.full}担任法律顾问", "聘请示例市明理律师事务所律师林思远担任法律顾问"),
    ("{adviser}律师", "林思远律师"),
    ("{short}（{unit}）{year}年", "我局（示例市科学技术和工业信息化局）2023年"),
    ("{train}", "培训干部职工260余人次"),
])
def test_placeholders_render_from_the_facts(statement, expected):
    facts = parse_facts(BASE)
    assert Renderer(facts).expand(statement) == expected


def test_trend_states_last_years_figure_without_computing_a_new_one():
    facts = parse_facts(BASE.replace("exhaustive: true", "exhaustive: true\n    previous_value: 8"))
    r = Renderer(facts)
    assert r.expand("{docs.total}，{docs.trend}") == "清理规范性文件10件，较上年的8件有所增加"
    assert r.expand("上年为{docs.prev}") == "上年为8件"


def test_renderer_records_used_metrics():
    facts = parse_facts(BASE)
    r = Renderer(facts)
    r.expand("{docs}")
    assert r.used == {"docs", "kept", "revised", "repealed"}


@pytest.mark.parametrize("raw,expected", [
    ("审查合同27份,提出意见41条", "审查合同27份，提出意见41条"),
    ("培训(含线上)3期;覆盖全员", "培训（含线上）3期；覆盖全员"),
    ("version 1.2, ok", "version 1.2, ok"),
])
def test_half_width_punctuation_between_chinese_is_normalised(raw, expected):
    assert normalise_punctuation(raw) == expected


def test_the_documented_example_loads_and_drafts_as_shown(tmp_path):
    import re

    from drafter.pipeline import draft

    doc = (ROOT / "docs" / "facts-schema.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", doc, re.S).group(1)
    shown = re.search(r"```text\n（一）加强规范性文件管理\n(.*?)```", doc, re.S).group(1)
    result = draft(write(tmp_path, example), write=False)
    body = result.report.sections[0].children[0].paragraphs[0].text
    assert body == shown.replace("\n", "").strip()
    assert [f for f in result.findings if f.severity == "error"] == []


# -- documents, outcomes, measure words (issue #20) ------------------------------------------

DOCS = BASE.replace("sections:\n", """documents:
  - {id: opinions, title: 《关于加强行政规范性文件管理的意见》, number: "示政[2022]6号", issuer: 示例市人民政府}
  - {id: notice, title: 关于印发《示例市合同管理办法》的通知, number: 示政办（2023）3号}
  - {id: plan, title: 示例市法治宣传教育规划}
sections:
""", 1)


@pytest.mark.parametrize("statement,expected", [
    ("贯彻{opinions}", "贯彻《关于加强行政规范性文件管理的意见》（示政〔2022〕6号）"),
    ("{opinions.full}", "示例市人民政府《关于加强行政规范性文件管理的意见》（示政〔2022〕6号）"),
    ("{opinions.title}", "《关于加强行政规范性文件管理的意见》"),
    ("文号{opinions.number}", "文号示政〔2022〕6号"),
    ("{opinions.issuer}", "示例市人民政府"),
    # a title inside a title in 〈〉; brackets of the year in 〔〕
    ("{notice}", "《关于印发〈示例市合同管理办法〉的通知》（示政办〔2023〕3号）"),
    ("落实{plan}", "落实《示例市法治宣传教育规划》"),
    # a 文号 named alone is cited title first; "文件" before 要求 goes
    ("贯彻示政〔2022〕6号文件要求", "贯彻《关于加强行政规范性文件管理的意见》（示政〔2022〕6号）要求"),
    ("按示政办〔2023〕3号执行", "按《关于印发〈示例市合同管理办法〉的通知》（示政办〔2023〕3号）执行"),
    # already title first: left as written
    ("《关于加强行政规范性文件管理的意见》（示政〔2022〕6号）", "《关于加强行政规范性文件管理的意见》（示政〔2022〕6号）"),
    ("一个未定义的文号示政〔2021〕9号", "一个未定义的文号示政〔2021〕9号"),
])
def test_documents_are_cited_title_first(statement, expected):
    assert Renderer(parse_facts(DOCS)).expand(statement) == expected


@pytest.mark.parametrize("mutate,field,phrase", [
    (_sub("number: 示政办（2023）3号", "number: 示政〔2022〕6号"), "documents[1].number", "文号“示政〔2022〕6号”与 documents[0] 重复"),
    (_sub("id: plan", "id: docs"), "documents[2].id", "重复"),
    (_sub("全年{docs}", "全年{opinions.date}"), "sections.measures[0].facts[0]", "opinions.full"),
    (_sub("        - 全年{docs}\n", "        - 全年{docs}\n      outcome: 实现{nosuch}\n"),
     "sections.measures[0].outcome", "未定义的编号"),
    (_sub("metrics:\n", "metrics:\n  - {id: filed, label: 备案规范性文件, value: 3, unit: 名}\n"),
     "metrics[0].unit", "单位“名”用于计数人"),
    (_sub("全年{docs}", "全年{docs}，其中{kept}"), "sections.measures[0].facts[0]", "{docs.total}"),
])
def test_document_outcome_and_measure_word_problems_name_the_field(tmp_path, mutate, field, phrase):
    with pytest.raises(FactsError) as e:
        load_facts(write(tmp_path, mutate(DOCS)))
    assert f"字段 {field}：" in e.value.message and phrase in e.value.message, e.value.message


def test_outcome_is_rendered_into_the_plan():
    from drafter.plan import make_plan

    facts = parse_facts(DOCS.replace("        - 聘请{adviser.full}担任法律顾问\n",
                                     "        - 聘请{adviser.full}担任法律顾问\n"
                                     "      outcome: 落实{opinions}的各项要求。\n"))
    item = make_plan(facts, exemplars=False).sections[0].items[0]
    assert item.outcome == "落实《关于加强行政规范性文件管理的意见》（示政〔2022〕6号）的各项要求"


@pytest.mark.parametrize("label,value,unit,expected", [
    # people counted by what they hold: the quantity goes before the holders
    ("因工作岗位调整注销执法证件", 2, "名", "因工作岗位调整注销2名人员的执法证件"),
    ("换发行政执法证", 35, "人", "换发35人的行政执法证"),
    ("执法证件", 3, "名", "3名人员的执法证件"),
    # the noun is people, or not listed: label then quantity
    ("新取得行政执法证件人员", 47, "名", "新取得行政执法证件人员47名"),
    ("培训执法人员", 620, "人次", "培训执法人员620人次"),
    ("清理规范性文件", 10, "件", "清理规范性文件10件"),
    ("注销执法证件", 2, "本", "注销执法证件2本"),
])
def test_measure_words_agree_with_the_noun_they_count(label, value, unit, expected):
    metric = f"  - {{id: m, label: {label}, value: {value}, unit: {unit}}}\n"
    facts = parse_facts(BASE.replace("metrics:\n", "metrics:\n" + metric, 1))
    assert Renderer(facts).expand("{m}") == expected


def test_a_workbook_without_the_outcome_and_number_columns_still_reads(tmp_path):
    from openpyxl import load_workbook

    from drafter.facts.xlsx import facts_to_xlsx_bytes, load_facts_xlsx
    from drafter.facts.xlsx_layout import HEADER_ROW, ITEM_SHEETS, SHEET_PEOPLE

    facts = parse_facts(BASE)
    path = tmp_path / "old.xlsx"
    path.write_bytes(facts_to_xlsx_bytes(facts))
    wb = load_workbook(path)
    for sheet, header in [(s, "成效") for s in ITEM_SHEETS.values() if s != ITEM_SHEETS["plans"]] \
            + [(SHEET_PEOPLE, "文号")]:
        ws = wb[sheet]
        col = next(c for c in range(1, ws.max_column + 1) if ws.cell(row=HEADER_ROW, column=c).value == header)
        ws.delete_cols(col)
    wb.save(path)
    assert load_facts_xlsx(path) == facts


@pytest.mark.parametrize("metrics, statement, problem", [
    # the metric's own name with another figure: the same thing cannot have two numbers
    ("", "另清理规范性文件11件", "句中写“清理规范性文件11件”"),
    ("", "清理规范性文件10件", None),
    # a longer metric name covers the hit: it names another thing
    ("  - {id: docs2, label: 审查规范性文件, value: 23, unit: 件}\n"
     "  - {id: city, label: 清理市政府规范性文件, value: 287, unit: 件}\n",
     "共清理市政府规范性文件287件，审查规范性文件23件", None),
    ("  - {id: docs2, label: 规范性文件, value: 23, unit: 件}\n"
     "  - {id: city, label: 清理市政府规范性文件, value: 287, unit: 件}\n",
     "共清理市政府规范性文件287件，其中规范性文件24件", "句中写“规范性文件24件”"),
])
def test_figures_typed_in_statements_are_checked_against_metrics_of_the_same_name(
        metrics, statement, problem):
    from drafter.facts.validate import check_facts

    text = BASE.replace("people:\n", metrics + "people:\n", 1).replace("- 全年{docs}", f"- {statement}")
    found = [msg for _, msg in check_facts(parse_facts(text) if problem is None else
                                           _unchecked(text)) if "句中写" in msg]
    assert found == ([] if problem is None else [m for m in found if problem in m]) and \
        (problem is None or len(found) == 1), found


def _unchecked(text: str):
    """The facts validated by pydantic only (parse_facts would raise on the planted problem)."""
    from ruamel.yaml import YAML

    from drafter.facts.model import Facts

    return Facts.model_validate(YAML(typ="safe").load(text))


@pytest.mark.parametrize("kind,mutate,line,field,phrase", [b for b in BAD if b[3]][:3],
                         ids=[b[0] for b in BAD if b[3]][:3])
def test_a_facts_file_is_parsed_from_the_cache_and_its_problems_keep_their_lines(
        tmp_path, monkeypatch, kind, mutate, line, field, phrase):
    from drafter.facts.load import inspect_facts

    monkeypatch.setenv("DRAFTER_CACHE_DIR", str(tmp_path / "cache"))
    path = write(tmp_path, BASE)
    first = load_facts(path)
    (entry,) = (tmp_path / "cache" / "facts").iterdir()
    assert load_facts(path) == first  # the same facts, read from the entry
    path.write_text(mutate(BASE), encoding="utf-8")
    for _ in range(2):  # parsed anew, then from its own entry: the lines come from the YAML
        with pytest.raises(FactsError) as e:
            load_facts(path)
        assert e.value.message.startswith(f"{path}:{line}：") and f"字段 {field}：" in e.value.message
    assert [p.name for p in (tmp_path / "cache" / "facts").iterdir()] != [entry.name]  # replaced
    path.write_text(BASE, encoding="utf-8")
    assert inspect_facts(path).facts == first
