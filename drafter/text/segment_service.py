"""The word segmenter in a process of its own, shared by the workers of a folder check.

rjieba builds its dictionary when it is imported (~0.2 s of CPU), in every process that
needs it. In ``drafter check FOLDER`` each worker process would pay that as soon as one of its
reports needs the segmenter (a name beside a role word, a few short phrases), on the critical
path of the whole run.

:class:`SegmenterService` loads it once, in a process forked before anything else of the
check (its load overlaps with the parent's own start, while the second core is idle). Every
process of the check asks it over a private local socket (``AF_UNIX`` in a temporary folder
only the user can open; both sides prove they hold a random key before anything is read:
nothing leaves the machine), one short string at a time. The answers are rjieba's own: the
same library with the same domain words (:mod:`drafter.text.segment`). The socket listens
before the service is forked, so a refused connection means the service is gone; a process
that cannot reach it, or whose service could not load the segmenter, loads its own as before.

The service ends with the check (:meth:`SegmenterService.stop`), and by itself when the
process that started it is gone (:func:`drafter.processes.end_with_parent`), removing its
folder either way.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import socket

SHARE_FROM_FILES = 8  # a folder check of this many files shares one segmenter

# What a client may ask: rjieba's calls that drafter.text.segment makes.
CALLS = frozenset({"cut", "tag", "has_word", "suggest_freq"})
# Loaded with the dictionary: a name the dictionary lacks makes rjieba build its HMM tagging
# model (~0.05 s), which would otherwise be a worker's wait on its first call.
WARM_UP = "法律顾问薛宝庆律师"
UNAVAILABLE = "unavailable"  # the answer of a service that could not load the segmenter


class AuthenticationError(Exception):
    """The other end of a connection does not hold the key."""


# Messages longer than this are no answer of ours (a tagged short string is a few KB); before
# both ends have proved the key, nothing longer than a challenge is read at all.
_MAX_MESSAGE = 1 << 24
_CHALLENGE = 32  # bytes of a challenge; its answer is an HMAC-SHA256 of them


class Channel:
    """Pickled messages over a stream socket, each after its length (4 bytes): what
    ``multiprocessing.connection.Connection`` sends, without loading ``multiprocessing``
    (~15 ms of every process of a folder check). Both ends first prove they hold the key
    (:meth:`challenge`, :meth:`answer`: an HMAC of a random challenge, each way, as
    ``multiprocessing``'s ``deliver_challenge``/``answer_challenge`` do); nothing is
    unpickled before."""

    def __init__(self, sock: "socket.socket") -> None:
        self._sock = sock

    def send_bytes(self, data: bytes) -> None:
        self._sock.sendall(len(data).to_bytes(4, "big") + data)

    def recv_bytes(self, limit: int = _MAX_MESSAGE) -> bytes:
        size = int.from_bytes(self._read(4), "big")
        if size > limit:
            raise AuthenticationError(f"message of {size} bytes")
        return self._read(size)

    def _read(self, n: int) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            chunk = self._sock.recv(n - len(buf))
            if not chunk:
                raise EOFError("connection closed")
            buf += chunk
        return bytes(buf)

    def send(self, obj: Any) -> None:
        import pickle

        self.send_bytes(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))

    def recv(self) -> Any:
        import pickle

        return pickle.loads(self.recv_bytes())

    def challenge(self, key: bytes) -> None:
        """Ask the other end to prove it holds ``key`` (AuthenticationError if it does not)."""
        import hmac

        nonce = os.urandom(_CHALLENGE)
        self.send_bytes(nonce)
        got = self.recv_bytes(64)
        if not hmac.compare_digest(got, hmac.new(key, nonce, "sha256").digest()):
            self.send_bytes(b"refused")
            raise AuthenticationError("wrong key")
        self.send_bytes(b"welcome")

    def answer(self, key: bytes) -> None:
        """Prove to the other end that this one holds ``key``."""
        import hmac

        nonce = self.recv_bytes(_CHALLENGE)
        self.send_bytes(hmac.new(key, nonce, "sha256").digest())
        if self.recv_bytes(16) != b"welcome":
            raise AuthenticationError("refused")

    def close(self) -> None:
        self._sock.close()


def connect(address: str, key: bytes) -> Channel:
    """A channel to the service listening at ``address``, both ends having proved ``key``
    (the service asks first)."""
    import socket

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(address)
        ch = Channel(sock)
        ch.answer(key)
        ch.challenge(key)
    except BaseException:
        sock.close()
        raise
    return ch


class Remote:
    """rjieba's calls, answered by the service through one connection of this process (one
    call at a time: threads take turns)."""

    def __init__(self, conn: Channel) -> None:
        self._conn: Channel | None = conn
        self._lock = threading.Lock()

    def _call(self, name: str, *args: Any) -> Any:
        with self._lock:
            conn = self._conn
            if conn is not None:
                try:
                    conn.send((name, args))
                    ok, value = conn.recv()
                except BaseException as e:
                    # Gone, or interrupted between question and answer (the next answer
                    # would be this one's): the connection is never used again.
                    self._conn = None
                    _close(conn)
                    if not isinstance(e, (OSError, EOFError)):
                        raise
                else:
                    if ok:
                        return value
                    if value != UNAVAILABLE:
                        raise RuntimeError(value)
        # The service is gone or has no segmenter: this process loads its own.
        from drafter.text import segment

        segment.share(None)
        return getattr(segment._jieba(), name)(*args)

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            _close(conn)

    def cut(self, text: str) -> list[str]:
        return self._call("cut", text)

    def tag(self, text: str) -> list[tuple[str, str]]:
        return self._call("tag", text)

    def has_word(self, word: str) -> bool:
        return self._call("has_word", word)

    def suggest_freq(self, word: str) -> int:
        return self._call("suggest_freq", word)


def _close(conn: Any) -> None:
    try:
        conn.close()
    except OSError:
        pass


class SegmenterService:
    """Start with :meth:`start`; :func:`drafter.text.segment` then asks it, in this process
    and in processes forked from it, until :meth:`stop`."""

    def __init__(self) -> None:
        self._folder: str | None = None
        self._address = ""
        self._key = b""
        self._pid = 0  # the service process
        self._conn: tuple[int, Remote] | None = None  # (pid, connection) of this process
        self._connecting = threading.Lock()

    # -- the owner's side --------------------------------------------------------------------
    def start(self) -> bool:
        """Fork the service and let :mod:`drafter.text.segment` use it. False, with nothing
        started or left behind, where it cannot run: no ``fork`` or ``AF_UNIX``, no usable
        temporary folder, a socket path too long, a failed fork. Little happens before the
        fork: the service imports what it needs itself."""
        import socket
        import tempfile

        from drafter.text import segment

        if not hasattr(os, "fork") or not hasattr(socket, "AF_UNIX"):
            return False
        folder = None
        try:
            folder = tempfile.mkdtemp(prefix="drafter-seg-")  # mode 0700
            address = os.path.join(folder, "s")
            if len(address.encode()) > 100:  # sun_path holds 108 bytes
                raise OSError("socket path too long")
            listening = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                listening.bind(address)
                listening.listen(64)
                key, owner = os.urandom(32), os.getpid()
                pid = os.fork()
                if pid == 0:  # the service
                    _serve(listening, key, folder, owner)  # never returns
            finally:
                listening.close()  # this process's copy; the service has its own
        except OSError:
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
            return False
        self._folder, self._address, self._key, self._pid = folder, address, key, pid
        segment.share(self)
        return True

    def stop(self, wait: bool = True) -> None:
        """Stop the service; this process loads its own segmenter from now on. ``wait=False``
        (a program about to end): told to end, it is not waited for (~10 ms of freeing its
        dictionary); its folder is gone either way."""
        from drafter.text import segment

        segment.share(None)
        conn, self._conn = self._conn, None
        pid, self._pid = self._pid, 0
        folder, self._folder = self._folder, None
        try:
            if conn is not None and conn[0] == os.getpid():
                conn[1].close()
            if pid:
                try:
                    os.kill(pid, signal.SIGTERM)
                    if wait:
                        os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass
        finally:
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)

    # -- every client's side -----------------------------------------------------------------
    def client(self) -> Remote | None:
        """This process's connection to the service (made on first use, again after a fork);
        None when the service cannot be reached (it listened before it was forked: a refused
        connection means it is gone)."""
        with self._connecting:
            pid = os.getpid()
            if self._conn is not None and self._conn[0] == pid:
                return self._conn[1]
            if not self._address:
                return None
            try:
                conn = connect(self._address, self._key)
            except Exception:  # refused, gone, a failed handshake: load our own
                return None
            remote = Remote(conn)
            self._conn = (pid, remote)
            return remote


def _serve(listening: "socket.socket", key: bytes, folder: str, owner: int) -> None:
    """The service process: load the segmenter (in a thread, while the first clients
    connect), answer every connection in a thread of its own (the key handshake there too, so
    a client that stalls holds up no other); end when told to (SIGTERM) or when the process
    that started it is gone, removing the folder."""
    code = 0

    def remove() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    def gone(*_: object) -> None:
        remove()
        os._exit(code)

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        signal.signal(signal.SIGTERM, gone)
        from drafter.processes import end_with_parent
        from drafter.text import segment

        segment.share(None)
        end_with_parent(owner, remove)
        jieba: list[Any] = []
        loaded = threading.Event()

        def load() -> None:
            try:
                j = segment._jieba()
                j.tag(WARM_UP)
                jieba.append(j)
            except Exception:  # noqa: BLE001 — every client then loads its own
                pass
            finally:
                loaded.set()

        threading.Thread(target=load, daemon=True).start()

        def answer(sock: "socket.socket") -> None:
            conn = Channel(sock)
            try:
                serve(conn)
            finally:
                conn.close()

        def serve(conn: Channel) -> None:
            try:  # both ends hold the key before anything is unpickled
                conn.challenge(key)
                conn.answer(key)
            except Exception:  # noqa: BLE001 — not one of ours, or gone
                return
            while True:
                try:
                    name, args = conn.recv()
                except Exception:  # noqa: BLE001 — the client is gone
                    return
                loaded.wait()
                if not jieba:
                    reply: tuple[bool, Any] = (False, UNAVAILABLE)
                elif name not in CALLS:
                    reply = (False, f"segmenter: no call {name!r}")
                else:
                    try:
                        reply = (True, getattr(jieba[0], name)(*args))
                    except Exception as e:  # the client raises it as RuntimeError
                        reply = (False, repr(e))
                try:
                    conn.send(reply)
                except Exception:  # noqa: BLE001
                    return

        while True:
            try:
                sock, _ = listening.accept()
            except (InterruptedError, ConnectionAbortedError):
                continue
            threading.Thread(target=answer, args=(sock,), daemon=True).start()
    except BaseException:
        code = 1
    finally:
        gone()
