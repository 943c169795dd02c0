"""Keeping the endpoint's secrets out of everything drafter prints or writes.

A server may echo the API key in an error message — whole, cut short, or starred in the
middle ("sk-abcd****wxyz") — and the message may then be shortened, quoted or formatted. So
masking comes first, on the full text, before any truncation or formatting, and it removes
more than the exact key:

- every run of 8 or more characters that also occurs in the key (any offset, any length), so
  no 8-character piece of the key survives;
- any ``Authorization`` header value and ``Bearer …`` token;
- credentials in URLs (``https://user:password@host``), and the URL password wherever it
  appears on its own.

Keys shorter than 8 characters (``local``, ``ollama`` for servers that check none) are not
secrets worth hiding and could be ordinary words; they are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

MASK = "***"
MIN_SECRET = 8
_BEARER = re.compile(r"(?i)\b(authorization\s*[:=]\s*|bearer\s+)(?:bearer\s+|basic\s+)?[^\s\"'<>,;]+")
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s:@\"'<>]*(?::[^/\s@\"'<>]*)?@")


@dataclass(frozen=True)
class Secrets:
    """What must never be shown: the API key and the password of the endpoint's URL."""

    key: str = field(default="", repr=False)
    password: str = field(default="", repr=False)

    @classmethod
    def of(cls, api_key: str, base_url: str = "") -> "Secrets":
        try:
            password = urlsplit(base_url).password or ""
        except ValueError:
            password = ""
        return cls(api_key or "", password)

    def mask(self, text: str) -> str:
        """``text`` with every secret masked (see the module docstring)."""
        if not text:
            return text
        text = _BEARER.sub(lambda m: m.group(1) + MASK, text)
        text = _URL_CREDENTIALS.sub(lambda m: m.group(1) + MASK + "@", text)
        for secret in (self.key, self.password):
            if len(secret) >= MIN_SECRET:
                text = _mask_pieces(text, secret)
            elif len(secret) >= 4 and secret == self.password:
                text = text.replace(secret, MASK)
        return text

    def mask_data(self, data: Any) -> Any:
        """``data`` (JSON-like: dicts, lists, strings) with every string masked."""
        if isinstance(data, str):
            return self.mask(data)
        if isinstance(data, dict):
            return {k: self.mask_data(v) for k, v in data.items()}
        if isinstance(data, (list, tuple)):
            return [self.mask_data(v) for v in data]
        return data


def _mask_pieces(text: str, secret: str) -> str:
    """Mask every span of ``text`` covered by an ``MIN_SECRET``-character piece of ``secret``."""
    grams = {secret[i:i + MIN_SECRET] for i in range(len(secret) - MIN_SECRET + 1)}
    marks = bytearray(len(text))
    hit = False
    for i in range(len(text) - MIN_SECRET + 1):
        if text[i:i + MIN_SECRET] in grams:
            marks[i:i + MIN_SECRET] = b"\x01" * MIN_SECRET
            hit = True
    if not hit:
        return text
    out, i = [], 0
    while i < len(text):
        if marks[i]:
            while i < len(text) and marks[i]:
                i += 1
            out.append(MASK)
        else:
            out.append(text[i])
            i += 1
    return "".join(out)
