"""Side-by-side pages for the prose evaluation: for each sample, the facts as the staff wrote
them (left) beside the paragraphs the template drafted from them (right), item by item.

Written as Markdown (tables render on any Git host and in any editor) to
``evaluations/prose/<unit>-<year>.md`` by ``python -m evaluations --write-results`` and
``python -m evaluations.prose_eval --pages``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_NUMBERED = re.compile(r"^（([一二三四五六七八九十]{1,3})）")
_CN = "一二三四五六七八九十"


def page_name(facts_path: Path) -> str:
    """corpus/<unit>/<year>/facts.yaml → <unit>-<year>.md; another file → <stem>.md."""
    parts = facts_path.parts
    if len(parts) >= 3 and parts[-1] == "facts.yaml" and parts[-2].isdigit():
        return f"{parts[-3]}-{parts[-2]}.md"
    return f"{facts_path.stem}.md"


def _cn_number(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN.index(s[1]) + 1
    if len(s) == 3:
        return (_CN.index(s[0]) + 1) * 10 + _CN.index(s[2]) + 1
    if len(s) == 2:
        return (_CN.index(s[0]) + 1) * 10
    return _CN.index(s) + 1


def _cell(lines: list[str]) -> str:
    return "<br>".join(x.replace("<", "&lt;").replace("|", "\\|") for x in lines if x) or " "


def _facts_lines(key: str, item: Any) -> list[str]:
    """An item of the facts file, as written (placeholders kept)."""
    from drafter.facts.model import text_of

    if key == "shortcomings":
        out = [f"**{item.title}**"] if item.title else []
        out.append(f"不足：{item.problem}")
        out += [f"原因：{text_of(c)}" for c in item.causes] or ["原因：（空）"]
        return out
    out = [f"**{item.title}**"]
    out += [f"· {text_of(s)}" for s in item.facts]
    refs = [m if isinstance(m, str) else f"{m.label}（{m.value}{m.unit}）" for m in item.metrics]
    if refs:
        out.append("列出的指标：" + "、".join(refs))
    if item.outcome:
        out.append(f"成效（outcome）：{item.outcome}")
    return out


def _chunks(paragraphs: list[str]) -> dict[int, list[str]]:
    """Drafted paragraphs by item number (0: before the first （一）)."""
    out: dict[int, list[str]] = {0: []}
    current = 0
    for p in paragraphs:
        m = _NUMBERED.match(p)
        if m:
            current = _cn_number(m.group(1))
        out.setdefault(current, []).append(p)
    return out


def page(facts_path: Path, result: Any, metrics_row: str) -> str:
    from drafter.facts import load_facts

    facts = load_facts(facts_path)
    report, plan = result.report, result.plan
    lines = [f"# 事实 → 草稿：{facts.unit.name} {facts.year}年度",
             "",
             f"事实文件：`{metrics_row.split(' | ')[0].lstrip('| ')}`。由 `python -m evaluations --write-results`"
             "（或 `python -m evaluations.prose_eval --pages`）生成：左栏是事实文件中的写法（{编号} 原样保留），"
             "右栏是默认离线模板（`--backend template`）起草的段落。",
             "",
             "| 段首重复（全文/单部分最多） | 衔接词（未合关系） | 列举 | 句长（中位/P90/最长） | "
             "字数/事实字数 | 成效写入 | 文号先题名 | 量词误用 | 用时（秒） | 达标 |",
             "|---|---|---|---|---|---|---|---|---|---|",
             "| " + metrics_row.split(" | ", 1)[1],
             ""]
    if facts.documents:
        lines += ["引用的文件（documents）：", ""]
        lines += [f"- `{{{d.id}}}` → {d.issuer or ''}《{d.title}》" + (f"（{d.number}）" if d.number else "")
                  for d in facts.documents]
        lines.append("")
    lines += ["## 导语", "", *[p.text for p in report.lead], ""]
    for spec in plan.sections:
        lines += [f"## {spec.numbered_heading}", "", "| 事实 | 草稿 |", "|---|---|"]
        items = facts.sections.items(spec.key)
        chunks = _chunks(result.sections.get(spec.key, []))
        numbered = sorted(k for k in chunks if k)
        if numbered == list(range(1, len(items) + 1)):
            if chunks[0]:
                lines.append(f"| （引言） | {_cell(chunks[0])} |")
            for n in numbered:
                lines.append(f"| {_cell(_facts_lines(spec.key, items[n - 1]))} | {_cell(chunks[n])} |")
        else:
            left = [x for it in items for x in _facts_lines(spec.key, it)] or ["（无事实：待补充）"]
            right = [p for k in sorted(chunks) for p in chunks[k]]
            lines.append(f"| {_cell(left)} | {_cell(right)} |")
        lines.append("")
    return "\n".join(lines)


def write_pages(drafted: list[tuple[Path, Any, Any]], folder: Path) -> list[Path]:
    """One page per (facts path, result, metrics) into ``folder`` (replaced each run)."""
    from drafter.io import atomic_write_text
    from evaluations.prose_eval import render

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for path, result, m in drafted:
        row = render([m]).splitlines()[-1]
        out = folder / page_name(path)
        atomic_write_text(out, page(path, result, row), force=True)
        written.append(out)
    return written
