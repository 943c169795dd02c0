"""Uploaded files on the server: one random folder per upload, content checked, deleted later.

- **Names are never paths.** A folder is ``<root>/<random id>/``; an upload is stored as
  ``NN.<ext>`` where ``ext`` is the type its *content* was recognised as. The name the user's
  browser sent is kept only as text to show (``display_name``) and to name downloads.
- **Content, not only the extension.** ``.docx`` must be a zip holding ``word/document.xml``,
  ``.xlsx`` a zip holding ``xl/workbook.xml``, ``.yaml``/``.txt``/``.md`` text that the report
  reader can decode (:func:`drafter.report.readers.decode_text`), ``.doc``/``.wps`` what
  LibreOffice reads as a Word document (:func:`drafter.docx.convert.is_legacy_word`: the binary
  format, RTF, Word's HTML/XML, or a .docx renamed); a mismatch is refused.
- **Expiry.** Every folder carries a stamp touched when it is created or used; folders whose
  stamp is older than ``keep_seconds`` are deleted by :meth:`UploadStore.purge_expired`
  (the app calls it periodically), except the ones a running job still uses and the ones the
  user chose to keep (:meth:`UploadStore.keep`: until a date, ``drafter serve --keep-days``).
- **A root of our own.** Uploads never go straight into a folder shared with others, and the
  server never changes a folder's mode or touches what it did not create (see UploadStore).
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

ID_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")  # secrets.token_urlsafe(16)
STAMP = ".stamp"
META = "meta.json"

# extension -> (what it must contain, Chinese name). "text": decodable text, not a zip.
FILE_TYPES: dict[str, tuple[str, str]] = {
    ".docx": ("word/document.xml", "Word 文档"),
    ".xlsx": ("xl/workbook.xml", "Excel 工作簿"),
    ".yaml": ("text", "YAML 文本"),
    ".yml": ("text", "YAML 文本"),
    ".txt": ("text", "纯文本"),
    ".md": ("text", "Markdown 文本"),
    ".doc": ("legacy", "旧版 Word 文档"),
    ".wps": ("legacy", "WPS 文字文档"),
}
PART_LABELS = {"word/document.xml": "Word 文档", "xl/workbook.xml": "Excel 工作簿"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # encrypted OOXML and the old binary .doc/.xls
# .doc/.wps are converted by LibreOffice, as on the command line (drafter.docx.convert).
REPORT_TYPES = (".docx", ".doc", ".wps", ".txt", ".md")
FACTS_TYPES = (".xlsx", ".yaml", ".yml")


class UploadRejected(Exception):
    """An upload refused before it is stored: ``message`` is one Chinese line for the page."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class StoredFile:
    path: Path  # <root>/<id>/NN.<ext>: chosen by us
    display_name: str  # what the user called it: shown, never opened
    suffix: str


