"""What the `drafter` program starts before the rest of drafter loads.

A folder check shares one word-segmenter service (:mod:`drafter.text.segment_service`); its
load (~0.3 s of CPU) runs on the second core while this process starts. Forked when
:mod:`drafter.cli` begins to load — before its pattern cache, click and the commands — it is
ready sooner, instead of still loading while the reports are being checked. Only for the
plainest folder check, ``drafter check PATH…`` without any option, so no option has to be
understood before click reads them; ``check`` adopts the service (:func:`adopt`), and
starts one itself for every other folder check that calls for it.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from drafter.text.segment_service import SegmenterService

_STARTED: list["SegmenterService"] = []


def holds_files(paths: tuple[str, ...] | list[str], count: int) -> bool:
    """Whether the folders among ``paths`` hold at least ``count`` files (by name only)."""
    seen = 0
    for p in paths:
        if os.path.isdir(p):
            for _, _, names in os.walk(p):
                seen += len(names)
                if seen >= count:
                    return True
    return False


def is_program(argv: list[str]) -> bool:
    """Whether ``argv`` is the `drafter` program's own (the console script or
    ``python -m drafter``), not that of a process that imports drafter.cli."""
    if not argv:
        return False
    return os.path.basename(argv[0]) == "drafter" or \
        argv[0].endswith(os.path.join("drafter", "__main__.py"))


def plain_folder_check(argv: list[str]) -> bool:
    """``drafter check PATH…`` with no option, and enough files in its folders to share a
    segmenter (:data:`~drafter.text.segment_service.SHARE_FROM_FILES`)."""
    args = argv[1:]
    if not (is_program(argv) and len(args) >= 2 and args[0] == "check"
            and not any(a.startswith("-") for a in args[1:])
            and any(os.path.isdir(a) for a in args[1:])):
        return False  # (a single report's cold check imports nothing for it)
    from drafter.text.segment_service import SHARE_FROM_FILES

    return holds_files(args[1:], SHARE_FROM_FILES)


def start(argv: list[str] | None = None) -> None:
    """Start the service now when ``argv`` (default: this program's) is a plain folder check."""
    argv = sys.argv if argv is None else argv
    if _STARTED or not plain_folder_check(argv):
        return
    from drafter.text.segment_service import SegmenterService

    service = SegmenterService()
    if service.start():
        _STARTED.append(service)


def adopt() -> "SegmenterService | None":
    """The service :func:`start` started, handed over once (the caller stops it)."""
    return _STARTED.pop() if _STARTED else None
