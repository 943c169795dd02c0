"""Accept or reject every tracked change of a .docx in LibreOffice (headless), for tests.

LibreOffice's Python-UNO bridge is not installed everywhere (Debian's ``python3-uno`` is a
separate package), but LibreOffice Basic always is: a throw-away user profile gets a Basic
module ``Standard.Revisions`` whose ``Resolve`` opens the document hidden, dispatches
``.uno:AcceptAllTrackedChanges`` or ``.uno:RejectAllTrackedChanges`` (the menu commands 编辑 →
修订 → 全部接受 / 全部拒绝) and stores the result as .docx, run with ``soffice --headless
macro:///Standard.Revisions.Resolve(…)``. Macros in the user's own profile ("My Macros") run
whatever the security level; documents' macros stay off.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from drafter.docx.convert import soffice

_MODULE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Revisions" script:language="StarBasic">
Sub Resolve(inUrl As String, outUrl As String, how As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(inUrl, &quot;_blank&quot;, 0, args())
  helper = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  helper.executeDispatch(doc.getCurrentController().getFrame(), &quot;.uno:&quot; &amp; how &amp; &quot;AllTrackedChanges&quot;, &quot;&quot;, 0, Array())
  Dim store(0) As New com.sun.star.beans.PropertyValue
  store(0).Name = &quot;FilterName&quot;
  store(0).Value = &quot;MS Word 2007 XML&quot;
  doc.storeToURL(outUrl, store())
  doc.close(True)
End Sub
</script:module>
"""
_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" library:readonly="false" library:passwordprotected="false">
 <library:element library:name="Revisions"/>
</library:library>
"""
TIMEOUT_S = 120


def _run(cmd: list[str], home: Path) -> None:
    env = dict(os.environ, HOME=str(home))
    subprocess.run(cmd, env=env, capture_output=True, timeout=TIMEOUT_S, check=False)


def _profile(home: Path) -> str:
    """A LibreOffice user profile under ``home`` holding the Revisions module; its URL."""
    profile = home / "profile"
    url = profile.as_uri()
    # The first start creates the profile (and would overwrite a Basic library written
    # before it); the module goes in afterwards.
    _run([soffice(), "--headless", "--norestore", "--nologo", f"-env:UserInstallation={url}",
          "--terminate_after_init"], home)
    basic = profile / "user" / "basic" / "Standard"
    basic.mkdir(parents=True, exist_ok=True)
    (basic / "Revisions.xba").write_text(_MODULE, encoding="utf-8")
    (basic / "script.xlb").write_text(_LIBRARY, encoding="utf-8")
    return url


def resolve_all(src: Path, out: Path, how: str) -> Path:
    """``src`` with every tracked change accepted (``how="Accept"``) or rejected
    (``"Reject"``) by LibreOffice, saved as the .docx ``out``. RuntimeError if none came."""
    if how not in ("Accept", "Reject"):
        raise ValueError(how)
    with tempfile.TemporaryDirectory(prefix="drafter-lo-macro-") as tmp:
        home = Path(tmp)
        url = _profile(home)
        macro = (f'macro:///Standard.Revisions.Resolve("{Path(src).resolve().as_uri()}",'
                 f'"{Path(out).resolve().as_uri()}","{how}")')
        _run([soffice(), "--headless", "--norestore", "--nologo", "--nolockcheck",
              f"-env:UserInstallation={url}", macro], home)
    if not Path(out).exists():
        raise RuntimeError(f"LibreOffice did not write {out}")
    return Path(out)