def display_name(raw: str | None, fallback: str = "未命名文件") -> str:
    """The user's file name as safe text: last path component only, no control characters,
    at most 80 characters (keeping the extension)."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().rstrip(". ")
    if not name:
        return fallback
    if len(name) > 80:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 80 - len(ext) - 2] + "…." + ext) if dot and len(ext) <= 6 else name[:79] + "…"
    return name


def declared_suffix(raw: str | None) -> str:
    name = display_name(raw, "")
    return ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""


def sniff(data: bytes, name: str, allowed: tuple[str, ...]) -> str:
    """The suffix the upload is stored under, after checking that its content is what its
    extension says; UploadRejected (with a Chinese message naming ``name``) otherwise."""
    suffix = declared_suffix(name)
    kinds = "、".join(dict.fromkeys(s for s in allowed if s != ".yml"))
    if suffix not in allowed:
        raise UploadRejected(f"{name}：不支持的文件类型“{suffix or '无扩展名'}”，请上传 {kinds} 文件")
    if not data:
        raise UploadRejected(f"{name}：文件是空的")
    member, label = FILE_TYPES[suffix]
    found = _zip_main_part(data)
    if member == "legacy":
        from drafter.docx.convert import is_legacy_word

        if found == "word/document.xml" or is_legacy_word(data[:1024]):
            return suffix
        raise UploadRejected(f"{name}：文件内容不是{label}（扩展名为 {suffix}）")
    if member == "text":
        if found or data.startswith((OLE_MAGIC, b"PK\x03\x04")):
            what = PART_LABELS.get(found or "", "二进制文件（压缩包或旧版 Office 文档）")
            raise UploadRejected(f"{name}：文件内容是{what}，与扩展名 {suffix} 不符")
        from drafter.errors import InputError
        from drafter.report.readers import decode_text

        try:
            decode_text(data, name)
        except InputError as e:
            raise UploadRejected(e.one_line()) from None
        return suffix
    if found != member:
        if found:
            raise UploadRejected(f"{name}：文件内容是{PART_LABELS[found]}，与扩展名 {suffix} 不符")
        if data.startswith(OLE_MAGIC):
            raise UploadRejected(f"{name}：文件是加密的 Office 文档或旧版 .doc/.xls 格式，"
                                 f"请取消密码或另存为 {suffix} 后上传")
        raise UploadRejected(f"{name}：文件内容不是{label}（扩展名为 {suffix}）")
    return suffix


def _zip_main_part(data: bytes) -> str | None:
    """``word/document.xml`` or ``xl/workbook.xml`` when ``data`` is a zip holding it."""
    if not data.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        return None
    for part in ("word/document.xml", "xl/workbook.xml"):
        if part in names:
            return part
    return None


class UploadStore:
    """Random folders under a root of our own, deleted after ``keep_seconds`` without use.

    The root (:func:`choose_root`): a new temporary folder ``drafter-web-…`` (removed on exit),
    or ``upload_dir`` itself when it is absent (created 0700) or holds nothing but upload
    folders of ours, or else a new ``drafter-web-…`` folder inside it (removed on exit) — so
    a shared folder (``--upload-dir /tmp``) keeps its mode and nothing in it that this server
    did not create is ever touched. A temporary root holds a lock for as long as the server
    runs; a root whose lock is free belonged to a server that was killed, and the next one
    started in the same place removes it (:func:`remove_stale_roots`).
    """

    def __init__(self, root: str | os.PathLike[str] | None, keep_seconds: float,
                 max_file_bytes: int):
        self.root, self.owned = choose_root(root)
        self._lock = _hold_lock(self.root) if self.owned else None
        self.keep_seconds = keep_seconds
        self.max_file_bytes = max_file_bytes

    # -- folders ------------------------------------------------------------------------------
    def new_folder(self, kind: str) -> tuple[str, Path]:
        fid = secrets.token_urlsafe(16)
        folder = self.root / fid
        folder.mkdir(mode=0o700)
        self.write_meta(folder, {"kind": kind, "created": time.time(), "files": []})
        self.touch(folder)
        return fid, folder

    def folder(self, fid: str, kind: str | None = None) -> Path | None:
        """The folder of ``fid`` when it exists (and is of ``kind``); None otherwise."""
        if not ID_RE.match(fid or ""):
            return None
        folder = self.root / fid
        meta = self.read_meta(folder)
        if meta is None or (kind is not None and meta.get("kind") != kind):
            return None
        return folder

    def remove(self, fid: str) -> None:
        """Delete a folder at once (an upload that was refused, a job that could not start)."""
        if ID_RE.match(fid or ""):
            shutil.rmtree(self.root / fid, ignore_errors=True)

    @staticmethod
    def touch(folder: Path) -> None:
        (folder / STAMP).touch()

    @staticmethod
    def read_meta(folder: Path) -> dict | None:
        try:
            return json.loads((folder / META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    @staticmethod
    def write_meta(folder: Path, meta: dict) -> None:
        tmp = folder / (META + ".tmp")
        tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, folder / META)

    def keep(self, folder: Path, seconds: float) -> float:
        """Keep ``folder`` for ``seconds`` from now whether used or not; returns the time
        (epoch seconds) it is kept until."""
        meta = self.read_meta(folder) or {}
        meta["keep_until"] = time.time() + seconds
        self.write_meta(folder, meta)
        return meta["keep_until"]

    def kept_until(self, folder: Path) -> float | None:
        """Until when the user chose to keep ``folder`` (epoch seconds), or None."""
        value = (self.read_meta(folder) or {}).get("keep_until")
        return float(value) if isinstance(value, (int, float)) else None

    # -- files --------------------------------------------------------------------------------
    def save(self, folder: Path, index: int, data: bytes, raw_name: str | None,
             allowed: tuple[str, ...]) -> StoredFile:
        """Check and store one upload as ``NN.<ext>`` in ``folder``."""
        name = display_name(raw_name)
        if len(data) > self.max_file_bytes:
            raise UploadRejected(f"{name}：文件过大（{len(data) / 1024 / 1024:.1f} MB，上限 "
                                 f"{self.max_file_bytes / 1024 / 1024:.0f} MB）", status=413)
        suffix = sniff(data, name, allowed)
        path = folder / f"{index:02d}{suffix}"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return StoredFile(path=path, display_name=name, suffix=suffix)

    # -- expiry -------------------------------------------------------------------------------
    def purge_expired(self, busy: set[str] | frozenset[str] = frozenset(),
                      now: float | None = None) -> int:
        """Delete folders unused for longer than ``keep_seconds``; returns how many."""
        now = time.time() if now is None else now
        removed = 0
        try:
            entries = list(os.scandir(self.root))
        except OSError:
            return 0
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False) or not ID_RE.match(entry.name) \
                    or entry.name in busy or not os.path.exists(os.path.join(entry.path, META)):
                continue  # not an upload folder of ours, or in use
            try:
                used = os.stat(Path(entry.path) / STAMP).st_mtime
            except OSError:
                used = entry.stat(follow_symlinks=False).st_mtime
            if now - used > self.keep_seconds:
                until = self.kept_until(Path(entry.path))
                if until is not None and now < until:
                    continue
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
        return removed

    def close(self) -> None:
        """Remove the whole store when it was a temporary folder of our own."""
        if self.owned:
            shutil.rmtree(self.root, ignore_errors=True)
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


# -- the root -------------------------------------------------------------------------------------

ROOT_PREFIX = "drafter-web-"
LOCK = ".drafter-web.lock"
STALE_AFTER_S = 60.0  # a root younger than this may be a server still starting


def choose_root(upload_dir: str | os.PathLike[str] | None) -> tuple[Path, bool]:
    """(root, owned): owned roots are temporary folders of this server (removed on exit)."""
    if upload_dir is None:
        parent = Path(tempfile.gettempdir())
        remove_stale_roots(parent)
        return Path(tempfile.mkdtemp(prefix=ROOT_PREFIX, dir=parent)), True
    d = Path(upload_dir)
    if not d.exists() and not d.is_symlink():
        d.parent.mkdir(parents=True, exist_ok=True)
        try:
            d.mkdir(mode=0o700)
            return d, False
        except FileExistsError:
            pass  # created meanwhile by someone else: not ours
    if _ours(d):
        return d, False
    if not d.is_dir():
        from drafter.errors import ConfigError

        raise ConfigError(f"--upload-dir {d}：不是文件夹", "请指定一个文件夹（不存在时会自动创建）")
    remove_stale_roots(d)
    return Path(tempfile.mkdtemp(prefix=ROOT_PREFIX, dir=d)), True


def _ours(d: Path) -> bool:
    """A real folder of this user, writable by nobody else, holding only upload folders."""
    try:
        st = d.lstat()
        if not stat.S_ISDIR(st.st_mode) or (st.st_mode & 0o022) or \
                (hasattr(os, "getuid") and st.st_uid != os.getuid()):
            return False
        return all(e.is_dir(follow_symlinks=False) and ID_RE.match(e.name)
                   and os.path.exists(os.path.join(e.path, META)) for e in os.scandir(d))
    except OSError:
        return False


def _hold_lock(root: Path) -> int | None:
    """Lock ``root/.drafter-web.lock`` for the life of this process (None where file locks are
    not available: such roots are then never taken for stale)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return None
    fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def remove_stale_roots(parent: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary roots under ``parent`` left by servers that were killed: folders
    named ``drafter-web-…``, of this user, holding a lock file that nobody holds any more."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return []
    now = time.time() if now is None else now
    removed = []
    try:
        entries = [e for e in os.scandir(parent) if e.name.startswith(ROOT_PREFIX)]
    except OSError:
        return removed
    for e in entries:
        try:
            st = e.stat(follow_symlinks=False)
            if not e.is_dir(follow_symlinks=False) or now - st.st_mtime < STALE_AFTER_S or \
                    (hasattr(os, "getuid") and st.st_uid != os.getuid()):
                continue
            fd = os.open(os.path.join(e.path, LOCK), os.O_RDWR | os.O_NOFOLLOW)
        except OSError:
            continue  # no lock file: not a root of this kind
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a running server holds it
        finally:
            os.close(fd)
        shutil.rmtree(e.path, ignore_errors=True)
        removed.append(Path(e.path))
    return removed

