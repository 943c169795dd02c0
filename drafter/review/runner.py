"""Running LLM-assisted review: every part of every report is one request, sent
concurrently (at most ``concurrency`` at a time) through the drafting backend's client —
the same endpoint variables, timeouts, retries within one deadline, key masking and
response cache (keyed by the messages, that is the part's text and the prompt, the model
and the prompt version). Each reply is parsed (:mod:`drafter.review.reply`), each proposal
verified (:mod:`drafter.review.verify`), and what survives becomes a finding of
LLM001–LLM005 with ``source`` "llm".

A part whose request fails (timeout, deadline, garbage) is named in the statistics and
yields no finding; an endpoint that refuses every request (bad key, wrong address or model)
stops the run with a BackendError (exit 2).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from drafter.review.verify import DOWNGRADES, KIND_RULES, REASONS, Verdict, Verifier, normalise

if TYPE_CHECKING:  # pragma: no cover
    from drafter.backends.llm_client import Client, Endpoint
    from drafter.checker import Finding
    from drafter.report import Report
    from drafter.review.chunks import Chunk

# Parts of one run asked at the same time. A report has about ten parts, each a short
# request: all of them at once keeps a whole check near one request's latency.
DEFAULT_CONCURRENCY = 12
JSON_MODE = {"type": "json_object"}
MESSAGE_CHARS = 200  # a model's problem text is cut to this length in a finding


@dataclass
class ReviewStats:
    """What a review cost and what became of the model's proposals (one report or a run)."""

    parts: int = 0
    requests: int = 0  # HTTP requests sent (retries included; cache hits send none)
    cached: int = 0  # parts answered from the cache
    prompt_tokens: int = 0  # of the requests sent (the server's usage figures)
    completion_tokens: int = 0
    proposed: int = 0
    kept: int = 0  # placed as proposed (warning or the rule's level)
    downgraded: int = 0  # placed as a hint (typo not minimal or not supported)
    dropped: dict[str, int] = field(default_factory=dict)  # reason -> count
    failed: list[str] = field(default_factory=list)  # "s2：请求超时"

    def add(self, other: "ReviewStats") -> None:
        for name in ("parts", "requests", "cached", "prompt_tokens", "completion_tokens",
                     "proposed", "kept", "downgraded"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for k, v in other.dropped.items():
            self.dropped[k] = self.dropped.get(k, 0) + v
        self.failed += other.failed

    def to_json(self) -> dict[str, Any]:
        return {"parts": self.parts, "requests": self.requests, "cached": self.cached,
                "prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "proposed": self.proposed, "kept": self.kept, "downgraded": self.downgraded,
                "dropped": {k: self.dropped[k] for k in REASONS if k in self.dropped},
                "failed": list(self.failed)}


@dataclass
class ReviewResult:
    """One report's review: the kept ``findings`` (source "llm"), every verdict with its
    part (for evaluations), and the statistics."""

    findings: list["Finding"]
    verdicts: list[tuple["Chunk", Verdict]]
    stats: ReviewStats


@dataclass
class _Part:
    index: int  # which report
    chunk: "Chunk"
    messages: list[tuple[str, str]]
    reply: str | None = None
    error: str | None = None
    requests: int = 0
    cached: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0


class Reviewer:
    """Reviews reports with a model: ``Reviewer(endpoint).review([(report, rule_findings)])``.

    ``rules`` are the LLM rule codes to report (proposals of other kinds are verified but
    left out of the findings and the counts); ``people`` are names from the facts that typo
    corrections must not touch; ``cache`` and ``cache_dir`` as in drafting (default
    ``$DRAFTER_CACHE_DIR`` or ``~/.cache/drafter/llm``).
    """

    def __init__(self, endpoint: "Endpoint", *, rules: set[str] | None = None,
                 people: tuple[str, ...] = (), concurrency: int = DEFAULT_CONCURRENCY,
                 cache: bool = True, cache_dir: str | None = None) -> None:
        from drafter.backends.cache import ResponseCache

        self.endpoint = endpoint
        self.rules = set(KIND_RULES.values()) if rules is None else set(rules)
        self.people = people
        self.concurrency = max(1, concurrency)
        self.cache = ResponseCache(cache_dir) if cache else None

    def review(self, items: list[tuple["Report", list["Finding"]]]) -> list[ReviewResult]:
        """Review every report with its rule findings; results in the same order."""
        from drafter.review.chunks import chunks
        from drafter.review.prompt import messages, report_facts

        parts: list[_Part] = []
        for i, (report, findings) in enumerate(items):
            info = report_facts(report)
            parts += [_Part(i, c, messages(info, c, findings)) for c in chunks(report)]
        if parts:
            asyncio.run(self._ask_all(parts))
        return [self._verify(report, findings, [p for p in parts if p.index == i])
                for i, (report, findings) in enumerate(items)]

    # -- the requests ----------------------------------------------------------------------
    async def _ask_all(self, parts: list[_Part]) -> None:
        from drafter.backends.llm_client import CallFailed, Client, fatal
        from drafter.review.prompt import prompt_version

        client = Client(self.endpoint, self.cache)
        key_extra = {"review_prompt": prompt_version()}
        todo = []
        for part in parts:  # answered from the cache: no connection, no client library
            hit = client.cached(part.messages, key_extra)
            if hit is None:
                todo.append(part)
            else:
                part.reply, part.cached = hit.text, True
        if not todo:
            return
        sem = asyncio.Semaphore(self.concurrency)
        async with client:
            try:
                async with asyncio.TaskGroup() as tg:
                    for part in todo:
                        tg.create_task(self._ask(sem, client, part, key_extra))
            except* CallFailed as group:
                raise fatal(group.exceptions[0].reason, self.endpoint) from None

    async def _ask(self, sem: asyncio.Semaphore, client: "Client", part: _Part,
                   key_extra: dict[str, str]) -> None:
        from drafter.backends.llm_client import CallFailed

        retries = 0

        def note(_msg: str) -> None:
            nonlocal retries
            retries += 1

        async with sem:
            try:
                c = await client.complete(part.messages, on_status=note,
                                          response_format=JSON_MODE,
                                          key_extra=key_extra)
            except CallFailed as e:
                if e.fatal:
                    raise
                part.requests, part.error = 1 + retries, e.reason
                return
        part.reply, part.cached = c.text, c.cached
        part.requests = 0 if c.cached else 1 + retries
        if not c.cached:
            part.prompt_tokens = c.prompt_tokens or 0
            part.completion_tokens = c.completion_tokens or 0
        if c.truncated:
            part.error = "回复达到长度上限被截断"

    # -- verification ----------------------------------------------------------------------
    def _verify(self, report: "Report", findings: list["Finding"],
                parts: list[_Part]) -> ReviewResult:
        from drafter.review.reply import parse_reply

        stats = ReviewStats(parts=len(parts))
        verifier = Verifier(report, findings, self.people)
        verdicts: list[tuple["Chunk", Verdict]] = []
        for part in parts:
            stats.requests += part.requests
            stats.cached += part.cached
            stats.prompt_tokens += part.prompt_tokens
            stats.completion_tokens += part.completion_tokens
            parsed = parse_reply(part.reply) if part.reply is not None else None
            if part.error and (parsed is None or not parsed.proposals):
                stats.failed.append(f"{part.chunk.id}：{part.error}")
                continue
            if parsed is None or parsed.error:
                stats.failed.append(f"{part.chunk.id}：{parsed.error if parsed else '没有回复'}")
                continue
            for v in verifier.verify(part.chunk, parsed.proposals):
                verdicts.append((part.chunk, v))
            if parsed.malformed:
                stats.dropped["malformed"] = stats.dropped.get("malformed", 0) + parsed.malformed
                stats.proposed += parsed.malformed
        out: list["Finding"] = []
        for chunk, v in verdicts:
            rule = KIND_RULES.get(v.proposal.kind)
            if rule is not None and rule not in self.rules:
                continue  # --ignore LLM005: not asked for, not counted
            stats.proposed += 1
            if v.action == "drop":
                stats.dropped[v.reason or "malformed"] = stats.dropped.get(v.reason or "malformed", 0) + 1
                continue
            stats.kept += v.action == "keep"
            stats.downgraded += v.action == "info"
            out += to_findings(report, v)
        return ReviewResult(out, verdicts, stats)


def to_findings(report: "Report", v: Verdict) -> list["Finding"]:
    """The findings of a kept verdict, one per place (never error severity)."""
    from drafter.checker import Finding, get_rule

    p = v.proposal
    r = get_rule(KIND_RULES[p.kind])
    if r is None:  # the five codes are registered by drafter.checker.rules.llm
        raise RuntimeError(f"rule {KIND_RULES[p.kind]} is not registered")
    # A model's finding is never an error, whatever the rule's level says.
    severity = "info" if v.action == "info" else ("warning" if r.severity == "error" else r.severity)
    message = " ".join(p.problem.split()) or r.summary
    if len(message) > MESSAGE_CHARS:
        message = message[:MESSAGE_CHARS - 1] + "…"
    if v.reason in DOWNGRADES:
        message += f"（drafter 核对：{v.why or REASONS[v.reason]}，请人工判断）"
    elif p.kind == "law":
        message += "（模型意见，请核实）"
    suggestion = normalise(p.suggestion) or None
    out = []
    for start, end in v.spans:
        line, col = report.locate(start)
        out.append(Finding(rule=r.id, name=r.name, category=r.category, severity=severity,
                           message=message, line=line, column=col, quote=report.text[start:end],
                           suggestion=suggestion, section=None, start=start, end=end,
                           source="llm"))
    return out
