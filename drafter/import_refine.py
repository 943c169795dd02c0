"""``drafter corpus add --llm``: a chat model proposes better metric labels and item boundaries
for a report read offline (:mod:`drafter.corpus.extract`); only what the report itself says
survives — the same rule as drafting's grounding.

- A label is kept when every word of it (jieba content words) stands in the line the figure
  was read from, and it does not repeat the figure.
- A split of an item without subheadings is kept when its sentence numbers run 0, … upwards
  within the item and every word of each new title stands in the item's own text.

Everything else is dropped and counted in ``imported.notes``. A model that cannot be reached
or answers nonsense leaves the offline extraction as it was (noted, not an error); a missing
endpoint configuration is a ConfigError (exit 2) before anything is read.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from drafter.backends.llm_client import CallFailed, Client, Endpoint, endpoint_from_env
from drafter.prompts import load_prompt

if TYPE_CHECKING:  # pragma: no cover
    from drafter.corpus.extract import Extraction
    from drafter.report import Report

MAX_LABEL = 40
MAX_TITLE = 30
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class Refiner:
    """Calls the model for one report at a time (``__call__(report, extraction)``)."""

    endpoint: Endpoint

    @classmethod
    def from_env(cls, model: str | None = None, env: dict[str, str] | None = None) -> "Refiner":
        """ConfigError (exit 2) when the endpoint or httpx (the [llm] extra) is missing."""
        from drafter.errors import ConfigError

        import importlib.util

        endpoint = endpoint_from_env(model, env)
        if importlib.util.find_spec("httpx") is None:
            raise ConfigError("--llm 所需的依赖未安装（httpx）",
                              '请运行 pip install "drafter[llm]"，或不加 --llm 离线导入')
        return cls(endpoint)

    def __call__(self, report: "Report", ex: "Extraction") -> None:
        messages = _messages(report, ex)
        if messages is None:
            return
        try:
            reply = asyncio.run(_ask(self.endpoint, messages))
        except CallFailed as e:
            ex.notes.append(f"大模型改进未完成（{e.reason}），保留离线读出的结果")
            return
        proposal = parse_object(reply)
        if proposal is None:
            ex.notes.append("大模型的回答不是有效的 JSON，保留离线读出的结果")
            return
        apply(report, ex, proposal)


async def _ask(endpoint: Endpoint, messages: list[tuple[str, str]]) -> str:
    # The client speaks to the endpoint only (httpx, no tracing library loaded): the report
    # text goes nowhere else, whatever the environment says.
    async with Client(endpoint) as client:
        return (await client.complete(messages)).text


def _messages(report: "Report", ex: "Extraction") -> list[tuple[str, str]] | None:
    metrics = ex.data.get("metrics", [])
    loose = [(k, i, ex.data["sections"][k][i]) for k, i in ex.loose if len(ex.data["sections"][k][i]["facts"]) > 1]
    if not metrics and not loose:
        return None
    lines = sorted({_line(m) for m in metrics} | {_line(it) for _k, _i, it in loose} - {None})
    text = {p.line: p.text for p in report.paragraphs}
    prompt = load_prompt("corpus", "refine")
    user = prompt.text(
        "user",
        lines="\n".join(f"{n}: {text.get(n, '')}" for n in lines),
        metrics="\n".join(f"{m['id']} | 第{_line(m)}行 | {m['value']:g}{m['unit']} | {m['label']}"
                          for m in metrics) or "（无）",
        items="\n".join(f"{k}#{i} | {it['title']} | " + " ".join(f"[{n}]{s}" for n, s in enumerate(it["facts"]))
                        for k, i, it in loose) or "（无）")
    return [("system", prompt.text("system")), ("user", user)]


def _line(entry: dict[str, Any]) -> int | None:
    m = re.fullmatch(r"report, line (\d+)", str(entry.get("source") or ""))
    return int(m.group(1)) if m else None


def parse_object(reply: str) -> dict[str, Any] | None:
    """The JSON object of a reply: bare, in a ```json fence, or after a <think> block."""
    text = re.sub(r"<think>.*?</think>", "", reply or "", flags=re.S).strip()
    fence = re.search(r"```(?:json)?\s*(\{.*?\})\s*```", text, re.S)
    if fence:
        text = fence.group(1)
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        return None
    try:
        data = json.loads(text[start:end + 1])
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def grounded(words_of: str, source: str) -> bool:
    """Whether every content word of ``words_of`` stands in ``source``."""
    from drafter.text.segment import tokenize

    words = tokenize(words_of)
    return bool(words) and all(w in source for w in words) and all(
        d in source for d in _DIGITS.findall(words_of))


def apply(report: "Report", ex: "Extraction", proposal: dict[str, Any]) -> None:
    """Keep the grounded proposals (a label the facts file would refuse — 名 counting an
    意见, a 率 over 100 % — is dropped); note what was kept and dropped."""
    from drafter.facts.validate import value_problems

    text = {p.line: p.text for p in report.paragraphs}
    metrics = {m["id"]: m for m in ex.data.get("metrics", [])}
    kept = dropped = 0
    for entry in _list(proposal.get("labels")):
        m = metrics.get(str(entry.get("id"))) if isinstance(entry, dict) else None
        label = str(entry.get("label") or "").strip() if isinstance(entry, dict) else ""
        if m is None or not label or label == m["label"]:
            continue
        line = text.get(_line(m) or 0, "")
        if (len(label) <= MAX_LABEL and grounded(label, line)
                and f"{m['value']:g}" not in _DIGITS.findall(label)
                and not value_problems(label, m["value"], str(m.get("unit") or ""))):
            m["label"] = label
            kept += 1
        else:
            dropped += 1
    split_kept, split_dropped = _splits(ex, _list(proposal.get("items")))
    if kept or dropped or split_kept or split_dropped:
        ex.notes.append(f"大模型改进：采用{kept}个指标名称、{split_kept}处事项划分；"
                        f"舍弃{dropped + split_dropped}处（原文中找不到或不合要求）")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _splits(ex: "Extraction", proposals: list[Any]) -> tuple[int, int]:
    sections = ex.data.get("sections", {})
    loose = set(ex.loose)
    todo: list[tuple[str, int, list[tuple[str, int]]]] = []
    dropped = 0
    for entry in proposals:
        if not isinstance(entry, dict):
            continue
        key, _, idx = str(entry.get("item", "")).partition("#")
        if not idx.isdigit() or (key, int(idx)) not in loose or any(t[:2] == (key, int(idx)) for t in todo):
            dropped += 1
            continue
        item = sections[key][int(idx)]
        parts = [(str(p.get("title") or "").strip(), p.get("from")) for p in _list(entry.get("split"))
                 if isinstance(p, dict)]
        source = item["title"] + "".join(item["facts"])
        starts = [f for _t, f in parts]
        if (len(parts) < 2 or not all(isinstance(f, int) for f in starts) or starts[0] != 0
                or starts != sorted(set(starts)) or starts[-1] >= len(item["facts"])
                or not all(t and len(t) <= MAX_TITLE and grounded(t, source) for t, _f in parts)):
            dropped += 1
            continue
        todo.append((key, int(idx), parts))
    for key, idx, parts in sorted(todo, key=lambda t: (t[0], -t[1])):  # later items first
        item = sections[key][idx]
        bounds = [f for _t, f in parts] + [len(item["facts"])]
        new = [{**item, "title": t, "facts": item["facts"][a:b]}
               for (t, a), b in zip(parts, bounds[1:])]
        sections[key][idx:idx + 1] = new
    return len(todo), dropped
