"""The template backend and the pipeline around it: structure, numbers traced to the facts,
a clean checker result, visible gaps, the seed's facts, and the backend seam."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafter.backends import get_backend
from drafter.prompts import load_patterns, prompt_file
from drafter.errors import ConfigError
from drafter.facts import load_facts, parse_facts
from drafter.text.numbers import extract_quantities
from drafter.backends.base import Backend
from drafter.pipeline import draft
from drafter.text.numerals import ordinal_text as cn_ordinal

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "shili-kegongxin"
SAMPLE_FACTS = [SAMPLE / str(y) / "facts.yaml" for y in (2021, 2022, 2023)]
SEED_FACTS = ROOT / "corpus" / "seed-xingyang" / "2023" / "facts.yaml"
MANDATED = ("measures", "shortcomings", "leadership", "plans")


def drafted(path: Path, **kw):
    return draft(path, write=False, **kw)


def facts_numbers(path: Path) -> set[str]:
    """Every number written in a facts file, plus the years the draft derives from it."""
    facts = load_facts(path)
    text = path.read_text(encoding="utf-8")
    nums = set(re.findall(r"\d+(?:\.\d+)?", text))
    d = facts.date
    return nums | {str(facts.year), str(facts.year + 1), str(d.year), str(d.month), str(d.day)}


@pytest.fixture(scope="module")
def sample_results():
    return {p.parent.name: drafted(p) for p in SAMPLE_FACTS + [SEED_FACTS]}


@pytest.mark.parametrize("year", ["2021", "2022", "2023"])
def test_sample_drafts_are_complete_and_clean(sample_results, year):
    result = sample_results[year] if year != "2023" else drafted(SAMPLE / "2023" / "facts.yaml")
    report = result.report
    assert [s.key for s in report.sections] == list(MANDATED)
    assert all(report.presence[k].how == "section" for k in MANDATED)
    assert report.title.text == f"示例市科学技术和工业信息化局关于{year}年度法治政府建设情况的报告"
    assert report.recipients == ["中共示例市委", "示例市人民政府"]
    assert report.lead[-1].text.endswith("现将有关情况报告如下：")
    assert report.signature.text == "示例市科学技术和工业信息化局"
    assert report.date is not None
    loud = [(f.rule, f.line, f.message, f.quote) for f in result.findings if f.severity != "info"]
    assert loud == []
    assert result.gaps == [] and result.exit_code == 0
    assert result.plan.unanswered_plans == []


@pytest.mark.parametrize("path", SAMPLE_FACTS + [SEED_FACTS], ids=lambda p: p.parent.parent.name + p.parent.name)
def test_every_number_in_the_draft_occurs_in_the_facts(path):
    result = drafted(path)
    allowed = facts_numbers(path)
    text = result.report.text
    numbers = re.findall(r"\d+(?:\.\d+)?", text)
    assert numbers, "no number extracted: nothing was evaluated"
    assert sorted(set(numbers) - allowed) == []
    quantities = extract_quantities(text)
    assert quantities
    facts_text = path.read_text(encoding="utf-8")
    for q in quantities:
        digits = re.search(r"\d+(?:\.\d+)?", q.raw)
        assert digits and digits.group(0) in facts_text, q.raw


def test_headings_numbering_and_subsections(sample_results):
    report = drafted(SAMPLE / "2023" / "facts.yaml").report
    heads = [s.heading.number for s in report.sections]
    assert heads == ["一、", "二、", "三、", "四、"]
    measures = report.sections[0]
    facts = load_facts(SAMPLE / "2023" / "facts.yaml")
    assert [c.title for c in measures.children] == [i.title for i in facts.sections.measures]
    assert [c.heading.number for c in measures.children][:3] == ["（一）", "（二）", "（三）"]
    plans = report.sections[3]
    assert report.sections[3].title.startswith("2024年度")
    assert all(c.heading.run_in for c in plans.children)
    # the 2024 plans are the facts' plan titles
    assert [c.title.rstrip("。") for c in plans.children] == [i.title for i in facts.sections.plans]


def test_shortcomings_state_their_causes(sample_results):
    for result in sample_results.values():
        sec = result.report.sections_for("shortcomings")[0]
        body = sec.body_text()
        assert re.search(r"原因|主要是", body), body
        assert not any(f.rule == "STR004" for f in result.findings)


def test_prose_varies_between_items_and_is_deterministic(sample_results):
    a = drafted(SAMPLE / "2023" / "facts.yaml").report.text
    b = drafted(SAMPLE / "2023" / "facts.yaml").report.text
    assert a == b
    texts = [r.report.text for r in sample_results.values()]
    # both paragraph forms occur across the sample: prose with connectives and 一是…二是…
    assert any("一是" in t for t in texts) and any(re.search(r"。(同时|此外|与此同时)，", t) for t in texts)
    # consecutive measures paragraphs do not all open the same way
    body = [p for s in sample_results["2023"].report.sections[:1] for p in s.all_paragraphs()
            if p.role == "body"]
    assert len({p.text[:2] for p in body}) >= 3


def test_the_unit_is_named_one_way(sample_results):
    for result in sample_results.values():
        name = result.plan.unit
        text = result.report.text
        assert text.count(name) >= 2  # title and signature
        assert not re.search(r"市科工信局|科工信局", text.replace(name, ""))


def test_seed_facts_keep_every_figure_and_fix_the_structural_defects(seed_text):
    result = drafted(SEED_FACTS)
    report = result.report
    seed_qs = {(q.value, q.unit) for q in extract_quantities(seed_text)}
    draft_qs = {(q.value, q.unit) for q in extract_quantities(report.text)}
    assert len(seed_qs) >= 12
    assert sorted(seed_qs - draft_qs, key=str) == []
    for doc_no in ("豫发〔2021〕23号", "郑编〔2021〕31号"):
        assert doc_no in report.text
    assert report.title is not None and "荥阳市科技工业和信息化局" in report.title.text
    assert report.signature is not None and report.date is not None
    assert report.presence["leadership"].how == "section"
    assert all(report.presence[k].how == "section" for k in MANDATED)
    structural = {"STR001", "STR002", "STR004", "STR008", "STR009", "STR010", "STR011"}
    assert [f.rule for f in result.findings if f.rule in structural] == []
    assert [f for f in result.findings if f.severity == "error"] == []
    assert "薛保庆" not in report.text and "法制办" not in report.text


def test_missing_leadership_is_drafted_as_a_visible_gap(tmp_path):
    text = (SAMPLE / "2023" / "facts.yaml").read_text(encoding="utf-8")
    start, end = text.index("  leadership:"), text.index("  plans:")
    path = tmp_path / "facts.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    result = drafted(path)
    sec = result.report.sections_for("leadership")[0]
    assert "【待补充：" in sec.body_text()
    assert [g.section for g in result.gaps] == ["leadership"]
    assert result.gaps[0].hint
    assert any(f.rule == "PH001" and f.severity == "error" and "待补充" in f.quote
               for f in result.findings)
    assert result.exit_code == 1


@pytest.mark.parametrize("key", MANDATED)
def test_every_mandated_gap_marker_is_reported_by_the_placeholder_rule(tmp_path, key):
    facts_text = (SAMPLE / "2023" / "facts.yaml").read_text(encoding="utf-8")
    facts = parse_facts(facts_text)
    setattr(facts.sections, key, [])
    result = _draft_facts(tmp_path, facts)
    assert [g.section for g in result.gaps] == [key]
    ph = [f for f in result.findings if f.rule == "PH001"]
    assert len(ph) == 1 and ph[0].quote == result.gaps[0].text
    assert result.report.presence[key].how == "section"


def test_empty_causes_draft_a_cause_marker(tmp_path):
    facts = parse_facts((SAMPLE / "2023" / "facts.yaml").read_text(encoding="utf-8"))
    facts.sections.shortcomings[1].causes = []
    result = _draft_facts(tmp_path, facts)
    assert [g.text for g in result.gaps] == ["【待补充：上述问题的原因】"]
    assert result.exit_code == 1


def _draft_facts(tmp_path: Path, facts):
    """Draft from an in-memory Facts by writing it back as YAML."""
    import json

    path = tmp_path / "facts.yaml"
    # JSON is valid YAML; the loader validates it again.
    path.write_text(json.dumps(facts.model_dump(mode="json", exclude_none=True), ensure_ascii=False),
                    encoding="utf-8")
    return drafted(path)


def test_plans_with_titles_only_become_one_enumerated_paragraph(tmp_path):
    facts = parse_facts((SAMPLE / "2023" / "facts.yaml").read_text(encoding="utf-8"))
    for item in facts.sections.plans:
        item.facts = []
    result = _draft_facts(tmp_path, facts)
    plans = result.report.sections_for("plans")[0]
    assert plans.children == [] and len(plans.paragraphs) == 1
    assert re.search(r"一是深入学习贯彻习近平法治思想；二是", plans.paragraphs[0].text)
    assert [f for f in result.findings if f.severity != "info"] == []


class RecordingBackend(Backend):
    """A fake generator behind the seam: records the specs it was given."""

    name = "recording"
    uses_exemplars = False

    def __init__(self):
        self.calls = []

    def draft_section(self, spec):
        self.calls.append(spec)
        return [f"（一）{spec.key}事项", f"{spec.short}{spec.key}部分正文。"]


def test_the_backend_seam_gets_one_spec_per_section_and_the_pipeline_numbers_them():
    fake = RecordingBackend()
    result = draft(SAMPLE / "2023" / "facts.yaml", write=False, backend=fake)
    assert [s.key for s in fake.calls] == list(MANDATED)
    assert all(s.items for s in fake.calls)
    assert fake.calls[0].items[0].statements[0].startswith("编制并公布年度重大行政决策事项目录，纳入决策事项3项")
    assert [s.heading.number for s in result.report.sections] == ["一、", "二、", "三、", "四、"]
    assert result.report.sections[0].children[0].title == "measures事项"
    # The grounding stage runs for every backend: this text lacks the given sub-headings.
    assert result.grounding["measures"]["ok"] is False
    assert any(p["kind"] == "missing" for p in result.grounding["measures"]["problems"])
    assert any("未通过事实核查" in n for n in result.notes)


def test_template_drafts_pass_the_grounding_stage_for_every_sample():
    for path in sorted((ROOT / "corpus").glob("*/*/facts.yaml")) + [ROOT / "tests" / "data" / "llm_facts.yaml"]:
        result = draft(path, write=False)
        assert all(v["ok"] or v.get("skipped") for v in result.grounding.values()), (path, result.grounding)


def test_backend_registry():
    assert get_backend("template").name == "template"
    with pytest.raises(ConfigError, match="未知的起草方式"):
        get_backend("gpt")


def test_llm_backend_absent_says_so():
    import importlib.util

    if importlib.util.find_spec("drafter.backends.llm") is not None:
        pytest.skip("the llm backend is installed")
    with pytest.raises(ConfigError, match="尚未配置"):
        get_backend("llm")


TEMPLATE_FILES = ["frame", "openers", "connectors", "relations", "lists", "measures", "shortcomings",
                  "leadership", "plans", "other"]


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


@pytest.mark.parametrize("name", TEMPLATE_FILES)
def test_pattern_files_declare_their_variables(name):
    pats = load_patterns(name)
    assert pats.variables
    texts = [t for slot, value in pats.data.items() if slot != "source" for t in _strings(value)]
    assert texts
    for text in texts:
        # a pattern never carries a number of its own: figures come only from the facts
        assert not re.search(r"\d", re.sub(r"\{\w+\}", "", text)), f"{name}: {text}"


def test_undeclared_and_missing_variables_fail_clearly():
    with pytest.raises(ConfigError, match="未声明的变量：title"):
        prompt_file("template", "x", {"variables": {"year": "年度"}, "heading": "{year}{title}"})
    pats = prompt_file("template", "x", {"variables": {"year": "年度", "title": "标题"}, "heading": "{year}{title}"})
    with pytest.raises(ConfigError, match="缺少变量：title"):
        pats.fill(pats.raw("heading"), year=2023)


@pytest.mark.parametrize("name", TEMPLATE_FILES)
def test_prompts_readme_lists_every_slot_and_variable(name):
    readme = (ROOT / "prompts" / "README.md").read_text(encoding="utf-8")
    row = next((line for line in readme.splitlines() if line.startswith(f"| `{name}.yaml`")), "")
    assert row, f"prompts/README.md has no row for {name}.yaml"
    pats = load_patterns(name)
    for var in pats.variables:
        assert f"`{var}`" in row, f"{name}.yaml variable {var} not documented"
    for slot in pats.data:
        assert f"`{slot}" in row, f"{name}.yaml slot {slot} not documented"


def test_other_section_is_drafted_last_when_it_has_items(tmp_path):
    text = (SAMPLE / "2023" / "facts.yaml").read_text(encoding="utf-8")
    text = text.replace("  plans:                               # 下一年度主要安排\n",
                        "  other:\n"
                        "    - title: 配合开展法治督察\n"
                        "      facts: [\"配合{sfj}完成年度法治政府建设督察，反馈问题已全部整改\"]\n"
                        "    - title: 行政复议和行政诉讼情况\n"
                        "      facts: [全年未发生以我局为被申请人的行政复议案件和以我局为被告的行政诉讼案件]\n"
                        "  plans:\n", 1)
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    result = drafted(path)
    report = result.report
    assert [s.key for s in report.sections] == [*MANDATED, "other"]
    other = report.sections[4]
    assert other.heading.number == "五、" and other.title == "其他需要报告的情况"
    assert [c.heading.number for c in other.children] == ["（一）", "（二）"]
    assert "配合示例市司法局完成年度法治政府建设督察" in other.body_text()
    assert [f for f in result.findings if f.severity != "info"] == []


# -- the prose of every sample: issue #20's bars ----------------------------------------------

ALL_SAMPLES = sorted((ROOT / "corpus").glob("*/*/facts.yaml")) + [ROOT / "tests" / "data" / "llm_facts.yaml"]
_RUN_IN = re.compile(r"^（[一二三四五六七八九十]{1,3}）[^。]{1,40}。")
_BARE_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}〔\d{4}〕\d+号")


def _sample_id(p: Path) -> str:
    return f"{p.parent.parent.name}-{p.parent.name}" if p.name == "facts.yaml" else p.stem


@pytest.fixture(scope="module")
def all_drafts():
    return {p: drafted(p) for p in ALL_SAMPLES}


def _body(report):
    """(section key, paragraph text without a run-in heading) of the lead and every body paragraph."""
    out = [("lead", p.text) for p in report.lead]
    for sec in report.sections:
        for p in sec.all_paragraphs():
            m = _RUN_IN.match(p.text)
            if m and p.text[m.end():]:
                out.append((sec.key, p.text[m.end():]))
            elif p.role == "body":
                out.append((sec.key, p.text))
    return out


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=_sample_id)
def test_no_paragraph_opener_repeats_in_a_section_or_more_than_twice_in_the_report(all_drafts, path):
    from collections import Counter

    body = _body(all_drafts[path].report)
    assert len(body) >= 8
    openers = [(key, text.split("，", 1)[0]) for key, text in body]
    per_report = Counter(o for _, o in openers)
    per_section = Counter(openers)
    assert [o for o, n in per_report.items() if n > 2] == []
    assert [o for o, n in per_section.items() if n > 1] == []


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=_sample_id)
def test_every_connector_stands_in_its_licensing_relation(all_drafts, path):
    from evaluations.prose_eval import measure

    m = measure(path, all_drafts[path], 0.0)
    assert m.connectors > 0, "no connector found: nothing was evaluated"
    assert m.unlicensed == []
    assert m.list_max <= 5


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=_sample_id)
def test_every_outcome_closes_its_item(all_drafts, path):
    result = all_drafts[path]
    sections = result.sections
    for spec in result.plan.sections:
        paras = sections[spec.key]
        for i, item in enumerate(spec.items):
            if not item.outcome:
                continue
            # the item's last paragraph is the one before the next item's heading
            nxt = f"（{cn_ordinal(i + 2)}）"
            own = [p for p in paras[:next((k for k, p in enumerate(paras) if p.startswith(nxt)), len(paras))]]
            assert own[-1].endswith(item.outcome + "。"), (spec.key, i, own[-1][-60:])


def test_the_samples_give_outcomes_and_documents_to_check():
    facts = [load_facts(p) for p in ALL_SAMPLES]
    assert sum(1 for f in facts for k in ("measures", "leadership") for it in f.sections.items(k)
               if it.outcome) >= 15
    assert sum(len(f.documents) for f in facts) >= 6


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=_sample_id)
def test_documents_are_cited_title_first(all_drafts, path):
    text = all_drafts[path].report.text
    for mt in _BARE_NUMBER.finditer(text):
        assert re.search(r"》（[\u4e00-\u9fff]{0,10}$", text[max(0, mt.start() - 12):mt.start()]), mt.group(0)
    for d in load_facts(path).documents:
        if d.number and d.number in text:
            assert f"《{d.title}》（{d.number}）" in text


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=_sample_id)
def test_drafts_keep_every_statement_and_figure_with_no_checker_error(all_drafts, path):
    result = all_drafts[path]
    text = result.report.text
    given = ""  # the plan's rendered texts: facts values, and {id.yoy} changes computed from them
    for spec in result.plan.sections:
        for item in spec.items:
            for s in [*item.statements, *item.metrics, *item.causes, item.problem, item.outcome]:
                if s:
                    assert s.removeprefix(spec.short) in text, s
                    given += s
    allowed = facts_numbers(path) | set(re.findall(r"\d+(?:\.\d+)?", given))
    assert sorted(set(re.findall(r"\d+(?:\.\d+)?", text)) - allowed) == []
    assert [f for f in result.findings if f.severity == "error"] == []
    assert not re.search(r"(?:执法证件|证书|证件)\d+[余多]?(?:名|人|位)", text)
