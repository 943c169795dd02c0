"""Characters that look alike, for the typo rules: two characters of GB 2312 with the same
four-corner code (四角号码: 竟/竞, 己/已, 未/末, 拨/拔) — ``data/four_corner.txt``, with its
source in the file's header. Characters outside the table look like nothing else.
"""

from __future__ import annotations

from functools import cache


@cache
def _codes() -> dict[str, str]:
    """{character: code} in table order; kept parsed in drafter's lexicon cache as two
    strings (~1 ms to load, against ~15 ms to parse the 6,763 lines)."""
    from drafter.cache import cached
    from drafter.datafiles import data_file

    raw = data_file("four_corner.txt").read_bytes()

    def parse() -> tuple[str, str]:
        chars, codes = [], []
        for line in raw.decode("utf-8").splitlines():
            if line and not line.startswith("#"):
                ch, code = line.split()
                chars.append(ch)
                codes.append(code)
        return "".join(chars), " ".join(codes)

    chars, codes = cached("four_corner.txt", raw, parse)
    return dict(zip(chars, codes.split()))


def four_corner(ch: str) -> str | None:
    """The four-corner code of ``ch`` ("竟" → "00212"), or None if the table lacks it."""
    return _codes().get(ch)


def look_alike(a: str, b: str) -> bool:
    """Whether two different characters have the same four-corner code."""
    if a == b:
        return False
    ca = _codes().get(a)
    return ca is not None and ca == _codes().get(b)


@cache
def gb2312_characters() -> tuple[str, ...]:
    """Every character of the table (the 6763 characters of GB 2312), in table order."""
    return tuple(_codes())
