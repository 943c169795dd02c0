"""Report files checked by several processes (``drafter check FOLDER``, ``--jobs``): batches
of files (:mod:`drafter.checker.batch`) taken as processes free up, results in input order.

The caller checks one file first: that loads the lexicons once, and the forked workers
inherit them instead of each loading its own. Where ``fork`` exists (:func:`_share`) the
calling process checks batches too, beside ``jobs - 1`` forked workers: they take batch
numbers from one pipe and send results back through pipes of their own. Elsewhere a
``ProcessPoolExecutor`` of ``jobs`` workers does the same. The word segmenter is the shared
service's when one runs (:mod:`drafter.text.segment_service`), else loaded by each process
that meets a report that needs it.
"""

from __future__ import annotations

import os
import pickle
import struct
from pathlib import Path
from typing import Any

from drafter import errors
from drafter.checker import CheckOptions, Rule
from drafter.checker.output import FileResult
from drafter.errors import DrafterError

_WORKER: tuple[CheckOptions, list[Rule]] | None = None  # what a pool worker checks with


def _init_worker(options: CheckOptions, rules: list[Rule], parent: int) -> None:
    from drafter.processes import end_with_parent

    global _WORKER
    _WORKER = options, rules
    end_with_parent(parent)  # a worker whose parent was killed ends, not waits for work


def _worker_check(paths: list[Path]) -> list[FileResult | tuple[str, str, str | None]]:
    from drafter.checker.batch import check_files

    assert _WORKER is not None
    return _portable(check_files(paths, *_WORKER))


def _portable(found: list) -> list[FileResult | tuple[str, str, str | None]]:
    """A batch's results as they travel between processes: an error as (class name, message,
    hint), re-raised in the parent (:func:`_error`) in input order."""
    return [res if isinstance(res, FileResult) else (type(res).__name__, res.message, res.hint)
            for res in found]


def _error(sent: tuple[str, str, str | None]) -> DrafterError:
    return getattr(errors, sent[0], DrafterError)(sent[1], sent[2])


def check_in_pool(files: list[Path], options: CheckOptions, rules: list[Rule],
                  workers: int) -> list[FileResult]:
    """The result of each file, in order, checked by ``workers`` processes. The first
    unreadable file (in input order) raises its InputError; only the batches already running
    then end (as on Ctrl-C or SIGTERM)."""
    import threading

    ctx: Any = None
    if hasattr(os, "fork"):  # (without loading multiprocessing: ~7 ms before the first fork)
        from drafter.checker.batch import batches

        work = batches(files, workers=workers)
        jobs = _numbers_pipe(len(work))
        if jobs is not None:
            return _share(work, jobs, options, rules, workers)
        import multiprocessing as mp

        ctx = mp.get_context("fork")
    hook = threading.excepthook
    try:
        return _run(files, options, rules, workers, ctx)
    finally:
        threading.excepthook = hook  # (see _quiet_cancelled_pool)


_INDEX = struct.Struct("<I")  # a batch number in the pipe
_SIZE = struct.Struct("<Q")  # the length of a pickled batch of results


def _numbers_pipe(count: int) -> int | None:
    """The read end of a pipe holding the batch numbers ``0 … count - 1``, its write end
    closed (a reader sees the end once every number is taken); None when they do not fit
    its buffer (64 KiB, ~16,000 batches, on Linux; less for a user short of pipe pages)."""
    import fcntl

    data = b"".join(_INDEX.pack(i) for i in range(count))
    read, write = os.pipe()
    try:
        fcntl.fcntl(write, fcntl.F_SETFL, os.O_NONBLOCK)  # (no reader yet: never wait)
        written = os.write(write, data)
    except OSError:
        written = -1
    os.close(write)
    if written == len(data):
        return read
    os.close(read)
    return None


