"""Small files that stand for huge data — the inputs the hardening (issue 21) is measured and
tested with. Built fresh each time (nothing is stored), shared by ``tests/`` and
``evaluations/bench_web_limits.py``.

- :func:`alias_yaml` — a facts file whose nested YAML aliases ("billion laughs") stand for
  ``width ** levels`` values in a few kilobytes.
- :func:`deep_yaml` — a facts file nested thousands of levels deep.
- :func:`cell_bomb_xlsx` — the facts workbook template with one sheet replaced by a million
  empty cells (no size declared), ~95 KB zipped.
- :func:`dimension_bomb_xlsx` — the template with one sheet declaring the whole Excel grid.
- :func:`long_report` — a report of a given length (the frame of an evaluation case, its
  measures filled with the body paragraphs of every clean case in turn): what a pasted-together
  or runaway document looks like to the checker and the result page.
"""

from __future__ import annotations

import io
import zipfile

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def alias_yaml(levels: int = 9, width: int = 9, size: int = 7_900) -> str:
    """A facts file of about ``size`` bytes whose ``previous_plans`` expands to
    ``width ** levels`` strings (9 levels of 9: 387 million)."""
    head = ["year: 2023", "unit: {name: 示例县司法局, type: department, short: 我局}"]
    body = [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    tail = [f"previous_plans: *a{levels - 1}"]
    fixed = sum(len(x.encode()) + 1 for x in head + body + tail) + len("a0: &a0 []\n")
    # The leaf strings fill the rest: each one is copied by every alias above it.
    leaf = max(3, (size - fixed) // width - 4)
    a0 = "a0: &a0 [" + ", ".join(f'"{chr(97 + i % 26) * leaf}"' for i in range(width)) + "]"
    return "\n".join(head + [a0] + body + tail) + "\n"


def deep_yaml(depth: int = 5_000) -> str:
    """A facts file with one value nested ``depth`` levels deep (flow style)."""
    return "year: 2023\nprevious_plans: " + "[" * depth + "x" + "]" * depth + "\n"


def _replace_sheet(sheet_xml: bytes, which: str = "xl/worksheets/sheet3.xml") -> bytes:
    """The facts workbook template with one worksheet part replaced."""
    from drafter.facts.xlsx import template_bytes

    src = zipfile.ZipFile(io.BytesIO(template_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            data = sheet_xml if info.filename == which else src.read(info.filename)
            dst.writestr(info.filename, data)
    return out.getvalue()


def cell_bomb_xlsx(cells: int = 1_000_000, per_row: int = 10) -> bytes:
    """The template with its 数据指标 sheet holding ``cells`` empty cells and no
    ``<dimension>``, ~95 KB zipped: a little noise on each row (a style number, seeded) keeps
    the compression ratio near 100, like real spreadsheets rather than a zip bomb, so only
    counting the cells finds it out."""
    import random

    noise = random.Random(21)
    parts = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             f'<worksheet xmlns="{SHEET_NS}"><sheetData>']
    for _ in range(cells // per_row):
        parts.append(f'<row s="{noise.randrange(4)}">' + "<c/>" * per_row + "</row>")
    parts.append("</sheetData></worksheet>")
    return _replace_sheet("".join(parts).encode())


def dimension_bomb_xlsx() -> bytes:
    """The template with its 数据指标 sheet declaring A1:XFD1048576 (every cell of Excel)."""
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<worksheet xmlns="{SHEET_NS}"><dimension ref="A1:XFD1048576"/><sheetData>'
           f'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData></worksheet>')
    return _replace_sheet(xml.encode())


def long_report(chars: int = 650_000, distinct_names: bool = False) -> str:
    """A plain-text report of about ``chars`` characters built from the evaluation cases.

    With ``distinct_names``, every paragraph also names a person (beside a role word) and an
    organisation of its own (seeded, from the surname list): a long report with thousands of
    different names, where comparing every name with every other would show."""
    import random
    from pathlib import Path

    from drafter.datafiles import data_file

    cases = Path(__file__).resolve().parent / "cases" / "reports"
    frame = (cases / "01_wangchuan_county_gov.txt").read_text(encoding="utf-8").splitlines()
    pool = [line for f in sorted(cases.glob("*.txt"))
            for line in f.read_text(encoding="utf-8").splitlines()
            if len(line) > 120 and line.startswith("（")]
    surnames = [x.strip() for x in data_file("surnames.txt").read_text(encoding="utf-8").splitlines()
                if x.strip() and not x.startswith("#")]
    rnd = random.Random(21)
    given, firm = "明华强伟芳敏静丽军杰涛超平刚勇毅俊峰建国志红霞玲燕飞鹏浩宇博文", "正和信达天元君合国浩中伦大成汉坤金杜"
    cut = next(i for i, line in enumerate(frame) if line.startswith("三、"))
    body: list[str] = []
    n = sum(len(x) + 1 for x in frame)
    while n < chars:
        line = pool[len(body) % len(pool)]
        if distinct_names:
            person = rnd.choice(surnames) + "".join(rnd.choice(given) for _ in range(rnd.choice((1, 2))))
            org = "".join(rnd.choice(firm) for _ in range(rnd.choice((2, 3))))
            line += f"聘请{org}律师事务所律师{person}担任法律顾问，{person}律师全年审查合同{rnd.randint(2, 90)}份。"
        body.append(line)
        n += len(line) + 1
    return "\n".join(frame[:cut] + body + frame[cut:]) + "\n"
