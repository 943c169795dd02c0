"""Convert documents with LibreOffice (``soffice --headless --convert-to``).

Used to read old Word/WPS files (.doc/.wps → .docx) and by tests and docs (.docx → .pdf,
.docx → .docx round trips). Each conversion runs with a fresh LibreOffice profile in a
temporary folder (HOME too), macros disabled, links never updated, with a time limit, and —
where the system allows it (``unshare -rn``) — in a namespace with no network at all.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from functools import cache
from pathlib import Path

TIMEOUT_S = 120
MAX_LEGACY_BYTES = 100 * 1024 * 1024  # a .doc report with photos is a few MB

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
</oor:items>
"""


class ConversionError(Exception):
    """LibreOffice is missing, timed out or produced no file (``str()`` says which)."""


def soffice() -> str | None:
    """Path of LibreOffice's ``soffice`` (or ``libreoffice``) on PATH, else None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@cache
def _no_network_prefix() -> tuple[str, ...]:
    """``unshare -rn`` when this system lets an unprivileged process drop the network."""
    exe = shutil.which("unshare")
    if not exe:
        return ()
    try:
        ok = subprocess.run([exe, "-rn", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        ok = False
    return (exe, "-rn") if ok else ()


def convert(src: str | os.PathLike[str], target: str, outdir: str | os.PathLike[str],
            timeout: float = TIMEOUT_S, env: dict[str, str] | None = None,
            infilter: str | None = None) -> Path:
    """Convert ``src`` to ``target`` (a LibreOffice filter spec: "docx", "pdf",
    'pdf:writer_pdf_Export:{…}') into ``outdir``; returns the new file.

    ``env`` adds environment variables (e.g. FONTCONFIG_FILE for rendering); ``infilter``
    names LibreOffice's import filter (None: detect). Raises ConversionError.
    """
    exe = soffice()
    if exe is None:
        raise ConversionError("soffice not found")
    src, outdir = Path(src), Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    ext = target.split(":", 1)[0]
    with tempfile.TemporaryDirectory(prefix="drafter-soffice-") as home:
        user = Path(home) / "profile" / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        run_env = dict(os.environ, HOME=home, **(env or {}))
        cmd = [*_no_network_prefix(), exe, "--headless", "--invisible", "--norestore",
               "--nolockcheck", "--nodefault", "--nologo",
               f"-env:UserInstallation={(Path(home) / 'profile').as_uri()}",
               *([f"--infilter={infilter}"] if infilter else []),
               "--convert-to", target, "--outdir", str(outdir), str(src)]
        proc = subprocess.Popen(cmd, env=run_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ConversionError(f"soffice timed out after {timeout:g} s") from None
    out = outdir / f"{src.stem}.{ext}"
    if proc.returncode != 0 or not out.exists():
        raise ConversionError(f"soffice failed ({proc.returncode}): "
                              f"{err.decode('utf-8', 'replace').strip()[-300:]}")
    return out


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: Word 97–2003 .doc, WPS .wps


def _input_filter(head: bytes) -> str | None | bool:
    """LibreOffice's import filter for a legacy file by its first bytes: a filter name, None
    (let LibreOffice detect: HTML or Word 2003 XML saved as .doc), or False (not a Word file:
    LibreOffice would import arbitrary bytes as plain text)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_OLE2):
        return "MS Word 97"  # WPS Office writes .wps in the same binary format
    if text.startswith(b"{\\rtf"):
        return "Rich Text Format"
    if text.startswith((b"<html", b"<!doctype html", b"<?xml", b"<meta", b"<head")):
        return None
    return False


def is_legacy_word(head: bytes) -> bool:
    """Whether a file starting with ``head`` is one LibreOffice reads as a Word/WPS document
    (the binary format, RTF, Word's HTML or XML) — what a .doc/.wps upload may be."""
    return _input_filter(head) is not False


def legacy_to_docx(src: str | os.PathLike[str], name: str) -> bytes:
    """The .docx bytes of an old Word/WPS file (.doc/.wps) converted by LibreOffice (a .docx
    merely renamed .doc is returned as it is).

    Raises InputError with a Chinese message when LibreOffice is missing or fails, or the
    file is not a Word document.
    """
    from drafter.errors import InputError

    suffix = Path(src).suffix.lower()
    hint = "请在 Word 或 WPS 中“另存为” .docx 后重试"
    failed = InputError(f"{name}：不支持旧版 Word/WPS 格式（{suffix}），LibreOffice 也无法转换此文件"
                        "（可能已损坏、加密或不是 Word 文档）", hint)
    try:
        if Path(src).stat().st_size > MAX_LEGACY_BYTES:
            raise InputError(f"{name}：文件过大（超过 {MAX_LEGACY_BYTES // 1024 // 1024} MB）",
                             "请确认文件是否正确，或另存为 .docx 后重试")
        data = Path(src).read_bytes()
    except OSError as e:
        raise InputError(f"{name}：无法读取（{e.strerror or e}）",
                         "请检查文件是否存在、是否有读取权限") from None
    if data.startswith(b"PK\x03\x04"):
        return data  # a .docx with the wrong extension
    if soffice() is None:
        raise InputError(f"{name}：不支持旧版 Word/WPS 格式（{suffix}），本机也没有可用于转换的 "
                         "LibreOffice", hint + "，或安装 LibreOffice")
    infilter = _input_filter(data[:1024])
    if infilter is False:
        raise failed
    with tempfile.TemporaryDirectory(prefix="drafter-legacy-") as tmp:
        # A plain ASCII name: soffice names its output after the input.
        copy = Path(tmp) / f"input{suffix}"
        copy.write_bytes(data)
        try:
            out = convert(copy, "docx", Path(tmp) / "out", infilter=infilter)
        except ConversionError:
            raise failed from None
        return out.read_bytes()
