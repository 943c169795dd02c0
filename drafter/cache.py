"""On-disk cache of parsed lexicons and compiled patterns, so a new ``drafter`` process
neither parses YAML nor compiles regular expressions that an earlier one did.

A cold ``drafter check`` used to spend most of its time before the first rule ran: parsing the
lexicons (laws.yaml, confusions.yaml …, ~270 KB of YAML) and compiling ~150 regular
expressions (a character class of Chinese characters alone costs a millisecond). Both are
stored once as plain data and read back in a fraction of the time:

- :func:`cached` — the parsed form of a data file (dicts, lists, strings, numbers, dates);
- :class:`PatternCache` — the compiled form of the regular expressions a run used (the
  ``re`` module's own program for each pattern), handed to ``re``'s cache before any drafter
  module is imported, so every ``re.compile`` of those patterns is a look-up (on CPython
  3.11 a pattern is built from its program when first asked for: a ``check`` uses ~200 of
  the ~1,500 programs that drafts, checks and the web server stored together).

- **Where**: next to the package data (``drafter/data/.cache/``) when that folder is writable
  (a source checkout, a user's own virtualenv); otherwise in the user cache,
  ``$DRAFTER_CACHE_DIR/lexicons``, else ``$XDG_CACHE_HOME/drafter/lexicons``, else
  ``~/.cache/drafter/lexicons`` (the LLM response cache is the sibling ``llm`` folder).
  Deleting the folder clears the cache; it is rebuilt on the next run.
- **Invalidation**: an entry's name carries a SHA-256 of the source file's bytes, the drafter
  version, the Python version and this module's format number; any change is a miss, and the
  outdated entries of that file are removed when the new one is written. Compiled patterns
  are keyed by the pattern text itself, under the exact Python build and ``_sre`` version; a
  pattern no longer in the code is simply never looked up.
- :class:`CodeCache` — the compiled code of the methods ``dataclasses`` generates
  (``__init__``, ``__repr__``, ``__eq__`` … of the ~60 record classes a check defines:
  compiling their source was ~20% of a cold check), keyed by that source text.
- **Safety**: written atomically (temp file + rename; concurrent processes never see a torn
  entry); an entry that fails its checksum or does not load is ignored and rebuilt; loading
  admits plain data only (no class but ``datetime.date``/``datetime.datetime``), so a planted
  file cannot run code, and ``_sre`` validates every compiled program it is given; the one
  exception is :class:`CodeCache`, whose entries are Python code objects (as ``__pycache__``
  holds), trusted as the interpreter trusts ``__pycache__``: only in these folders, which only
  the package's installer or the user can write; a folder
  that cannot be written is skipped silently — the cache only ever saves time, it never
  changes a result. No network, ever.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import zlib
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Callable

FORMAT = 1
SUFFIX = ".pickle"
_MAGIC = b"drafter-lexicon-cache\n"
PACKAGE_CACHE = Path(__file__).resolve().parent / "data" / ".cache"


def user_cache_dir(kind: str = "lexicons") -> Path:
    """``$DRAFTER_CACHE_DIR/<kind>``, else ``$XDG_CACHE_HOME/drafter/<kind>``, else
    ``~/.cache/drafter/<kind>`` (``lexicons``; ``facts`` for parsed facts files, ``retrieval``
    for exemplar searches: the user's own data, never next to the package)."""
    if os.environ.get("DRAFTER_CACHE_DIR"):
        return Path(os.environ["DRAFTER_CACHE_DIR"]) / kind
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "drafter" / kind


# Whether the user-data caches (``facts``, ``retrieval``) may be read and written: a run with
# ``--no-cache`` (DraftRequest.cache False) leaves the user cache untouched.
USER_CACHES: ContextVar[bool] = ContextVar("drafter_user_caches", default=True)


def user_data_dirs(kind: str) -> tuple[Path, ...]:
    """Where user data of ``kind`` is cached: ``(user_cache_dir(kind),)``, or none at all
    while :data:`USER_CACHES` is off (then :func:`cached` just parses)."""
    return (user_cache_dir(kind),) if USER_CACHES.get() else ()


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


def _read(path: Path, key: str, load: Callable[[bytes], Any] | None = None) -> tuple[Any] | None:
    """(value,) of a valid entry at ``path`` (``load``: the payload's reader, plain-data
    unpickling by default); None when missing, stale, corrupt or unreadable."""
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
        return ((load or _load)(payload),)
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
    stem, suffix = keep.rsplit(".", 2)[0], keep[keep.rindex("."):]
    try:
        for p in folder.iterdir():
            if p.name != keep and p.name.endswith(suffix) and p.name.rsplit(".", 2)[0] == stem:
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


# ---- compiled regular expressions ---------------------------------------------------------

PATTERN_LIMIT = 2000  # entries kept; beyond it only the patterns of the current run are kept
# Fewer new patterns than this do not rewrite a stored cache: rewriting ~1,100 programs costs
# ~0.1 s, more than compiling a few patterns again. Some patterns are new in every process
# (the standard library's tokenize builds one from a set, whose order varies with the hash
# seed); without this floor every run rewrote the file for them.
PATTERN_MIN_NEW = 8


class PatternCache:
    """The ``re`` programs of the patterns earlier runs compiled (see the module docstring).

    :meth:`preload` puts them into ``re``'s own cache; :meth:`save` stores the patterns this
    run compiled that were not there yet. Both do nothing where the ``re`` internals they rely
    on (CPython 3.11–3.13) are not as expected.
    """

    def __init__(self, dirs: tuple[Path, ...] | None = None) -> None:
        self.dirs = cache_dirs() if dirs is None else dirs
        # (pattern, flags) -> the marshalled arguments of _sre.compile (read when used)
        self.entries: dict[tuple[str, int], bytes] = {}
        self.key = _pattern_key()
        self.file_name = f"patterns.{self.key[:32]}{SUFFIX}" if self.key else ""

    def preload(self) -> int:
        """Load the stored programs into ``re``'s cache; returns how many."""
        import re

        cache = getattr(re, "_cache", None)
        if not self.key or not isinstance(cache, dict):
            return 0
        for d in self.dirs:
            found = _read(d / self.file_name, self.key)
            if found is not None and isinstance(found[0], dict):
                self.entries = found[0]
                break
        if sys.version_info[:2] == (3, 11) and type(cache) in (dict, _StoredPatterns):
            # re's cache is one dict there: a miss compiles the stored program of that pattern
            # only (a run uses ~200 of the stored ~1,500).
            lazy = _StoredPatterns(self.entries)
            lazy.update(cache)
            re._cache = lazy  # type: ignore[attr-defined]
            return len(self.entries)
        loaded = 0
        for pattern, flags in list(self.entries):
            compiled = _stored_pattern(self.entries, pattern, flags)
            if compiled is not None:
                cache.setdefault((str, pattern, flags), compiled)
                loaded += 1
        return loaded

    def save(self) -> bool:
        """Store the programs of the patterns compiled since :meth:`preload` (if any)."""
        import re

        cache = getattr(re, "_cache", None)
        if not self.key or not isinstance(cache, dict):
            return False
        used = [(k[1], k[2]) for k in list(cache) if len(k) == 3 and k[0] is str]
        new = [k for k in used if k not in self.entries]
        if not new or (self.entries and len(new) < PATTERN_MIN_NEW):
            return False
        entries = dict(self.entries) if len(self.entries) + len(new) <= PATTERN_LIMIT else \
            {k: v for k, v in self.entries.items() if k in set(used)}
        import marshal

        for pattern, flags in new:
            args = _program(pattern, flags)
            if args is not None:
                entries[pattern, flags] = marshal.dumps(args)
        payload = _dump(entries)
        if payload is None:
            return False
        self.entries = entries
        return any(_write(d, self.file_name, self.key, payload) for d in self.dirs)


class _StoredPatterns(dict):
    """``re._cache`` (CPython 3.11: keyed ``(type, pattern, flags)``) that, on a miss, builds
    the pattern from its stored program (``_sre`` validates it) instead of compiling it."""

    def __init__(self, programs: dict[tuple[str, int], bytes]) -> None:
        super().__init__()
        self.programs = programs

    def __missing__(self, key: tuple) -> Any:
        compiled = _stored_pattern(self.programs, key[1], key[2]) \
            if len(key) == 3 and key[0] is str else None
        if compiled is None:
            raise KeyError(key)
        self[key] = compiled
        return compiled


def _stored_pattern(programs: dict[tuple[str, int], bytes], pattern: str, flags: int) -> Any:
    """The compiled pattern built from its stored program, or None: none stored, or one that
    does not load or that ``_sre`` rejects (then dropped: the pattern compiles anew)."""
    import _sre
    import marshal

    blob = programs.get((pattern, flags))
    if blob is None:
        return None
    try:
        args = marshal.loads(blob)
        if not (isinstance(args, tuple) and len(args) == 5):
            raise ValueError("not a stored program")
        return _sre.compile(pattern, *args)
    except Exception:  # noqa: BLE001 — a bad program is dropped, the pattern compiles anew
        del programs[pattern, flags]
        return None


def _pattern_key() -> str:
    """What compiled programs depend on: the Python build and the ``_sre`` engine (and how
    entries are stored: one marshalled program each)."""
    try:
        import _sre

        parts = (FORMAT, "marshal", sys.version, sys.platform, _sre.MAGIC, _sre.CODESIZE,
                 _sre.MAXREPEAT)
    except (ImportError, AttributeError):
        return ""
    return _build_key(parts)


def _build_key(parts: tuple) -> str:
    """The key of compiled things that depend on ``parts`` (versions, formats)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _program(pattern: str, flags: int) -> tuple | None:
    """The arguments ``_sre.compile`` takes after ``pattern`` — what ``re.compile`` computes."""
    try:
        from re import _compiler, _parser

        p = _parser.parse(pattern, flags)
        code = _compiler._code(p, flags)
        groupindex = dict(p.state.groupdict)
        indexgroup = [None] * p.state.groups
        for k, i in groupindex.items():
            indexgroup[i] = k
        # Opcodes are int subclasses: stored as plain ints, as _sre reads them.
        return (int(flags | p.state.flags), [int(c) for c in code], int(p.state.groups - 1),
                groupindex, tuple(indexgroup))
    except Exception:  # noqa: BLE001 — not cached; re.compile still works
        return None


# ---- compiled code of generated dataclass methods ----------------------------------------

CODE_LIMIT = 2000  # entries kept; beyond it only the code of the current run is kept


class CodeCache:
    """The code ``dataclasses`` compiled for the classes earlier runs defined.

    ``dataclasses`` writes each generated method as source text and runs it with ``exec``;
    :meth:`install` gives the ``dataclasses`` module an ``exec`` that looks the compiled code
    of that text up here first — the code ``exec`` itself would compile: same text, same
    ``"<string>"`` file name, no compiler flags inherited from this module (its ``from
    __future__ import annotations`` would turn the methods' annotations into strings) — and
    :meth:`save` stores what this run compiled anew. Entries are kept marshalled and loaded
    one by one when their text comes up (a check defines ~300 of the methods drafts, checks
    and the web server stored together). Only code made by this interpreter build is ever
    used (the key holds its version and bytecode magic number); an entry that does not load
    as code is compiled anew; nothing changes where ``dataclasses`` does not call ``exec``
    with a text.
    """

    def __init__(self, dirs: tuple[Path, ...] | None = None) -> None:
        import importlib.util

        self.dirs = cache_dirs() if dirs is None else dirs
        self.key = _build_key((FORMAT, sys.version, importlib.util.MAGIC_NUMBER))
        self.file_name = f"dataclass-methods.{self.key[:32]}.marshal"
        self.stored: dict[str, bytes] = {}  # source text -> marshalled code
        self.new: dict[str, bytes] = {}

    def install(self) -> int:
        """Load the stored entries and hook ``dataclasses``; returns how many loaded."""
        import marshal

        for d in self.dirs:
            found = _read(d / self.file_name, self.key, marshal.loads)
            if found is not None and isinstance(found[0], dict):
                self.stored = found[0]
                break
        import dataclasses

        dataclasses.exec = self._exec  # type: ignore[attr-defined]
        return len(self.stored)

    def code(self, source: str) -> Any:
        """The compiled code of ``source``: stored, else compiled now (and kept for
        :meth:`save`)."""
        import marshal
        import types

        entry = self.stored.get(source)
        if isinstance(entry, bytes):
            try:
                code = marshal.loads(entry)
            except Exception:  # noqa: BLE001 — a damaged entry: compiled anew
                code = None
            if isinstance(code, types.CodeType):
                return code
        code = compile(source, "<string>", "exec", dont_inherit=True)
        if len(self.new) < CODE_LIMIT:  # a long-running server making classes keeps no more
            self.new[source] = marshal.dumps(code)
        return code

    def _exec(self, source: Any, globals: Any = None, locals: Any = None) -> None:
        exec(self.code(source) if isinstance(source, str) else source, globals, locals)

    def save(self) -> bool:
        """Store the code compiled since :meth:`install` (if any)."""
        import marshal

        if not self.new:
            return False
        stored = {**self.stored, **self.new} if len(self.stored) + len(self.new) <= CODE_LIMIT \
            else dict(self.new)
        payload = marshal.dumps(stored)
        self.stored, self.new = stored, {}
        return any(_write(d, self.file_name, self.key, payload) for d in self.dirs)
