"""On-disk cache of model responses, so a re-run with the same inputs makes no calls.

The key is a SHA-256 of the model name, the messages and the generation parameters — never
the endpoint's credentials: the API key is not part of the key, and is not stored. Each
entry is one small JSON file (``<key[:2]>/<key>.json``) holding the response text and its
token counts, written atomically (temp file + rename) so concurrent sections and
interrupted runs never leave a torn entry. Location: ``$DRAFTER_CACHE_DIR``, else
``$XDG_CACHE_HOME/drafter/llm``, else ``~/.cache/drafter/llm``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

CACHE_VERSION = 1


def default_cache_dir() -> Path:
    if os.environ.get("DRAFTER_CACHE_DIR"):
        return Path(os.environ["DRAFTER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "drafter" / "llm"


def cache_key(model: str, messages: list[dict[str, str]], params: dict[str, Any]) -> str:
    blob = json.dumps({"v": CACHE_VERSION, "model": model, "messages": messages,
                       "params": params}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    """``get(key)`` → the stored entry or None; ``put(key, entry)`` stores one. A cache that
    cannot be read or written is skipped silently: it only ever saves calls."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root else default_cache_dir()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            return None
        return data

    def put(self, key: str, entry: dict[str, Any]) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(entry, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError:
            try:
                os.unlink(tmp)  # type: ignore[possibly-undefined]
            except (OSError, UnboundLocalError):
                pass
