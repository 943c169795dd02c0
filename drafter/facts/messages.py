"""Pydantic's validation errors of a facts file as Chinese messages: one place, used by the
YAML loader (:mod:`drafter.facts.load`) and the workbook reader (:mod:`drafter.facts.xlsx_io`)."""

from __future__ import annotations

import re

from drafter.facts.model import SECTION_KEYS
from drafter.facts.validate import Loc

# Tags pydantic inserts into error locations for tagged unions; they are not data keys.
_UNION_TAGS = {"ref", "inline", "text", "item"}
QUOTE_PLACEHOLDERS = '含 {编号} 引用的文字要用引号括起来，如 - "{law_enforcers}全部持证上岗"'

# pydantic error type -> Chinese message (ctx values substituted).
_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段",
    "int_type": "应为整数（如 2023，不加引号）",
    "int_parsing": "应为整数（如 2023，不加引号）",
    "int_from_float": "应为整数，不能有小数",
    "float_type": "应为数字（如 10，不加引号和单位）",
    "float_parsing": "应为数字（如 10，不加引号和单位）",
    "string_type": "应为文字",
    "bool_type": "应为 true 或 false",
    "list_type": "应为列表（每项以“- ”开头）",
    "dict_type": "应为“字段: 值”的结构",
    "model_type": "应为“字段: 值”的结构",
    "model_attributes_type": "应为“字段: 值”的结构",
    "date_type": "应为日期，如 2024-02-20 或“2024年2月20日”",
    "date_parsing": "应为日期，如 2024-02-20 或“2024年2月20日”",
    "date_from_datetime_parsing": "应为日期，如 2024-02-20 或“2024年2月20日”",
    "string_too_short": "不能为空",
    "string_pattern_mismatch": "写法不符合要求",
}


def clean_loc(loc: tuple) -> Loc:
    return tuple(x for x in loc if not (isinstance(x, str) and (x in _UNION_TAGS or "[" in x)))


def message(err: dict) -> str:
    typ = err.get("type", "")
    ctx = err.get("ctx") or {}
    loc = clean_loc(err.get("loc", ()))
    last = loc[-1] if loc else ""
    if typ == "extra_forbidden":
        if len(loc) == 2 and loc[0] == "sections":
            return f"未知的部分名称“{last}”，只能是 " + "、".join(SECTION_KEYS)
        return f"未知字段“{last}”（请检查拼写）"
    if typ in ("int_type", "float_type", "int_parsing", "float_parsing") and last in (
            "value", "previous_value"):
        return "应为数字（如 10，不加引号和单位；约数写在 approx 字段）"
    if typ in ("int_type", "int_parsing") and last == "year":
        return "应为四位数字年份（如 2023，不加引号和“年”）"
    if typ == "string_pattern_mismatch":
        if last == "slug":
            return "只能用小写字母、数字和连字符（如 shili-kegongxin）"
        return "编号只能用字母、数字和下划线，且不以数字开头（如 norm_docs_cleaned）"
    if typ == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return "只能是 " + "、".join(f"“{o}”" for o in options) if options else "取值不符合要求"
    if typ == "greater_than_equal":
        if ctx.get("ge") == 0:
            return "不能为负数"
        return f"应不小于{ctx.get('ge')}"
    if typ == "less_than_equal":
        return f"应不大于{ctx.get('le')}"
    if typ == "too_short":
        return f"至少需要{ctx.get('min_length', 1)}项"
    if typ == "value_error":
        reason = str(ctx.get("error", ""))
        if "date_format" in reason:
            return "日期写法无法识别，应如 2024-02-20 或“2024年2月20日”"
        if "not_number" in reason:
            return "应为数字（如 10，不加引号和单位；约数写在 approx 字段）"
        if "date_invalid" in reason:
            return "不是有效日期（请检查月、日）"
        return reason
    if typ == "string_type" and isinstance(err.get("input"), dict):
        return "应为文字（" + QUOTE_PLACEHOLDERS + "）"
    if typ in _MESSAGES:
        return _MESSAGES[typ]
    return err.get("msg", "不符合要求")


_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_]+)?$")


def _unquoted_placeholder(value: object) -> bool:
    """``- {docs}`` unquoted in YAML is the mapping {"docs": None}, not the text "{docs}"."""
    return (isinstance(value, dict) and len(value) == 1
            and all(v is None and isinstance(k, str) and _ID.match(k) for k, v in value.items()))


def problems_of(errors: list[dict]) -> list[tuple[Loc, str]]:
    """pydantic's errors as (field path, Chinese message), one per problem: an unquoted
    ``{编号}`` read as a mapping is one problem of the element (not "text missing" plus
    "unknown field"); repeats dropped."""
    tagged: set[tuple] = set()
    for err in errors:
        loc = tuple(err.get("loc", ()))
        if err.get("type") == "missing" and _unquoted_placeholder(err.get("input")) and loc:
            tagged.add(loc[:-1])
    out: list[tuple[Loc, str]] = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        owner = next((t for t in tagged if loc[:len(t)] == t), None)
        item = (clean_loc(owner), QUOTE_PLACEHOLDERS) if owner else (clean_loc(loc), message(err))
        if item not in out:
            out.append(item)
    return out
