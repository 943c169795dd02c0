"""NAM rules and the segmentation helpers: the seed, facts as reference, clean and labelled
reports, and names that must stay apart."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import labelled_defects

from drafter.text import segment
from drafter.checker import CheckOptions, check_report, select_rules
from drafter.text.names import org_uses, person_uses
from drafter.checker.testing import case_report
from drafter.facts.model import Organisation, Person
from drafter.report.readers import read_report

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "evaluations" / "cases" / "reports"
CLEAN = sorted(REPORTS.glob("0*.txt")) + sorted(REPORTS.glob("10_*.txt"))
LABELLED = sorted(REPORTS.glob("1[1-9]_*.txt"))


def nam(report, facts=None, rules="NAM"):
    return check_report(report, CheckOptions(facts=facts), select_rules([rules]))


def frag(text: str):
    return case_report({"fragment": text})


def test_seed_lawyer_written_two_ways(seed_path):
    fs = nam(read_report(seed_path))
    assert [(f.rule, f.line, f.quote, f.severity) for f in fs] == \
        [("NAM001", 6, "薛保庆", "warning")]
    assert "第5行" in fs[0].message and "薛宝庆" in fs[0].message


def test_facts_spelling_is_the_reference_and_makes_it_an_error(seed_path):
    facts = SimpleNamespace(people=[Person(name="薛宝庆", role="法律顾问", org="龙图律师事务所")],
                            organisations=[])
    fs = nam(read_report(seed_path), facts)
    assert [(f.line, f.quote, f.severity, f.suggestion) for f in fs] == \
        [(6, "薛保庆", "error", "薛宝庆")]


def test_facts_organisation_name_is_the_reference():
    facts = SimpleNamespace(people=[], organisations=[Organisation(name="明理律师事务所")])
    rep = frag("（二）发挥法律顾问作用。明理律师事物所全年出具法律意见书18份。")
    fs = nam(rep, facts, "NAM002")
    assert [(f.quote, f.severity, f.suggestion) for f in fs] == \
        [("明理律师事物所", "error", "明理律师事务所")]


def test_facts_given_as_plain_mappings_are_read_too():
    facts = {"people": [{"name": "林晓峰", "role": "法律顾问"}]}
    rep = frag("（二）发挥法律顾问作用。林晓锋律师列席党组会议6次。")
    assert [(f.quote, f.suggestion) for f in nam(rep, facts, "NAM001")] == [("林晓锋", "林晓峰")]


@pytest.mark.parametrize("fragment", [
    # different people in one list
    "（二）加强学法用法。王强、王刚、张伟、张炜等同志参加行政执法资格考试，全部合格。",
    # two-character names with different roles: likely two people
    "（二）加强队伍建设。副局长张伟分管执法工作。张炜同志负责普法宣传。",
    # one character apart but not alike in sound (局/委): not a slip
    "（二）加强组织领导。局党组书记主持会议。委党组书记列席。律师周明远参与审查。律师周明达列席会议。",
    # bodies of one kind told apart by a level or ordinal character
    "（二）规范合同管理。与示例市第一中学签订协议。示例市第二中学同步签订。",
])
def test_different_names_stay_silent(fragment):
    assert nam(frag(fragment)) == []


@pytest.mark.parametrize("fragment,quote,other", [
    # a word of address (同志) for the person named by office elsewhere
    ("（二）加强组织领导。局党组书记、局长赵立群主持召开专题会议4次。"
     "（三）强化示范带动。赵利群同志坚持以上率下，带队开展执法检查6次。", "赵利群", "赵立群"),
    ("（二）发挥法律顾问作用。律师孟庆云全程参与合同审查。（三）强化培训。邀请孟清云先生讲授民法典。",
     "孟清云", "孟庆云"),
])
def test_a_word_of_address_may_name_the_person_of_any_role(fragment, quote, other):
    (f,) = nam(frag(fragment), rules="NAM001")
    assert (f.quote, f.severity) == (quote, "warning") and other in f.message
    assert "分别与" in f.message


@pytest.mark.parametrize("fragment", [
    # two-character names: a word of address is not enough
    "（二）加强队伍建设。局长张伟主持会议。（三）强化培训。张炜同志讲授专题课。",
    # two people of one list, one with a word of address
    "（二）加强队伍建设。局长赵立群、赵利群同志等参加培训。",
])
def test_a_word_of_address_does_not_pair_names_that_stay_apart(fragment):
    assert nam(frag(fragment), rules="NAM001") == []


def test_candidates_come_from_role_context_not_a_list():
    rep = frag("（二）发挥法律顾问作用。聘请示例县明理律师事务所律师何志远担任法律顾问；"
               "由郑怀远律师参与会商。局长认真履行职责。")
    assert [(u.name, u.word) for u in person_uses(rep.text)] == [("何志远", "律师"), ("郑怀远", "律师")]
    assert [u.name for u in org_uses(rep.text)] == ["明理律师事务所"]


@pytest.mark.parametrize("path", CLEAN, ids=[p.stem for p in CLEAN])
def test_clean_reports_have_no_name_warnings(path):
    fs = [f for f in nam(read_report(path)) if f.severity != "info"]
    assert fs == [], [(f.rule, f.line, f.quote, f.message) for f in fs]


NAM_LABELS = [(p, d) for p in LABELLED for d in labelled_defects(p, "NAM")]


@pytest.mark.parametrize("path,defect", NAM_LABELS,
                         ids=[f"{p.stem}-{d['quote']}" for p, d in NAM_LABELS])
def test_labelled_name_defects_are_found(path, defect):
    fs = [f for f in nam(read_report(path)) if f.severity != "info"]
    assert any(f.quote and f.quote in defect["quote"] for f in fs), [(f.rule, f.quote) for f in fs]


# -- segmentation and sound --------------------------------------------------------------------

def test_tokens_carry_offsets_and_domain_tags():
    text = "聘请律师事务所律师王清源担任法律顾问"
    toks = segment.tokens(text)
    assert all(text[t.start:t.end] == t.word for t in toks)
    assert "".join(t.word for t in toks) == text
    assert ("律师事务所", "nt") in [(t.word, t.pos) for t in toks]
    assert ("法律顾问", "n") in [(t.word, t.pos) for t in toks]


@pytest.mark.parametrize("a,b,same", [("宝", "保", True), ("务", "物", True), ("制", "治", True),
                                      ("民", "财", False), ("局", "委", False), ("行", "航", True)])
def test_same_sound_ignores_tones_and_knows_polyphones(a, b, same):
    assert segment.same_sound(a, b) is same


def test_two_character_facts_names_are_matched_only_beside_a_role():
    facts = SimpleNamespace(people=[Person(name="张伟", role="法律顾问")], organisations=[])
    rep = frag("（二）依法维权。坚持主张维护当事人合法权益。聘请律师张炜担任法律顾问。")
    assert [(f.quote, f.suggestion) for f in nam(rep, facts, "NAM001")] == [("张炜", "张伟")]


def test_facts_name_beside_a_role_is_matched_even_when_not_a_homophone():
    facts = SimpleNamespace(people=[Person(name="林晓峰", role="法律顾问")], organisations=[])
    rep = frag("（二）发挥法律顾问作用。邀请林晓岭律师列席党组会议6次。")
    assert [(f.quote, f.severity, f.suggestion) for f in nam(rep, facts, "NAM001")] == \
        [("林晓岭", "error", "林晓峰")]


def test_untagged_homophone_variant_beside_a_role_is_paired():
    from drafter.checker import CheckOptions, check_report, select_rules
    from drafter.checker.testing import case_report

    rep = case_report({"fragment": "（二）发挥法律顾问作用。聘请律师周启茗担任法律顾问，"
                                   "周启明律师列席党组会议6次。周启明律师审查合同27份。"})
    fs = check_report(rep, CheckOptions(), select_rules(["NAM001"]))
    assert [f.quote for f in fs] == ["周启茗"]
    # two people with distinct names in one clause stay apart
    rep = case_report({"fragment": "（二）加强队伍建设。王小强律师、王小刚律师参加案件会商。"})
    assert check_report(rep, CheckOptions(), select_rules(["NAM001"])) == []


@pytest.mark.parametrize("text, expected", [
    ("聘请律师张三担任法律顾问", [(2, 4, "律师"), (8, 12, "法律顾问")]),
    # The firm is no lawyer: the word before 事务所 is skipped, a shorter word at the same
    # place is not looked for when none is there.
    ("龙图律师事务所律师王五", [(7, 9, "律师")]),
    ("党委书记李四与副书记王五", [(0, 4, "党委书记"), (7, 10, "副书记")]),
    ("法律顾问\n律师事物所\n主任律师", [(0, 4, "法律顾问"), (11, 13, "主任"), (13, 15, "律师")]),
])
def test_role_words_are_the_longest_at_each_place_and_never_a_firm(text, expected):
    from drafter.text.names import role_words

    assert role_words(text) == expected


def test_role_words_are_what_the_alternation_of_the_role_words_finds():
    """The automaton finds what the regular expression of the same words finds (longest
    first, not before 事务所), on every evaluation report and its mutants."""
    import re

    from evaluations.mutations import CASES, DEFAULT_SEED, clean_sources, generate
    from drafter.text.names import ROLES, role_words

    reference = re.compile("(?:" + "|".join(sorted(map(re.escape, ROLES), key=len, reverse=True))
                           + r")(?!事[务物]所)")
    sources = clean_sources(CASES)
    texts = [s.text for s in sources] + [m.text for m in generate(sources, DEFAULT_SEED, 1)]
    texts += [p.read_text(encoding="utf-8") for p in sorted(REPORTS.glob("*.txt"))]
    assert sum(bool(role_words(t)) for t in texts) > len(texts) // 2  # most reports name roles
    for t in texts:
        assert role_words(t) == [(m.start(), m.end(), m.group()) for m in reference.finditer(t)]
