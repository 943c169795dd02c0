"""The LLM backend (``drafter draft --backend llm``): each section written by a model behind
an OpenAI-compatible endpoint, checked by :mod:`drafter.grounding` before it is accepted.

Per section: the prompt (``prompts/llm/``) → the model → grounding. A text that fails gets
one repair round that lists exactly what to fix; if the repaired text fails too, or the
endpoint cannot answer for that section, the section is drafted by the template backend
instead, and the run report says so and why. A section without facts (or a shortcoming
without causes) goes to the template directly: it drafts the visible 【待补充】 marker.

The sections are drafted concurrently (``concurrency`` at a time) in one event loop, so a
report takes about one section's latency; a rich progress bar per section shows it on a
terminal. When no section could reach the endpoint at all, or the endpoint refuses the key,
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

from drafter.backends.llm_client import CallFailed, Client, Endpoint, endpoint_from_env, fatal

if TYPE_CHECKING:  # pragma: no cover
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


class LLMBackend:
    """Drafts sections with a chat model; see the module docstring."""

    name = "llm"

    def __init__(self, model: str | None = None, concurrency: int = DEFAULT_CONCURRENCY,
                 cache: bool = True, run_dir: str | Path | None = None, stream: bool | None = None,
                 progress: bool | None = None, env: dict[str, str] | None = None,
                 cache_dir: str | Path | None = None) -> None:
        from drafter.backends.cache import ResponseCache
        from drafter.errors import ConfigError

        self.endpoint: Endpoint = endpoint_from_env(model, env, stream)
        if concurrency < 1:
            raise ConfigError(f"--concurrency 应为正整数（当前为 {concurrency}）", "如 --concurrency 4")
        self.concurrency = concurrency
        self.cache = ResponseCache(cache_dir) if cache else None
        self.run_dir = Path(run_dir) if run_dir else None
        self.progress = progress
        self.outcomes: list[SectionOutcome] = []
        self._ssl: Any = None  # made once: building it costs ~0.25 s per HTTP client
        self.calls = 0
        self.wall_s = 0.0
        try:  # about 3 s: paid here, on the llm path only, not inside the timed run
            import langchain_openai  # noqa: F401
            import openai.resources.chat  # noqa: F401 — imported lazily by the first client
        except ModuleNotFoundError:
            raise ConfigError("大模型起草所需的依赖未安装（langchain-openai）",
                              '请运行 pip install "drafter[llm]"，或使用默认的 --backend template') from None
        _warm_up()
        if self.endpoint.base_url.startswith("https:"):
            import httpx

            self._ssl = httpx.create_ssl_context()

    # -- the seam ---------------------------------------------------------------------------
    def draft_section(self, spec: "SectionSpec") -> list[str]:
        return self.draft_sections([spec])[0]

    def draft_sections(self, specs: list["SectionSpec"]) -> list[list[str]]:
        """All sections at once (concurrently); paragraphs per spec, in order."""
        from langsmith.run_helpers import tracing_context

        t0 = time.monotonic()
        try:
            # Prompts, grounding indexes and the lexicons they load are made before the event
            # loop starts: a prompt error stops the run before any call, and no section's
            # first check stalls the others' streams.
            jobs = [_Job.prepare(spec) for spec in specs]
            # Prompts carry government data: never to a tracing service, whatever the env says.
            with tracing_context(enabled=False):
                outcomes = asyncio.run(self._draft_all(jobs))
        finally:
            self.wall_s = round(time.monotonic() - t0, 3)
            self._write_artifacts()
        return [o.paragraphs for o in outcomes]

    async def _draft_all(self, jobs: list["_Job"]) -> list[SectionOutcome]:
        self.outcomes = [SectionOutcome(j.spec.key, j.spec.numbered_heading) for j in jobs]
        sem = asyncio.Semaphore(self.concurrency)
        with _Progress([j.spec for j in jobs], self.progress) as bar:
            async with Client(self.endpoint, self.cache, ssl_context=self._ssl) as client:
                try:
                    async with asyncio.TaskGroup() as tg:
                        for job, out in zip(jobs, self.outcomes):
                            tg.create_task(self._guarded(sem, client, job, out, bar))
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
                       out: SectionOutcome, bar: "_Progress") -> None:
        async with sem:
            t0 = time.monotonic()
            bar.status(job.spec.key, "起草中")
            try:
                await self._section(client, job, out, bar)
            finally:
                out.seconds = round(time.monotonic() - t0, 3)
                bar.status(job.spec.key, STATUS_TEXT[out.status], done=True)

    # -- one section ----------------------------------------------------------------------
    async def _section(self, client: Client, job: "_Job", out: SectionOutcome,
                       bar: "_Progress") -> None:
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
                bar.status(spec.key, "修正中")
            try:
                c = await client.complete(messages, on_chunk=lambda n: bar.advance(spec.key, n),
                                          on_status=lambda s: bar.status(spec.key, s))
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
    """One section, ready to send: its messages and what its text will be checked against."""

    spec: "SectionSpec"
    template_reason: str | None = None
    messages: list[tuple[str, str]] = field(default_factory=list)
    grounding: Any = None
    headings: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    needs_causes: bool = False

    @classmethod
    def prepare(cls, spec: "SectionSpec") -> "_Job":
        from drafter.backends.llm_prompts import load_prompt, section_messages, subheadings
        from drafter.grounding import Grounding

        reason = _needs_template(spec)
        if reason:
            return cls(spec, reason)
        job = cls(spec, None, section_messages(spec), Grounding.from_spec(spec), subheadings(spec),
                  [t for it in spec.items for t in (*it.statements, *it.metrics)],
                  bool(load_prompt(spec.key).requires.get("needs_causes")))
        job.check("\n".join(job.figures[:1]))  # first use of the number parser (cn2an) now
        return job

    def check(self, text: str) -> Any:
        return self.grounding.check(text, headings=self.headings, needs_causes=self.needs_causes,
                                    figures=self.figures)


def _warm_up() -> None:
    """Load what grounding needs once per process (segmenter ~0.25 s, law lexicon, placeholder
    patterns), so the first section's check does not hold up the others' streams."""
    from drafter.text.placeholders import placeholder_patterns
    from drafter.text.laws import law_lexicon
    from drafter.text.segment import tag

    tag("法治")
    law_lexicon()
    placeholder_patterns()


def _needs_template(spec: "SectionSpec") -> str | None:
    """Why the template must draft this section (facts missing), or None."""
    if spec.missing:
        return "本部分没有事实材料，由模板写出待补充标记"
    if spec.key == "shortcomings" and any(it.problem and not it.causes for it in spec.items):
        return "有不足未写原因，由模板写出待补充标记"
    return None


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


class _Progress:
    """One rich progress bar per section on a terminal (stderr); silent otherwise."""

    def __init__(self, specs: list["SectionSpec"], enabled: bool | None) -> None:
        from rich.console import Console

        console = Console(stderr=True)
        self.enabled = console.is_terminal if enabled is None else enabled
        self.tasks: dict[str, Any] = {}
        self.bar: Any = None
        if not self.enabled:
            return
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.fields[label]}"), BarColumn(),
                            TextColumn("{task.completed:>5.0f} 字"), TextColumn("{task.fields[state]}"),
                            TimeElapsedColumn(), console=console)
        from drafter import sections
        from drafter.text.numerals import ordinal_text

        for s in specs:
            label = f"{ordinal_text(s.number)}、{sections.label(s.key)}"
            self.tasks[s.key] = self.bar.add_task("", total=1500, label=label, state="排队中")

    def __enter__(self) -> "_Progress":
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def advance(self, key: str, n: int) -> None:
        if self.bar is not None:
            self.bar.advance(self.tasks[key], n)

    def status(self, key: str, state: str, done: bool = False) -> None:
        if self.bar is not None:
            task = self.tasks[key]
            self.bar.update(task, state=state)
            if done:
                self.bar.update(task, total=max(self.bar.tasks[task].completed, 1),
                                completed=max(self.bar.tasks[task].completed, 1))
