"""The word segmenter in a process of its own, shared by the workers of a folder check.

rjieba builds its dictionary when it is imported (~0.2 s of CPU), in every process that
needs it. In ``drafter check FOLDER`` each worker process would pay that as soon as one of its
reports needs the segmenter (a name beside a role word, a few short phrases), on the critical
path of the whole run.

:class:`SegmenterService` loads it once, in a process started before anything else of the
check (its load overlaps with the parent's own start, while the second core is idle). Every
process of the check asks it over a private local socket (``AF_UNIX`` in a temporary folder
only the user can open, with a random key: nothing leaves the machine), one short string at a
time. The answers are rjieba's own: the same library with the same domain words
(:mod:`drafter.text.segment`). When the service cannot be reached, a process loads its own
segmenter as before.

The service ends with the check (:meth:`SegmenterService.stop`), and by itself when the
process that started it is gone (:func:`drafter.processes.end_with_parent`), removing its
folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from multiprocessing.connection import Connection

# What a client may ask: rjieba's calls that drafter.text.segment makes.
CALLS = frozenset({"cut", "tag", "has_word", "suggest_freq"})
WAIT_S = 30.0  # how long a client waits for the service to listen before loading its own
# Loaded with the dictionary: a name the dictionary lacks makes rjieba build its HMM tagging
# model (~0.05 s), which would otherwise be a worker's wait on its first call.
WARM_UP = "法律顾问薛宝庆律师"


class Remote:
    """rjieba's calls, answered by the service through one connection of this process."""

    def __init__(self, conn: "Connection") -> None:
        self._conn = conn

    def _call(self, name: str, *args: Any) -> Any:
        try:
            self._conn.send((name, args))
            ok, value = self._conn.recv()
        except (OSError, EOFError):  # the service is gone: this process loads its own
            from drafter.text import segment

            segment.share(None)
            return getattr(segment._jieba(), name)(*args)
        if not ok:
            raise RuntimeError(value)
        return value

    def cut(self, text: str) -> list[str]:
        return self._call("cut", text)

    def tag(self, text: str) -> list[tuple[str, str]]:
        return self._call("tag", text)

    def has_word(self, word: str) -> bool:
        return self._call("has_word", word)

    def suggest_freq(self, word: str) -> int:
        return self._call("suggest_freq", word)


class SegmenterService:
    """Start with :meth:`start` (or ``with``); :func:`drafter.text.segment` then asks it, in
    this process and in processes forked from it, until :meth:`stop`."""

    def __init__(self) -> None:
        self._folder: str | None = None
        self._address = ""
        self._key = b""
        self._pid = 0  # the service process
        self._conn: tuple[int, Remote] | None = None  # (pid, connection) of this process

    # -- the owner's side --------------------------------------------------------------------
    def start(self) -> bool:
        """Fork the service and let :mod:`drafter.text.segment` use it; False (and nothing
        started) where it cannot run: no ``fork``, a socket path too long. Little happens
        before the fork: the service imports what it needs itself."""
        import tempfile

        from drafter.text import segment

        if not hasattr(os, "fork"):
            return False
        folder = tempfile.mkdtemp(prefix="drafter-seg-")  # mode 0700
        address = os.path.join(folder, "s")
        if len(address.encode()) > 100:  # sun_path holds 108 bytes
            shutil.rmtree(folder, ignore_errors=True)
            return False
        self._folder, self._address, self._key = folder, address, os.urandom(32)
        owner = os.getpid()
        pid = os.fork()
        if pid == 0:  # the service
            _serve(self._address, self._key, folder, owner)  # never returns
        self._pid = pid
        segment.share(self)
        return True

    def stop(self) -> None:
        """Stop the service; this process loads its own segmenter from now on."""
        from drafter.text import segment

        segment.share(None)
        if self._conn is not None and self._conn[0] == os.getpid():
            try:
                self._conn[1]._conn.close()
            except OSError:
                pass
        self._conn = None
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGTERM)
                os.waitpid(self._pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self._pid = 0
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def __enter__(self) -> "SegmenterService":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- every client's side -----------------------------------------------------------------
    def client(self) -> Remote | None:
        """This process's connection to the service (made on first use, again after a fork);
        None when the service cannot be reached."""
        pid = os.getpid()
        if self._conn is not None and self._conn[0] == pid:
            return self._conn[1]
        if not self._address:
            return None
        from multiprocessing.connection import Client

        # Until the service listens: its socket file appears when it binds, and its folder
        # disappears if it fails.
        deadline = time.monotonic() + WAIT_S
        while True:
            try:
                conn = Client(self._address, family="AF_UNIX", authkey=self._key)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline or not os.path.isdir(os.path.dirname(self._address)):
                    return None
                time.sleep(0.002)
            except Exception:  # OSError, EOFError, AuthenticationError: load our own
                return None
        remote = Remote(conn)
        self._conn = (pid, remote)
        return remote


def _serve(address: str, key: bytes, folder: str, owner: int) -> None:
    """The service process: listen, load the segmenter (in a thread, while the first clients
    connect), answer every connection in a thread of its own; end when told to (SIGTERM) or
    when the process that started it is gone."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
        from multiprocessing.connection import Connection, Listener

        from drafter.processes import end_with_parent
        from drafter.text import segment

        segment.share(None)
        listener = Listener(address, family="AF_UNIX", authkey=key)
        # Once the socket file exists (nothing else is created in the folder after it):
        end_with_parent(owner, lambda: shutil.rmtree(folder, ignore_errors=True))
        jieba: list[Any] = []
        loaded = threading.Event()

        def load() -> None:
            try:
                j = segment._jieba()
                j.tag(WARM_UP)
                jieba.append(j)
            finally:
                loaded.set()

        threading.Thread(target=load, daemon=True).start()

        def answer(conn: "Connection") -> None:
            with conn:
                while True:
                    try:
                        name, args = conn.recv()
                    except (EOFError, OSError):
                        return
                    loaded.wait()
                    try:
                        if name not in CALLS or not jieba:
                            raise ValueError(f"segmenter: {name}")
                        reply = (True, getattr(jieba[0], name)(*args))
                    except Exception as e:  # the client raises it as RuntimeError
                        reply = (False, repr(e))
                    try:
                        conn.send(reply)
                    except OSError:
                        return

        while True:
            try:
                conn = listener.accept()
            except OSError:  # a failed handshake: that client loads its own
                continue
            threading.Thread(target=answer, args=(conn,), daemon=True).start()
    except BaseException:
        code = 1
        shutil.rmtree(folder, ignore_errors=True)  # clients load their own; nothing is left
    finally:
        os._exit(code)
