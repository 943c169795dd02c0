"""LLM-assisted review (``drafter check --llm``): the model proposes, drafter verifies.

- :mod:`~drafter.review.chunks` cuts a report into parts (opening, each level-1 section,
  ending), one request each;
- :mod:`~drafter.review.prompt` builds the messages from ``prompts/review/*.yaml``;
- :mod:`~drafter.review.reply` reads the reply's JSON object out of whatever wraps it;
- :mod:`~drafter.review.verify` checks every proposed finding against the text (exact quote,
  ambiguity, no-ops, duplicates of rule findings, protected titles, numbers and names,
  minimal and more plausible typo corrections — :mod:`~drafter.review.plausible`);
- :mod:`~drafter.review.runner` sends the requests concurrently through the drafting
  backend's client and turns what survives into findings LLM001–LLM005 (``source`` "llm").

Nothing here runs unless review is asked for: a check without ``--llm`` never imports it.
"""

from __future__ import annotations

from drafter.review.runner import ReviewResult, Reviewer, ReviewStats

__all__ = ["Reviewer", "ReviewResult", "ReviewStats"]
