"""Report files checked in a pool of worker processes (``drafter check FOLDER``, ``--jobs``):
batches of files (:mod:`drafter.checker.batch`) handed out as workers free up, results in
input order.

The caller checks one file first, before the pool starts: that loads the lexicons once, and
with the ``fork`` start method (Linux) the workers inherit them instead of each loading its
own. The word segmenter is the shared service's when one runs
(:mod:`drafter.text.segment_service`), else loaded by each worker that meets a report that
needs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from drafter.checker import CheckOptions, Rule
from drafter.checker.output import FileResult

_WORKER: tuple[CheckOptions, list[Rule]] | None = None  # what a pool worker checks with


def _init_worker(options: CheckOptions, rules: list[Rule], parent: int) -> None:
    from drafter.processes import end_with_parent

    global _WORKER
    _WORKER = options, rules
    end_with_parent(parent)  # a worker whose parent was killed ends, not waits for work


def _worker_check(paths: list[Path]) -> list[FileResult | tuple[str, str, str | None]]:
    from drafter.checker.batch import check_files

    assert _WORKER is not None
    # An error travels as (class name, message, hint): re-raised in the parent, in input order.
    return [res if isinstance(res, FileResult) else (type(res).__name__, res.message, res.hint)
            for res in check_files(paths, *_WORKER)]


def check_in_pool(files: list[Path], options: CheckOptions, rules: list[Rule],
                  workers: int) -> list[FileResult]:
    """The result of each file, in order, checked by ``workers`` processes. The first
    unreadable file (in input order) raises its InputError; only the batches already running
    then end (as on Ctrl-C or SIGTERM)."""
    import multiprocessing as mp
    import threading

    ctx: Any = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    hook = threading.excepthook
    try:
        return _run(files, options, rules, workers, ctx)
    finally:
        threading.excepthook = hook  # (see _quiet_cancelled_pool)


def _run(files: list[Path], options: CheckOptions, rules: list[Rule], workers: int,
         ctx: Any) -> list[FileResult]:
    import gc
    import os
    from concurrent.futures import ProcessPoolExecutor

    from drafter import errors
    from drafter.checker.batch import batches

    results: list[FileResult] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(options, rules, os.getpid())) as pool:
        # Frozen while the workers fork: their garbage collector then never walks the
        # inherited objects, which would touch (and so copy) every shared page.
        gc.freeze()
        try:
            # Batches checked rule by rule, shrinking toward the end (see batches).
            checked = pool.map(_worker_check, batches(files, workers=workers))
        finally:
            gc.unfreeze()  # a long-lived caller (the web page) collects as before
        try:
            for res in (r for batch in checked for r in batch):
                if isinstance(res, tuple):
                    raise getattr(errors, res[0], errors.DrafterError)(res[1], res[2])
                results.append(res)
        except BaseException:  # a bad file, Ctrl-C, SIGTERM: only the running batches end
            _quiet_cancelled_pool()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return results


def _quiet_cancelled_pool() -> None:
    """Keep the pool's manager thread from printing a traceback when the workers die after
    their waiting batches were cancelled (Ctrl-C or SIGTERM to the whole process group): on
    Python 3.11 it then sets an exception on a cancelled future and dies of
    ``InvalidStateError`` — after every batch has ended, with nothing left to report. Until
    :func:`check_in_pool` returns."""
    import threading
    from concurrent.futures import InvalidStateError

    previous = threading.excepthook

    def hook(args: "threading.ExceptHookArgs") -> None:
        if args.exc_type is InvalidStateError and type(args.thread).__name__ == \
                "_ExecutorManagerThread":
            return
        previous(args)

    threading.excepthook = hook
