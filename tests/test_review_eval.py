"""The review evaluation runs end to end: recorded replies routed to the right part of the
right report, every proposal read, verdicts compared, figures rendered."""

from __future__ import annotations

import pytest

pytest.importorskip("httpx")

from evaluations import review_eval  # noqa: E402


@pytest.mark.parametrize("name", ["recorded", "heldout"])
def test_every_recorded_reply_is_served_read_and_judged(name):
    cases = review_eval.load(review_eval.SETS[name])[:2]
    res = review_eval.evaluate(name, cases)
    expected = sum(len(p.expected) for c in cases for p in c.parts.values())
    assert res.parts == sum(len(c.parts) for c in cases) == res.requests
    assert res.proposals == expected and not res.failed
    assert res.invented and res.invented_dropped == res.invented
    assert res.kept_true <= res.kept and 0 < res.precision <= 1
    text = review_eval.render({"sets": {name: res}, "variants": {}, "speed": review_eval.Speed(
        "x.txt", 1, 1.0, error="未运行")})
    assert f"| {res.reports} / {res.parts} / {res.proposals} |" in text


def test_a_server_refusing_json_mode_is_answered_in_plain_prompting():
    cases = review_eval.load(review_eval.SETS["recorded"])[:1]
    plain = review_eval.evaluate("recorded", cases, reject_format=True, stream=False)
    default = review_eval.evaluate("recorded", cases)
    assert plain.kept_keys == default.kept_keys and plain.requests > default.requests
