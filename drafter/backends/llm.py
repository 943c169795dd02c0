"""The LLM backend (``drafter draft --backend llm``): each section written by a model behind
an OpenAI-compatible endpoint, checked by the pipeline's grounding stage
(:class:`drafter.grounding.SectionGrounding`) before it is accepted.

Per section: the prompt (``prompts/llm/``) → the model → grounding. A text that fails gets
one repair round that lists exactly what to fix; if the repaired text fails too, or the
endpoint cannot answer for that section, the section is drafted by the template backend
instead, and the run report says so and why. A section without facts (or a shortcoming
without causes) goes to the template directly: it drafts the visible 【待补充】 marker.

The sections are drafted concurrently (``concurrency`` at a time) in one event loop, so a
report takes about one section's latency; progress is reported as events
(:class:`drafter.backends.base.DraftEvents`: text received, retries, repair, outcome). When no section could reach the endpoint at all, or the endpoint refuses the key,
address or model, the run ends with :class:`BackendError` (exit 2) before anything is written.

``--run-dir`` receives ``llm/NN-key.json`` per section (messages, responses, tokens, latency,
grounding verdicts) and ``llm/run.json`` (endpoint without credentials, calls, timings).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.backends.base import Backend, DraftEvents
from drafter.backends.llm_client import CallFailed, Client, Endpoint, endpoint_from_env, fatal

if TYPE_CHECKING:  # pragma: no cover
    from typing import Mapping

    from drafter.grounding import SectionGrounding
    from drafter.plan import SectionSpec

# One slot per section key (measures, shortcomings, leadership, plans, other): a whole report
# costs about one section's latency. The issue suggested 4; with 5 sections that means two waves.
DEFAULT_CONCURRENCY = 5
STATUS_TEXT = {"accepted": "通过", "repaired": "修正后通过", "fallback": "改用模板",
               "template": "使用模板"}


@dataclass
class Round:
    """One request/response of a section: ``kind`` is ``draft`` or ``repair``."""

    kind: str
    messages: list[dict[str, str]]
    response: str | None = None
    latency_s: float | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    characters: int = 0
    cached: bool = False
    faults: list[str] = field(default_factory=list)
    error: str | None = None
    verdict: dict[str, Any] | None = None


@dataclass
class SectionOutcome:
    key: str
    heading: str
    status: str = "accepted"  # accepted | repaired | fallback | template
    reason: str | None = None
    rounds: list[Round] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def reached(self) -> bool:
        """Whether the endpoint answered at least once for this section."""
        return any(r.response is not None for r in self.rounds)

    def line(self) -> str:
        text = f"{self.heading}：{STATUS_TEXT[self.status]}"
        if self.status == "repaired":
            first = next((r.verdict for r in self.rounds if r.verdict and not r.verdict["ok"]), None)
            if first:
                text += "（初稿问题：" + _problems_text(first) + "）"
        elif self.reason:
            text += f"（{self.reason}）"
        return text


def _problems_text(verdict: dict[str, Any], limit: int = 3) -> str:
    msgs = [p["message"].split("：")[0] for p in verdict["problems"]]
    more = f" 等 {len(msgs)} 处" if len(msgs) > limit else ""
    return "；".join(msgs[:limit]) + more


class LLMBackend(Backend):
    """Drafts sections with a chat model; see the module docstring."""

    name = "llm"
    uses_exemplars = True
    concurrent = True
    repairs = True

    def __init__(self, model: str | None = None, concurrency: int = DEFAULT_CONCURRENCY,
                 cache: bool = True, run_dir: str | Path | None = None, stream: bool | None = None,
                 env: dict[str, str] | None = None,
                 cache_dir: str | Path | None = None) -> None:
        from drafter.backends.cache import ResponseCache
        from drafter.errors import ConfigError

        self.endpoint: Endpoint = endpoint_from_env(model, env, stream)
        if concurrency < 1:
            raise ConfigError(f"--concurrency 应为正整数（当前为 {concurrency}）", "如 --concurrency 4")
        self.concurrency = concurrency
        self.cache = ResponseCache(cache_dir) if cache else None
        self.run_dir = Path(run_dir) if run_dir else None
        self.outcomes: list[SectionOutcome] = []
        self._ssl: Any = None  # made once: building it costs ~0.25 s per HTTP client
        self.calls = 0
        self.wall_s = 0.0
        try:  # about 3 s: paid here, on the llm path only, not inside the timed run
            from importlib import import_module

            import_module("langchain_openai")
            import_module("openai.resources.chat")  # imported lazily by the first client
        except ModuleNotFoundError:
            raise ConfigError("大模型起草所需的依赖未安装（langchain-openai）",
                              '请运行 pip install "drafter[llm]"，或使用默认的 --backend template') from None
        _warm_up()
        if self.endpoint.base_url.startswith("https:"):
            import httpx

            self._ssl = httpx.create_ssl_context()

    # -- the seam ---------------------------------------------------------------------------
    def draft_section(self, spec: "SectionSpec") -> list[str]:
        return self.draft_sections([spec], DraftEvents())[0]

    def draft_sections(self, specs: list["SectionSpec"], events: DraftEvents,
                       grounding: "Mapping[str, SectionGrounding] | None" = None) -> list[list[str]]:
        """All sections at once (concurrently); paragraphs per spec, in order. ``grounding``
        (from the pipeline's grounding stage) checks each answer; missing ones are made here."""
        from langsmith.run_helpers import tracing_context

        from drafter.grounding import SectionGrounding

        t0 = time.monotonic()
        try:
            # Prompts, grounding indexes and the lexicons they load are made before the event
            # loop starts: a prompt error stops the run before any call, and no section's
            # first check stalls the others' streams.
            jobs = [_Job.prepare(spec, (grounding or {}).get(spec.key) or SectionGrounding.for_spec(spec))
                    for spec in specs]
            # Prompts carry government data: never to a tracing service, whatever the env says.
            with tracing_context(enabled=False):
                outcomes = asyncio.run(self._draft_all(jobs, events))
        finally:
            self.wall_s = round(time.monotonic() - t0, 3)
            self._write_artifacts()
        return [o.paragraphs for o in outcomes]

    async def _draft_all(self, jobs: list["_Job"], events: DraftEvents) -> list[SectionOutcome]:
        self.outcomes = [SectionOutcome(j.spec.key, j.spec.numbered_heading) for j in jobs]
        sem = asyncio.Semaphore(self.concurrency)
        async with Client(self.endpoint, self.cache, ssl_context=self._ssl) as client:
            try:
                async with asyncio.TaskGroup() as tg:
                    for job, out in zip(jobs, self.outcomes):
                        tg.create_task(self._guarded(sem, client, job, out, events))
            except BaseExceptionGroup as eg:
                from drafter.errors import DrafterError

                failed = [e for e in eg.exceptions if isinstance(e, CallFailed) and e.fatal]
                if failed:
                    raise fatal(failed[0].reason, self.endpoint) from None
                # One error as itself (a DrafterError first: the CLI makes it one line).
                first = sorted(eg.exceptions, key=lambda e: not isinstance(e, DrafterError))[0]
                raise first from None
            finally:
                self.calls += client.calls
        tried = [o for o in self.outcomes if o.rounds]
        if tried and not any(o.reached for o in tried):
            reasons = sorted({r.error.split("（")[0] for o in tried for r in o.rounds if r.error})
            raise fatal(f"{'、'.join(reasons) or '没有任何回复'}（{len(tried)} 个部分均未得到回复）",
                        self.endpoint)
        return self.outcomes

    async def _guarded(self, sem: asyncio.Semaphore, client: Client, job: "_Job",
                       out: SectionOutcome, events: DraftEvents) -> None:
        async with sem:
            t0 = time.monotonic()
            events.section_started(job.spec.key)
            try:
                await self._section(client, job, out, events)
            finally:
                out.seconds = round(time.monotonic() - t0, 3)
                events.section_done(job.spec.key, STATUS_TEXT[out.status])

    # -- one section ----------------------------------------------------------------------
    async def _section(self, client: Client, job: "_Job", out: SectionOutcome,
                       events: DraftEvents) -> None:
        from drafter.backends.llm_prompts import repair_message

        spec = job.spec
        if job.template_reason:
            self._fallback(spec, out, job.template_reason, status="template")
            return
        messages = job.messages
        for kind in ("draft", "repair"):
            rnd = Round(kind, [{"role": r, "content": c} for r, c in messages])
            out.rounds.append(rnd)
            if kind == "repair":
                events.section_status(spec.key, "修正中")
            try:
                c = await client.complete(messages, on_chunk=lambda n: events.section_progress(spec.key, n),
                                          on_status=lambda s: events.section_status(spec.key, s))
            except CallFailed as e:
                if e.fatal:
                    raise
                rnd.error = e.reason
                self._fallback(spec, out, f"{'修正' if kind == 'repair' else '起草'}请求失败：{e.reason}")
                return
            rnd.response, rnd.latency_s, rnd.cached, rnd.faults = c.text, c.latency_s, c.cached, c.attempts
            rnd.prompt_tokens, rnd.completion_tokens = c.prompt_tokens, c.completion_tokens
            rnd.characters = len(c.text)
            paragraphs = clean_paragraphs(c.text, spec)
            verdict = job.check("\n".join(paragraphs))
            if c.truncated:
                from drafter.grounding import Problem

                verdict.problems.append(Problem("missing", "", "回复因长度限制被截断：请精简表述，完整输出本部分正文"))
            rnd.verdict = verdict.to_dict()
            if verdict.ok:
                out.status = "accepted" if kind == "draft" else "repaired"
                out.paragraphs = paragraphs
                return
            messages = messages + [("assistant", c.text),
                                   ("user", repair_message(spec, [p.message for p in verdict.problems]))]
        self._fallback(spec, out, "修正后仍未通过核查：" + _problems_text(out.rounds[-1].verdict or {"problems": []}))

    def _fallback(self, spec: "SectionSpec", out: SectionOutcome, reason: str,
                  status: str = "fallback") -> None:
        from drafter.backends.template import TemplateBackend

        out.status, out.reason = status, reason
        out.paragraphs = [p for p in TemplateBackend().draft_section(spec) if p.strip()]

    # -- reporting --------------------------------------------------------------------------
    def report(self) -> dict[str, Any]:
        """What the run report shows: endpoint (no key), calls, tokens, per-section outcome."""
        rounds = [r for o in self.outcomes for r in o.rounds]
        return {
            "backend": "llm", "endpoint": self.endpoint.public(), "concurrency": self.concurrency,
            "cache": str(self.cache.root) if self.cache else None,
            "calls": self.calls, "cached_responses": sum(1 for r in rounds if r.cached),
            "wall_s": self.wall_s,
            "sequential_s": round(sum(r.latency_s or 0 for r in rounds), 3),
            "prompt_tokens": sum(r.prompt_tokens or 0 for r in rounds),
            "completion_tokens": sum(r.completion_tokens or 0 for r in rounds),
            "sections": [{"key": o.key, "heading": o.heading, "status": o.status,
                          "status_text": STATUS_TEXT[o.status], "reason": o.reason,
                          "rounds": len(o.rounds), "seconds": o.seconds,
                          "problems": [p for r in o.rounds if r.verdict for p in r.verdict["problems"]]}
                         for o in self.outcomes],
        }

    def summary_lines(self) -> list[str]:
        """The stdout summary (Chinese): calls and what happened to each section."""
        r = self.report()
        e = r["endpoint"]
        head = (f"大模型起草：{e['model']} @ {e['base_url']}；请求 {r['calls']} 次，"
                f"缓存命中 {r['cached_responses']} 次；用时 {r['wall_s']:.1f} 秒")
        return [head] + ["  " + o.line() for o in self.outcomes]

    def _write_artifacts(self) -> None:
        if self.run_dir is None:
            return
        from drafter.io import atomic_write_text

        base = self.run_dir / "llm"
        try:
            base.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
        for i, o in enumerate(self.outcomes, start=1):
            atomic_write_text(base / f"{i:02d}-{o.key}.json",
                              json.dumps(asdict(o), ensure_ascii=False, indent=2) + "\n", force=True)
        atomic_write_text(base / "run.json", json.dumps(self.report(), ensure_ascii=False, indent=2) + "\n",
                          force=True)


@dataclass
class _Job:
    """One section, ready to send: its messages and the grounding its text is checked against
    (``ground.skip``: the section is the template's to write, facts missing)."""

    spec: "SectionSpec"
    ground: "SectionGrounding"
    messages: list[tuple[str, str]] = field(default_factory=list)

    @property
    def template_reason(self) -> str | None:
        return self.ground.skip

    @classmethod
    def prepare(cls, spec: "SectionSpec", ground: "SectionGrounding") -> "_Job":
        from drafter.backends.llm_prompts import section_messages

        return cls(spec, ground, [] if ground.skip else section_messages(spec))

    def check(self, text: str) -> Any:
        return self.ground.check(text)


def _warm_up() -> None:
    """Load what grounding needs once per process (segmenter ~0.25 s, law lexicon, placeholder
    patterns), so the first section's check does not hold up the others' streams."""
    from drafter.text.placeholders import placeholder_patterns
    from drafter.text.laws import law_lexicon
    from drafter.text.segment import tag

    tag("法治")
    law_lexicon()
    placeholder_patterns()


_WS = re.compile(r"[ \t\u3000\u00a0]+")


def clean_paragraphs(text: str, spec: "SectionSpec") -> list[str]:
    """The response as paragraphs: lines trimmed, blank lines dropped, and a level-1 heading
    the model repeated despite the instructions removed (the pipeline writes it)."""
    paras = [_WS.sub(lambda m: "" if m.start() == 0 else m.group(), ln).strip()
             for ln in text.replace("\r", "").split("\n")]
    paras = [p for p in paras if p]
    if paras:
        bare = re.sub(r"^[一二三四五六七八九十]+、", "", paras[0]).rstrip("。：:")
        if bare and bare in (spec.heading, spec.numbered_heading):
            paras = paras[1:]
    return paras
