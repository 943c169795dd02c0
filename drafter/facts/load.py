"""Load a facts file (YAML) into :class:`~drafter.facts.model.Facts`.

Every problem becomes a :class:`~drafter.errors.FactsError` whose message names the file, the
line and the field path, in Chinese::

    facts.yaml:12：字段 sections.measures[2].metrics[0].value：应为数字（如 10，不加引号和单位）

ruamel.yaml's round-trip loader keeps the line of every key and list item; pydantic gives
the field path of every error; this module joins the two.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.errors import FactsError
from drafter.facts.model import Facts
from drafter.facts.messages import QUOTE_PLACEHOLDERS
from drafter.facts.validate import Loc

MAX_FACTS_BYTES = 2 * 1024 * 1024
Line = tuple[str, str, str]  # (where: "file:line" or the file, field path or "", message)


@dataclass
class FactsCheck:
    """A facts file read and checked without stopping at the first problem: ``facts`` (None
    when there are errors), ``errors`` (it cannot be drafted from) and ``notices`` (it can, but
    the draft will have 【待补充】 gaps), as :data:`Line` tuples — for YAML (``file:line``,
    field path, message), for a workbook (file, "", "工作表“…”单元格 …（列名）：message")."""

    name: str
    facts: Facts | None
    errors: list[Line] = field(default_factory=list)
    notices: list[Line] = field(default_factory=list)

    def raise_errors(self, hint: str) -> Facts:
        """The facts, or FactsError naming the first error (and how many more there are)."""
        if not self.errors and self.facts is not None:
            return self.facts
        where, fld, msg = self.errors[0] if self.errors else (self.name, "", "无法读取事实")
        more = f"（另有{len(self.errors) - 1}处问题）" if len(self.errors) > 1 else ""
        text = f"{where}：字段 {fld}：{msg}" if fld else f"{where}：{msg}"
        err = FactsError(text + more, hint)
        err.problems = list(self.errors)
        raise err


def load_facts(path: str | os.PathLike[str]) -> Facts:
    """Read, parse and validate a facts file; raises FactsError (CLI exit 2) on any problem
    (``.problems`` lists them all).

    ``.xlsx`` workbooks are read by ``drafter.facts.xlsx`` when that module is present.
    """
    return inspect_facts(path).raise_errors(_HINT if Path(path).suffix.lower() != ".xlsx"
                                            else "改正后重新运行；各表填法见“填写说明”工作表")


_HINT = "改正后重新运行；字段说明见 docs/facts-schema.md"


def inspect_facts(path: str | os.PathLike[str]) -> FactsCheck:
    """Read and check a facts file (YAML or workbook), collecting every problem. Raises
    FactsError only when the file cannot be read at all (missing, not YAML, not a workbook)."""
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise FactsError(f"{name}：事实文件不存在", "请检查路径，或参照 corpus/shili-kegongxin/2023/facts.yaml 新建")
    if p.is_dir():
        raise FactsError(f"{name}：是文件夹，不是事实文件", "请指定 facts.yaml 文件")
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        try:
            from drafter.facts.xlsx_io import inspect_workbook
        except ModuleNotFoundError:
            raise FactsError(f"{name}：暂不支持 Excel 事实文件", "请使用 YAML 格式（.yaml）") from None
        return inspect_workbook(p)
    if suffix not in (".yaml", ".yml"):
        raise FactsError(f"{name}：事实文件应为 .yaml 格式（当前为“{suffix or '无扩展名'}”）",
                         "参照 corpus/shili-kegongxin/2023/facts.yaml 填写")
    try:
        if p.stat().st_size > MAX_FACTS_BYTES:
            raise FactsError(f"{name}：事实文件过大（超过 2 MB）", "请确认文件是否正确")
        raw = p.read_bytes()
    except OSError as e:
        raise FactsError(f"{name}：无法读取（{e.strerror or e}）", "请检查文件权限") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FactsError(f"{name}：不是 UTF-8 编码", "请用 UTF-8 编码另存事实文件") from None
    return inspect_text(text, name, path=p)


def parse_facts(text: str, name: str = "<facts>") -> Facts:
    """Parse and validate facts from YAML text; ``name`` is used in messages."""
    return inspect_text(text, name).raise_errors(_HINT)


def inspect_text(text: str, name: str = "<facts>", path: Path | None = None) -> FactsCheck:
    """Parse YAML text and check it, collecting every problem with its line and field path.

    With ``path`` (the file ``text`` was read from) the parsed data comes from the facts cache
    when the file was parsed before with exactly these bytes (:func:`_parsed`); the YAML is
    parsed again only when a problem needs its line."""
    from drafter.facts.collect import validate_collecting

    data = None
    if path is not None:
        plain = _parsed(text, name, path)
    else:
        data = _parse_mapping(text, name)
        plain = _plain(data)
    got = validate_collecting(plain)
    if data is None and (got.errors or got.notices):
        data = _parse_mapping(text, name)  # the lines of the problems
    return FactsCheck(name, got.facts, _lines(got.errors, data, name), _lines(got.notices, data, name))


def _parse_mapping(text: str, name: str) -> Any:
    data = _parse_yaml(text, name)
    if not isinstance(data, dict):
        raise FactsError(f"{name}:1：事实文件应为“字段: 值”的结构（当前为{_kind(data)}）",
                         "参照 corpus/shili-kegongxin/2023/facts.yaml 填写")
    return data


def _parsed(text: str, name: str, path: Path) -> dict[str, Any]:
    """The plain data of facts file ``path`` (text ``text``), kept in the user's cache
    (``facts`` beside the lexicon cache, :mod:`drafter.cache`): ruamel's round-trip parser
    takes ~0.1 s for a facts file, and a draft reads two (this year's and last year's), mostly
    unchanged since the previous run. One entry per file path, keyed by the file's bytes; a
    file that does not parse is never cached (its error is raised each time)."""
    import hashlib

    from drafter.cache import cached, user_data_dirs

    where = hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return cached(f"facts-{where}", text.encode("utf-8", "surrogatepass"),
                  lambda: _plain(_parse_mapping(text, name)), dirs=user_data_dirs("facts"))


def _parse_yaml(text: str, name: str) -> Any:
    from ruamel.yaml.composer import MaxDepthExceededError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from drafter.facts.yaml_limits import MAX_DEPTH, YamlTooLarge, bounded_yaml

    yaml = bounded_yaml()  # aliases and nesting bounded: a few KB never stand for GBs
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except YamlTooLarge as e:
        raise FactsError(f"{name}:{e.line}：{e.what}",
                         "事实文件无需使用锚点和别名，请删去后直接填写各项内容") from None
    except MaxDepthExceededError as e:
        line = e.problem_mark.line + 1 if e.problem_mark is not None else 1
        raise FactsError(f"{name}:{line}：YAML 嵌套层级过深（超过 {MAX_DEPTH} 层），不像是事实文件",
                         "事实文件只有几层结构，请检查缩进和括号是否成对") from None
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = _yaml_problem(e)
        source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
        if _PLACEHOLDER_HINT.search(source):
            what = QUOTE_PLACEHOLDERS
        raise FactsError(f"{name}:{line}：YAML 语法错误：{what}",
                         "检查缩进（用空格，不用 Tab）、冒号后的空格和引号是否成对") from None
    except YAMLError as e:
        what = "含有不允许的控制字符" if "unacceptable character" in str(e) else "无法解析"
        raise FactsError(f"{name}：YAML 语法错误：{what}", "检查缩进和冒号，删去不可见的控制字符") from None


_PLACEHOLDER_HINT = re.compile(r"\{[A-Za-z_]\w*(?:\.\w+)?\}")


def _yaml_problem(e: Any) -> str:
    problem = (e.problem or "").strip()
    table = [("found duplicate key", "字段重复"), ("found character '\\t'", "含有 Tab 字符"),
             ("mapping values are not allowed", "此处不能出现“键: 值”（可能缺少缩进或多了冒号）"),
             ("could not find expected ':'", "缺少冒号“:”"),
             ("found unexpected end of stream", "引号或括号没有闭合"),
             ("did not find expected key", "缩进不一致或缺少“- ”"),
             ("did not find expected '-' indicator", "列表项缩进不一致"),
             ("found undefined alias", "引用了未定义的锚点"),
             ("while scanning a quoted scalar", "引号没有闭合"),
             ("expected ',' or ']'", "方括号“[ ]”没有闭合，或列表项之间缺少逗号"),
             ("expected ',' or '}'", "花括号“{ }”没有闭合，或各项之间缺少逗号"),
             ("that cannot start any token", "值不能以 @ ` % 等字符开头（这样的文字请加引号）"),
             ("found unknown escape character", "双引号中有无效的转义字符“\\”（可改用单引号）"),
             ("expected <block end>", "缩进不一致")]
    for en, zh in table:
        if en in problem or en in str(e.context or ""):
            return zh
    return "无法解析"  # ruamel's own text is English: the line number says where


def _plain(node: Any) -> Any:
    """ruamel round-trip objects → plain dict/list/scalars (ScalarFloat → float, etc.)."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def _lines(problems: list[tuple[Loc, str]], data: Any, name: str) -> list[Line]:
    """(file:line, field path, message) of each problem, in the order of the file."""
    out = [(_line_of(data, lc), _loc_text(lc), m) for lc, m in problems]
    out.sort(key=lambda x: x[0])  # stable: problems of one line keep their order
    return [(f"{name}:{line}", fld, m) for line, fld, m in out]


def _line_of(data: Any, loc: Loc) -> int:
    """1-based line of the deepest part of ``loc`` present in the YAML (its parent if missing)."""
    node = data
    line = 1
    if hasattr(node, "lc"):
        line = node.lc.line + 1
    for part in loc:
        try:
            if isinstance(part, int) and isinstance(node, list) and part < len(node):
                line = node.lc.item(part)[0] + 1
                node = node[part]
            elif isinstance(part, str) and isinstance(node, dict) and part in node:
                line = node.lc.key(part)[0] + 1
                node = node[part]
            else:
                break
        except (AttributeError, KeyError, IndexError, TypeError):
            break
    return line


def _loc_text(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "（文件顶层）"


def _kind(v: Any) -> str:
    if v is None:
        return "空文件"
    if isinstance(v, list):
        return "列表"
    return "单个值"


