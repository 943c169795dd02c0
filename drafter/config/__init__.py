"""``drafter.toml``: the local settings of one province, city or unit, for ``drafter check``
and ``drafter serve`` alike (DESIGN.md "Additions": ``--config FILE``, default
``drafter.toml`` in the current folder).

One pydantic schema (:class:`drafter.config.schema.Config`), validated key by key: a wrong file
is rejected with the file, the key (``titles[2].title``) and, where it can be found, the line —
in Chinese — and exit code 2. What it holds:

- ``[check]``: the default form (``auto|submitted|published``) and a named profile;
- ``[profile]``: a local profile — deadlines per unit type on top of a named one;
- ``[[titles]]``: the province's and city's own law and document titles (with short names and
  former names), which the national lexicon cannot know (LAW rules, grounding);
- ``[[institutions]]``: local institution names (with the names they replaced) (INS/NAM);
- ``[[names]]``: known names of people, written one way (NAM, grounding).

``Config.local`` is :class:`LocalData`, the small typed object the rules and the LLM grounding
take. This module stays light (no pydantic import) so a check without a drafter.toml pays
nothing for it; the schema (:mod:`drafter.config.schema`) is imported when a file is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from drafter.errors import ConfigError, InputError

if TYPE_CHECKING:  # pragma: no cover
    from drafter.config.schema import Config

DEFAULT_NAME = "drafter.toml"


@dataclass(frozen=True)
class LocalTitle:
    title: str
    short: tuple[str, ...] = ()
    former: tuple[str, ...] = ()
    kind: str = ""
    source: str = ""


@dataclass(frozen=True)
class LocalInstitution:
    name: str
    former: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class KnownName:
    name: str
    role: str = ""
    org: str = ""


@dataclass(frozen=True)
class LocalData:
    """What a locality knows that the national lexicons cannot: its own document titles,
    institutions and the names of people. Hashable (tuples), so lexicons built on it can be
    cached."""

    titles: tuple[LocalTitle, ...] = ()
    institutions: tuple[LocalInstitution, ...] = ()
    names: tuple[KnownName, ...] = ()

    @property
    def title_names(self) -> tuple[str, ...]:
        """Every title and accepted short name (for grounding: a cited title must be one)."""
        return tuple(n for t in self.titles for n in (t.title, *t.short))

    @property
    def institution_names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.institutions)

    @property
    def person_names(self) -> tuple[str, ...]:
        return tuple(n.name for n in self.names)

    def __bool__(self) -> bool:
        return bool(self.titles or self.institutions or self.names)


_KEY_NAMES = {"check": "[check]", "profile": "[profile]", "titles": "[[titles]]",
              "institutions": "[[institutions]]", "names": "[[names]]"}
_MESSAGES = {
    "missing": "缺少必填项", "extra_forbidden": "不认识的键（拼写有误？）",
    "literal_error": "取值不在允许范围内", "string_type": "应为文字（加引号）",
    "list_type": "应为列表，如 [\"…\"]", "dict_type": "应为表", "string_too_short": "太短或为空",
    "string_too_long": "太长", "model_type": "应为表（[...]）",
}


def _key_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "（文件顶层）"


def _explain(err: dict) -> str:
    kind = err.get("type", "")
    if kind in ("value_error", "assertion_error"):
        return str(err.get("ctx", {}).get("error", err.get("msg", "")))
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return f"取值不在允许范围内（可选：{expected}）"
    return _MESSAGES.get(kind, err.get("msg", "取值有误"))


def parse_config(text: str, name: str = DEFAULT_NAME) -> "Config":
    """A validated Config from TOML text; ConfigError naming ``name``, the key and the line."""
    import tomllib

    from pydantic import ValidationError

    from drafter.config.schema import Config

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        where = re.search(r"line (\d+), column (\d+)", str(e))
        at = f"第 {where.group(1)} 行第 {where.group(2)} 列，" if where else ""
        raise ConfigError(f"{name}：{at}TOML 格式有误（{str(e).split(' (at')[0]}）",
                          "请对照 docs/config.md 中的示例修改") from None
    try:
        cfg = Config.model_validate(raw)
    except ValidationError as e:
        # An unknown key (a misspelt one) explains the missing one next to it: show it first.
        err = sorted(e.errors(), key=lambda x: x.get("type") != "extra_forbidden")[0]
        key = _key_path(err.get("loc", ()))
        line = _line_of_key(text, err.get("loc", ()))
        at = f"第 {line} 行，" if line else ""
        more = f"（另有 {len(e.errors()) - 1} 处问题）" if len(e.errors()) > 1 else ""
        raise ConfigError(f"{name}：{at}键 {key}：{_explain(err)}{more}",
                          "请对照 docs/config.md 中的示例修改") from None
    cfg.path = name
    return cfg


def _line_of_key(text: str, loc: tuple) -> int | None:
    """The line of the table (and key) an error is about, when it can be found simply."""
    if not loc:
        return None
    table, rest = str(loc[0]), loc[1:]
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines)
              if re.match(rf"^\s*\[\[?\s*{re.escape(table)}[\].]", line)]
    index = rest[0] if rest and isinstance(rest[0], int) else 0
    if not starts:
        return None
    begin = starts[min(index, len(starts) - 1)]
    keys = [str(p) for p in rest if not isinstance(p, int)]
    if keys:
        for j in range(begin + 1, len(lines)):
            # Stop at the next table that is not a sub-table of this one.
            if re.match(r"^\s*\[", lines[j]) and not re.match(
                    rf"^\s*\[\s*{re.escape(table)}\.", lines[j]):
                break
            if re.match(rf"^\s*{re.escape(keys[-1])}\s*=", lines[j]):
                return j + 1
    return begin + 1


def load_config(path: str | Path | None = None, *, cwd: str | Path | None = None) -> "Config | None":
    """The config of ``path``, or of ``drafter.toml`` in ``cwd`` (default: the current folder)
    when no path is given; None when no path is given and there is no such file.

    Raises InputError for a path that does not exist or cannot be read, ConfigError for an
    invalid file (exit 2 either way)."""
    if path is None:
        candidate = Path(cwd or ".") / DEFAULT_NAME
        if not candidate.is_file():
            return None
        path = candidate
    p = Path(path)
    name = str(path)
    if not p.exists():
        raise InputError(f"{name}：配置文件不存在", "请检查 --config 的路径")
    if p.is_dir():
        raise InputError(f"{name}：是文件夹，不是配置文件", "请指定 drafter.toml 文件")
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{name}：不是 UTF-8 编码的文本", "请用 UTF-8 编码保存配置文件") from None
    except OSError as e:
        raise InputError(f"{name}：无法读取（{e.strerror or e}）", "请检查文件权限") from None
    return parse_config(text, name)
