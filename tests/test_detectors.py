"""The text detectors behind the issue-17 rules, one table each: near-miss phrases (TYP004,
checker/nearmiss.py), 的 for 地 after an adverbial (TYP003, checker/dedi.py), the shape and sound
tables they rest on (text/shapes.py, text/segment.py), figures restated in another word order
(CNT002, checker/restated.py) and parts covering every class of a total (CNT006,
checker/coverage.py)."""

from __future__ import annotations

import pytest

from drafter.checker.coverage import covered_classes
from drafter.checker.dedi import de_for_di
from drafter.checker.metrics import breakdowns
from drafter.checker.nearmiss import confusable, near_misses
from drafter.checker.restated import restatements
from drafter.checker.testing import case_report
from drafter.text.numbers import extract_quantities, quantities
from drafter.text.segment import similar_sound
from drafter.text.shapes import four_corner, look_alike


@pytest.mark.parametrize("text,expected", [
    ("全面推荐依法行政，加快建设法治政府。", [("推荐依法行政", "推进依法行政", "荐", "进")]),
    ("从多放面推进法治建设。", [("多放面", "多方面", "放", "方")]),
    ("深入开展法治宣传教肓。", [("宣传教肓", "宣传教育", "肓", "育")]),
    ("健全依法决测机制。", [("依法决测", "依法决策", "测", "策")]),
    ("推进严格规范公正文明执发。", [("严格规范公正文明执发", "严格规范公正文明执法", "发", "法")]),
    ("强化行政执法监督，推进行政复义体制改革。", [("行政复义体制改革", "行政复议体制改革", "义", "议")]),
    # a three-character phrase: the slip at any of its places
    ("多渠到受理群众投诉。", [("多渠到", "多渠道", "到", "道")]),
    # the longest phrase that shows the slip
    ("推行执法全过成记录。", [("执法全过成记录", "执法全过程记录", "成", "程")]),
    ("按期办结律达到100%。", [("办结律", "办结率", "律", "率")]),
    # written right: nothing
    ("全面推进依法行政，完善行政裁量基准制度。", []),
    ("严格规范公正文明执法，持续深化放管服改革。", []),
    ("加强行政规范性文件备案审查。", []),
])
def test_near_misses_name_the_phrase_and_the_changed_character(text, expected):
    got = near_misses(text)
    assert [(m.written, m.phrase, m.wrong, m.right) for m in got] == expected
    for m in got:
        assert text[m.start:m.end] == m.written


def test_near_misses_respect_the_span_they_are_given():
    text = "全面推荐依法行政。全面推荐依法行政。"
    assert [m.start for m in near_misses(text)] == [2, 11]
    assert [m.start for m in near_misses(text, 9)] == [11]
    assert [m.start for m in near_misses(text, 0, 9)] == [2]


def test_near_misses_beyond_the_basic_plane_keep_their_places():
    # A character outside the BMP (an extension-B character, an emoji) has no class; the
    # slips after it are found at their own offsets.
    text = "𠀀👍全面推荐依法行政，𠀀营商环竟持续优化。"
    got = [(m.start, m.written, m.phrase) for m in near_misses(text)]
    assert got == [(4, "推荐依法行政", "推进依法行政"), (12, "营商环竟", "营商环境")]


@pytest.mark.parametrize("a,b,expected", [
    ("荐", "进", True),   # near pinyin (jian/jin)
    ("放", "方", True),   # same syllable, another tone
    ("未", "末", True),   # same four-corner code
    ("法", "人", False),
])
def test_confusable_characters(a, b, expected):
    assert confusable(a, b) is expected


def test_the_class_tables_decide_confusability_as_the_readings_and_codes_do():
    """TYP004 reads confusability from its class tables (no pinyin table at run time): for
    every character of its phrases against every GB 2312 character and a stride of the other
    CJK characters, the tables agree with :func:`confusable`, and two confusable characters
    always share a sound or a shape class (the projection finds every slip)."""
    import random

    from drafter.checker.nearmiss import _alike, phrase_index
    from drafter.text.shapes import gb2312_characters

    idx = phrase_index()
    t = idx.tables
    chars = sorted({c for p in idx.phrases for c in p})
    others = list(gb2312_characters()) + [chr(cp) for cp in range(0x4E00, 0xA000, 7)]
    rnd = random.Random(3)
    checked = agreed = 0
    for b in chars:
        for a in rnd.sample(others, 300) + list("荐放未的地制做市县"):
            expected = confusable(a, b)
            assert _alike(t, a, b) is expected, (a, b)
            if expected:
                assert t.sound[ord(a)] == t.sound[ord(b)] or t.form[ord(a)] == t.form[ord(b)]
                agreed += 1
            checked += 1
    assert checked > 100_000 and agreed > 1_000


@pytest.mark.parametrize("a,b,shape,sound", [
    ("未", "末", True, False),
    ("己", "已", True, False),
    ("放", "方", False, True),
    ("法", "人", False, False),
])
def test_shape_and_sound_tables(a, b, shape, sound):
    assert look_alike(a, b) is shape
    assert similar_sound(a, b) is sound


def test_the_four_corner_table_has_common_characters_and_nothing_for_others():
    assert four_corner("未") == four_corner("末") and four_corner("未")
    assert four_corner("A") is None and four_corner("，") is None


