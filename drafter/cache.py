"""On-disk cache of parsed lexicons, so a new ``drafter check`` process does not parse YAML.

Parsing the lexicons (laws.yaml, confusions.yaml …, ~270 KB of YAML) is most of what a cold
check used to spend before its first rule ran. The parsed data is stored once, as a pickle of
plain data (dicts, lists, strings, numbers, dates), and read back in a fraction of the time.

- **Where**: next to the package data (``drafter/data/.cache/``) when that folder is writable
  (a source checkout, a user's own virtualenv); otherwise in the user cache,
  ``$DRAFTER_CACHE_DIR/lexicons``, else ``$XDG_CACHE_HOME/drafter/lexicons``, else
  ``~/.cache/drafter/lexicons`` (the LLM response cache is the sibling ``llm`` folder).
  Deleting the folder clears the cache; it is rebuilt on the next run.
- **Invalidation**: an entry's name carries a SHA-256 of the source file's bytes, the drafter
  version, the Python version and this module's format number; any change is a miss, and the
  outdated entries of that file are removed when the new one is written.
- **Safety**: written atomically (temp file + rename; concurrent processes never see a torn
  entry); an entry that fails its checksum or does not load is ignored and rebuilt; loading
  admits plain data only (no class but ``datetime.date``/``datetime.datetime``), so a planted
  file cannot run code; a folder that cannot be written is skipped silently — the cache only
  ever saves time, it never changes a result. No network, ever.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import zlib
from pathlib import Path
from typing import Any, Callable

FORMAT = 1
SUFFIX = ".pickle"
_MAGIC = b"drafter-lexicon-cache\n"
PACKAGE_CACHE = Path(__file__).resolve().parent / "data" / ".cache"


def user_cache_dir() -> Path:
    """``$DRAFTER_CACHE_DIR/lexicons``, else ``$XDG_CACHE_HOME/drafter/lexicons``, else
    ``~/.cache/drafter/lexicons``."""
    if os.environ.get("DRAFTER_CACHE_DIR"):
        return Path(os.environ["DRAFTER_CACHE_DIR"]) / "lexicons"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "drafter" / "lexicons"


def cache_dirs() -> tuple[Path, ...]:
    """Where entries are looked for, and written to (the first that takes them)."""
    return (PACKAGE_CACHE, user_cache_dir())


def entry_key(name: str, source: bytes) -> str:
    """The key of the parsed form of ``source`` (the bytes of data file ``name``)."""
    from drafter.version import __version__

    h = hashlib.sha256()
    for part in (f"{FORMAT}|{__version__}|{sys.version}|{name}|".encode(), source):
        h.update(part)
    return h.hexdigest()


def cached(name: str, source: bytes, parse: Callable[[], Any],
           dirs: tuple[Path, ...] | None = None) -> Any:
    """``parse()`` — the data of file ``name`` whose bytes are ``source`` — from the cache when
    an entry for exactly these bytes exists, else parsed now and stored for the next process."""
    key = entry_key(name, source)
    dirs = cache_dirs() if dirs is None else dirs
    file_name = f"{_stem(name)}.{key[:32]}{SUFFIX}"
    for d in dirs:
        found = _read(d / file_name, key)
        if found is not None:
            return found[0]
    value = parse()
    payload = _dump(value)
    if payload is not None:
        for d in dirs:
            if _write(d, file_name, key, payload):
                break
    return value


def _stem(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)


def _dump(value: Any) -> bytes | None:
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        _load(data)  # only what loads back is stored (plain data, see _PlainUnpickler)
    except Exception:  # noqa: BLE001 — not cacheable: simply not cached
        return None
    return data


def _read(path: Path, key: str) -> tuple[Any] | None:
    """(value,) of a valid entry at ``path``; None when missing, stale, corrupt or unreadable."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    header_len = len(_MAGIC) + 64 + 1 + 8 + 1
    if len(blob) < header_len or not blob.startswith(_MAGIC):
        return None
    stored_key = blob[len(_MAGIC):len(_MAGIC) + 64].decode("ascii", "replace")
    crc = blob[len(_MAGIC) + 65:len(_MAGIC) + 73]
    payload = blob[header_len:]
    if stored_key != key or crc != b"%08x" % zlib.crc32(payload):
        return None
    try:
        return (_load(payload),)
    except Exception:  # noqa: BLE001 — a damaged entry is a miss
        return None


def _write(folder: Path, file_name: str, key: str, payload: bytes) -> bool:
    """Store an entry atomically in ``folder``; False when the folder cannot take it."""
    from drafter.errors import DrafterError
    from drafter.io import atomic_write_bytes

    blob = _MAGIC + key.encode("ascii") + b"\n" + b"%08x" % zlib.crc32(payload) + b"\n" + payload
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(folder / file_name, blob, force=True)
    except (OSError, DrafterError):
        return False
    _remove_outdated(folder, file_name)
    return True


def _remove_outdated(folder: Path, keep: str) -> None:
    """Remove the entries of the same data file under other keys (best effort)."""
    stem = keep.rsplit(".", 2)[0]
    try:
        for p in folder.iterdir():
            if p.name != keep and p.name.endswith(SUFFIX) and p.name.rsplit(".", 2)[0] == stem:
                p.unlink()
    except OSError:
        pass


class _PlainUnpickler(pickle.Unpickler):
    """Builds containers, strings, numbers and dates only: no other class, no callable."""

    _ALLOWED = {("datetime", "date"), ("datetime", "datetime")}

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


def _load(payload: bytes) -> Any:
    return _PlainUnpickler(io.BytesIO(payload)).load()