def _share(work: list[list[Path]], jobs_r: int, options: CheckOptions, rules: list[Rule],
           workers: int) -> list[FileResult]:
    """Check the batches of ``work`` in this process and ``workers - 1`` forked ones, each
    taking the next batch number from a pipe written in full before the forks (the kernel
    hands every number to one reader: no lock a killed worker could hold, no process that
    hands out work). A worker sends each batch's results back, pickled, through a pipe of
    its own, read by a thread here. This process checks too: no fork, result transfer or
    process exit for its share, and its first batch begins at once.

    On an unreadable file, Ctrl-C or SIGTERM, the numbers still waiting are taken out of
    the pipe: the batches being checked end, and no other begins."""
    import gc
    import threading

    from drafter.checker.batch import check_files

    done: dict[int, list[FileResult | tuple[str, str, str | None]]] = {}
    forked: list[tuple[int, int]] = []  # (pid, results pipe) of workers not yet listened to
    readers: list[threading.Thread] = []
    try:
        parent, frozen = os.getpid(), gc.get_freeze_count()
        # Frozen while the workers fork: their garbage collector then never walks the
        # inherited objects, which would touch (and so copy) every shared page.
        gc.freeze()
        try:
            for _ in range(workers - 1):
                out_r, out_w = os.pipe()
                try:
                    pid = os.fork()
                except OSError:  # no more processes: those there are check it all
                    os.close(out_r)
                    os.close(out_w)
                    break
                if pid == 0:  # a worker: never returns
                    os.close(out_r)
                    _work(work, jobs_r, out_w, options, rules, parent)
                os.close(out_w)
                forked.append((pid, out_r))
        finally:
            if not frozen:
                gc.unfreeze()  # a caller that froze nothing (the web page) collects as before
        # (Threads only once every worker is forked: a fork copies no other thread.)
        for pid, fd in forked:
            readers.append(threading.Thread(target=_receive, args=(fd, pid, done),
                                            name="check-results", daemon=True))
            readers[-1].start()
        forked = []
        while (i := _next(jobs_r)) is not None:
            done[i] = found = _portable(check_files(work[i], options, rules))
            if not isinstance(found[-1], FileResult):
                _drain(jobs_r)  # an unreadable file: no other batch begins
        for t in readers:
            t.join()
    except BaseException:  # Ctrl-C, SIGTERM: the batches being checked end, no other begins
        _drain(jobs_r)
        for _, fd in forked:  # (a worker nobody listens to ends at its first result)
            os.close(fd)
        raise
    finally:
        os.close(jobs_r)
    results: list[FileResult] = []
    for i in range(len(work)):
        # Batches are taken in order, and only those after every taken one are dropped: an
        # error is met here before any dropped batch; a missing batch before it was lost.
        if i not in done:
            raise DrafterError("审核子进程意外退出，部分报告没有审核",
                               "请重新运行；如反复出现，可加 --jobs 1 在一个进程中审核")
        for res in done[i]:
            if not isinstance(res, FileResult):
                raise _error(res)
            results.append(res)
    return results


def _next(jobs: int) -> int | None:
    """The number of the next batch to check, or None when none is left."""
    got = os.read(jobs, _INDEX.size)
    return _INDEX.unpack(got)[0] if got else None


def _drain(jobs: int) -> None:
    """Take every batch number still waiting: no process begins another batch."""
    while os.read(jobs, 65536):
        pass


def _work(work: list[list[Path]], jobs: int, out: int, options: CheckOptions,
          rules: list[Rule], parent: int) -> None:
    """A forked worker: check batches until none is left, sending each one's results (an
    error as its class name, message and hint) back through ``out``; then end. Ctrl-C or a
    closed pipe (the parent has stopped) end it quietly; a fault of drafter's own prints
    its traceback first. The parent reports the batch that did not come back."""
    code = 0
    try:
        from drafter.checker.batch import check_files
        from drafter.processes import end_with_parent

        end_with_parent(parent)  # a worker whose parent was killed ends, not waits for work
        while (i := _next(jobs)) is not None:
            found = _portable(check_files(work[i], options, rules))
            if not isinstance(found[-1], FileResult):
                _drain(jobs)  # an unreadable file: no other batch begins
            data = pickle.dumps((i, found), protocol=pickle.HIGHEST_PROTOCOL)
            _write_all(out, _SIZE.pack(len(data)) + data)
    except (KeyboardInterrupt, BrokenPipeError):
        code = 1
    except BaseException:  # noqa: BLE001 — a bug: shown, and the parent reports the gap
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int, pid: int, done: dict) -> None:
    """The results a worker sends, until it ends (then it is reaped)."""
    try:
        with os.fdopen(fd, "rb") as stream:
            while head := stream.read(_SIZE.size):
                i, found = pickle.loads(stream.read(_SIZE.unpack(head)[0]))
                done[i] = found
    except Exception:  # noqa: BLE001 — a worker that died mid-message: its batch is missing
        pass
    finally:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def _run(files: list[Path], options: CheckOptions, rules: list[Rule], workers: int,
         ctx: Any) -> list[FileResult]:
    import gc
    from concurrent.futures import ProcessPoolExecutor

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
                if not isinstance(res, FileResult):
                    raise _error(res)
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
