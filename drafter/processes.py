"""Child processes that end with the process that started them.

``drafter check FOLDER`` forks check workers and a word-segmenter service
(:mod:`drafter.text.segment_service`). When the ``drafter`` process is killed before it can
stop them (SIGKILL, an out-of-memory kill), nothing tells them: a worker would wait for work
for ever, holding the terminal's output open. :func:`end_with_parent` makes a child notice.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Callable

CHECK_EVERY_S = 0.25


def end_with_parent(parent: int, cleanup: Callable[[], None] | None = None) -> None:
    """In a child forked by process ``parent`` (its pid, taken before the fork: the parent
    may be gone before the child gets here): end this process (after ``cleanup``) once that
    parent is gone. A daemon thread looks every ``CHECK_EVERY_S`` whether the process has
    been handed to another parent (POSIX re-parents orphans); that costs nothing measurable."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(CHECK_EVERY_S)
        try:
            if cleanup is not None:
                cleanup()
        finally:
            os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
