"""Reading a model's review reply: the one JSON object of DESIGN.md, wherever it stands.

Real models wrap it: a ``<think>…</think>`` block before it (or only the closing
``</think>``, when the chat template opened the block), a ```json fence, a preface line
("以下是审核结果："), a closing remark after it, a ``//`` comment or a trailing comma inside
it. :func:`parse_reply` strips the reasoning first (a reasoning block may itself contain
``{"findings": …}``), then tries each fenced block and each ``{`` in turn, decoding the first
complete JSON value there and ignoring what follows. Only a string-aware clean-up is applied
to almost-JSON: comments and trailing commas outside strings are removed, nothing inside a
string is ever changed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

KINDS = ("typo", "law", "term", "logic", "style")
# Kinds as models also write them (Chinese words, near synonyms).
_KIND_ALIASES = {"错别字": "typo", "错字": "typo", "别字": "typo", "typos": "typo",
                 "spelling": "typo", "法规": "law", "法规名称": "law", "文件名称": "law",
                 "laws": "law", "术语": "term", "名称": "term", "name": "term", "terms": "term",
                 "逻辑": "logic", "fact": "logic", "文风": "style", "表述": "style",
                 "用词": "style", "wording": "style"}

_THINK_BLOCK = re.compile(r"<think>.*?</think>", re.S | re.I)
_THINK_CLOSE = re.compile(r"</think>", re.I)
_THINK_OPEN = re.compile(r"<think>", re.I)
_FENCE = re.compile(r"```[ \t]*(?:json|JSON|javascript|js)?[ \t]*\n(.*?)```", re.S)


@dataclass(frozen=True)
class Proposal:
    """One finding as the model proposed it (strings as given, not yet verified)."""

    quote: str
    problem: str
    suggestion: str
    kind: str  # one of KINDS, or "" when the model gave an unknown kind


@dataclass
class ParsedReply:
    """``proposals`` read from a reply; ``error`` (Chinese) when no findings object was found;
    ``malformed`` counts entries that were not a finding object with a quote."""

    proposals: list[Proposal]
    error: str | None = None
    malformed: int = 0


def strip_reasoning(text: str) -> str:
    """``text`` without the model's reasoning: ``<think>…</think>`` blocks, everything up to a
    lone closing ``</think>`` (the template opened the block), and an unclosed ``<think>`` to
    the end (the reply was cut off while reasoning)."""
    # Kept small on purpose: drafting's answer cleaning (drafter.backends) does the same job
    # for section text; this is the review reply's copy until both share one function.
    text = _THINK_BLOCK.sub("", text)
    closes = list(_THINK_CLOSE.finditer(text))
    if closes:
        text = text[closes[-1].end():]
    m = _THINK_OPEN.search(text)
    if m:
        text = text[:m.start()]
    return text


def clean_json(text: str) -> str:
    """Remove ``//`` and ``/* */`` comments and trailing commas (``,`` before ``}``/``]``) that
    stand outside JSON strings; text inside strings is copied unchanged."""
    out: list[str] = []
    i, n = 0, len(text)
    in_str = False
    while i < n:
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_str = False
            i += 1
            continue
        if c == '"':
            in_str = True
            out.append(c)
            i += 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif c == ",":
            j = i + 1
            while j < n and text[j] in " \t\r\n":
                j += 1
            if j < n and text[j] in "}]":
                i += 1  # a trailing comma: drop it
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _decode_at(text: str, start: int) -> Any:
    """The JSON value starting at ``text[start]`` (what follows it is ignored), else None."""
    dec = json.JSONDecoder()
    try:
        return dec.raw_decode(text, start)[0]
    except ValueError:
        pass
    # Almost-JSON: clean the rest and try again (comments and trailing commas only).
    try:
        return dec.raw_decode(clean_json(text[start:]))[0]
    except ValueError:
        return None


def _findings_of(value: Any) -> list[Any] | None:
    if isinstance(value, dict):
        for key in ("findings", "Findings", "问题", "issues"):
            if key in value:
                got = value[key]
                return got if isinstance(got, list) else [got] if isinstance(got, dict) else []
        if "quote" in value:  # one finding on its own
            return [value]
        return None
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return value
    return None


def _candidates(text: str) -> list[tuple[str, int]]:
    """(text, offset) pairs to decode from: fenced blocks first, then every ``{`` and ``[``."""
    out = [(m.group(1), 0) for m in _FENCE.finditer(text)]
    for i, c in enumerate(text):
        if c in "{[":
            out.append((text, i))
    return out


def _as_text(v: Any) -> str:
    if v is None:
        return ""
    return v if isinstance(v, str) else str(v)


def parse_reply(text: str | None) -> ParsedReply:
    """The proposals in a model's reply (see the module docstring)."""
    body = strip_reasoning(text or "").strip()
    if not body:
        return ParsedReply([], "回复为空（或只有思考内容）")
    for chunk, start in _candidates(body):
        start = start if chunk is body else len(chunk) - len(chunk.lstrip())
        items = _findings_of(_decode_at(chunk, start))
        if items is None:
            continue
        proposals, bad = [], 0
        for item in items:
            if not isinstance(item, dict) or not _as_text(item.get("quote")).strip():
                bad += 1
                continue
            kind = _as_text(item.get("kind")).strip().lower()
            kind = kind if kind in KINDS else _KIND_ALIASES.get(kind, "")
            proposals.append(Proposal(quote=_as_text(item.get("quote")),
                                      problem=_as_text(item.get("problem")).strip(),
                                      suggestion=_as_text(item.get("suggestion")),
                                      kind=kind))
        return ParsedReply(proposals, None, bad)
    return ParsedReply([], "回复中没有可解析的 JSON 对象（findings）")
