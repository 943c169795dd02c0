"""The regex prefilter (drafter/text/prefilter.py): skipping a scan never loses a match.

Property: for every pattern and text, a match implies ``may_match``. Texts are drawn from the
pattern's own characters (so matches are frequent) plus common report characters.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafter.text.prefilter import prefilter

SYNTHETIC = [
    r"_{3,}|＿{2,}", r"(?:……|…|\.{3,}|。{3,}|···)\s*(?:人次|件)", r"某某(?=某*(?:年|月))",
    r"(?<![A-Za-z])(?:TODO|TBD)(?![A-Za-z])", r"[【\[（(]\s*(?:待(?:补充|定)|此处)[^】\]）)\n]{0,5}[】\]）)]",
    r"(?:《[^《》\n]{1,8}》、)+《[^《》\n]{1,8}》", r"a(?:b|c)+d?", r"(?i)todo", r"x*", r"[^a]b",
    r"(ab)\1", r"(?:ab){2,3}c", r"a{0}b", r"[0-9]{2}年", r"(?s).{2}号",
]


def _patterns() -> list[str]:
    from drafter.checker.rules.punctuation import _ADJACENT, DOC_NUMBER
    from drafter.report.info import YEAR_RE
    from drafter.text.numbers import _QTY_RE
    from drafter.text.placeholders import placeholder_patterns

    out = [p.regex.pattern for p in placeholder_patterns()]
    return out + [_ADJACENT.pattern, DOC_NUMBER.pattern, YEAR_RE.pattern, _QTY_RE.pattern, *SYNTHETIC]


PATTERNS = _patterns()
FILLER = "年月日号件人次的和、，。《》“”（）【】 \n2023一二XxT×某待此"


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_text_the_pattern_matches_always_passes_the_prefilter(pattern, data):
    alphabet = sorted(set(pattern + FILLER))
    text = data.draw(st.text(alphabet=alphabet, max_size=40))
    compiled = re.compile(pattern)
    if compiled.search(text):
        assert prefilter(compiled).may_match(text), (pattern, text)


@pytest.mark.parametrize("pattern, needs", [
    (r"_{3,}|＿{2,}", [{"___", "＿＿"}]),
    (r"某某(?=某*(?:年|月))", [{"某某"}]),
    (r"(?:……|…|\.{3,}|。{3,})\s*件", [{"件"}, {"……", "…", "...", "。。。"}]),
    (r"(?i)todo", []),  # case-insensitive: no condition, always scanned
    (r"x*", []),  # matches the empty string: no condition
    (r"[^a]b", [{"b"}]),
])
def test_conditions_read_from_the_pattern(pattern, needs):
    assert [set(s) for s in prefilter(pattern).sets] == needs


def test_a_text_without_the_needed_strings_is_skipped():
    f = prefilter(r"(?<![A-Za-z])(?:TODO|TBD|FIXME)(?![A-Za-z])")
    assert not f.may_match("全年共办理案件30件。")
    assert f.may_match("此处 TODO 补充")
