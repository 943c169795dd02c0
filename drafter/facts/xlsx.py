"""Facts as an Excel workbook (事实采集表.xlsx): the entry points. The layout is
:mod:`drafter.facts.xlsx_layout`, the reader :mod:`drafter.facts.xlsx_io`, the writer
:mod:`drafter.facts.xlsx_template`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

# ---- public entry points -----------------------------------------------------------------------

def load_facts_xlsx(path: str | os.PathLike[str]):
    """Read and validate a facts workbook; FactsError names the sheet, cell and field."""
    from drafter.facts.xlsx_io import read_workbook

    return read_workbook(Path(path))


def facts_to_xlsx_bytes(facts: Any) -> bytes:
    """The facts as a filled workbook (same layout as the template)."""
    from drafter.facts.xlsx_template import build_workbook, rows_from_facts

    return build_workbook(rows_from_facts(facts))


def template_bytes() -> bytes:
    """The empty workbook (pre-filled from last year: :mod:`drafter.corpus.prefill`)."""
    from drafter.facts.xlsx_template import WorkbookRows, build_workbook

    return build_workbook(WorkbookRows())


def facts_to_yaml(facts: Any, source: str | None = None) -> str:
    """The facts as a YAML facts file that :func:`drafter.facts.load_facts` reads back equal."""
    return dump_yaml(facts, source)


def _provenance_last(node: Any) -> Any:
    """``source`` and ``confirm`` (where a value came from) after the value's own fields."""
    if isinstance(node, dict):
        tail = [k for k in ("source", "confirm") if k in node]
        return {**{k: _provenance_last(v) for k, v in node.items() if k not in tail},
                **{k: node[k] for k in tail}}
    if isinstance(node, list):
        return [_provenance_last(v) for v in node]
    return node


# ---- reading cells --------------------------------------------------------------------------

def dump_yaml(facts: Any, source: str | None = None, header: list[str] | None = None) -> str:
    """Facts as YAML in the layout of the sample facts files (figures and people one per line);
    ``header`` replaces the two comment lines at the top."""
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def flow(d: dict[str, Any]) -> CommentedMap:
        m = CommentedMap(d)
        m.fa.set_flow_style()
        return m

    data = _provenance_last(facts.model_dump(mode="python", exclude_defaults=True))
    for key in ("metrics", "people", "organisations", "documents"):
        if key in data:
            data[key] = CommentedSeq([flow(x) for x in data[key]])
    for items in data.get("sections", {}).values():
        for item in items:
            if "metrics" in item:
                item["metrics"] = [flow(m) if isinstance(m, dict) else m for m in item["metrics"]]
    yaml = YAML()
    yaml.width = 4096  # one statement per line, never folded
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    if header is None:
        head = f"# {facts.unit.name} {facts.year} 年度法治政府建设事实"
        header = [head + (f"（由 {source} 转换）" if source else ""),
                  "# 字段说明见 docs/facts-schema.md；Excel 采集表说明见 docs/excel.md"]
    buf.writelines(line + "\n" for line in header)
    yaml.dump(data, buf)
    return buf.getvalue()