@pytest.mark.parametrize("text,expected", [
    ("高效率的推进审批改革。", [("高效率", "推进")]),
    ("系统性的梳理执法事项。", [("系统性", "梳理")]),
    ("依法、审慎的适用不予处罚规定。", [("依法、审慎", "适用")]),
    ("创造性的落实耕地保护制度。", [("创造性", "落实")]),
    # the object put first with 对/把, the verb ending the clause
    ("对排查出的矛盾纠纷精准、高效的化解，全年调处纠纷318件。", [("精准、高效", "化解")]),
    ("把矛盾纠纷系统性的梳理，建立台账。", [("系统性", "梳理")]),
    ("对上述问题作出及时、妥善的处置。", []),
    ("对群众诉求实行常态化的研究。", []),
    # 的 before a noun, a verb without an object, a clause of time
    ("建立有序的推进机制。", []),
    ("对执法事项进行系统性的梳理。", []),
    ("系统性的梳理后形成清单。", []),
])
def test_de_for_di_after_an_adverbial(text, expected):
    got = de_for_di(text)
    assert [(d.adverbial, d.verb) for d in got] == expected
    for d in got:
        assert text[d.at] == "的" and text[d.start:d.end].startswith(d.adverbial)


@pytest.mark.parametrize("text,expected", [
    ("全年共办理政府信息公开申请36件，按时办结率100%。在办理的39件申请中，依申请公开21件。",
     [(36, 39, "申请")]),
    ("全局现有在编干部72名。年内组织全局70名在编干部参加法治培训。", [(72, 70, "在编干部")]),
    ("全区登记在册的人力资源服务机构47家。对全区45家人力资源服务机构开展检查。",
     [(47, 45, "人力资源服务机构")]),
    ("全县持证执法人员66名。65名持证执法人员均参加了培训。", [(66, 65, "持证执法人员")]),
    # the same value, another thing, a part (新增), the same sentence
    ("全局现有在编干部72名。年内组织全局72名在编干部参加法治培训。", []),
    ("全年共办理政府信息公开申请36件。组织执法人员39名参加培训。", []),
    ("全年受理行政复议案件40件。其中新增30件复议案件。", []),
    ("全县持证执法人员66名，较上年增加6名，60名持证执法人员为上年留任。", []),
    # "V的 N X中" without 在/对: the verb of the first statement, the noun before 中
    ("全年审结行政复议案件58件。审结的85件行政复议案件中，维持42件。", [(58, 85, "行政复议案件")]),
    ("经排查确认安全隐患点214处。排查确认的241处安全隐患点中，已整改230处。",
     [(214, 241, "安全隐患点")]),
    # a qualifier, not the first statement's verb (涉企的 N 件: some of them); no 中
    ("全年审查规范性文件46件。涉企的5件规范性文件中，有2件作了修改。", []),
    ("全年审结行政复议案件58件。审结的8件行政复议案件涉及征地拆迁。", []),
    ("全年评查案卷发现问题57个。案卷评查发现的75个问题中，程序问题占多数。", [(57, 75, "问题")]),
    # a qualifier before the verb: some of them, not a restatement
    ("全年受理行政复议案件150件。下半年受理的80件行政复议案件中，维持52件。", []),
    ("全年检查企业300家。重点检查的80家企业中，发现问题12个。", []),
])
def test_restatements_in_another_word_order(text, expected):
    got = restatements(text, extract_quantities(text), set())
    assert [(r.first.value, r.later.value, r.noun) for r in got] == expected
    for r in got:
        assert text[r.end - len(r.noun):r.end] == r.noun


def test_restatements_leave_excluded_lines_alone():
    text = "全局现有在编干部72名。年内组织全局70名在编干部参加法治培训。"
    qs = extract_quantities(text)
    assert restatements(text, qs, {qs[-1].line}) == []


@pytest.mark.parametrize("fragment,classes", [
    ("对食品、药品、特种设备三类领域开展检查60家次，其中食品21家次、药品18家次、特种设备15家次。",
     ("食品", "药品", "特种设备")),
    ("全县村（居）法律顾问覆盖128个，其中村96个、社区30个。", ("村", "居")),
    ("全区街道、社区两级共设立人民调解委员会158个，其中街道调委会9个、社区调委会146个。", ("街道", "社区")),
    # not covering: the total names no classes, 等, a class left out, a count that disagrees, 主要
    ("检查企业60家，其中食品类21家、药品类18家、特种设备类15家。", None),
    ("对食品、药品、特种设备等领域开展检查60家次，其中食品21家次、药品18家次、特种设备15家次。", None),
    ("对食品、药品、特种设备三类领域开展检查60家次，其中食品21家次、药品18家次。", None),
    ("对食品、药品、特种设备两类领域开展检查60家次，其中食品21家次、药品18家次、特种设备15家次。", None),
    ("对食品、药品两类领域开展检查60家次，其中主要是食品21家次、药品18家次。", None),
])
def test_covered_classes(fragment, classes):
    report = case_report({"fragment": f"（二）严格执法。{fragment}"})
    found = breakdowns(report, quantities(report))
    assert len(found) == 1
    cov = covered_classes(report.text, found[0])
    assert (cov.classes if cov else None) == classes
    if cov:
        assert sorted(cov.matched) == sorted(cov.classes)
