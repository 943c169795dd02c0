"""Regenerate ``drafter/data/four_corner.txt``: the four-corner code (四角号码) of every
character of GB 2312, the look-alike table of the typo rules (``drafter.text.shapes``).

Characters of the same shape have the same code (竟/竞 00212, 己/已 17717, 未/末 50900,
拨/拔 53047), so two characters with equal codes are treated as look-alikes. The codes come
from the ``four-corner-method`` package (MIT; data of the 四角号码检字法 as printed in the
dictionaries), which only this script needs::

    pip install four-corner-method==0.2.0
    python -m evaluations.make_shape_table
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "drafter" / "data" / "four_corner.txt"
HEADER = """\
# 四角号码 (four-corner codes) of the characters of GB 2312, one "character code" per line.
# Characters with the same code look alike (竟/竞, 己/已, 未/末): the typo rules use it as the
# shape-similarity table (drafter/text/shapes.py).
# source: 四角号码检字法（王云五，1926；《四角号码新词典》商务印书馆），codes taken from the
#   four-corner-method package 0.2.0 (MIT License, Copyright (c) 2025 Xiaoquan Kong);
#   regenerate with: python -m evaluations.make_shape_table
"""


def gb2312_chars() -> list[str]:
    out = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def main() -> int:
    from four_corner_method import FourCornerMethod

    fcm = FourCornerMethod()
    lines = [f"{ch} {code}" for ch in gb2312_chars() if (code := fcm.query(ch))]
    OUT.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} characters written to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
