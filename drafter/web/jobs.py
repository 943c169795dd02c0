"""Drafting off the request thread: a bounded pool of workers, each job with its progress.

A job runs :func:`drafter.pipeline.draft` — the same call as ``drafter draft``, with a
:class:`drafter.pipeline.DraftRequest` — and is itself the run's
:class:`~drafter.backends.base.DraftEvents`: every stage and section the pipeline and the
backend report updates the job, which the page polls (:meth:`DraftJob.snapshot`). At most ``workers`` jobs run at once and ``max_waiting`` more wait;
beyond that :class:`Busy` is raised and the page asks the user to try again shortly.

When the server stops, :meth:`JobManager.shutdown` sets the manager's ``cancel`` event: a
waiting job never starts and a running one stops at its next stage or section
(:class:`~drafter.errors.Cancelled` from the job's own events).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

from drafter.backends.base import DraftEvents
from drafter.web.uploads import StoredFile, UploadStore

log = logging.getLogger("drafter.web")

STAGES = ("排队等待", "读取事实文件、制定提纲", "起草各部分", "审核草稿、写出 Word 文档", "完成")


class Busy(Exception):
    """Too many drafting jobs running or waiting."""


@dataclass
class SectionState:
    key: str
    heading: str
    state: str = "排队中"
    done: bool = False


class DraftJob(DraftEvents):
    """One drafting run: its input, its progress (thread-safe; the run's events) and, when
    done, its outcome."""

    def __init__(self, jid: str, folder: Path, facts: StoredFile, backend: str):
        self.id = jid
        self.folder = folder
        self.facts = facts
        self.backend = backend
        self.status = "queued"  # queued | running | done | failed
        self.stage_text = STAGES[0]  # the page's name of the current stage
        self.sections: list[SectionState] = []
        self.error: str | None = None
        self.problems: list[str] = []  # every problem of an invalid facts file, listed at once
        self.created = time.time()
        self.started: float | None = None
        self.finished: float | None = None
        self.cancel: threading.Event | None = None  # the manager's: set when the server stops
        self._lock = threading.Lock()

    # -- progress (called from the worker thread) ------------------------------------------------
    def set(self, **changes: Any) -> None:
        with self._lock:
            for k, v in changes.items():
                setattr(self, k, v)

    # -- DraftEvents: what the pipeline and the backend report -----------------------------
    _STAGE_OF = {"facts": STAGES[1], "draft": STAGES[2], "ground": STAGES[3], "check": STAGES[3],
                 "docx": STAGES[3]}

    def _stop_if_cancelled(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            from drafter.errors import Cancelled

            raise Cancelled("起草已取消（服务正在停止）", "请稍后重新提交")

    def stage(self, name: str) -> None:
        self._stop_if_cancelled()
        self.set(stage_text=self._STAGE_OF.get(name, self.stage_text))

    def sections_planned(self, specs: list[Any]) -> None:
        with self._lock:
            self.sections = [SectionState(spec.key, spec.numbered_heading) for spec in specs]

    def section_started(self, key: str) -> None:
        self._stop_if_cancelled()
        self._section(key, "起草中")

    def section_status(self, key: str, state: str) -> None:
        self._section(key, state)

    def section_done(self, key: str, state: str) -> None:
        self._section(key, state, done=True)

    def _section(self, key: str, state: str, done: bool = False) -> None:
        with self._lock:
            for s in self.sections:
                if s.key == key and not s.done:
                    s.state, s.done = state, done

    # -- what the page reads -------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.status in ("queued", "running")

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            end = self.finished or time.time()
            return {"id": self.id, "status": self.status, "stage": self.stage_text,
                    "stages": list(STAGES), "backend": self.backend,
                    "facts": self.facts.display_name, "error": self.error,
                    "problems": list(self.problems),
                    "elapsed_s": round(end - (self.started or end), 1),
                    "sections": [asdict(s) for s in self.sections],
                    "sections_done": sum(s.done for s in self.sections)}

    def outcome(self) -> dict[str, Any] | None:
        """The run report (``run-report.json``) of a finished job."""
        try:
            return json.loads((self.folder / "run-report.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None


def run_draft(job: DraftJob, *, corpus: str | None, model: str | None,
              env: dict[str, str] | None) -> None:
    """Draft the job's facts file (in a worker thread) and keep the outputs in its folder:
    ``draft.docx``, ``run-report.json`` and ``run-report.md``."""
    from drafter.errors import DrafterError

    job.set(status="running", stage_text=STAGES[1], started=time.time())
    try:
        job._stop_if_cancelled()
        from drafter.pipeline import DraftRequest, default_output, draft
        from drafter.run_record import render_run_report

        request = DraftRequest(job.facts.path, job.folder / "draft.docx", corpus=corpus,
                               backend=job.backend, model=model, env=env)
        result = draft(request, events=job)
        plan = result.plan
        download = default_output(".", SimpleNamespace(unit=SimpleNamespace(name=plan.unit),
                                                       year=plan.year)).name
        report = result.run_report()
        # The run report names the files as the user knows them, not the server's folders.
        report.update(facts=job.facts.display_name, output=download,
                      download_name=download, backend_summary=result.backend_summary)
        text = json.dumps(report, ensure_ascii=False, indent=2, default=str)
        from drafter.io import atomic_write_text  # a page polling the job never reads half a file

        atomic_write_text(job.folder / "run-report.json", text + "\n", force=True)
        atomic_write_text(job.folder / "run-report.md", render_run_report(report), force=True)
        job.set(status="done", stage_text=STAGES[4])
    except DrafterError as e:
        # An invalid facts file: every problem (sheet/cell or line/field), not only the first.
        problems = [public_message(f"{where}：字段 {field}：{msg}" if field else msg, job.facts)
                    for where, field, msg in getattr(e, "problems", None) or []]
        job.set(status="failed", error=public_message(e.one_line(), job.facts),
                problems=problems if len(problems) > 1 else [])
    except Exception:  # noqa: BLE001 - the page must say something; the log has the details
        log.exception("drafting job %s failed", job.id)
        job.set(status="failed", error="起草时发生内部错误，请联系管理员查看服务日志")
    finally:
        job.set(finished=time.time())
        try:  # the results are kept for keep_minutes from now, not from the upload
            UploadStore.touch(job.folder)
        except OSError:
            pass  # the server is stopping and has removed the folder


def public_message(text: str, *files: StoredFile) -> str:
    """A message with the server's file paths replaced by the names the user uploaded."""
    for f in files:
        text = text.replace(str(f.path), f.display_name)
    return text


class JobManager:
    """A bounded pool of drafting workers and the jobs it knows."""

    def __init__(self, workers: int, max_waiting: int, runner: Callable[[DraftJob], None]):
        self.workers = workers
        self.max_waiting = max_waiting
        self._runner = runner
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="drafter-draft")
        self._jobs: dict[str, DraftJob] = {}
        self._lock = threading.Lock()
        self.cancel = threading.Event()

    def submit(self, job: DraftJob) -> None:
        with self._lock:
            active = sum(j.active for j in self._jobs.values())
            if self.cancel.is_set() or active >= self.workers + self.max_waiting:
                raise Busy
            job.cancel = self.cancel
            self._jobs[job.id] = job
        self._pool.submit(self._runner, job)

    def get(self, jid: str) -> DraftJob | None:
        with self._lock:
            return self._jobs.get(jid)

    def busy_ids(self) -> set[str]:
        with self._lock:
            return {j.id for j in self._jobs.values() if j.active}

    def forget(self, keep: Callable[[str], bool]) -> None:
        """Drop finished jobs whose folder is gone (expired)."""
        with self._lock:
            for jid in [j for j, job in self._jobs.items() if not job.active and not keep(j)]:
                del self._jobs[jid]

    def shutdown(self, wait_s: float = 0.0) -> bool:
        """Cancel waiting jobs and stop running ones at their next section; wait up to
        ``wait_s`` seconds for them. True when no job is still running."""
        self.cancel.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:  # jobs the pool cancelled before they started
            for job in self._jobs.values():
                if job.status == "queued":
                    job.set(status="failed", error="起草已取消（服务正在停止）")
        deadline = time.monotonic() + wait_s
        while self.busy_ids() and time.monotonic() < deadline:
            time.sleep(0.05)
        return not self.busy_ids()
