"""Regenerate ``drafter/checker/data/phrases_mined.txt``: frequent collocations of the genre,
mined from reports we wrote (clean reports only, never the held-out part of an evaluation
set), for the near-miss typo rule TYP004.

A collocation is a run of 2–4 jieba words, 4–8 Chinese characters, that occurs in at least
``MIN_DOCS`` different reports, starts and ends with a word of two characters or more and
neither starts nor ends with a function word::

    python -m evaluations.mine_phrases
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "drafter" / "checker" / "data" / "phrases_mined.txt"
MIN_DOCS = 3
MIN_CHARS, MAX_CHARS = 4, 8
FUNCTION = set("的了和与及或在是对把被从向于以为将并而且也都还又就所着过之其该各等")
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


def sources() -> list[Path]:
    """The clean reports the phrases are mined from (no held-out report)."""
    import yaml

    out = []
    for folder in ("evaluations/cases/reports", "evaluations/cases/published"):
        for lab in sorted((ROOT / folder).glob("*.labels.yaml")):
            meta = yaml.safe_load(lab.read_text(encoding="utf-8")) or {}
            if not meta.get("clean") or meta.get("split") == "holdout":
                continue
            stem = lab.name.removesuffix(".labels.yaml")
            out += [p for p in (lab.with_name(stem + ".txt"), lab.with_name(stem + ".md")) if p.exists()]
    out += sorted(ROOT.glob("corpus/*/*/report.txt"))
    return out


def mine(paths: list[Path]) -> list[str]:
    from drafter.text.segment import cut

    docs: Counter[str] = Counter()
    for p in paths:
        seen: set[str] = set()
        for chunk in re.split(r"[^\u4e00-\u9fff]+", p.read_text(encoding="utf-8")):
            words = cut(chunk) if chunk else []
            for i in range(len(words)):
                for n in (2, 3, 4):
                    ws = words[i:i + n]
                    if len(ws) < n:
                        break
                    g = "".join(ws)
                    # Content words at both ends: "合法性审核后" is no collocation.
                    if (MIN_CHARS <= len(g) <= MAX_CHARS and _CJK.match(g)
                            and len(ws[0]) >= 2 and len(ws[-1]) >= 2
                            and g[0] not in FUNCTION and g[-1] not in FUNCTION):
                        seen.add(g)
        docs.update(seen)
    return sorted(g for g, n in docs.items() if n >= MIN_DOCS)


def main() -> int:
    paths = sources()
    phrases = mine(paths)
    header = ("# Collocations mined from the clean fictional reports of this repository "
              f"({len(paths)} reports: evaluations/cases/reports, the development part of\n"
              "# evaluations/cases/published, corpus/*/*/report.txt): runs of 2-4 jieba words, "
              f"{MIN_CHARS}-{MAX_CHARS} characters, in at least {MIN_DOCS} reports, "
              "words of 2+ characters at both ends.\n"
              "# source: mined by `python -m evaluations.mine_phrases`; used by TYP004 "
              "(drafter/checker/nearmiss.py).\n")
    OUT.write_text(header + "\n".join(phrases) + "\n", encoding="utf-8")
    print(f"{len(phrases)} phrases from {len(paths)} reports written to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
