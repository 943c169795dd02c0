"""The review's lines in ``drafter check --format text``: what was sent, what it cost, and
what became of the model's proposals (kept, hints, dropped by reason)."""

from __future__ import annotations

from typing import Any

from drafter.review.verify import REASONS


def summary_lines(results: list[Any]) -> list[str]:
    """Chinese lines summarising the LLM review of ``results`` (FileResults); none without
    review."""
    from drafter.checker.output import review_totals

    reviews = [(r.path, r.review) for r in results if getattr(r, "review", None) is not None]
    if not reviews:
        return []
    t = review_totals(reviews)
    tokens = (f"输入 {t.get('prompt_tokens', 0)} 个、输出 {t.get('completion_tokens', 0)} 个 token"
              if t.get("requests") else "未发出请求")
    lines = [f"大模型辅助审核：{t.get('parts', 0)} 个片段，请求 {t.get('requests', 0)} 次"
             f"（缓存命中 {t.get('cached', 0)} 个片段），{tokens}；"
             f"模型提出 {t.get('proposed', 0)} 条，保留 {t.get('kept', 0)} 条，"
             f"降为提示 {t.get('downgraded', 0)} 条，丢弃 {sum(t['dropped'].values())} 条"]
    if t["dropped"]:
        lines.append("  丢弃原因：" + "，".join(f"{REASONS.get(k, k)} {n}" for k, n in t["dropped"].items()))
    if t["failed"]:
        lines.append("  未完成的片段：" + "；".join(t["failed"]))
    return lines
