"""Running ``drafter serve`` until Ctrl+C or SIGTERM — and stopping within seconds.

On the first signal the app's ``stopping`` event is set at once (a running check stops at
its next rule, a draft at its next section, waiting drafts are dropped), uvicorn stops
accepting connections and gives open requests :data:`GRACE_S` seconds, then the app's
shutdown removes the temporary upload folder. Whatever is still running after
:data:`EXIT_WITHIN_S` seconds (a model request in flight) is abandoned: the process exits
with code 0 — the uploads are already gone. A second Ctrl+C stops at once.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from typing import Any

import uvicorn

GRACE_S = 2.0  # open requests after the signal (checks stop at the next rule long before)
EXIT_WITHIN_S = 3.5


def run_server(app: Any, host: str, port: int) -> None:
    signalled: list[float] = []

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            if not signalled:
                signalled.append(time.monotonic())
            app.state.stopping.set()
            super().handle_exit(sig, frame)

    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            timeout_graceful_shutdown=GRACE_S)
    # uvicorn re-raises the signal it caught to the handler found before it started: make that
    # a quiet one, so a stop by signal is a normal exit (no KeyboardInterrupt traceback).
    quiet = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        Server(config).run()
    finally:
        for sig, handler in quiet.items():
            # A second SIGTERM while the last requests end kills at once, as it did before
            # drafter's own SIGTERM handler (drafter.cli.run) existed.
            signal.signal(sig, signal.SIG_DFL if sig == signal.SIGTERM else handler)
    _exit_soon(signalled[0] if signalled else time.monotonic())


def _exit_soon(since: float) -> None:
    """Wait for the worker threads up to EXIT_WITHIN_S after the signal; then leave without
    waiting for the rest (Python would join them at exit)."""
    deadline = since + EXIT_WITHIN_S
    for t in threading.enumerate():
        if t is threading.main_thread() or t.daemon:
            continue
        t.join(max(0.0, deadline - time.monotonic()))
    if any(t.is_alive() and not t.daemon for t in threading.enumerate()
           if t is not threading.main_thread()):
        print("drafter 网页版已停止（仍在进行的大模型请求已放弃）。", file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(0)
