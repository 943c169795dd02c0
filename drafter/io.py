"""Writing outputs safely: to a temporary file beside the target, then renamed into place.

Nothing is ever half-written (an interrupted run leaves no partial file) and an existing file
is never replaced without ``force``.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from drafter.errors import OutputError


def check_output_path(path: str | os.PathLike[str], force: bool = False) -> Path:
    """Validate an output path before any work is done; raises OutputError (exit 2)."""
    p = Path(path)
    if p.exists() and p.is_dir():
        raise OutputError(f"{p}：是文件夹，不能作为输出文件", "请指定输出文件名，如 报告.docx")
    if p.exists() and not force:
        raise OutputError(f"{p}：文件已存在，未覆盖", "如需覆盖请加 --force，或换一个文件名")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.exists():
        raise OutputError(f"{p}：输出文件夹“{parent}”不存在", "请先创建该文件夹或换一个输出位置")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"{p}：输出文件夹“{parent}”不可写", "请换一个有写入权限的位置")
    return p


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, force: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically (temp file + rename)."""
    p = check_output_path(path, force)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=str(p.parent or "."))
    except OSError as e:  # read-only file system, no space for the entry, …
        raise _write_failed(p, e) from None
    try:
        # mkstemp creates the file 0600; give it the mode an ordinary new file gets (or the
        # mode of the file it replaces), so outputs stay readable by whoever could read them.
        os.fchmod(fd, _target_mode(p))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            os.replace(tmp, p)
        else:
            # link() fails if the name exists: no window in which another process's file
            # created after the first check could be replaced.
            try:
                os.link(tmp, p)
            except FileExistsError:
                raise OutputError(f"{p}：文件已存在，未覆盖",
                                  "如需覆盖请加 --force，或换一个文件名") from None
            except OSError:  # a file system without hard links: best effort
                if p.exists():
                    raise OutputError(f"{p}：文件已存在，未覆盖",
                                      "如需覆盖请加 --force，或换一个文件名") from None
                os.replace(tmp, p)
            else:
                os.unlink(tmp)
    except OutputError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    except OSError as e:  # disk full, quota exceeded, I/O error: no traceback, no temp file
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise _write_failed(p, e) from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return p


def _target_mode(p: Path) -> int:
    try:
        return p.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


_ERRNO_TEXT = {errno.ENOSPC: "磁盘空间不足", errno.EDQUOT: "超出磁盘配额",
               errno.EROFS: "只读文件系统", errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限",
               errno.EIO: "磁盘读写错误"}


def _write_failed(p: Path, e: OSError) -> OutputError:
    why = _ERRNO_TEXT.get(e.errno, e.strerror or str(e))
    return OutputError(f"{p}：写入失败（{why}）", "请检查磁盘空间和写入权限；原有文件（如有）未改动")


def atomic_write_text(path: str | os.PathLike[str], text: str, force: bool = False) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"), force)
