"""The mandated items of the report — keys, the regulation's names, short labels — and the
cue words of causes: one home for the section vocabulary (data: ``data/sections.yaml``, with
its source). The keys are a contract (DESIGN.md): measures, shortcomings, leadership, plans,
other."""

from __future__ import annotations

import re
from functools import cache

from drafter.datafiles import load_data

KEYS: tuple[str, ...] = ("measures", "shortcomings", "leadership", "plans", "other")
MANDATED_KEYS: tuple[str, ...] = KEYS[:4]


@cache
def _sections() -> dict[str, dict[str, str]]:
    data = load_data("sections.yaml") or {}
    sections = data.get("sections") or {}
    if tuple(sections) != KEYS:  # the data may reword, never rename or reorder, the contract
        raise ValueError("data/sections.yaml: sections must be " + ", ".join(KEYS))
    return sections


def name(key: str) -> str:
    """The regulation's name of the item (党政主要负责人履行推进法治建设第一责任人职责情况)."""
    return str(_sections()[key]["name"])


def label(key: str) -> str:
    """The short label of the item (第一责任人履职情况); the key itself when unknown."""
    entry = _sections().get(key)
    return str(entry["label"]) if entry else key


def requires_causes(key: str) -> bool:
    """Whether the item must state causes as well (不足 and 原因)."""
    return bool(_sections().get(key, {}).get("requires_causes"))


def names() -> dict[str, str]:
    return {k: name(k) for k in KEYS}


def labels() -> dict[str, str]:
    return {k: label(k) for k in KEYS}


@cache
def cause_cues() -> re.Pattern[str]:
    """Words that state a cause (究其原因, 主要是, 由于 …), as one pattern."""
    cues = (load_data("sections.yaml") or {}).get("cause_cues") or []
    return re.compile("|".join(sorted(cues, key=len, reverse=True)))
