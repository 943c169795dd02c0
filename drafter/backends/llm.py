"""The LLM backend (``drafter draft --backend llm``): each section written by a model behind
an OpenAI-compatible endpoint, its answer cleaned, checked and grounded before it is used.

Per section (:mod:`drafter.backends.llm_section`): the prompt (``prompts/llm/``) → the model →
normalisation (reasoning, prefaces, Markdown off) → is it the section at all → grounding
(:class:`drafter.grounding.SectionGrounding`). A failing answer gets one repair round; if the
repaired one fails too, sentences stating what the facts do not are removed when the rest
holds up, else the template drafts the section, and the run record says why. A section
without facts (or a shortcoming without causes) goes to the template directly.

The sections are drafted concurrently (``concurrency`` at a time) in one event loop, so a
report takes about one section's latency; while the answers are awaited, the pipeline's later
stages warm up in a thread (``idle``). Progress is reported as events
(:class:`drafter.backends.base.DraftEvents`). When no section could reach the endpoint at all,
or the endpoint refuses the key, address or model, the run ends with :class:`BackendError`
(exit 2) before the report is written; the run folder (``--run-dir``) then still records
what happened to each section.

``--run-dir`` receives ``llm/NN-key.json`` per section (messages, answers, what was stripped,
rejections, grounding verdicts, tokens, latency) and ``llm/run.json`` (endpoint without
credentials, calls, timings, per-section outcome) — every string masked for secrets.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from drafter.backends.base import Backend, DraftEvents
from drafter.backends.llm_client import CallFailed, Client, Endpoint, endpoint_from_env, fatal
from drafter.backends.llm_record import STATUS_TEXT, SectionOutcome, section_report
from drafter.backends.llm_section import Job, draft_section

if TYPE_CHECKING:  # pragma: no cover
    from typing import Mapping

    from drafter.grounding import SectionGrounding
    from drafter.plan import SectionSpec

# One slot per section key (measures, shortcomings, leadership, plans, other): a whole report
# costs about one section's latency.
DEFAULT_CONCURRENCY = 5


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
        self.calls = 0
        self.wall_s = 0.0
        from importlib.util import find_spec

        if find_spec("httpx") is None:  # the one HTTP dependency of this path
            raise ConfigError("大模型起草所需的依赖未安装（httpx）",
                              '请运行 pip install "drafter[llm]"，或使用默认的 --backend template')

    # -- the seam ---------------------------------------------------------------------------
    def draft_section(self, spec: "SectionSpec") -> list[str]:
        return self.draft_sections([spec], DraftEvents())[0]

    def draft_sections(self, specs: list["SectionSpec"], events: DraftEvents,
                       grounding: "Mapping[str, SectionGrounding] | None" = None,
                       idle: Callable[[], None] | None = None) -> list[list[str]]:
        """All sections at once (concurrently); paragraphs per spec, in order. ``grounding``
        (from the pipeline's grounding stage) checks each answer; missing ones are made here.
        ``idle`` runs in a thread while the answers are awaited."""
        from drafter.grounding import Groundings

        t0 = time.monotonic()
        grounds = grounding if grounding is not None else Groundings(specs)
        try:
            # Prompts are made before the event loop starts: a prompt error stops the run
            # before any call.
            jobs = [Job.prepare(spec, grounds) for spec in specs]
            outcomes = asyncio.run(self._draft_all(jobs, events, idle))
        finally:
            self.wall_s = round(time.monotonic() - t0, 3)
            self._write_artifacts()
        return [o.paragraphs for o in outcomes]

    async def _draft_all(self, jobs: list[Job], events: DraftEvents,
                         idle: Callable[[], None] | None) -> list[SectionOutcome]:
        self.outcomes = [SectionOutcome(j.spec.key, j.spec.numbered_heading) for j in jobs]
        sem = asyncio.Semaphore(self.concurrency)
        warm = asyncio.ensure_future(asyncio.to_thread(_quietly, idle)) if idle else None
        async with Client(self.endpoint, self.cache) as client:
            try:
                async with asyncio.TaskGroup() as tg:
                    for job, out in zip(jobs, self.outcomes):
                        tg.create_task(self._guarded(sem, client, job, out, events))
            except BaseExceptionGroup as eg:
                from drafter.errors import DrafterError

                failed = [e for e in eg.exceptions if isinstance(e, CallFailed) and e.fatal]
                self._mark_unfinished(failed[0].reason if failed else "运行中断")
                if failed:
                    raise fatal(failed[0].reason, self.endpoint, self._record_place()) from None
                # One error as itself (a DrafterError first: the CLI makes it one line).
                first = sorted(eg.exceptions, key=lambda e: not isinstance(e, DrafterError))[0]
                raise first from None
            finally:
                self.calls += client.calls
                if warm is not None:
                    await warm
        tried = [o for o in self.outcomes if o.rounds]
        if tried and not any(o.reached for o in tried):
            reasons = sorted({r.error.split("（")[0] for o in tried for r in o.rounds if r.error})
            self._mark_unfinished("", every=True)
            raise fatal(f"{'、'.join(reasons) or '没有任何回复'}（{len(tried)} 个部分均未得到回复）",
                        self.endpoint, self._record_place())
        return self.outcomes

    def _mark_unfinished(self, reason: str, every: bool = False) -> None:
        """After a run-ending failure: no section reads as done (or as 通过)."""
        for o in self.outcomes:
            if every and o.status == "fallback" and o.rounds:
                o.status = "failed"
            elif o.status == "pending":
                o.status = "failed" if o.rounds else "pending"
                o.reason = o.reason or (reason if o.rounds else "运行提前结束，未起草")
            o.paragraphs = [] if o.status in ("failed", "pending") else o.paragraphs

    def _record_place(self) -> str | None:
        return str(self.run_dir / "llm") if self.run_dir is not None else None

    async def _guarded(self, sem: asyncio.Semaphore, client: Client, job: Job,
                       out: SectionOutcome, events: DraftEvents) -> None:
        async with sem:
            t0 = time.monotonic()
            events.section_started(job.spec.key)
            try:
                await draft_section(client, job, out, events)
            finally:
                out.seconds = round(time.monotonic() - t0, 3)
                events.section_done(job.spec.key, STATUS_TEXT[out.status])

    # -- reporting --------------------------------------------------------------------------
    def report(self) -> dict[str, Any]:
        """What the run report shows: endpoint (no key), calls, tokens, per-section outcome."""
        rounds = [r for o in self.outcomes for r in o.rounds]
        return self.endpoint.secrets.mask_data({
            "backend": "llm", "endpoint": self.endpoint.public(), "concurrency": self.concurrency,
            "cache": str(self.cache.root) if self.cache else None,
            "calls": self.calls, "cached_responses": sum(1 for r in rounds if r.cached),
            "wall_s": self.wall_s,
            "sequential_s": round(sum(r.latency_s or 0 for r in rounds), 3),
            "prompt_tokens": sum(r.prompt_tokens or 0 for r in rounds),
            "completion_tokens": sum(r.completion_tokens or 0 for r in rounds),
            "sections": [section_report(o) for o in self.outcomes],
        })

    def summary_lines(self) -> list[str]:
        """The stdout summary (Chinese): calls and what happened to each section."""
        r = self.report()
        e = r["endpoint"]
        head = (f"大模型起草：{e['model']} @ {e['base_url']}；请求 {r['calls']} 次，"
                f"缓存命中 {r['cached_responses']} 次；用时 {r['wall_s']:.1f} 秒")
        mask = self.endpoint.secrets.mask
        return [head] + ["  " + mask(o.line()) for o in self.outcomes]

    def _write_artifacts(self) -> None:
        if self.run_dir is None:
            return
        from drafter.io import atomic_write_text

        base = self.run_dir / "llm"
        try:
            base.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
        secrets = self.endpoint.secrets
        for i, o in enumerate(self.outcomes, start=1):
            data = secrets.mask_data({**asdict(o), "status_text": STATUS_TEXT[o.status]})
            atomic_write_text(base / f"{i:02d}-{o.key}.json",
                              json.dumps(data, ensure_ascii=False, indent=2) + "\n", force=True)
        atomic_write_text(base / "run.json", json.dumps(self.report(), ensure_ascii=False, indent=2) + "\n",
                          force=True)


def _quietly(work: Callable[[], None] | None) -> None:
    """Run ``work`` (a warm-up): a failure there is the later stage's to report, not ours."""
    if work is None:
        return
    try:
        work()
    except Exception:  # noqa: BLE001 — the stage itself runs the same code again and reports
        pass
